"""The seeded rules: the uitvoeringsvoorwaarden social return and their Menukaart.

Source: `seeds/001_*.txt` (Bijlage 7, Uitvoeringsvoorwaarden social return, with the
Menukaart); where it and SPEC.md §5 differ, SPEC.md decides. Drenthe, Fryslân and
Groningen publish the same rules, so each region's first policy version is `SEED_RULES`.
Numbers in the comments are the articles of Bijlage 7, §2.
"""

from dataclasses import replace
from decimal import Decimal

from policy.valuation import (
    Berekening,
    Bonus,
    Bouwblok,
    Doelgroep,
    Niveau,
    NiveauMaximum,
    PolicyRules,
    SoortInzet,
    Termijn,
    Veld,
    Waarderingsmethode,
)

BEGELEIDING_UURTARIEF = Decimal(15)  # art. 13: € 150 per week = 10 uur à € 15
BEGELEIDING_MAX_PER_WEEK = Decimal(150)
MAANDEN_VOOR_PROJECTSTART = 3  # art. 01 and 18: scholing and begeleiding

DOELGROEPEN: tuple[Doelgroep, ...] = (
    # art. 04; an afspraakbaan is by definition a job for someone in the register
    Doelgroep(
        code="doelgroepenregister",
        volgorde=1,
        label="Doelgroepenregister UWV (afspraakbaan)",
        kort="doelgroepenregister",
        termijn=Termijn.ALTIJD,
    ),
    Doelgroep(
        code="beschut",
        volgorde=2,
        label="Beschutte werkplek",
        kort="beschutte werkplek",
        termijn=Termijn.ALTIJD,
    ),
    # art. 05 names Wajong only; WIA shares its line in the doelgroepen list (art. 03)
    Doelgroep(
        code="wajong_wia",
        volgorde=3,
        label="Wajong- of WIA-uitkering",
        kort="Wajong of WIA",
        termijn=Termijn.MAANDEN,
        termijn_maanden=24,
    ),
    Doelgroep(
        code="wsw",
        volgorde=4,
        label="WSW-indicatie",
        kort="WSW-indicatie",
        termijn=Termijn.MAANDEN,
        termijn_maanden=24,
    ),
    # art. 03 and 06; begrippenlijst: "minimaal 6 maanden" ingeschreven
    Doelgroep(
        code="ww",
        volgorde=5,
        label="WW-uitkering en langer dan 6 maanden werkloos-werkzoekend",
        kort="werkloos-werkzoekend",
        termijn=Termijn.MAANDEN,
        termijn_maanden=12,
        min_maanden_werkloos=6,
    ),
    Doelgroep(
        code="participatiewet_nuo",
        volgorde=6,
        label=(
            "Participatiewet-uitkering of niet-uitkeringsontvanger (NUO) en langer dan 6 maanden werkloos-werkzoekend"
        ),
        kort="werkloos-werkzoekend",
        termijn=Termijn.MAANDEN,
        termijn_maanden=12,
        min_maanden_werkloos=6,
    ),
    # art. 14: "altijd" waives the 6 months, not the 12-month termijn (SPEC §5)
    Doelgroep(
        code="jongere",
        volgorde=7,
        label="Jongere (18 tot 27 jaar), ingeschreven als werkloos-werkzoekend",
        kort="jongere",
        termijn=Termijn.MAANDEN,
        termijn_maanden=12,
        min_leeftijd=18,
        max_leeftijd=27,
    ),
    # art. 08
    Doelgroep(
        code="stagiair",
        volgorde=8,
        label="Stagiair (vmbo, mbo, hbo, wo)",
        kort="stagiair",
        termijn=Termijn.STAGE,
        termijn_maanden=12,
    ),
    # art. 07
    Doelgroep(
        code="bbl_leerling",
        volgorde=9,
        label="BBL-leerling",
        kort="BBL-leerling",
        termijn=Termijn.OPLEIDING,
    ),
)


def _begeleiding(code: str, volgorde: int, label: str, specificatie: str) -> SoortInzet:
    # art. 13, 19, 20: proefplaatsing and werkervaringsplaats are valued by their begeleiding
    return SoortInzet(
        code=code,
        volgorde=volgorde,
        label=label,
        specificatie=specificatie,
        waardering=(
            "Uren begeleiding per week × € 15,00, met een maximum van € 150,00 per week, × het aantal weken dat telt"
        ),
        berekening=Berekening.BEGELEIDING,
        velden=(Veld.UREN_PER_WEEK,),
        periode="Gedurende de plaatsing; tot 3 maanden voor de projectstart",
        waarde_indicatie="Max. € 150,- per week",
        uren_label="Uren begeleiding per week",
        maanden_voor_projectstart=MAANDEN_VOOR_PROJECTSTART,
        uurtarief=BEGELEIDING_UURTARIEF,
        max_per_week=BEGELEIDING_MAX_PER_WEEK,
    )


SOORTEN: tuple[SoortInzet, ...] = (
    # art. 09
    SoortInzet(
        code="baan",
        volgorde=1,
        label="Baan (dienstverband)",
        specificatie="U biedt dienstverbanden aan mensen uit de social-returndoelgroep.",
        waardering=(
            "Loonkosten per maand (brutoloon met vakantiegeld, plus directe "
            "werkgeverslasten) × het aantal maanden dat telt"
        ),
        berekening=Berekening.PER_MAAND,
        velden=(Veld.BEDRAG, Veld.UREN_PER_WEEK),
        periode="Volgens de termijn van de doelgroep",
        waarde_indicatie="Vanaf ± € 26.000 per jaar (o.b.v. fulltime en minimumloon)",
        bedrag_label="Loonkosten",
    ),
    # art. 15; a detachering may be reported without naming the kandidaat (SPEC §5)
    SoortInzet(
        code="detachering",
        volgorde=2,
        label="Detachering (vanuit SW-bedrijf)",
        specificatie=("U laat een deel van het werk uitvoeren door mensen uit de Sociale Werkvoorziening."),
        waardering="Detacherings- of inleenkosten per maand × het aantal maanden dat telt",
        berekening=Berekening.PER_MAAND,
        velden=(Veld.BEDRAG,),
        periode="Gedurende het project",
        bedrag_label="Detacherings- of inleenkosten",
        kandidaat_verplicht=False,
    ),
    # art. 16
    SoortInzet(
        code="werk",
        volgorde=3,
        label="Werk (uitbesteed aan SW-bedrijf of sociale onderneming)",
        specificatie=(
            "U besteedt een deel van het werk uit aan de Sociale Werkvoorziening of een sociale onderneming."
        ),
        waardering=("De uitvoeringskosten, naar rato van de dagen die binnen het project vallen"),
        berekening=Berekening.BEDRAG,
        velden=(Veld.BEDRAG,),
        periode="Gedurende het project",
        waarde_indicatie="N.o.t.k.",
        bedrag_label="Uitvoeringskosten",
        kandidaat_verplicht=False,
        telt_termijn=False,
    ),
    # art. 08 and 12
    SoortInzet(
        code="stage",
        volgorde=4,
        label="Stage",
        specificatie=(
            "U biedt stageplekken aan op vmbo-, mbo-, hbo- of wo-niveau (vmbo en mbo: "
            "BOL; hbo: (afstudeer)stage; wo: practicum)."
        ),
        waardering=("Stagevergoeding per maand, tot het maximum van het niveau, × het aantal maanden dat telt"),
        berekening=Berekening.PER_MAAND,
        velden=(Veld.BEDRAG, Veld.NIVEAU),
        periode="Stagetermijn, maximaal 12 maanden",
        waarde_indicatie="Max. € 200 / € 350 / € 500 / € 750 p.m. (vmbo / mbo / hbo / wo)",
        bedrag_label="Stagevergoeding",
        max_maanden=12,
        maxima_per_niveau=(
            NiveauMaximum(Niveau.VMBO, Decimal(200)),
            NiveauMaximum(Niveau.MBO, Decimal(350)),
            NiveauMaximum(Niveau.HBO, Decimal(500)),
            NiveauMaximum(Niveau.WO, Decimal(750)),
        ),
    ),
    # art. 07 and 11
    SoortInzet(
        code="bbl",
        volgorde=5,
        label="BBL (beroepsbegeleidende leerweg)",
        specificatie="U biedt een BBL-baan voor minstens 20 uur per week.",
        waardering=(
            "BBL-loon per maand (wettelijk of cao-brutoloon plus directe "
            "werkgeverslasten) × het aantal maanden dat telt. Voor een BBL-leerling "
            "jonger dan 23 jaar mag de inschaling van een 22-jarige volgens de cao."
        ),
        berekening=Berekening.PER_MAAND,
        velden=(Veld.BEDRAG, Veld.UREN_PER_WEEK),
        periode="Gedurende de leerwerkovereenkomst",
        waarde_indicatie="Vanaf € 5.000 per jaar",
        bedrag_label="BBL-loon",
        min_uren_per_week=Decimal(20),
    ),
    _begeleiding(
        "begeleiding",
        6,
        "Begeleiding",
        "U begeleidt een social-returnmedewerker bij een stage, BBL, proefplaatsing of werkervaringsplaats.",
    ),
    # art. 01, 17 and 18
    SoortInzet(
        code="scholing",
        volgorde=7,
        label="Scholing",
        specificatie=(
            "U biedt noodzakelijke scholing aan een social-returnmedewerker die bij u aan "
            "het werk gaat, mogelijk tot drie maanden voor de start."
        ),
        waardering=(
            "Het factuurbedrag van het scholingsinstituut, tot € 2.500,00 per kandidaat over alle regels samen"
        ),
        berekening=Berekening.BEDRAG,
        velden=(Veld.BEDRAG,),
        periode="Tot 3 maanden voor de projectstart",
        waarde_indicatie="Max. € 2.500 per nieuwe medewerker",
        bedrag_label="Scholingskosten (factuurbedrag)",
        maanden_voor_projectstart=MAANDEN_VOOR_PROJECTSTART,
        max_per_kandidaat=Decimal(2500),
    ),
    _begeleiding(
        "proefplaatsing",
        8,
        "Proefplaatsing",
        "Een uitkeringsgerechtigde werkt met behoud van uitkering op proef; daarna neemt "
        "u de kandidaat zonder proeftijd in dienst als die goed functioneert.",
    ),
    _begeleiding(
        "werkervaringsplaats",
        9,
        "Werkervaringsplaats",
        "Een social-returnkandidaat doet met behoud van uitkering werkervaring bij u op.",
    ),
    SoortInzet(
        code="anders",
        volgorde=10,
        label="Anders",
        specificatie=(
            "Een andere maatschappelijke bijdrage als invulling van social return. Het CSR denkt graag met u mee."
        ),
        waardering="Het ingevoerde bedrag, in overleg met het CSR",
        berekening=Berekening.ALS_INGEVOERD,
        velden=(Veld.BEDRAG, Veld.OMSCHRIJVING),
        periode="In overleg",
        waarde_indicatie="In overleg",
        kandidaat_verplicht=False,
        telt_termijn=False,
        binnen_project=False,
        in_overleg_csr=True,
    ),
)

SEED_RULES = PolicyRules(
    titel="Uitvoeringsvoorwaarden social return",
    methode=Waarderingsmethode.KOSTEN,
    soorten=SOORTEN,
    doelgroepen=DOELGROEPEN,
)


def _als_bouwblok(code: str) -> SoortInzet:
    soort = SEED_RULES.soort(code)
    if soort is None:
        raise LookupError(code)
    return replace(
        soort,
        waardering="De jaarwaarde van het bouwblok, naar rato van de maanden en de uren",
        velden=(Veld.UREN_PER_WEEK,),
    )


# Not seeded for any region: shows the second method, with figures other regions use.
EXAMPLE_BOUWBLOKKEN_RULES = PolicyRules(
    titel="Voorbeeld: waardering met bouwblokken",
    methode=Waarderingsmethode.BOUWBLOKKEN,
    soorten=tuple(_als_bouwblok(code) for code in ("baan", "stage", "bbl")),
    doelgroepen=DOELGROEPEN,
    bouwblokken=(
        Bouwblok(
            code="participatiewet",
            label="Participatiewet",
            jaarwaarde=Decimal(40000),
            soorten=("baan",),
            doelgroepen=("participatiewet_nuo",),
        ),
        Bouwblok(code="bbl", label="BBL", jaarwaarde=Decimal(35000), soorten=("bbl",)),
        Bouwblok(code="bol_stage", label="BOL-stage", jaarwaarde=Decimal(20000), soorten=("stage",)),
    ),
    bonussen=(Bonus(code="vast_contract", label="vast contract", bedrag=Decimal(10000)),),
)

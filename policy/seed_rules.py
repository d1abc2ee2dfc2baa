"""The seeded rules: the uitvoeringsvoorwaarden social return and their Menukaart.

Source: `seeds/001_*.txt` (Bijlage 7, Uitvoeringsvoorwaarden social return, with the
Menukaart); where it and SPEC.md §5 differ, SPEC.md decides. Drenthe, Fryslân and
Groningen publish the same rules, so each region's first policy version is `SEED_RULES`.
Numbers in the comments are the articles of Bijlage 7, §2.
"""

from dataclasses import replace
from decimal import Decimal

from policy.valuation import (
    Bonus,
    Bouwblok,
    Calculation,
    Doelgroep,
    Input,
    Niveau,
    NiveauCap,
    PolicyRules,
    SoortInzet,
    Termijn,
    ValuationMethod,
)

BEGELEIDING_HOURLY_RATE = Decimal(15)  # art. 13: € 150 per week = 10 uur à € 15
BEGELEIDING_MAX_PER_WEEK = Decimal(150)
MONTHS_BEFORE_PROJECT_START = 3  # art. 01 and 18: scholing and begeleiding

DOELGROEPEN: tuple[Doelgroep, ...] = (
    # art. 04; an afspraakbaan is by definition a job for someone in the register
    Doelgroep(
        code="doelgroepenregister",
        order=1,
        label="Doelgroepenregister UWV (afspraakbaan)",
        short_label="doelgroepenregister",
        termijn=Termijn.ALWAYS,
    ),
    Doelgroep(
        code="beschut",
        order=2,
        label="Beschutte werkplek",
        short_label="beschutte werkplek",
        termijn=Termijn.ALWAYS,
    ),
    # art. 05 names Wajong only; WIA shares its line in the doelgroepen list (art. 03)
    Doelgroep(
        code="wajong_wia",
        order=3,
        label="Wajong- of WIA-uitkering",
        short_label="Wajong of WIA",
        termijn=Termijn.MONTHS,
        termijn_months=24,
    ),
    Doelgroep(
        code="wsw",
        order=4,
        label="WSW-indicatie",
        short_label="WSW-indicatie",
        termijn=Termijn.MONTHS,
        termijn_months=24,
    ),
    # art. 03 and 06; begrippenlijst: "minimaal 6 maanden" ingeschreven
    Doelgroep(
        code="ww",
        order=5,
        label="WW-uitkering en langer dan 6 maanden werkloos-werkzoekend",
        short_label="werkloos-werkzoekend",
        termijn=Termijn.MONTHS,
        termijn_months=12,
        min_months_unemployed=6,
    ),
    Doelgroep(
        code="participatiewet_nuo",
        order=6,
        label=(
            "Participatiewet-uitkering of niet-uitkeringsontvanger (NUO) en langer dan 6 maanden werkloos-werkzoekend"
        ),
        short_label="werkloos-werkzoekend",
        termijn=Termijn.MONTHS,
        termijn_months=12,
        min_months_unemployed=6,
    ),
    # art. 14: "altijd" waives the 6 months, not the 12-month termijn (SPEC §5)
    Doelgroep(
        code="jongere",
        order=7,
        label="Jongere (18 tot 27 jaar), ingeschreven als werkloos-werkzoekend",
        short_label="jongere",
        termijn=Termijn.MONTHS,
        termijn_months=12,
        min_age=18,
        max_age=27,
    ),
    # art. 08
    Doelgroep(
        code="stagiair",
        order=8,
        label="Stagiair (vmbo, mbo, hbo, wo)",
        short_label="stagiair",
        termijn=Termijn.STAGE,
        termijn_months=12,
    ),
    # art. 07
    Doelgroep(
        code="bbl_leerling",
        order=9,
        label="BBL-leerling",
        short_label="BBL-leerling",
        termijn=Termijn.OPLEIDING,
    ),
)


def _begeleiding(code: str, order: int, label: str, specification: str, *, is_work: bool = True) -> SoortInzet:
    # art. 13, 19, 20: proefplaatsing and werkervaringsplaats are valued by their begeleiding;
    # they are work at the company, the begeleiding of another placement is not.
    return SoortInzet(
        code=code,
        order=order,
        label=label,
        specification=specification,
        valuation_text=(
            "Uren begeleiding per week × € 15,00, met een maximum van € 150,00 per week, × het aantal weken dat telt"
        ),
        calculation=Calculation.HOURS_PER_WEEK,
        inputs=(Input.HOURS_PER_WEEK,),
        period="Gedurende de plaatsing; tot 3 maanden voor de projectstart",
        value_hint="Max. € 150,- per week",
        hours_label="Uren begeleiding per week",
        months_before_project_start=MONTHS_BEFORE_PROJECT_START,
        hourly_rate=BEGELEIDING_HOURLY_RATE,
        max_per_week=BEGELEIDING_MAX_PER_WEEK,
        is_work=is_work,
    )


SOORTEN: tuple[SoortInzet, ...] = (
    # art. 09
    SoortInzet(
        code="baan",
        order=1,
        label="Baan (dienstverband)",
        specification="U biedt dienstverbanden aan mensen uit de social-returndoelgroep.",
        valuation_text=(
            "Loonkosten per maand (brutoloon met vakantiegeld, plus directe "
            "werkgeverslasten) × het aantal maanden dat telt"
        ),
        calculation=Calculation.PER_MONTH,
        inputs=(Input.AMOUNT, Input.HOURS_PER_WEEK),
        period="Volgens de termijn van de doelgroep",
        value_hint="Vanaf ± € 26.000 per jaar (o.b.v. fulltime en minimumloon)",
        amount_label="Loonkosten",
    ),
    # art. 15; a detachering may be reported without naming the kandidaat (SPEC §5)
    SoortInzet(
        code="detachering",
        order=2,
        label="Detachering (vanuit SW-bedrijf)",
        specification=("U laat een deel van het werk uitvoeren door mensen uit de Sociale Werkvoorziening."),
        valuation_text="Detacherings- of inleenkosten per maand × het aantal maanden dat telt",
        calculation=Calculation.PER_MONTH,
        inputs=(Input.AMOUNT,),
        period="Gedurende het project",
        amount_label="Detacherings- of inleenkosten",
        kandidaat_required=False,
    ),
    # art. 16
    SoortInzet(
        code="werk",
        order=3,
        label="Werk (uitbesteed aan SW-bedrijf of sociale onderneming)",
        specification=(
            "U besteedt een deel van het werk uit aan de Sociale Werkvoorziening of een sociale onderneming."
        ),
        valuation_text=("De uitvoeringskosten, naar rato van de dagen die binnen het project vallen"),
        calculation=Calculation.AMOUNT,
        inputs=(Input.AMOUNT,),
        period="Gedurende het project",
        value_hint="N.o.t.k.",
        amount_label="Uitvoeringskosten",
        kandidaat_required=False,
        counts_termijn=False,
    ),
    # art. 08 and 12
    SoortInzet(
        code="stage",
        order=4,
        label="Stage",
        specification=(
            "U biedt stageplekken aan op vmbo-, mbo-, hbo- of wo-niveau (vmbo en mbo: "
            "BOL; hbo: (afstudeer)stage; wo: practicum)."
        ),
        valuation_text=("Stagevergoeding per maand, tot het maximum van het niveau, × het aantal maanden dat telt"),
        calculation=Calculation.PER_MONTH,
        inputs=(Input.AMOUNT, Input.NIVEAU),
        period="Stagetermijn, maximaal 12 maanden",
        value_hint="Max. € 200 / € 350 / € 500 / € 750 p.m. (vmbo / mbo / hbo / wo)",
        amount_label="Stagevergoeding",
        max_months=12,
        niveau_caps=(
            NiveauCap(Niveau.VMBO, Decimal(200)),
            NiveauCap(Niveau.MBO, Decimal(350)),
            NiveauCap(Niveau.HBO, Decimal(500)),
            NiveauCap(Niveau.WO, Decimal(750)),
        ),
    ),
    # art. 07 and 11
    SoortInzet(
        code="bbl",
        order=5,
        label="BBL (beroepsbegeleidende leerweg)",
        specification="U biedt een BBL-baan voor minstens 20 uur per week.",
        valuation_text=(
            "BBL-loon per maand (wettelijk of cao-brutoloon plus directe "
            "werkgeverslasten) × het aantal maanden dat telt. Voor een BBL-leerling "
            "jonger dan 23 jaar mag de inschaling van een 22-jarige volgens de cao."
        ),
        calculation=Calculation.PER_MONTH,
        inputs=(Input.AMOUNT, Input.HOURS_PER_WEEK),
        period="Gedurende de leerwerkovereenkomst",
        value_hint="Vanaf € 5.000 per jaar",
        amount_label="BBL-loon",
        min_hours_per_week=Decimal(20),
    ),
    _begeleiding(
        "begeleiding",
        6,
        "Begeleiding",
        "U begeleidt een social-returnmedewerker bij een stage, BBL, proefplaatsing of werkervaringsplaats.",
        is_work=False,
    ),
    # art. 01, 17 and 18
    SoortInzet(
        code="scholing",
        order=7,
        label="Scholing",
        specification=(
            "U biedt noodzakelijke scholing aan een social-returnmedewerker die bij u aan "
            "het werk gaat, mogelijk tot drie maanden voor de start."
        ),
        valuation_text=(
            "Het factuurbedrag van het scholingsinstituut, tot € 2.500,00 per kandidaat over alle regels samen"
        ),
        calculation=Calculation.AMOUNT,
        inputs=(Input.AMOUNT,),
        period="Tot 3 maanden voor de projectstart",
        value_hint="Max. € 2.500 per nieuwe medewerker",
        amount_label="Scholingskosten (factuurbedrag)",
        months_before_project_start=MONTHS_BEFORE_PROJECT_START,
        max_per_kandidaat=Decimal(2500),
        # art. 18: scholing comes "voordat zij bij het bedrijf aan de slag gaan"
        is_work=False,
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
        order=10,
        label="Anders",
        specification=(
            "Een andere maatschappelijke bijdrage als invulling van social return. Het CSR denkt graag met u mee."
        ),
        valuation_text="Het ingevoerde bedrag, in overleg met het CSR",
        calculation=Calculation.AS_ENTERED,
        inputs=(Input.AMOUNT, Input.DESCRIPTION),
        period="In overleg",
        value_hint="In overleg",
        kandidaat_required=False,
        counts_termijn=False,
        within_project=False,
        in_overleg_coordinatiepunt=True,
    ),
)

SEED_RULES = PolicyRules(
    title="Uitvoeringsvoorwaarden social return",
    method=ValuationMethod.KOSTEN,
    soorten=SOORTEN,
    doelgroepen=DOELGROEPEN,
)


def _as_bouwblok(code: str) -> SoortInzet:
    soort = SEED_RULES.soort(code)
    if soort is None:
        raise LookupError(code)
    return replace(
        soort,
        valuation_text="De jaarwaarde van het bouwblok, naar rato van de maanden en de uren",
        inputs=(Input.HOURS_PER_WEEK,),
    )


# Not seeded for any region: shows the second method, with figures other regions use.
EXAMPLE_BOUWBLOKKEN_RULES = PolicyRules(
    title="Voorbeeld: waardering met bouwblokken",
    method=ValuationMethod.BOUWBLOKKEN,
    soorten=tuple(_as_bouwblok(code) for code in ("baan", "stage", "bbl")),
    doelgroepen=DOELGROEPEN,
    bouwblokken=(
        Bouwblok(
            code="participatiewet",
            label="Participatiewet",
            yearly_value=Decimal(40000),
            soorten=("baan",),
            doelgroepen=("participatiewet_nuo",),
        ),
        Bouwblok(code="bbl", label="BBL", yearly_value=Decimal(35000), soorten=("bbl",)),
        Bouwblok(code="bol_stage", label="BOL-stage", yearly_value=Decimal(20000), soorten=("stage",)),
    ),
    bonuses=(Bonus(code="vast_contract", label="vast contract", amount=Decimal(10000)),),
)

"""The value engine: what one Inzet is worth under a region's published rules.

Pure functions over plain data. The Beleid page renders the Menukaart from the same
`PolicyRules` object the engine computes with, so the page and the numbers cannot
disagree. Nothing here imports Django or the rest of the project.

Conventions: dates are inclusive; a whole calendar month counts 1 and a partial month
days covered / days in that month; a week is 7 days; money stays `Decimal` and is rounded
to cents (half up) only once, on the final value.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

CENT = Decimal("0.01")
ZERO = Decimal(0)
NIETS = Decimal("0.00")  # what a line that counts nothing is worth, in cents like the rest
BINNEN_PROJECT = "Alleen de periode binnen de projectduur telt"


class Waarderingsmethode(StrEnum):
    KOSTEN = "kosten"  # what the opdrachtnemer really spends (the northern regions)
    BOUWBLOKKEN = "bouwblokken"  # a fixed yearly value per placement (other regions)


class Berekening(StrEnum):
    """How the cost method turns a line's inputs into money."""

    PER_MAAND = "per_maand"  # bedrag per maand × months counted
    BEGELEIDING = "begeleiding"  # min(uren × uurtarief, max per week) × weeks counted
    BEDRAG = "bedrag"  # one amount, pro rata for the days that count
    ALS_INGEVOERD = "als_ingevoerd"  # the amount as entered, judged by the CSR


class Termijn(StrEnum):
    """How long a kandidaat of a doelgroep counts, from the first workday on the project."""

    ALTIJD = "altijd"
    MAANDEN = "maanden"
    OPLEIDING = "opleiding"  # the BBL line itself is the opleiding
    STAGE = "stage"  # the stage period, with a maximum in months


class Niveau(StrEnum):
    VMBO = "vmbo"
    MBO = "mbo"
    HBO = "hbo"
    WO = "wo"


class Veld(StrEnum):
    """Inputs of an Inzet the engine reads; each soort lists the ones its form asks for."""

    BEDRAG = "bedrag"
    UREN_PER_WEEK = "uren_per_week"
    NIVEAU = "niveau"
    OMSCHRIJVING = "omschrijving"


@dataclass(frozen=True)
class Doelgroep:
    code: str
    volgorde: int
    label: str
    kort: str  # short name used inside reasons, e.g. "werkloos-werkzoekend"
    termijn: Termijn
    termijn_maanden: int | None = None
    min_maanden_werkloos: int | None = None
    min_leeftijd: int | None = None
    max_leeftijd: int | None = None  # exclusive: "18 tot 27 jaar"

    @property
    def termijn_tekst(self) -> str:
        """The counting period in Dutch, for the Beleid page."""
        if self.termijn is Termijn.OPLEIDING:
            return "Voor de duur van de opleiding"
        if self.termijn_maanden is None:
            return "Altijd"
        if self.termijn is Termijn.STAGE:
            return f"Gedurende de stagetermijn, maximaal {self.termijn_maanden} maanden"
        return f"Maximaal {self.termijn_maanden} maanden vanaf de eerste werkdag"


@dataclass(frozen=True)
class NiveauMaximum:
    niveau: Niveau
    bedrag: Decimal


@dataclass(frozen=True)
class SoortInzet:
    code: str
    volgorde: int
    label: str
    specificatie: str  # Menukaart: what the opdrachtnemer offers
    waardering: str  # how the engine values it, in Dutch
    berekening: Berekening
    velden: tuple[Veld, ...]
    periode: str  # Menukaart: the period that counts
    waarde_indicatie: str = ""
    bedrag_label: str = "Bedrag"
    uren_label: str = "Uren per week"
    kandidaat_verplicht: bool = True
    telt_termijn: bool = True  # the doelgroep's termijn limits this soort
    binnen_project: bool = True
    maanden_voor_projectstart: int = 0
    max_maanden: int | None = None
    maxima_per_niveau: tuple[NiveauMaximum, ...] = ()
    uurtarief: Decimal | None = None
    max_per_week: Decimal | None = None
    min_uren_per_week: Decimal | None = None
    max_per_kandidaat: Decimal | None = None
    in_overleg_csr: bool = False

    @property
    def bedrag_veldlabel(self) -> str:
        """Label of the amount field, with its unit: the unit is fixed by the soort."""
        if self.berekening is Berekening.PER_MAAND:
            return f"{self.bedrag_label} per maand"
        return self.bedrag_label

    @property
    def beperkingen(self) -> tuple[str, ...]:
        """Every cap and limit of this soort in Dutch, for the Menukaart on the Beleid page."""
        regels = [f"Max. {format_euro(m.bedrag)} per maand ({m.niveau})" for m in self.maxima_per_niveau]
        if self.max_maanden is not None:
            regels.append(f"Telt maximaal {self.max_maanden} maanden")
        if self.uurtarief is not None:
            regels.append(f"{format_euro(self.uurtarief)} per uur")
        if self.max_per_week is not None:
            regels.append(f"Max. {format_euro(self.max_per_week)} per week")
        if self.min_uren_per_week is not None:
            regels.append(f"Minimaal {format_getal(self.min_uren_per_week)} uur per week")
        if self.max_per_kandidaat is not None:
            regels.append(f"Max. {format_euro(self.max_per_kandidaat)} per kandidaat")
        if self.maanden_voor_projectstart:
            regels.append(f"Mag tot {self.maanden_voor_projectstart} maanden voor de projectstart liggen")
        if self.in_overleg_csr:
            regels.append("In overleg met het CSR")
        return tuple(regels)

    def maximum_for(self, niveau: str | None) -> Decimal | None:
        """The monthly cap for a stage level, or None when this soort has none."""
        return next((m.bedrag for m in self.maxima_per_niveau if m.niveau == niveau), None)


@dataclass(frozen=True)
class Bouwblok:
    """A fixed yearly value for the lines matching its soorten and doelgroepen (empty = any)."""

    code: str
    label: str
    jaarwaarde: Decimal
    soorten: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bonus:
    code: str
    label: str
    bedrag: Decimal


@dataclass(frozen=True)
class PolicyRules:
    """One version of a region's rules: everything the engine and the Beleid page need."""

    titel: str
    methode: Waarderingsmethode
    soorten: tuple[SoortInzet, ...]
    doelgroepen: tuple[Doelgroep, ...]
    bouwblokken: tuple[Bouwblok, ...] = ()
    bonussen: tuple[Bonus, ...] = ()
    voltijd_uren: Decimal = Decimal(36)

    @property
    def menukaart(self) -> tuple[SoortInzet, ...]:
        return tuple(sorted(self.soorten, key=lambda s: s.volgorde))

    def soort(self, code: str) -> SoortInzet | None:
        return next((s for s in self.soorten if s.code == code), None)

    def doelgroep(self, code: str | None) -> Doelgroep | None:
        return next((d for d in self.doelgroepen if d.code == code), None)

    def bonus(self, code: str) -> Bonus | None:
        return next((b for b in self.bonussen if b.code == code), None)

    def bouwblok_for(self, *, soort: str, doelgroep: str | None) -> Bouwblok | None:
        """The first bouwblok that matches; the order of `bouwblokken` decides."""
        return next(
            (
                b
                for b in self.bouwblokken
                if (not b.soorten or soort in b.soorten) and (not b.doelgroepen or doelgroep in b.doelgroepen)
            ),
            None,
        )


@dataclass(frozen=True)
class InzetData:
    """What the engine needs to know of one Inzet; a snapshot, not the model."""

    soort: str
    start: date
    end: date
    project_start: date
    project_end: date
    doelgroep: str | None = None  # None: no kandidaat (werk, detachering, anders)
    bedrag: Decimal | None = None  # in the unit of the soort: per maand or in total
    uren_per_week: Decimal | None = None
    niveau: str | None = None
    omschrijving: str = ""
    eerste_werkdag: date | None = None  # of the kandidaat on this project; None: line start
    scholing_al_geteld: Decimal = ZERO  # counted for this kandidaat on other lines
    geboortedatum: date | None = None
    werkloos_sinds: date | None = None
    bonussen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Waardering:
    """The value that counts up to the peildatum, the period it covers and why it is capped."""

    waarde: Decimal
    telt_van: date | None
    telt_tot: date | None
    redenen: tuple[str, ...]
    in_overleg_csr: bool = False


def format_euro(bedrag: Decimal) -> str:
    """Dutch money notation: `€ 1.234,56`."""
    afgerond = bedrag.quantize(CENT, ROUND_HALF_UP)
    heel, cent = f"{abs(afgerond):.2f}".split(".")
    teken = "-" if afgerond < 0 else ""
    return f"€ {teken}{int(heel):,}".replace(",", ".") + f",{cent}"


def format_getal(getal: Decimal) -> str:
    """A number without trailing zeros and with a decimal comma: 24, 7,5."""
    return f"{getal.normalize():f}".replace(".", ",")


def format_datum(dag: date) -> str:
    return dag.strftime("%d-%m-%Y")


def add_months(dag: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = dag.year * 12 + dag.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(dag.day, last))


def count_months(start: date, end: date) -> Decimal:
    """Calendar months from start to end inclusive; a partial month is a fraction of its days."""
    return _sum_per_month(Decimal(1), Decimal(1), start, end)


def count_weeks(start: date, end: date) -> Decimal:
    """Days from start to end inclusive, divided by 7."""
    return Decimal(_days(start, end)) / 7


def leeftijd_op(geboortedatum: date, dag: date) -> int:
    """Age in whole years on a day."""
    before_birthday = (dag.month, dag.day) < (geboortedatum.month, geboortedatum.day)
    return dag.year - geboortedatum.year - before_birthday


def validate_line(line: InzetData, rules: PolicyRules) -> list[str]:
    """Dutch messages for everything that keeps this line from counting; empty when valid."""
    soort = rules.soort(line.soort)
    if soort is None:
        return [f"Onbekende soort inzet: {line.soort}"]
    fouten: list[str] = []
    if line.end < line.start:
        fouten.append("De einddatum ligt voor de startdatum")
    if line.project_end < line.project_start:
        fouten.append("De einddatum van het project ligt voor de startdatum")
    doelgroep = rules.doelgroep(line.doelgroep)
    if line.doelgroep is None:
        if soort.kandidaat_verplicht:
            fouten.append("Kies de doelgroep van de kandidaat")
    elif doelgroep is None:
        fouten.append(f"Onbekende doelgroep: {line.doelgroep}")
    elif soort.telt_termijn:
        fouten += _doelgroep_fouten(line, doelgroep)
    fouten += _veld_fouten(line, soort)
    if rules.methode is Waarderingsmethode.BOUWBLOKKEN:
        if rules.bouwblok_for(soort=line.soort, doelgroep=line.doelgroep) is None:
            fouten.append(f"Geen bouwblok voor {soort.label.lower()} met deze doelgroep")
        if line.uren_per_week is None and Veld.UREN_PER_WEEK not in soort.velden:
            fouten.append(f"Vul {soort.uren_label.lower()} in")
    fouten += [f"Onbekende bonus: {code}" for code in line.bonussen if rules.bonus(code) is None]
    return fouten


def value_line(*, line: InzetData, rules: PolicyRules, peildatum: date) -> Waardering:
    """The value of one line up to and including the peildatum (actueel: today; prognose: line.end)."""
    soort = rules.soort(line.soort)
    fouten = validate_line(line, rules)
    if soort is None or fouten:
        return Waardering(NIETS, None, None, tuple(fouten), soort is not None and soort.in_overleg_csr)
    # A private context keeps fractions of months exact to far below a cent, whatever the
    # caller's context is; the one rounding to cents happens at the very end.
    with localcontext() as context:
        context.prec = 40
        venster = _counting_window(line, soort, rules.doelgroep(line.doelgroep))
        van, tot, redenen = venster.van, venster.tot, venster.redenen
        if van <= tot and peildatum < van:
            redenen.append(
                f"Telt nog niet op de peildatum {format_datum(peildatum)}: de telling begint op {format_datum(van)}"
            )
        if van > tot or peildatum < van:
            return Waardering(NIETS, None, None, tuple(redenen), soort.in_overleg_csr)
        if peildatum < tot:
            tot = peildatum
            if soort.berekening is not Berekening.ALS_INGEVOERD:
                redenen.append(f"Geteld tot en met de peildatum {format_datum(peildatum)}")
        if rules.methode is Waarderingsmethode.BOUWBLOKKEN:
            waarde = _value_bouwblok(line, rules, van, tot, redenen)
        else:
            waarde = _value_kosten(line, soort, van, tot, redenen)
    return Waardering(waarde.quantize(CENT, ROUND_HALF_UP), van, tot, tuple(redenen), soort.in_overleg_csr)


@dataclass
class _Venster:
    van: date
    tot: date
    redenen: list[str]


def _counting_window(line: InzetData, soort: SoortInzet, doelgroep: Doelgroep | None) -> _Venster:
    """The part of the line that may count at all, before the peildatum is applied."""
    venster = _Venster(line.start, line.end, [])
    if soort.binnen_project:
        vroegste = add_months(line.project_start, -soort.maanden_voor_projectstart)
        if venster.van < vroegste:
            venster.van = vroegste
            venster.redenen.append(
                f"Telt maximaal {soort.maanden_voor_projectstart} maanden voor de projectstart "
                f"(vanaf {format_datum(vroegste)})"
                if soort.maanden_voor_projectstart
                else BINNEN_PROJECT
            )
        if venster.tot > line.project_end:
            venster.tot = line.project_end
            if BINNEN_PROJECT not in venster.redenen:
                venster.redenen.append(BINNEN_PROJECT)
    werkdag = line.eerste_werkdag or line.start
    kandidaat_telt = soort.telt_termijn and doelgroep is not None
    # Scholing and begeleiding may precede the work; everything else starts with it.
    if kandidaat_telt and not soort.maanden_voor_projectstart and venster.van < werkdag:
        venster.van = werkdag
        venster.redenen.append(f"Telt vanaf de eerste werkdag van de kandidaat ({format_datum(werkdag)})")
    if soort.max_maanden is not None:
        grens = add_months(line.start, soort.max_maanden) - timedelta(days=1)
        if venster.tot > grens:
            venster.tot = grens
            venster.redenen.append(f"{soort.label} telt maximaal {soort.max_maanden} maanden")
    if kandidaat_telt and doelgroep is not None and doelgroep.termijn_maanden is not None:
        grens = add_months(werkdag, doelgroep.termijn_maanden) - timedelta(days=1)
        if venster.tot > grens:
            venster.tot = grens
            venster.redenen.append(
                f"Telt maximaal {doelgroep.termijn_maanden} maanden vanaf de eerste werkdag ({doelgroep.kort})"
            )
    return venster


def _value_kosten(line: InzetData, soort: SoortInzet, van: date, tot: date, redenen: list[str]) -> Decimal:
    bedrag = line.bedrag if line.bedrag is not None else ZERO
    match soort.berekening:
        case Berekening.PER_MAAND:
            maximum = soort.maximum_for(line.niveau)
            if maximum is not None and bedrag > maximum:
                bedrag = maximum
                redenen.append(f"{soort.bedrag_label} begrensd op {format_euro(maximum)} per maand ({line.niveau})")
            return _sum_per_month(bedrag, Decimal(1), van, tot)
        case Berekening.BEGELEIDING:
            uren = line.uren_per_week if line.uren_per_week is not None else ZERO
            per_week = uren * (soort.uurtarief or ZERO)
            if soort.max_per_week is not None and per_week > soort.max_per_week:
                per_week = soort.max_per_week
                redenen.append(f"{soort.label} begrensd op {format_euro(soort.max_per_week)} per week")
            return per_week * _days(van, tot) / 7
        case Berekening.BEDRAG:
            dagen, dagen_regel = _days(van, tot), _days(line.start, line.end)
            waarde = bedrag * dagen / dagen_regel
            if dagen < dagen_regel:
                redenen.append(f"Telt naar rato: {dagen} van de {dagen_regel} dagen")
            return _cap_per_kandidaat(waarde, line, soort, redenen)
        case Berekening.ALS_INGEVOERD:
            redenen.append("Telt zoals ingevoerd, in overleg met het CSR")
            return bedrag


def _cap_per_kandidaat(waarde: Decimal, line: InzetData, soort: SoortInzet, redenen: list[str]) -> Decimal:
    """Apply a per-kandidaat maximum, shared with what the kandidaat's other lines counted."""
    if soort.max_per_kandidaat is None:
        return waarde
    ruimte = max(ZERO, soort.max_per_kandidaat - line.scholing_al_geteld)
    if waarde <= ruimte:
        return waarde
    reden = f"{soort.label} telt maximaal {format_euro(soort.max_per_kandidaat)} per kandidaat"
    if line.scholing_al_geteld > 0:
        reden += f"; op andere regels is al {format_euro(line.scholing_al_geteld)} geteld"
    redenen.append(reden)
    return ruimte


def _value_bouwblok(line: InzetData, rules: PolicyRules, van: date, tot: date, redenen: list[str]) -> Decimal:
    blok = rules.bouwblok_for(soort=line.soort, doelgroep=line.doelgroep)
    if blok is None:  # validate_line already refused this line
        return ZERO
    voltijd = rules.voltijd_uren
    uren = line.uren_per_week if line.uren_per_week is not None else voltijd
    redenen.append(f"Bouwblok {blok.label}: {format_euro(blok.jaarwaarde)} per jaar")
    if uren > voltijd:
        uren = voltijd
        redenen.append(f"Uren begrensd op {format_getal(voltijd)} per week")
    elif uren < voltijd:
        redenen.append(f"Naar rato van {format_getal(uren)} van {format_getal(voltijd)} uur per week")
    waarde = _sum_per_month(blok.jaarwaarde * uren, 12 * voltijd, van, tot)
    for code in line.bonussen:
        bonus = rules.bonus(code)
        if bonus is not None:
            waarde += bonus.bedrag
            redenen.append(f"Bonus {bonus.label}: {format_euro(bonus.bedrag)}")
    return waarde


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _sum_per_month(teller: Decimal, noemer: Decimal, start: date, end: date) -> Decimal:
    """Σ teller × days covered / (noemer × days in month), one term per calendar month.

    Multiplying before dividing keeps a value exact whenever it can be, so rounding half
    up to cents at the end never tips on an artefact of a repeating fraction.
    """
    totaal = ZERO
    dag = start
    while dag <= end:
        in_month = calendar.monthrange(dag.year, dag.month)[1]
        month_end = dag.replace(day=in_month)
        covered = _days(dag, min(end, month_end))
        totaal += teller * covered / (noemer * in_month)
        dag = month_end + timedelta(days=1)
    return totaal


def _doelgroep_fouten(line: InzetData, doelgroep: Doelgroep) -> list[str]:
    """Conditions a kandidaat must meet to belong to the doelgroep, on the first workday."""
    fouten: list[str] = []
    werkdag = line.eerste_werkdag or line.start
    if doelgroep.min_maanden_werkloos is not None:
        if line.werkloos_sinds is None:
            fouten.append("Vul in sinds wanneer de kandidaat werkloos-werkzoekend is")
        elif add_months(line.werkloos_sinds, doelgroep.min_maanden_werkloos) > werkdag:
            fouten.append(
                f"De kandidaat telt pas mee na minimaal {doelgroep.min_maanden_werkloos} maanden "
                f"werkloos-werkzoekend: werkloos sinds {format_datum(line.werkloos_sinds)}, "
                f"eerste werkdag {format_datum(werkdag)}"
            )
    if doelgroep.min_leeftijd is not None or doelgroep.max_leeftijd is not None:
        if line.geboortedatum is None:
            fouten.append("Vul de geboortedatum van de kandidaat in")
        else:
            leeftijd = leeftijd_op(line.geboortedatum, werkdag)
            te_jong = doelgroep.min_leeftijd is not None and leeftijd < doelgroep.min_leeftijd
            te_oud = doelgroep.max_leeftijd is not None and leeftijd >= doelgroep.max_leeftijd
            if te_jong or te_oud:
                fouten.append(
                    f"De kandidaat is {leeftijd} jaar op de eerste werkdag; "
                    f"{doelgroep.kort} telt {_leeftijd_tekst(doelgroep)}"
                )
    return fouten


def _leeftijd_tekst(doelgroep: Doelgroep) -> str:
    if doelgroep.max_leeftijd is None:
        return f"vanaf {doelgroep.min_leeftijd} jaar"
    if doelgroep.min_leeftijd is None:
        return f"tot {doelgroep.max_leeftijd} jaar"
    return f"van {doelgroep.min_leeftijd} tot {doelgroep.max_leeftijd} jaar"


def _veld_fouten(line: InzetData, soort: SoortInzet) -> list[str]:
    fouten: list[str] = []
    if Veld.BEDRAG in soort.velden:
        if line.bedrag is None:
            fouten.append(f"Vul {soort.bedrag_veldlabel.lower()} in")
        elif line.bedrag < 0:
            fouten.append(f"{soort.bedrag_veldlabel} mag niet negatief zijn")
    if Veld.UREN_PER_WEEK in soort.velden:
        if line.uren_per_week is None:
            fouten.append(f"Vul {soort.uren_label.lower()} in")
        elif line.uren_per_week <= 0:
            fouten.append(f"{soort.uren_label} moet meer dan 0 zijn")
        elif soort.min_uren_per_week is not None and line.uren_per_week < soort.min_uren_per_week:
            fouten.append(
                f"{soort.label} telt alleen bij minstens {format_getal(soort.min_uren_per_week)} uur per week"
            )
    if Veld.NIVEAU in soort.velden and soort.maximum_for(line.niveau) is None:
        niveaus = [m.niveau.value for m in soort.maxima_per_niveau]
        fouten.append(f"Kies het niveau ({', '.join(niveaus)})")
    if Veld.OMSCHRIJVING in soort.velden and not line.omschrijving.strip():
        fouten.append("Beschrijf de inzet")
    return fouten

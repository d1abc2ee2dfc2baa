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
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

CENT = Decimal("0.01")
ZERO = Decimal(0)
NOTHING = Decimal("0.00")  # what a line that counts nothing is worth, in cents like the rest
WITHIN_PROJECT = "Alleen de periode binnen de projectduur telt"


class ValuationMethod(StrEnum):
    KOSTEN = "kosten"  # what the opdrachtnemer really spends (the northern regions)
    BOUWBLOKKEN = "bouwblokken"  # a fixed yearly value per placement (other regions)


class Calculation(StrEnum):
    """How the cost method turns a line's inputs into money."""

    PER_MONTH = "per_maand"  # amount per month × months counted
    HOURS_PER_WEEK = "begeleiding"  # min(hours × hourly rate, max per week) × weeks counted
    AMOUNT = "bedrag"  # one amount, pro rata for the days that count
    AS_ENTERED = "als_ingevoerd"  # the amount as entered, judged by the coördinatiepunt


class Termijn(StrEnum):
    """How long a kandidaat of a doelgroep counts, from the first workday on the project."""

    ALWAYS = "altijd"
    MONTHS = "maanden"
    OPLEIDING = "opleiding"  # the BBL line itself is the opleiding
    STAGE = "stage"  # the stage period, with a maximum in months


class Niveau(StrEnum):
    VMBO = "vmbo"
    MBO = "mbo"
    HBO = "hbo"
    WO = "wo"


class Input(StrEnum):
    """Inputs of an Inzet the engine reads; each soort lists the ones its form asks for."""

    AMOUNT = "bedrag"
    HOURS_PER_WEEK = "uren_per_week"
    NIVEAU = "niveau"
    DESCRIPTION = "omschrijving"


@dataclass(frozen=True)
class Doelgroep:
    code: str
    order: int
    label: str
    short_label: str  # short name used inside reasons, e.g. "werkloos-werkzoekend"
    termijn: Termijn
    termijn_months: int | None = None
    min_months_unemployed: int | None = None
    min_age: int | None = None
    max_age: int | None = None  # exclusive: "18 tot 27 jaar"

    @property
    def termijn_text(self) -> str:
        """The counting period in Dutch, for the Beleid page."""
        if self.termijn is Termijn.OPLEIDING:
            return "Voor de duur van de opleiding"
        if self.termijn_months is None:
            return "Altijd"
        if self.termijn is Termijn.STAGE:
            return f"Gedurende de stagetermijn, maximaal {self.termijn_months} maanden"
        return f"Maximaal {self.termijn_months} maanden vanaf de eerste werkdag"


@dataclass(frozen=True)
class NiveauCap:
    niveau: Niveau
    amount: Decimal


@dataclass(frozen=True)
class SoortInzet:
    code: str
    order: int
    label: str
    specification: str  # Menukaart: what the opdrachtnemer offers
    valuation_text: str  # how the engine values it, in Dutch
    calculation: Calculation
    inputs: tuple[Input, ...]
    period: str  # Menukaart: the period that counts
    value_hint: str = ""
    amount_label: str = "Bedrag"
    hours_label: str = "Uren per week"
    kandidaat_required: bool = True
    counts_termijn: bool = True  # the doelgroep's termijn limits this soort
    # Work at the company: the kandidaat's first workday (from which a termijn runs) is the
    # earliest start of such a line. Scholing and begeleiding are not work (art. 06 and 18).
    is_work: bool = True
    within_project: bool = True
    months_before_project_start: int = 0
    max_months: int | None = None
    niveau_caps: tuple[NiveauCap, ...] = ()
    hourly_rate: Decimal | None = None
    max_per_week: Decimal | None = None
    min_hours_per_week: Decimal | None = None
    max_per_kandidaat: Decimal | None = None
    in_overleg_coordinatiepunt: bool = False

    @property
    def short_label(self) -> str:
        """The label without its explanation in brackets, for inside a sentence: "baan", "BBL"."""
        name = self.label.split(" (")[0]
        return name if name[1:2].isupper() else name[:1].lower() + name[1:]

    @property
    def amount_field_label(self) -> str:
        """Label of the amount field, with its unit: the unit is fixed by the soort."""
        if self.calculation is Calculation.PER_MONTH:
            return f"{self.amount_label} per maand"
        return self.amount_label

    @property
    def limits(self) -> tuple[str, ...]:
        """Every cap and limit of this soort in Dutch, for the Menukaart on the Beleid page."""
        limits = [f"Max. {format_euro(m.amount)} per maand ({m.niveau})" for m in self.niveau_caps]
        if self.max_months is not None:
            limits.append(f"Telt maximaal {self.max_months} maanden")
        if self.hourly_rate is not None:
            limits.append(f"{format_euro(self.hourly_rate)} per uur")
        if self.max_per_week is not None:
            limits.append(f"Max. {format_euro(self.max_per_week)} per week")
        if self.min_hours_per_week is not None:
            limits.append(f"Minimaal {format_number(self.min_hours_per_week)} uur per week")
        if self.max_per_kandidaat is not None:
            limits.append(f"Max. {format_euro(self.max_per_kandidaat)} per kandidaat")
        if self.months_before_project_start:
            limits.append(f"Mag tot {self.months_before_project_start} maanden voor de projectstart liggen")
        if self.in_overleg_coordinatiepunt:
            limits.append("In overleg met het coördinatiepunt")
        if self.kandidaat_required and not self.is_work:
            limits.append("Telt niet als werk: de eerste werkdag komt van een andere regel")
        return tuple(limits)

    def cap_for(self, niveau: str | None) -> Decimal | None:
        """The monthly cap for a stage level, or None when this soort has none."""
        return next((m.amount for m in self.niveau_caps if m.niveau == niveau), None)


@dataclass(frozen=True)
class Bouwblok:
    """A fixed yearly value for the lines matching its soorten and doelgroepen (empty = any)."""

    code: str
    label: str
    yearly_value: Decimal
    soorten: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bonus:
    code: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class PolicyRules:
    """One version of a region's rules: everything the engine and the Beleid page need."""

    title: str
    method: ValuationMethod
    soorten: tuple[SoortInzet, ...]
    doelgroepen: tuple[Doelgroep, ...]
    bouwblokken: tuple[Bouwblok, ...] = ()
    bonuses: tuple[Bonus, ...] = ()
    fulltime_hours: Decimal = Decimal(36)

    @property
    def menukaart(self) -> tuple[SoortInzet, ...]:
        return tuple(sorted(self.soorten, key=lambda s: s.order))

    @property
    def menukaart_shown(self) -> tuple[SoortInzet, ...]:
        """The Menukaart as the Beleid page shows it. With bouwblokken a line is worth its bouwblok: the amounts
        only the cost method uses (caps per month and niveau, rates per hour or week, a maximum per kandidaat,
        the hint for the amount) would mislead, so they are left out; periods and minimum hours still count."""
        if self.method is not ValuationMethod.BOUWBLOKKEN:
            return self.menukaart
        return tuple(
            replace(s, niveau_caps=(), hourly_rate=None, max_per_week=None, max_per_kandidaat=None, value_hint="")
            for s in self.menukaart
        )

    def soort(self, code: str) -> SoortInzet | None:
        return next((s for s in self.soorten if s.code == code), None)

    def doelgroep(self, code: str | None) -> Doelgroep | None:
        return next((d for d in self.doelgroepen if d.code == code), None)

    def bonus(self, code: str) -> Bonus | None:
        return next((b for b in self.bonuses if b.code == code), None)

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
    amount: Decimal | None = None  # in the unit of the soort: per maand or in total
    hours_per_week: Decimal | None = None
    niveau: str | None = None
    description: str = ""
    first_workday: date | None = None  # of the kandidaat on this project; None: line start
    first_workday_soort: str | None = None  # the soort of the line that starts it; None: this line's
    scholing_already_counted: Decimal = ZERO  # counted for this kandidaat on other lines
    birth_date: date | None = None
    unemployed_since: date | None = None
    bonuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Valuation:
    """The value that counts up to the peildatum, the period it covers and why it is capped."""

    value: Decimal
    counts_from: date | None
    counts_until: date | None
    reasons: tuple[str, ...]
    in_overleg_coordinatiepunt: bool = False


@dataclass(frozen=True)
class LineValues:
    """A line's value over time, as the engine gives it: at the line's end (prognose), today (actueel), and at
    every quarter end inside the period that counts. Before that period a line is worth nothing, from its last
    day on its prognose; so these give its value up to any quarter end (the dashboard's trend, issue 28)."""

    prognose: Valuation
    actueel: Valuation
    at_quarter_ends: tuple[tuple[date, Decimal], ...]


def value_line_over_time(*, line: InzetData, rules: PolicyRules, today: date) -> LineValues:
    """`value_line` at the line's end, today and at each quarter end from the first day that counts up to
    (not including) the last."""
    prognose = value_line(line=line, rules=rules, peildatum=line.end)
    actueel = value_line(line=line, rules=rules, peildatum=today)
    at_quarter_ends: tuple[tuple[date, Decimal], ...] = ()
    if prognose.counts_from is not None and prognose.counts_until is not None:
        at_quarter_ends = tuple(
            (day, value_line(line=line, rules=rules, peildatum=day).value)
            for day in quarter_ends_between(prognose.counts_from, prognose.counts_until)
        )
    return LineValues(prognose, actueel, at_quarter_ends)


def quarter_end(day: date) -> date:
    """The last day of the quarter `day` is in."""
    month = 3 * ((day.month - 1) // 3) + 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def quarter_ends_between(start: date, end: date) -> list[date]:
    """The quarter ends from `start` up to, not including, `end`."""
    ends = []
    day = quarter_end(start)
    while day < end:
        ends.append(day)
        day = quarter_end(day + timedelta(days=1))
    return ends


def naar_rato(amount: Decimal, *, start: date, end: date, day: date) -> Decimal:
    """`amount` times the part of the period start–end (inclusive) that has passed on `day` (inclusive): all of it
    from the last day, nothing before the first. Not rounded: sums of it are rounded to cents once."""
    if day >= end:
        return amount
    if day < start:
        return ZERO
    with localcontext() as context:
        context.prec = 40
        return amount * _days(start, day) / _days(start, end)


def format_euro(amount: Decimal) -> str:
    """Dutch money notation: `€ 1.234,56`."""
    rounded = amount.quantize(CENT, ROUND_HALF_UP)
    whole, cents = f"{abs(rounded):.2f}".split(".")
    sign = "-" if rounded < 0 else ""
    return f"€ {sign}{int(whole):,}".replace(",", ".") + f",{cents}"


def format_number(number: Decimal) -> str:
    """A number without trailing zeros and with a decimal comma: 24, 7,5."""
    return f"{number.normalize():f}".replace(".", ",")


def format_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def count_months(start: date, end: date) -> Decimal:
    """Calendar months from start to end inclusive; a partial month is a fraction of its days."""
    return _sum_per_month(Decimal(1), Decimal(1), start, end)


def count_weeks(start: date, end: date) -> Decimal:
    """Days from start to end inclusive, divided by 7."""
    return Decimal(_days(start, end)) / 7


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on a day."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


# Far beyond any project, yet months and termijnen added to these dates stay valid dates
# (a typo such as 0202 for 2022 would otherwise overflow the month arithmetic).
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


def _date_errors(line: InzetData) -> list[str]:
    named = [
        ("startdatum", line.start),
        ("einddatum", line.end),
        ("startdatum van het project", line.project_start),
        ("einddatum van het project", line.project_end),
        ("eerste werkdag", line.first_workday),
        ("geboortedatum", line.birth_date),
        ("datum werkloos-werkzoekend", line.unemployed_since),
    ]
    return [
        f"Controleer het jaartal van de {name}: {format_date(day)}"
        for name, day in named
        if day is not None and not EARLIEST <= day <= LATEST
    ]


def validate_line(line: InzetData, rules: PolicyRules) -> list[str]:
    """Dutch messages for everything that keeps this line from counting; empty when valid."""
    soort = rules.soort(line.soort)
    if soort is None:
        return [f"Onbekende soort inzet: {line.soort}"]
    if date_errors := _date_errors(line):
        return date_errors
    errors: list[str] = []
    if line.end < line.start:
        errors.append("De einddatum ligt voor de startdatum")
    if line.project_end < line.project_start:
        errors.append("De einddatum van het project ligt voor de startdatum")
    doelgroep = rules.doelgroep(line.doelgroep)
    if line.doelgroep is None:
        if soort.kandidaat_required:
            errors.append("Kies de doelgroep van de kandidaat")
    elif doelgroep is None:
        errors.append(f"Onbekende doelgroep: {line.doelgroep}")
    elif soort.counts_termijn:
        errors += _doelgroep_errors(line, doelgroep)
    errors += _input_errors(line, soort)
    if rules.method is ValuationMethod.BOUWBLOKKEN:
        if rules.bouwblok_for(soort=line.soort, doelgroep=line.doelgroep) is None:
            errors.append(f"Geen bouwblok voor {soort.label.lower()} met deze doelgroep")
        if line.hours_per_week is None and Input.HOURS_PER_WEEK not in soort.inputs:
            errors.append(f"Vul {soort.hours_label.lower()} in")
    errors += [f"Onbekende bonus: {code}" for code in line.bonuses if rules.bonus(code) is None]
    return errors


def value_line(*, line: InzetData, rules: PolicyRules, peildatum: date) -> Valuation:
    """The value of one line up to and including the peildatum (actueel: today; prognose: line.end)."""
    soort = rules.soort(line.soort)
    errors = validate_line(line, rules)
    if soort is None or errors:
        return Valuation(NOTHING, None, None, tuple(errors), soort is not None and soort.in_overleg_coordinatiepunt)
    # A private context keeps fractions of months exact to far below a cent, whatever the
    # caller's context is; the one rounding to cents happens at the very end.
    with localcontext() as context:
        context.prec = 40
        workday_soort = rules.soort(line.first_workday_soort) if line.first_workday_soort else None
        window = _counting_window(line, soort, rules.doelgroep(line.doelgroep), workday_soort)
        counts_from, counts_until, reasons = window.start, window.end, window.reasons
        if counts_from <= counts_until and peildatum < counts_from:
            reasons.append(
                f"Telt nog niet op de peildatum {format_date(peildatum)}: "
                f"de telling begint op {format_date(counts_from)}"
            )
        if counts_from > counts_until or peildatum < counts_from:
            return Valuation(NOTHING, None, None, tuple(reasons), soort.in_overleg_coordinatiepunt)
        if peildatum < counts_until:
            counts_until = peildatum
            if soort.calculation is not Calculation.AS_ENTERED:
                reasons.append(f"Geteld tot en met de peildatum {format_date(peildatum)}")
        if rules.method is ValuationMethod.BOUWBLOKKEN:
            value = _value_by_bouwblok(line, rules, counts_from, counts_until, reasons)
        else:
            value = _value_by_cost(line, soort, counts_from, counts_until, reasons)
    return Valuation(
        value.quantize(CENT, ROUND_HALF_UP), counts_from, counts_until, tuple(reasons), soort.in_overleg_coordinatiepunt
    )


@dataclass
class _Window:
    start: date
    end: date
    reasons: list[str]


def _counting_window(
    line: InzetData, soort: SoortInzet, doelgroep: Doelgroep | None, workday_soort: SoortInzet | None
) -> _Window:
    """The part of the line that may count at all, before the peildatum is applied."""
    window = _Window(line.start, line.end, [])
    if soort.within_project:
        earliest = add_months(line.project_start, -soort.months_before_project_start)
        if window.start < earliest:
            window.start = earliest
            window.reasons.append(
                f"Telt maximaal {soort.months_before_project_start} maanden voor de projectstart "
                f"(vanaf {format_date(earliest)})"
                if soort.months_before_project_start
                else WITHIN_PROJECT
            )
        if window.end > line.project_end:
            window.end = line.project_end
            if WITHIN_PROJECT not in window.reasons:
                window.reasons.append(WITHIN_PROJECT)
    workday = line.first_workday or line.start
    kandidaat_counts = soort.counts_termijn and doelgroep is not None
    # Scholing and begeleiding may precede the work; everything else starts with it.
    if kandidaat_counts and not soort.months_before_project_start and window.start < workday:
        window.start = workday
        window.reasons.append(f"Telt vanaf de eerste werkdag van de kandidaat ({format_date(workday)})")
    if soort.max_months is not None:
        limit = add_months(line.start, soort.max_months) - timedelta(days=1)
        if window.end > limit:
            window.end = limit
            window.reasons.append(f"{soort.label} telt maximaal {soort.max_months} maanden")
    if kandidaat_counts and doelgroep is not None and doelgroep.termijn_months is not None:
        limit = add_months(workday, doelgroep.termijn_months) - timedelta(days=1)
        if window.end > limit:
            window.end = limit
            window.reasons.append(termijn_reason(doelgroep, workday, workday_soort or soort))
    return window


def termijn_reason(doelgroep: Doelgroep, workday: date, workday_soort: SoortInzet) -> str:
    """Why a line stops counting: from which day the doelgroep's termijn runs, and which line starts it."""
    return (
        f"Telt maximaal {doelgroep.termijn_months} maanden vanaf de eerste werkdag {format_date(workday)} "
        f"({workday_soort.short_label}): de termijn voor {doelgroep.short_label}"
    )


def _value_by_cost(line: InzetData, soort: SoortInzet, start: date, end: date, reasons: list[str]) -> Decimal:
    amount = line.amount if line.amount is not None else ZERO
    match soort.calculation:
        case Calculation.PER_MONTH:
            cap = soort.cap_for(line.niveau)
            if cap is not None and amount > cap:
                amount = cap
                reasons.append(f"{soort.amount_label} begrensd op {format_euro(cap)} per maand ({line.niveau})")
            return _sum_per_month(amount, Decimal(1), start, end)
        case Calculation.HOURS_PER_WEEK:
            hours = line.hours_per_week if line.hours_per_week is not None else ZERO
            per_week = hours * (soort.hourly_rate or ZERO)
            if soort.max_per_week is not None and per_week > soort.max_per_week:
                per_week = soort.max_per_week
                reasons.append(f"{soort.label} begrensd op {format_euro(soort.max_per_week)} per week")
            return per_week * _days(start, end) / 7
        case Calculation.AMOUNT:
            days, line_days = _days(start, end), _days(line.start, line.end)
            value = amount * days / line_days
            if days < line_days:
                reasons.append(f"Telt naar rato: {days} van de {line_days} dagen")
            return _cap_per_kandidaat(value, line, soort, reasons)
        case Calculation.AS_ENTERED:
            reasons.append("Telt zoals ingevoerd, in overleg met het coördinatiepunt")
            return amount


def _cap_per_kandidaat(value: Decimal, line: InzetData, soort: SoortInzet, reasons: list[str]) -> Decimal:
    """Apply a per-kandidaat maximum, shared with what the kandidaat's other lines counted."""
    if soort.max_per_kandidaat is None:
        return value
    remaining = max(ZERO, soort.max_per_kandidaat - line.scholing_already_counted)
    if value <= remaining:
        return value
    reason = f"{soort.label} telt maximaal {format_euro(soort.max_per_kandidaat)} per kandidaat"
    if line.scholing_already_counted > 0:
        reason += f"; op andere regels is al {format_euro(line.scholing_already_counted)} geteld"
    reasons.append(reason)
    return remaining


def _value_by_bouwblok(line: InzetData, rules: PolicyRules, start: date, end: date, reasons: list[str]) -> Decimal:
    bouwblok = rules.bouwblok_for(soort=line.soort, doelgroep=line.doelgroep)
    if bouwblok is None:  # validate_line already refused this line
        return ZERO
    fulltime = rules.fulltime_hours
    hours = line.hours_per_week if line.hours_per_week is not None else fulltime
    reasons.append(f"Bouwblok {bouwblok.label}: {format_euro(bouwblok.yearly_value)} per jaar")
    if hours > fulltime:
        hours = fulltime
        reasons.append(f"Uren begrensd op {format_number(fulltime)} per week")
    elif hours < fulltime:
        reasons.append(f"Naar rato van {format_number(hours)} van {format_number(fulltime)} uur per week")
    value = _sum_per_month(bouwblok.yearly_value * hours, 12 * fulltime, start, end)
    for code in line.bonuses:
        bonus = rules.bonus(code)
        if bonus is not None:
            value += bonus.amount
            reasons.append(f"Bonus {bonus.label}: {format_euro(bonus.amount)}")
    return value


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _sum_per_month(numerator: Decimal, denominator: Decimal, start: date, end: date) -> Decimal:
    """Σ numerator × days covered / (denominator × days in month), one term per calendar month.

    Multiplying before dividing keeps a value exact whenever it can be, so rounding half
    up to cents at the end never tips on an artefact of a repeating fraction.
    """
    total = ZERO
    day = start
    while day <= end:
        in_month = calendar.monthrange(day.year, day.month)[1]
        month_end = day.replace(day=in_month)
        covered = _days(day, min(end, month_end))
        total += numerator * covered / (denominator * in_month)
        day = month_end + timedelta(days=1)
    return total


def _doelgroep_errors(line: InzetData, doelgroep: Doelgroep) -> list[str]:
    """Conditions a kandidaat must meet to belong to the doelgroep, on the first workday."""
    errors: list[str] = []
    workday = line.first_workday or line.start
    if doelgroep.min_months_unemployed is not None:
        if line.unemployed_since is None:
            errors.append("Vul in sinds wanneer de kandidaat werkloos-werkzoekend is")
        elif add_months(line.unemployed_since, doelgroep.min_months_unemployed) > workday:
            errors.append(
                f"De kandidaat telt pas mee na minimaal {doelgroep.min_months_unemployed} maanden "
                f"werkloos-werkzoekend: werkloos sinds {format_date(line.unemployed_since)}, "
                f"eerste werkdag {format_date(workday)}"
            )
    if doelgroep.min_age is not None or doelgroep.max_age is not None:
        if line.birth_date is None:
            errors.append("Vul de geboortedatum van de kandidaat in")
        else:
            age = age_on(line.birth_date, workday)
            too_young = doelgroep.min_age is not None and age < doelgroep.min_age
            too_old = doelgroep.max_age is not None and age >= doelgroep.max_age
            if too_young or too_old:
                errors.append(
                    f"De kandidaat is {age} jaar op de eerste werkdag; "
                    f"{doelgroep.short_label} telt {_age_text(doelgroep)}"
                )
    return errors


def _age_text(doelgroep: Doelgroep) -> str:
    if doelgroep.max_age is None:
        return f"vanaf {doelgroep.min_age} jaar"
    if doelgroep.min_age is None:
        return f"tot {doelgroep.max_age} jaar"
    return f"van {doelgroep.min_age} tot {doelgroep.max_age} jaar"


def _input_errors(line: InzetData, soort: SoortInzet) -> list[str]:
    errors: list[str] = []
    if Input.AMOUNT in soort.inputs:
        if line.amount is None:
            errors.append(f"Vul {soort.amount_field_label.lower()} in")
        elif line.amount < 0:
            errors.append(f"{soort.amount_field_label} mag niet negatief zijn")
    if Input.HOURS_PER_WEEK in soort.inputs:
        if line.hours_per_week is None:
            errors.append(f"Vul {soort.hours_label.lower()} in")
        elif line.hours_per_week <= 0:
            errors.append(f"{soort.hours_label} moet meer dan 0 zijn")
        elif soort.min_hours_per_week is not None and line.hours_per_week < soort.min_hours_per_week:
            errors.append(
                f"{soort.label} telt alleen bij minstens {format_number(soort.min_hours_per_week)} uur per week"
            )
    if Input.NIVEAU in soort.inputs and soort.cap_for(line.niveau) is None:
        niveaus = [m.niveau.value for m in soort.niveau_caps]
        errors.append(f"Kies het niveau ({', '.join(niveaus)})")
    if Input.DESCRIPTION in soort.inputs and not line.description.strip():
        errors.append("Beschrijf de inzet")
    return errors

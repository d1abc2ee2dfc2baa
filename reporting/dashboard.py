"""The dashboard of the home and Rapportage pages: the numbers, per role (SPEC §7, issue 6).

Modelled on the WSP dashboards (seeds/002): a target, the realisation, the percentage and a
trend. Everything starts from the same `for_user` querysets as the pages, and the whole
dashboard costs a fixed number of aggregate queries, however many projects the user sees.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString

from accounts.models import OrganisationKind, User
from core.text import counted, format_count
from policy import valuation as v
from policy.models import PolicyDoelgroep, regions_visible_to
from projects.models import ZERO, Inzet, InzetStatus, Kandidaat, Project

from . import charts

TOP_GROUPS = 10
TREND_QUARTERS = 5  # completed quarters before today; with today that makes six points
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)


VERPLICHTING = Coalesce(F("verplichting_vastgesteld"), F("verplichting"), output_field=MONEY)


def _value_up_to(quarter_end: date) -> Case:
    """A line's value up to a quarter end, as the engine gave it when the line was valued
    (`Inzet.value_at_quarter_ends`): nothing before the period that counts, all of it from its last day."""
    return Case(
        When(Q(counts_from__isnull=True) | Q(counts_from__gt=quarter_end), then=Value(ZERO)),
        When(counts_until__lte=quarter_end, then=F("value_prognose")),
        default=Cast(KeyTextTransform(quarter_end.isoformat(), "value_at_quarter_ends"), MONEY),
        output_field=MONEY,
    )


def quarter_ends(today: date, count: int = TREND_QUARTERS) -> list[date]:
    """The last `count` quarter ends before today, oldest first (the engine's quarters: `valuation.quarter_end`)."""
    day, ends = v.quarter_end(today), []
    for _ in range(count):
        day = v.quarter_end(day - timedelta(days=92))  # a quarter is at most 92 days: the one before
        ends.append(day)
    return ends[::-1]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def whole_percentage(amount: Decimal, of: Decimal) -> int | None:
    """`amount` as a whole percentage of `of`; None when there is nothing to compare with."""
    if not of:
        return None
    return int((amount * 100 / of).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percentage_text(percentage: int | None) -> str:
    return "–" if percentage is None else f"{percentage} %"


def format_euro_whole(amount: Decimal) -> str:
    """An estimate in whole euros: € 12.346."""
    return "€ " + format_count(int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


@dataclass(frozen=True)
class Realisatie:
    """Realisation against obligation of a set of projects (all, or one opdrachtgever's/opdrachtnemer's)."""

    name: str
    projects: int
    verplichting: Decimal
    naar_rato: Decimal
    actueel: Decimal
    prognose: Decimal

    @property
    def actueel_percentage(self) -> int | None:
        return whole_percentage(self.actueel, self.verplichting)

    @property
    def prognose_percentage(self) -> int | None:
        return whole_percentage(self.prognose, self.verplichting)

    @property
    def schema_percentage(self) -> int | None:
        """SR actueel against the verplichting pro rata of the time passed (the WSP's ↑ 112 %)."""
        return whole_percentage(self.actueel, self.naar_rato)

    @property
    def on_schedule(self) -> bool | None:
        return None if self.schema_percentage is None else self.schema_percentage >= 100

    @property
    def actueel_text(self) -> str:
        return percentage_text(self.actueel_percentage)

    @property
    def prognose_text(self) -> str:
        return percentage_text(self.prognose_percentage)


@dataclass(frozen=True)
class Tally:
    """A labelled count: lines in one state, kandidaten of one doelgroep."""

    code: str
    label: str
    count: int

    @property
    def count_text(self) -> str:
        return format_count(self.count)


@dataclass(frozen=True)
class TrendPoint:
    label: str
    day: date
    actueel: Decimal  # the lines' value up to that day

    @property
    def amount_text(self) -> str:
        return format_euro_whole(self.actueel)


LINE_STATES = [
    (InzetStatus.INGEVOERD, "Ingevoerd, te valideren"),
    (InzetStatus.TERUGGESTUURD, "Teruggestuurd, te corrigeren"),
    (InzetStatus.GEVALIDEERD, "Gevalideerd"),
]


@dataclass(frozen=True)
class Dashboard:
    peildatum: date
    group_label: str  # what the projects are grouped by: "Opdrachtgever" or "Opdrachtnemer"
    total: Realisatie
    groups: list[Realisatie]  # the largest by verplichting, at most TOP_GROUPS
    group_count: int  # all groups, also those not shown
    lines: list[Tally]
    doelgroepen: list[Tally]
    trend: list[TrendPoint]

    @property
    def groups_hidden(self) -> int:
        return self.group_count - len(self.groups)

    @property
    def line_count(self) -> int:
        return sum(item.count for item in self.lines)

    @property
    def line_count_text(self) -> str:
        return format_count(self.line_count)

    @property
    def kandidaat_count(self) -> int:
        return sum(item.count for item in self.doelgroepen)

    @cached_property
    def realisatie_chart(self) -> SafeString:
        rows = [
            charts.TargetBar(
                label=group.name,
                target=group.verplichting,
                actueel=group.actueel,
                prognose=group.prognose,
                note=f"{group.actueel_text} / {group.prognose_text}",
            )
            for group in self.groups
        ]
        return charts.target_bars(
            rows,
            chart_id="dashboard-realisatie",
            title=f"SR actueel en prognose per {self.group_label.lower()} ten opzichte van de verplichting",
            description=(
                "Per rij: donkergroen de SR actueel, lichtgroen de SR prognose, de streep de verplichting; "
                "rechts actueel en prognose als percentage van de verplichting. De tabel eronder geeft de bedragen."
            ),
        )

    @cached_property
    def lines_chart(self) -> SafeString:
        return charts.stacked_bar(
            [charts.Segment(item.label, item.count, item.count_text, item.code) for item in self.lines],
            chart_id="dashboard-regels",
            title="Verantwoordingsregels per status",
            description=f"{counted('regels', self.line_count)} op uw actieve projecten, verdeeld naar status.",
        )

    @cached_property
    def doelgroepen_chart(self) -> SafeString:
        return charts.bars(
            [charts.Bar(item.label, item.count, item.count_text) for item in self.doelgroepen],
            chart_id="dashboard-doelgroepen",
            title="Kandidaten per doelgroep",
            description=f"{counted('kandidaten', self.kandidaat_count)} met inzet op uw projecten, per doelgroep.",
        )

    @cached_property
    def trend_chart(self) -> SafeString:
        return charts.trend_line(
            [charts.Point(point.label, point.actueel, point.amount_text) for point in self.trend],
            chart_id="dashboard-trend",
            title="SR actueel per kwartaal",
            description=("Lijn van de SR actueel van uw actieve projecten aan het eind van elk kwartaal en vandaag."),
        )


def _group_field(user: User) -> tuple[str, str]:
    """What a role compares its projects by: an opdrachtgever its opdrachtnemers, everyone else opdrachtgevers."""
    if user.role == OrganisationKind.OPDRACHTGEVER:
        return "opdrachtnemer", "Opdrachtnemer"
    return "opdrachtgever", "Opdrachtgever"


# Named *_sum: an aggregate may not share its name with the field it sums.
REALISATIE_SUMS = {
    "projects_sum": Count("pk"),
    "verplichting_sum": Coalesce(Sum(VERPLICHTING), Value(ZERO), output_field=MONEY),
    "actueel_sum": Coalesce(Sum("sr_actueel"), Value(ZERO), output_field=MONEY),
    "prognose_sum": Coalesce(Sum("sr_prognose"), Value(ZERO), output_field=MONEY),
}


def _naar_rato(projects: QuerySet[Project], field: str, today: date) -> dict[int | None, Decimal]:
    """The verplichting naar rato of the project time passed up to today (the WSP's 'doelstelling t/m
    vandaag'), per group and in total (key None), summed from the engine's `naar_rato` per project."""
    sums: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    rows = projects.annotate(obligation=VERPLICHTING).values_list(field, "obligation", "start_date", "end_date")
    for group, obligation, start, end in rows.order_by():
        part = v.naar_rato(obligation, start=start, end=end, day=today)
        sums[group] += part
        sums[None] += part
    return sums


def _realisatie(name: str, sums: dict, naar_rato: Decimal) -> Realisatie:
    return Realisatie(
        name=name,
        projects=sums["projects_sum"],
        verplichting=sums["verplichting_sum"],
        naar_rato=_cents(naar_rato),
        actueel=sums["actueel_sum"],
        prognose=sums["prognose_sum"],
    )


def _sums_up_to(ends: list[date]) -> dict[str, Coalesce]:
    if any(v.quarter_end(day) != day for day in ends):
        raise ValueError(f"the lines keep their value at quarter ends only, not at {ends}")
    return {f"q{i}": Coalesce(Sum(_value_up_to(end)), Value(ZERO), output_field=MONEY) for i, end in enumerate(ends)}


def value_up_to(lines: QuerySet[Inzet], ends: list[date]) -> list[Decimal]:
    """The value of the lines up to each of the quarter ends, as the engine gave it: one query."""
    sums = lines.aggregate(**_sums_up_to(ends))
    return [sums[f"q{i}"] for i in range(len(ends))]


def _line_figures(lines: QuerySet[Inzet], today: date) -> tuple[list[Tally], dict[str, Decimal]]:
    """Lines per state and the trend sums per quarter end: one pass over the lines."""
    counts = {str(status): Count("pk", filter=Q(status=status)) for status, _ in LINE_STATES}
    figures = lines.aggregate(
        **counts,
        **_sums_up_to(quarter_ends(today)),
    )
    return [Tally(status, label, figures[status]) for status, label in LINE_STATES], figures


def _trend(sums: dict[str, Decimal], today: date, actueel_today: Decimal) -> list[TrendPoint]:
    ends = quarter_ends(today)
    points = [TrendPoint(f"Q{(end.month - 1) // 3 + 1} {end.year}", end, sums[f"q{i}"]) for i, end in enumerate(ends)]
    return [*points, TrendPoint("Vandaag", today, actueel_today)]


def _doelgroepen(user: User, today: date) -> list[Tally]:
    """Distinct kandidaten with inzet on the projects the user sees, per doelgroep, labelled by the policy in force."""
    # A semi-join on the kandidaten (not COUNT DISTINCT over every line): each counted once.
    with_inzet = Inzet.objects.for_user(user).filter(kandidaat__isnull=False).values("kandidaat_id")
    counts = Kandidaat.objects.filter(pk__in=with_inzet).values(code=F("doelgroep")).annotate(n=Count("pk")).order_by()
    # The newest version in force first: its label and place in the list win.
    in_force = PolicyDoelgroep.objects.filter(
        version__region__in=regions_visible_to(user), version__valid_from__lte=today
    ).order_by("-version__valid_from")
    policy: dict[str, tuple[int, str]] = {}
    for code, position, label in in_force.values_list("code", "order", "label"):
        policy.setdefault(code, (position, label))
    last = len(policy)
    items = [Tally(row["code"], policy.get(row["code"], (last, row["code"]))[1], row["n"]) for row in counts]
    return sorted(items, key=lambda item: (policy.get(item.code, (last, ""))[0], item.label))


def dashboard_for(user: User, today: date | None = None) -> Dashboard:
    """The dashboard of what `user` may see, kept for DASHBOARD_CACHE_SECONDS (aggregates over a
    whole region cost a few hundred ms; minutes-old figures are fine for an overview, while
    "Wat op u wacht" on the home page is always fresh)."""
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 0)
    if not seconds or today is not None:
        return _dashboard(user, today or timezone.localdate())
    key = f"dashboard:{user.pk}:{timezone.localdate().isoformat()}"
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = _dashboard(user, timezone.localdate())
        cache.set(key, dashboard, seconds)
    return dashboard


def _dashboard(user: User, today: date) -> Dashboard:
    """Active projects for money and lines, all visible ones for kandidaten."""
    projects = Project.objects.for_user(user).active()
    field, group_label = _group_field(user)
    naar_rato = _naar_rato(projects, field, today)
    total_sums = projects.aggregate(**REALISATIE_SUMS, groups=Count(field, distinct=True))
    total = _realisatie("Totaal", total_sums, naar_rato[None])
    groups = (
        projects.values(group=F(field), group_name=F(f"{field}__name"))
        .annotate(**REALISATIE_SUMS)
        .order_by("-verplichting_sum", "group_name", "group")[:TOP_GROUPS]
    )
    lines, trend_sums = _line_figures(Inzet.objects.filter(project__in=projects), today)
    return Dashboard(
        peildatum=today,
        group_label=group_label,
        total=total,
        groups=[_realisatie(row["group_name"], row, naar_rato[row["group"]]) for row in groups],
        group_count=total_sums["groups"],
        lines=lines,
        doelgroepen=_doelgroepen(user, today),
        trend=_trend(trend_sums, today, total.actueel),
    )

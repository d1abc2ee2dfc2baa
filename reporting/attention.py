"""The first screen of each role: what to do next, and where we are behind (issue 25).

The dashboard below it gives the totals; this section names the projects. Each role sees the
projects that ask something of it, most urgent first, with what to do on each:

- an opdrachtnemer its own obligation per project, by einddatum: what is still missing, and the
  lines it must correct;
- a WSP the lines waiting for validation and the projects nearing their end or waiting for approval;
- an opdrachtgever its projects at risk (prognose below the verplichting) and those to close;
- a coördinatiepunt where the region is behind: the largest shortfalls of the region.

Everything starts from `Project.objects.for_user`, and the section costs two queries (the rows
and their count) however many projects the user sees.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.safestring import SafeString

from accounts.models import OrganisationKind, User
from core.text import counted
from projects.models import ZERO, Inzet, InzetStatus, Project, ProjectQuerySet, ProjectStatus
from projects.selectors import count_lines

from . import charts
from .dashboard import MONEY, VERPLICHTING, format_euro_whole, percentage_text, whole_percentage

K = OrganisationKind
MAX_ROWS = 10
NEARING_END_DAYS = 60  # a WSP hears of a project this long before its einddatum

TEKORT = ExpressionWrapper(Greatest(VERPLICHTING - F("sr_prognose"), Value(ZERO)), MONEY)


@dataclass(frozen=True)
class Row:
    """One project that asks something of the user."""

    pk: int
    name: str
    end_date: date
    status: str
    verplichting: Decimal
    actueel: Decimal
    prognose: Decimal
    waiting: int  # lines ingevoerd, to validate
    returned: int  # lines teruggestuurd, to correct
    action: str  # what to do next, in a few words

    @property
    def tekort(self) -> Decimal:
        """What the prognose falls short of the verplichting ("nog te realiseren"); zero when on course."""
        return max(self.verplichting - self.prognose, ZERO)

    @property
    def prognose_text(self) -> str:
        return percentage_text(whole_percentage(self.prognose, self.verplichting))

    @property
    def actueel_text(self) -> str:
        return percentage_text(whole_percentage(self.actueel, self.verplichting))


@dataclass(frozen=True)
class Attention:
    heading: str
    intro: str
    empty: str  # said when no project asks anything
    rows: list[Row]
    total: int  # all projects that qualify, also those not shown

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def more_text(self) -> str:
        return counted("projecten", self.more)

    @property
    def chart(self) -> SafeString:
        return charts.target_bars(
            [
                charts.TargetBar(
                    label=row.name,
                    target=row.verplichting,
                    actueel=row.actueel,
                    prognose=row.prognose,
                    note=f"{row.actueel_text} / {row.prognose_text}",
                )
                for row in self.rows
            ],
            chart_id="attention-chart",
            title=f"{self.heading}: verplichting, actueel en prognose per project",
            description=(
                "Per project: donkergroen de SR actueel, lichtgroen de SR prognose, de streep de verplichting; "
                "rechts actueel en prognose als percentage van de verplichting. De tabel eronder geeft de "
                "bedragen en wat er te doen is."
            ),
        )


@dataclass(frozen=True)
class _Role:
    heading: str
    intro: str
    empty: str


ROLES = {
    K.OPDRACHTNEMER: _Role(
        "Uw verplichting per project",
        "Per project, de eerstvolgende einddatum eerst: wat u al heeft verantwoord, wat de prognose is en wat "
        "er nog ontbreekt.",
        "U heeft geen actieve projecten.",
    ),
    K.WSP: _Role(
        "Projecten die uw aandacht vragen",
        f"Projecten met regels om te valideren, die binnen {NEARING_END_DAYS} dagen aflopen of waarvan de "
        "einddatum voorbij is.",
        "Geen project vraagt op dit moment uw aandacht.",
    ),
    K.OPDRACHTGEVER: _Role(
        "Projecten met risico",
        "Projecten waarvan de SR prognose onder de verplichting ligt, het grootste tekort eerst, en goedgekeurde "
        "projecten om af te ronden.",
        "Al uw projecten liggen op koers: de prognose haalt overal de verplichting.",
    ),
    K.COORDINATIEPUNT: _Role(
        "Waar de regio achterloopt",
        "De projecten van uw regio waarvan de SR prognose onder de verplichting ligt, het grootste tekort eerst.",
        "Alle projecten van uw regio liggen op koers.",
    ),
}


def _selection(user: User, projects: ProjectQuerySet, today: date) -> ProjectQuerySet:
    """The projects that ask something of this role, most urgent first."""
    at_risk = Q(status=ProjectStatus.ACTIEF, sr_prognose__lt=VERPLICHTING)
    if user.role == K.OPDRACHTNEMER:
        return projects.filter(status=ProjectStatus.ACTIEF).order_by("end_date", "name", "pk")
    if user.role == K.WSP:
        soon = Q(end_date__lte=today + timedelta(days=NEARING_END_DAYS))
        waiting = Exists(Inzet.objects.filter(project=OuterRef("pk"), status=InzetStatus.INGEVOERD))
        return projects.filter(soon | waiting, status=ProjectStatus.ACTIEF).order_by("end_date", "pk")
    if user.role == K.OPDRACHTGEVER:
        # The projects to close first (the action is the opdrachtgever's own), then the largest shortfall.
        to_close = Case(
            When(status=ProjectStatus.GOEDGEKEURD, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return (
            projects.filter(at_risk | Q(status=ProjectStatus.GOEDGEKEURD))
            .alias(to_close=to_close)
            .order_by("to_close", "-tekort", "end_date", "pk")
        )
    return projects.filter(at_risk).order_by("-tekort", "end_date", "pk")


def _action(role: str, row: Row, today: date) -> str:
    days = (row.end_date - today).days
    if role == K.OPDRACHTNEMER:
        if row.returned:
            return f"Corrigeer {counted('regels_teruggestuurd_kort', row.returned)}"
        if row.end_date < today:
            return "Einddatum voorbij: de verantwoording wacht op het WSP"
        if row.tekort:
            return f"Nog {format_euro_whole(row.tekort)} te verantwoorden vóór {row.end_date:%d-%m-%Y}"
        return "Op koers"
    if role == K.WSP:
        if row.waiting:
            return f"Valideer {counted('regels', row.waiting)}"
        if row.end_date < today:
            return "Einddatum voorbij: keur de verantwoording goed"
        return f"Loopt af over {counted('dagen', days)}"
    if row.status == ProjectStatus.GOEDGEKEURD:
        return "Verantwoording goedgekeurd: rond het project af"
    if row.end_date < today:
        return f"Tekort {format_euro_whole(row.tekort)}; einddatum voorbij"
    return f"Tekort {format_euro_whole(row.tekort)}; loopt nog {counted('dagen', days)}"


def attention_for(user: User, today: date | None = None) -> Attention | None:
    """The section for this user's role; None for a role without one (functioneel beheer)."""
    kind = OrganisationKind(user.role) if user.role is not None else None
    role = ROLES.get(kind) if kind is not None else None
    if kind is None or role is None:
        return None
    today = today or timezone.localdate()
    projects = Project.objects.for_user(user).active().annotate(verplichting_now=VERPLICHTING, tekort=TEKORT)
    selected = _selection(user, projects, today)
    shown = selected.annotate(
        # Counted for the rows shown only (a subquery each), never over every line of the selection.
        waiting=count_lines(InzetStatus.INGEVOERD),
        returned=count_lines(InzetStatus.TERUGGESTUURD),
    )
    rows = []
    for project in shown[:MAX_ROWS]:
        row = Row(
            pk=project.pk,
            name=project.name,
            end_date=project.end_date,
            status=project.status,
            verplichting=project.verplichting_now or ZERO,
            actueel=project.sr_actueel or ZERO,
            prognose=project.sr_prognose or ZERO,
            waiting=project.waiting,
            returned=project.returned,
            action="",
        )
        rows.append(replace(row, action=_action(kind, row, today)))
    # Counted always, not only when the list is full: the page takes the same queries for 3 or 3,000 projects.
    total = selected.count()
    return Attention(role.heading, role.intro, role.empty, rows, total)

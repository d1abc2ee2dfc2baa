"""Reading for a user: one object through `for_user` (404 when outside it, also when it doesn't
exist), and what waits for the user (`Taak`).

Views and exports of every app fetch a project (and what hangs under it) here, so an object the
user may not see answers the same way everywhere. The home page's figures of what waits and the
filters of the Projecten list behind them are the same `Taak`, so the figure and the list agree."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, OrganisationKind, User
from core.text import counted, sentence

from .models import Document, Inzet, InzetStatus, Kandidaat, Project, ProjectQuerySet, ProjectStatus

K = OrganisationKind


def get_project_for(user: User, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.for_user(user).select_related("opdrachtgever", "opdrachtnemer", "region", "accountmanager"),
        pk=pk,
    )


def get_inzet_for(user: User, project: Project, pk: int) -> Inzet:
    return get_object_or_404(
        Inzet.objects.for_user(user).select_related("project__region", "kandidaat", "policy_version"),
        project=project,
        pk=pk,
    )


def get_document_for(user: User, project: Project, pk: int) -> Document:
    return get_object_or_404(Document.objects.for_user(user), project=project, pk=pk)


def get_kandidaat_for(user: User, pk: int) -> Kandidaat:
    return get_object_or_404(Kandidaat.objects.for_user(user), pk=pk)


# --- What waits for a role ---------------------------------------------------------------------------


def _lines(status: str) -> Exists:
    return Exists(Inzet.objects.filter(project=OuterRef("pk"), status=status))


def count_lines(status: str) -> Coalesce:
    """How many of the project's lines are in `status`, as an annotation.

    A correlated subquery rather than a join with GROUP BY: the database counts for the rows
    shown only (a page of 25, a first screen of 10), and a COUNT(*) of the list leaves it out."""
    lines = Inzet.objects.filter(project=OuterRef("pk"), status=status).order_by().values("project")
    return Coalesce(Subquery(lines.annotate(n=Count("pk")).values("n")), 0)


def _to_approve(user: User, today: date) -> Q:
    """Past the einddatum and still actief: the WSP approves its own projects, the coördinatiepunt any."""
    condition = Q(status=ProjectStatus.ACTIEF, end_date__lt=today)
    return condition & Q(accountmanager=user) if user.role == K.WSP else condition


@dataclass(frozen=True)
class Taak:
    """Work that waits for some roles, as a filter of the active projects (`?taak=` on the Projecten list).

    `lines` names the status of the lines the figure counts (besides the projects), or is empty."""

    slug: str
    title: str  # what the filtered list shows: "Projecten met regels te valideren"
    phrase: str  # the figure's counted phrase (core.text): of the lines when `lines`, else of the projects
    roles: tuple[str, ...]
    condition: Callable[[User, date], Q]
    lines: str = ""


TAKEN = {
    taak.slug: taak
    for taak in (
        Taak(
            "valideren",
            "Projecten met regels te valideren",
            "regels_te_valideren",
            (K.WSP, K.COORDINATIEPUNT),
            lambda user, today: Q(_lines(InzetStatus.INGEVOERD), status=ProjectStatus.ACTIEF),
            lines=InzetStatus.INGEVOERD,
        ),
        Taak(
            "goedkeuren",
            "Projecten waarvan de verantwoording goedgekeurd kan worden",
            "projecten_goed_te_keuren",
            (K.WSP, K.COORDINATIEPUNT),
            _to_approve,
        ),
        Taak(
            "corrigeren",
            "Projecten met teruggestuurde regels om te corrigeren",
            "regels_teruggestuurd",
            (K.OPDRACHTNEMER,),
            lambda user, today: Q(_lines(InzetStatus.TERUGGESTUURD), opdrachtnemer=user.organisation_id),
            lines=InzetStatus.TERUGGESTUURD,
        ),
        Taak(
            "afronden",
            "Goedgekeurde projecten om af te ronden",
            "projecten_af_te_ronden",
            (K.OPDRACHTGEVER, K.COORDINATIEPUNT),
            lambda user, today: Q(status=ProjectStatus.GOEDGEKEURD),
        ),
    )
}


def taken_for(user: User) -> list[Taak]:
    return [taak for taak in TAKEN.values() if user.is_authenticated and user.role in taak.roles]


def taak_projects(user: User, taak: Taak, today: date, projects: ProjectQuerySet | None = None) -> ProjectQuerySet:
    """The user's active projects where this work waits: the list behind the home page's figure."""
    projects = Project.objects.for_user(user).active() if projects is None else projects
    return projects.filter(taak.condition(user, today))


@dataclass(frozen=True)
class Waiting:
    """One figure of what waits: `lines` lines (or none counted) on `projects` projects."""

    taak: Taak
    projects: int
    lines: int

    @property
    def text(self) -> str:
        """ "3 regels te valideren in 2 projecten"; "1 goedgekeurd project om af te ronden"."""
        if self.taak.lines:
            return f"{counted(self.taak.phrase, self.lines)} in {counted('projecten', self.projects)}"
        return counted(self.taak.phrase, self.projects)


def waiting_for(user: User, today: date) -> list[Waiting]:
    """What waits for this user, one query per kind of work; only what is there."""
    found = []
    for taak in taken_for(user):
        projects = taak_projects(user, taak, today)
        if taak.lines:
            counts = Inzet.objects.filter(project__in=projects, status=taak.lines).aggregate(
                projects=Count("project", distinct=True), lines=Count("pk")
            )
            found.append(Waiting(taak, counts["projects"], counts["lines"]))
        else:
            found.append(Waiting(taak, projects.count(), 0))
    return [waiting for waiting in found if waiting.projects]


def overlap_warnings(*, user: User, project: Project, kandidaat: Kandidaat | None, start: date, end: date) -> list[str]:
    """The same person (match_key) placed on another project in an overlapping period.

    Only projects the user sees are named; any other is "een ander project"."""
    if kandidaat is None:
        return []
    return overlaps_warnings(user=user, project=project, periods=[(kandidaat.match_key, start, end)])[0]


def overlaps_warnings(
    *, user: User, project: Project, periods: Sequence[tuple[str | None, date, date]]
) -> list[list[str]]:
    """`overlap_warnings` for many (person, start, end) at once (the rows of a file), in two queries."""
    keys = {key for key, _, _ in periods if key}
    if not keys:
        return [[] for _ in periods]
    elsewhere = Inzet.objects.filter(kandidaat__match_key__in=keys).exclude(project_id=project.pk)
    placed: dict[str, list[tuple[int, date, date]]] = defaultdict(list)
    for key, project_id, first, last in elsewhere.values_list(
        "kandidaat__match_key", "project_id", "start_date", "end_date"
    ):
        placed[key].append((project_id, first, last))
    found = {project_id for lines in placed.values() for project_id, _, _ in lines}
    names = dict(Project.objects.for_user(user).filter(pk__in=found).values_list("pk", "name"))
    warnings = []
    for key, start, end in periods:
        overlapping = {
            project_id for project_id, first, last in placed.get(key or "", []) if first <= end and last >= start
        }
        shown = sorted(names[pk] for pk in overlapping if pk in names)
        row = [sentence(f"Deze kandidaat is in dezelfde periode ook ingezet op project {name}") for name in shown]
        if hidden := len(overlapping) - len(shown):
            row.append(counted("projecten_andere", hidden))
        warnings.append(row)
    return warnings


def declarant(project: Project) -> Organisation | None:
    """Who declares in the akkoordverklaring: the organisation that approved the verantwoording (a WSP or the
    coördinatiepunt), else the accountmanager's WSP."""
    approver = project.approved_by
    organisation = approver.organisation if approver else None
    if organisation is not None and organisation.kind in (K.COORDINATIEPUNT, K.WSP):
        return organisation
    return project.accountmanager.organisation

"""Overlappende inzet van kandidaten (manual §4.4, SPEC §5): the same person, at the same time, on two projects.

The same person is found by `Kandidaat.match_key` (normalised surname, initials and date of
birth), so a kandidaat entered by two opdrachtnemers is found too. Both lines must lie on projects
in the user's overlap scope: a WSP and a coördinatiepunt see all projects of their own region
(SPEC §2), other roles their own projects, beheer everything.

The database does the matching: one query returns each line that has a later-entered partner
line, with those partners as a JSON array. Only the overlapping pairs reach Python, where they are
sorted (overlaps are the exception, so the pairs are few even when the lines are many).
"""

from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject

from accounts.models import OrganisationKind, User
from projects.models import Inzet, Project, ProjectQuerySet

from ..filters import ReportFilterForm
from .base import Report, ReportColumn, own_kandidaten

K = OrganisationKind


@dataclass(frozen=True)
class Side:
    project: str
    opdrachtnemer: str
    start: date
    end: date


@dataclass(frozen=True)
class Overlap:
    kandidaat: str
    surname: str
    a: Side  # the line that starts first
    b: Side
    line_ids: tuple[int, int]

    @property
    def start(self) -> date:
        return max(self.a.start, self.b.start)

    @property
    def end(self) -> date:
        return min(self.a.end, self.b.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _kandidaat_sort(pair: Overlap) -> tuple[str, str]:
    return (pair.surname.lower(), pair.kandidaat.lower())


class OverlapReport(Report):
    slug = "overlap"
    title = "Overlappende inzet van kandidaten"
    sheet_title = "Overlappende inzet"
    filename = "rapportage-overlappende-inzet"
    description = (
        "Kandidaten die in dezelfde periode op meer dan één project zijn ingezet. Is de overlap met een "
        "project buiten uw werkregio te verklaren? Neem dan contact op met de opdrachtnemer of met uw "
        "coördinatiepunt Social Return."
    )
    caption = "Kandidaten met overlappende inzet (de inzet op project A begon het eerst)"
    empty = "Geen overlappende inzet gevonden."
    columns = (
        ReportColumn("kandidaat", "Kandidaat", width=24),
        ReportColumn("project_a", "Project A", width=30),
        ReportColumn("opdrachtnemer_a", "Opdrachtnemer A", width=24),
        ReportColumn("start_a", "Start A", "date", 12),
        ReportColumn("end_a", "Einde A", "date", 12),
        ReportColumn("project_b", "Project B", width=30),
        ReportColumn("opdrachtnemer_b", "Opdrachtnemer B", width=24),
        ReportColumn("start_b", "Start B", "date", 12),
        ReportColumn("end_b", "Einde B", "date", 12),
        ReportColumn("start", "Overlap van", "date", 12),
        ReportColumn("end", "Overlap tot en met", "date", 12),
        ReportColumn("days", "Dagen overlap", "int", 10),
    )
    page_groups = (
        ("project_a", "opdrachtnemer_a"),
        ("start_a", "end_a"),
        ("project_b", "opdrachtnemer_b"),
        ("start_b", "end_b"),
        ("start", "end"),
    )
    filters = ("regio", "periode", "doelgroep")
    # Python sort keys over the pairs (whitelisted like the database sorts of the other reports).
    sorts = {
        "kandidaat": _kandidaat_sort,
        "project_a": lambda pair: pair.a.project.lower(),
        "opdrachtnemer_a": lambda pair: pair.a.opdrachtnemer.lower(),
        "start_a": lambda pair: pair.a.start,
        "end_a": lambda pair: pair.a.end,
        "project_b": lambda pair: pair.b.project.lower(),
        "opdrachtnemer_b": lambda pair: pair.b.opdrachtnemer.lower(),
        "start_b": lambda pair: pair.b.start,
        "end_b": lambda pair: pair.b.end,
        "start": attrgetter("start"),
        "end": attrgetter("end"),
        "days": attrgetter("days"),
    }
    default_sort = "kandidaat"

    def scope(self, user: User) -> ProjectQuerySet:
        if user.is_authenticated and not user.is_superuser and user.role in (K.WSP, K.COORDINATIEPUNT):
            return Project.objects.filter(region=user.region)
        return Project.objects.for_user(user)

    def scope_text(self, user: User) -> str:
        if user.is_superuser:
            return "Alle projecten"
        if user.role in (K.WSP, K.COORDINATIEPUNT):
            return f"Alle projecten van regio {user.region}"
        return "Projecten waaraan u bent gekoppeld"

    def results(self, user: User, form: ReportFilterForm) -> list[Overlap]:
        lines = own_kandidaten(Inzet.objects.filter(project__in=self.scope(user)), user)
        lines = lines.filter(form.project_q("project__"), form.period_q())
        if form.value("doelgroep"):
            lines = lines.filter(kandidaat__doelgroep=form.value("doelgroep"))
        # Each pair once: the partner is the line with the higher id.
        partners = lines.filter(
            ~Q(project_id=OuterRef("project_id")),
            kandidaat__match_key=OuterRef("kandidaat__match_key"),
            start_date__lte=OuterRef("end_date"),
            end_date__gte=OuterRef("start_date"),
            pk__gt=OuterRef("pk"),
        )
        side = JSONObject(
            id="pk",
            project="project__name",
            opdrachtnemer="project__opdrachtnemer__name",
            start="start_date",
            end="end_date",
        )
        found = (
            lines.filter(Exists(partners))
            .annotate(partners=ArraySubquery(partners.order_by("start_date", "pk").values(json=side)))
            .values(
                "pk",
                "start_date",
                "end_date",
                "kandidaat__initials",
                "kandidaat__surname",
                "project__name",
                "project__opdrachtnemer__name",
                "partners",
            )
        )
        pairs = []
        for line in found:
            mine = Side(
                line["project__name"], line["project__opdrachtnemer__name"], line["start_date"], line["end_date"]
            )
            for partner in line["partners"]:
                theirs = Side(
                    partner["project"],
                    partner["opdrachtnemer"],
                    date.fromisoformat(partner["start"]),
                    date.fromisoformat(partner["end"]),
                )
                a, b = (mine, theirs) if (mine.start, line["pk"]) <= (theirs.start, partner["id"]) else (theirs, mine)
                pairs.append(
                    Overlap(
                        kandidaat=f"{line['kandidaat__initials']} {line['kandidaat__surname']}",
                        surname=line["kandidaat__surname"],
                        a=a,
                        b=b,
                        line_ids=(line["pk"], partner["id"]),
                    )
                )
        key = form.current_sort
        # Two stable sorts: first the tiebreak, then the chosen column.
        pairs.sort(key=lambda pair: (_kandidaat_sort(pair), pair.start, pair.line_ids))
        pairs.sort(key=self.sorts[key.lstrip("-")], reverse=key.startswith("-"))
        return pairs

    def row(self, pair: Overlap) -> tuple[Any, ...]:
        return (
            pair.kandidaat,
            pair.a.project,
            pair.a.opdrachtnemer,
            pair.a.start,
            pair.a.end,
            pair.b.project,
            pair.b.opdrachtnemer,
            pair.b.start,
            pair.b.end,
            pair.start,
            pair.end,
            pair.days,
        )

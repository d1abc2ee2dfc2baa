"""Keep every line's value, and its project's sums, in step with the region's policy."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from policy import valuation as v
from policy.models import PolicyVersion, VersionBook

from ..models import ZERO, Inzet, InzetStatus, Kandidaat, Project, ProjectStatus


class Siblings:
    """Lines of some kandidaten (project, kandidaat, start, soort, pk), read before valuing many lines in one
    go: the first workday then needs no query per line. It answers for the projects it was read for."""

    def __init__(self, lines: Iterable[tuple[int, int | None, date, str, int | None]]) -> None:
        self.projects: set[int] = set()
        self.lines: dict[tuple[int, int], list[tuple[date, str, int | None]]] = defaultdict(list)
        for project_id, kandidaat_id, start, soort, pk in sorted(lines, key=lambda line: (line[2], line[4] or 0)):
            self.projects.add(project_id)
            if kandidaat_id is not None:
                self.lines[project_id, kandidaat_id].append((start, soort, pk))

    @classmethod
    def on_project(cls, project_id: int, kandidaat_ids: Iterable[int]) -> "Siblings":
        """The lines of these kandidaten on one project, in one query."""
        rows = Inzet.objects.filter(project_id=project_id, kandidaat_id__in=set(kandidaat_ids))
        siblings = cls(rows.values_list("project_id", "kandidaat_id", "start_date", "soort", "pk"))
        siblings.projects.add(project_id)
        return siblings

    def starts(self, inzet: Inzet) -> list[tuple[date, str, int | None]] | None:
        """The kandidaat's lines on the line's project, in order of start; None when not read here."""
        if inzet.project_id not in self.projects or inzet.kandidaat_id is None:
            return None
        return self.lines.get((inzet.project_id, inzet.kandidaat_id), [])


def _first_workday(
    inzet: Inzet, rules: v.PolicyRules, siblings: Siblings | None = None
) -> tuple[date | None, str | None]:
    """The kandidaat's first workday on the project, and the soort of the line that starts it.

    The earliest start of the kandidaat's lines there of a soort that counts as work in the
    region's policy: scholing before the job and begeleiding beside it are not work (art. 06,
    18). (None, None) when the kandidaat has no such line: the engine then counts from the line.
    The other lines come from `siblings` when given (read before for many lines), else from a query."""
    if inzet.kandidaat_id is None:
        return None, None
    work = [soort.code for soort in rules.soorten if soort.is_work]
    starts: list[tuple[date, str]]
    lines = siblings.starts(inzet) if siblings is not None else None
    if lines is not None:
        starts = [(start, soort) for start, soort, pk in lines if soort in work and pk != inzet.pk][:1]
    else:
        starts = list(
            Inzet.objects.filter(project_id=inzet.project_id, kandidaat_id=inzet.kandidaat_id, soort__in=work)
            .exclude(pk=inzet.pk)
            .order_by("start_date", "pk")
            .values_list("start_date", "soort")[:1]
        )
    if inzet.soort in work and inzet.start_date is not None:
        starts.append((inzet.start_date, inzet.soort))
    if not starts:
        return None, None
    first_day, first_soort = min(starts, key=lambda start: start[0])
    return first_day, first_soort


def _scholing_already_counted(inzet: Inzet) -> Decimal:
    """Scholing of the same kandidaat on earlier lines (any project): the cap is per kandidaat."""
    if inzet.kandidaat_id is None or inzet.soort != "scholing":
        return ZERO
    earlier = Inzet.objects.filter(kandidaat_id=inzet.kandidaat_id, soort="scholing").exclude(pk=inzet.pk)
    earlier = earlier.filter(Q(start_date__lt=inzet.start_date) | Q(start_date=inzet.start_date, pk__lt=inzet.pk or 0))
    return earlier.aggregate(total=Sum("value_prognose"))["total"] or ZERO


def inzet_value(
    inzet: Inzet, today: date | None = None, book: VersionBook | None = None, siblings: Siblings | None = None
) -> list[str]:
    """Value `inzet` under the version in force at its start; returns the engine's objections (unsaved).

    When many lines are valued in one go, `book` keeps the policy versions read for the next line and
    `siblings` holds the kandidaten's lines on the project (read once instead of per line).

    What the kandidaat's other lines give (first workday, scholing already counted) is recorded
    on the line. A validated line keeps what it was valued on, so its value only follows the
    calendar; where its siblings would now give another value, that value and its reasons go to
    `rules_prognose` / `rules_reasons`, beside it, never in its place."""
    today = today or timezone.localdate()
    book = book or VersionBook()
    validated = inzet.status == InzetStatus.GEVALIDEERD
    version: PolicyVersion | None
    if validated and inzet.policy_version_id:
        # A validated line keeps the rules it was validated under, whatever is published later.
        version = book.get(inzet.policy_version_id)
    else:
        version = book.in_force(inzet.project.region_id, inzet.start_date)
    if version is None:
        return ["Voor deze regio is geen beleid gepubliceerd."]
    rules = book.rules(version)
    first_workday, first_workday_soort = _first_workday(inzet, rules, siblings)
    fresh = (first_workday, first_workday_soort or "", _scholing_already_counted(inzet))
    kept = validated and inzet.scholing_counted is not None
    inputs = (inzet.first_workday, inzet.first_workday_soort, inzet.scholing_counted) if kept else fresh
    line = _engine_line(inzet, inputs)
    errors = v.validate_line(line, rules)
    values = v.value_line_over_time(line=line, rules=rules, today=today)
    prognose = values.prognose
    inzet.policy_version = version
    inzet.set_value(values)
    inzet.first_workday, inzet.first_workday_soort, inzet.scholing_counted = inputs
    inzet.rules_prognose, inzet.rules_reasons = None, []
    if kept and fresh != inputs:
        now = v.value_line(line=_engine_line(inzet, fresh), rules=rules, peildatum=line.end)
        if now.value != prognose.value:
            inzet.rules_prognose, inzet.rules_reasons = now.value, list(now.reasons)
    return errors


def _engine_line(inzet: Inzet, inputs: tuple[date | None, str, Decimal | None]) -> v.InzetData:
    first_workday, first_workday_soort, scholing_counted = inputs
    return inzet.as_engine_line(
        first_workday=first_workday,
        first_workday_soort=first_workday_soort or None,
        scholing_already_counted=scholing_counted or ZERO,
    )


VALUE_FIELDS = (
    "policy_version",
    "value_prognose",
    "value_actueel",
    "counts_from",
    "counts_until",
    "reasons",
    "value_at_quarter_ends",
    "in_overleg_coordinatiepunt",
    "first_workday",
    "first_workday_soort",
    "scholing_counted",
    "rules_prognose",
    "rules_reasons",
)


def kandidaten_lines_revalue(kandidaat_ids: Iterable[int | None], today: date | None = None) -> None:
    """Revalue the kandidaten's open lines, and the sums of their projects, after lines of theirs changed.

    A line's value depends on the kandidaat's other lines: the first workday on the project and
    the scholing already counted (per kandidaat, on every project). So a line saved, changed or
    deleted, or a changed kandidaat, revalues the others in the same transaction, in order of
    start: the figures never depend on the order of entry. Validated lines keep the value the
    WSP validated (`inzet_value` notes beside it what the rules would now give); lines of an
    afgerond project keep their final one. A line is written only when its value changed. The
    caller holds the kandidaten's row locks (`kandidaat_lock`), so two saves for one kandidaat
    never interleave."""
    ids = {pk for pk in kandidaat_ids if pk is not None}
    if not ids:
        return
    lines = Inzet.objects.filter(kandidaat_id__in=ids).exclude(project__status=ProjectStatus.AFGEROND)
    projects = {inzet.project_id: inzet.project for inzet in _lines_revalue(lines, today)}
    for project in projects.values():
        project_values_refresh(project, today)


def _lines_revalue(lines: QuerySet[Inzet], today: date | None) -> list[Inzet]:
    """Value `lines` in order of start, with their siblings read with them (every line of their kandidaten on
    their projects must be among them); a line is written only when its value changed."""
    found = list(lines.select_related("project__region", "kandidaat").order_by("start_date", "pk"))
    siblings = Siblings((i.project_id, i.kandidaat_id, i.start_date, i.soort, i.pk) for i in found)
    book = VersionBook()
    for inzet in found:
        before = _values(inzet)
        inzet_value(inzet, today, book, siblings)
        if _values(inzet) != before:  # saved at once: a later scholing line reads this one's value
            inzet.save(update_fields=VALUE_FIELDS)
    return found


def _values(inzet: Inzet) -> tuple[object, ...]:
    return tuple(getattr(inzet, "policy_version_id" if name == "policy_version" else name) for name in VALUE_FIELDS)


def kandidaat_lock(*kandidaat_ids: int | None) -> None:
    """Lock the kandidaten whose lines are about to be revalued, always in the same order."""
    ids = sorted({pk for pk in kandidaat_ids if pk is not None})
    if ids:
        list(Kandidaat.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def project_values_refresh(project: Project, today: date | None = None) -> None:
    """Recompute the project's SR actueel and prognose (and their validated parts) from its lines."""
    lines = Inzet.objects.filter(project=project)
    validated = Q(status=InzetStatus.GEVALIDEERD)
    sums = lines.aggregate(
        actueel=Sum("value_actueel"),
        prognose=Sum("value_prognose"),
        actueel_gevalideerd=Sum("value_actueel", filter=validated),
        prognose_gevalideerd=Sum("value_prognose", filter=validated),
    )
    Project.objects.filter(pk=project.pk).update(
        sr_actueel=sums["actueel"] or ZERO,
        sr_prognose=sums["prognose"] or ZERO,
        sr_actueel_gevalideerd=sums["actueel_gevalideerd"] or ZERO,
        sr_prognose_gevalideerd=sums["prognose_gevalideerd"] or ZERO,
        values_date=today or timezone.localdate(),
    )


def projects_values_refresh_due(today: date | None = None, batch_size: int = 200) -> int:
    """SR actueel grows every day: revalue the lines of active projects last valued before today.

    Idempotent and restartable: each project is revalued and stamped in its own transaction,
    so a run that stops halfway continues where it was. Returns the number of projects done."""
    from django.db import transaction

    today = today or timezone.localdate()
    done = 0
    while True:
        ids = list(
            Project.objects.filter(values_date__lt=today)
            .exclude(status=ProjectStatus.AFGEROND)
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        for project in Project.objects.filter(pk__in=ids).select_related("region"):
            with transaction.atomic():
                _lines_revalue(
                    Inzet.objects.filter(project=project).select_related("project__region", "kandidaat"), today
                )
                project_values_refresh(project, today)
            done += 1

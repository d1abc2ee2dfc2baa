"""An uploaded invulbestand: its check (issue #29), kept with what it found, and its commit (issue #30): every
row through the services of a single line, in one transaction, and nothing twice."""

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from policy.models import VersionBook

from ..invulbestand import CheckResult, RowLine, check_rows
from ..models import Invulbestand, Inzet, Kandidaat, Project, kandidaat_match_key
from ..permissions import can_edit_inzet, can_edit_verantwoording
from . import ConcurrentEditError, ProjectError, require
from .valuation import VALUE_FIELDS, Siblings, kandidaat_lock, kandidaten_lines_revalue, project_values_refresh
from .verantwoording import INZET_FIELDS, KANDIDAAT_FIELDS, inzet_ready, kandidaat_new, kandidaat_save


def invulbestand_check(*, project: Project, upload: UploadedFile, by: User) -> Invulbestand:
    """Read and check every row of `upload` for `project`; the file and its problems are kept for the
    error workbook (and the commit, issue #30). Nothing of the verantwoording changes.

    A file that can't be read at all is not kept: ValidationError on `file` says why."""
    require(can_edit_verantwoording(by, project))
    content = upload.read()
    result = check_rows(project, by, content, upload.name or "")
    if result.refused:
        raise ValidationError({"file": result.refused})
    return Invulbestand.objects.create(
        project=project,
        uploaded_by=by,
        file_name=(upload.name or "invulbestand")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        rows=result.rows,
        new=result.new,
        changed=result.changed,
        problems=[{"row": p.row, "column": p.column, "message": p.message} for p in result.problems],
        line_revisions={str(row.line.pk): row.line.revision for row in result.lines if row.line is not None},
        preview=_preview(project, result) if not result.problems else {},
    )


def _preview(project: Project, result: CheckResult) -> dict[str, Any]:
    """Each row as it would be saved, and what the project's SR prognose and actueel become."""
    prognose = actueel = Decimal(0)
    for row in result.lines:
        prognose += row.valued.value_prognose - (row.line.value_prognose if row.line else 0)
        actueel += row.valued.value_actueel - (row.line.value_actueel if row.line else 0)
    return {
        "rows": [row.preview(result.rules) for row in result.lines],
        "sr_prognose": [str(project.sr_prognose), str(project.sr_prognose + prognose)],
        "sr_actueel": [str(project.sr_actueel), str(project.sr_actueel + actueel)],
    }


ALREADY_THERE = "Staat al zo in de verantwoording: niet opnieuw toegevoegd."
CHANGED_MEANWHILE = (
    "Regel {pk} is na de controle door iemand anders gewijzigd, gevalideerd of teruggestuurd en is daarom niet "
    "gewijzigd. Bekijk de regel en upload het bestand zo nodig opnieuw."
)


@transaction.atomic
def invulbestand_commit(*, upload: Invulbestand, by: User) -> Invulbestand:
    """Add and change the lines of a checked file, all of them or none.

    The file is checked again first (the verantwoording may have changed since). A row that is already in the
    verantwoording as it stands is left alone, as is an existing line changed since the check (revision):
    both are reported per row, so a file committed twice adds nothing the second time. The lines are made
    as `inzet_save` makes one (`inzet_ready`), saved together, and the kandidaten they touch revalued once,
    in order of start: the values are those of the same lines entered one by one. The project is locked for
    the commit: two commits on one project run one after the other."""
    project = Project.objects.get(pk=upload.project_id)
    require(can_edit_verantwoording(by, project))
    result, seen = _checked(project, upload, by)
    # Kandidaten before the project, as in every service: two saves never wait for each other crosswise.
    kandidaat_lock(*_kandidaat_ids(result))
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(can_edit_verantwoording(by, project))
    upload = Invulbestand.objects.select_for_update().get(pk=upload.pk, uploaded_by=by)
    if upload.committed_at is not None:
        raise ProjectError(
            f"Dit bestand is al toegevoegd op {timezone.localtime(upload.committed_at):%d-%m-%Y om %H:%M}."
        )
    if _kandidaten_state(project) != seen:  # a kandidaat added or changed meanwhile (another file, a form)
        result, _ = _checked(project, upload, by)
        kandidaat_lock(*_kandidaat_ids(result))
    commit = _Commit(project, upload, by)
    for row in result.lines:
        commit.plan(row)
    try:
        commit.save()
    except (ValidationError, ConcurrentEditError) as error:  # the check passed: only a race gets here
        where = f"Rij {commit.row}: " if commit.row else ""
        raise ProjectError(f"{where}{' '.join(_messages(error))} Er is niets toegevoegd.") from error
    upload.added, upload.updated = len(commit.added), len(commit.updated)
    upload.committed_at, upload.report = timezone.now(), commit.report
    upload.save(update_fields=["committed_at", "added", "updated", "report"])
    return upload


def _checked(project: Project, upload: Invulbestand, by: User) -> tuple[CheckResult, set[tuple[int, int]]]:
    """The file checked against the verantwoording as it is now, and the kandidaten it was checked against."""
    seen = _kandidaten_state(project)
    result = check_rows(project, by, bytes(upload.content), upload.file_name)
    if result.refused or result.problems:
        raise ProjectError(
            "Het bestand heeft nu fouten: de verantwoording is sinds de controle veranderd. Upload het opnieuw "
            "om ze te zien. Er is niets toegevoegd."
        )
    return result, seen


def _kandidaten_state(project: Project) -> set[tuple[int, int]]:
    return set(Kandidaat.objects.filter(opdrachtnemer_id=project.opdrachtnemer_id).values_list("pk", "revision"))


def _kandidaat_ids(result: CheckResult) -> set[int]:
    """The existing kandidaten the rows touch: their own, and the one a changed line had before."""
    ids = {row.kandidaat.pk for row in result.lines if row.kandidaat is not None and row.kandidaat.pk is not None}
    return ids | {row.line.kandidaat_id for row in result.lines if row.line is not None and row.line.kandidaat_id}


def _signature(kandidaat: Kandidaat | None, data: dict[str, Any]) -> tuple[Any, ...]:
    """What makes a line the same line: its kandidaat (the person, saved or not) and its inputs."""
    person = kandidaat_match_key(kandidaat.surname, kandidaat.initials, kandidaat.birth_date) if kandidaat else None
    inputs = tuple(data[name] or "" if name in ("niveau", "description") else data[name] for name in LINE_INPUTS)
    return (person, *inputs)


LINE_INPUTS = tuple(name for name in INZET_FIELDS if name != "kandidaat")


class _Commit:
    """The rows of one file on their way into the verantwoording: planned in the file's order, then saved."""

    def __init__(self, project: Project, upload: Invulbestand, by: User) -> None:
        self.project, self.upload, self.by = project, upload, by
        self.lines = {
            line.pk: line
            for line in Inzet.objects.select_for_update(of=("self",))
            .select_related("kandidaat")
            .filter(project=project)
        }
        self.there = {_signature(line.kandidaat, _inputs(line)) for line in self.lines.values()}
        self.planned: list[tuple[RowLine, Inzet | None]] = []
        self.report: list[dict[str, object]] = []
        self.added: list[Inzet] = []
        self.updated: list[Inzet] = []
        self.row = 0  # the row being saved, for a message

    def plan(self, row: RowLine) -> None:
        """Add the row to what will be saved, or report why it is left alone."""
        current = self.lines.get(row.line.pk) if row.line is not None else None
        if current is not None and current.revision != self.upload.line_revisions.get(str(current.pk)):
            self.report.append({"row": row.row, "message": CHANGED_MEANWHILE.format(pk=current.pk)})
            return
        signature = _signature(row.kandidaat, row.data)
        there = signature == _signature(current.kandidaat, _inputs(current)) if current else signature in self.there
        if there:
            self.report.append({"row": row.row, "message": ALREADY_THERE})
            return
        self.there.add(signature)
        self.planned.append((row, current))

    def save(self) -> None:
        """Kandidaten first, then the lines made as `inzet_save` makes one and written together, then the
        kandidaten's lines revalued once and the project's sums."""
        kandidaten = self._kandidaten()
        ids = {k.pk for k in kandidaten.values()} | {c.kandidaat_id for _, c in self.planned if c and c.kandidaat_id}
        siblings, book = Siblings.on_project(self.project.pk, ids), VersionBook()
        for row, current in self.planned:
            self.row = row.row
            inzet = current or Inzet(project=self.project, created_by=self.by)
            if current is not None:
                require(can_edit_inzet(self.by, current))
                current.revision += 1
            kandidaat = kandidaten.get(_person(row.kandidaat)) if row.kandidaat else None
            inzet_ready(self.project, inzet, row.data | {"kandidaat": kandidaat}, book, siblings, in_bulk=True)
            (self.updated if current else self.added).append(inzet)
        self.row = 0
        Inzet.objects.bulk_create(self.added, batch_size=500)
        Inzet.objects.bulk_update(self.updated, [*INZET_FIELDS, *VALUE_FIELDS, "status", "revision"], batch_size=500)
        kandidaten_lines_revalue(ids)
        project_values_refresh(self.project)

    def _kandidaten(self) -> dict[str, Kandidaat]:
        """The rows' kandidaten as stored, by person: new ones created together, changed ones through
        `kandidaat_save` (which refuses what a validated line was valued on)."""
        wanted: dict[str, Kandidaat] = {}
        for row, _ in self.planned:
            if row.kandidaat is not None:
                wanted.setdefault(_person(row.kandidaat), row.kandidaat)
        stored = Kandidaat.objects.in_bulk([k.pk for k in wanted.values() if k.pk is not None])
        saved: dict[str, Kandidaat] = {}
        new: list[Kandidaat] = []
        for key, kandidaat in wanted.items():
            data = {name: getattr(kandidaat, name) for name in KANDIDAAT_FIELDS}
            current = stored.get(kandidaat.pk) if kandidaat.pk is not None else None
            if current is None:
                new.append(kandidaat_new(data=data, by=self.by))
            elif any(getattr(current, name) != value for name, value in data.items()):
                saved[key] = kandidaat_save(kandidaat=current, data=data, by=self.by)
            else:
                saved[key] = current
        for kandidaat in Kandidaat.objects.bulk_create(new, batch_size=500):
            saved[kandidaat.match_key] = kandidaat
        return saved


def _person(kandidaat: Kandidaat) -> str:
    return kandidaat_match_key(kandidaat.surname, kandidaat.initials, kandidaat.birth_date)


def _inputs(line: Inzet) -> dict[str, Any]:
    return {name: getattr(line, name) for name in LINE_INPUTS}


def _messages(error: Exception) -> list[str]:
    return list(error.messages) if isinstance(error, ValidationError) else [str(error)]


def invulbestanden_cleanup(now: datetime | None = None) -> int:
    """Uploaded files hold personal data (kandidaten): a check is removed INVULBESTAND_KEEP_DAYS after its
    upload. Returns how many were removed."""
    cut_off = (now or timezone.now()) - timedelta(days=settings.INVULBESTAND_KEEP_DAYS)
    removed, _ = Invulbestand.objects.filter(uploaded_at__lt=cut_off).delete()
    return removed

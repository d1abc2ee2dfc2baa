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

from ..invulbestand import CheckResult, RowLine, check_rows
from ..models import Invulbestand, Inzet, Kandidaat, Project, kandidaat_match_key
from ..permissions import can_edit_verantwoording
from . import ConcurrentEditError, ProjectError, require
from .verantwoording import INZET_FIELDS, KANDIDAAT_FIELDS, inzet_save, kandidaat_save


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
    """Add and change the lines of a checked file, all of them or none, through `kandidaat_save` and `inzet_save`.

    The file is checked again first (the verantwoording may have changed since). A row that is already in the
    verantwoording as it stands is left alone, as is an existing line changed since the check (revision):
    both are reported per row, so a file committed twice adds nothing the second time. The project is locked
    for the commit: two commits on one project run one after the other."""
    project = Project.objects.select_for_update().get(pk=upload.project_id)
    require(can_edit_verantwoording(by, project))
    upload = Invulbestand.objects.select_for_update().get(pk=upload.pk, uploaded_by=by)
    if upload.committed_at is not None:
        raise ProjectError(
            f"Dit bestand is al toegevoegd op {timezone.localtime(upload.committed_at):%d-%m-%Y om %H:%M}."
        )
    result = check_rows(project, by, bytes(upload.content), upload.file_name)
    if result.refused or result.problems:
        raise ProjectError(
            "Het bestand heeft nu fouten: de verantwoording is sinds de controle veranderd. Upload het opnieuw "
            "om ze te zien. Er is niets toegevoegd."
        )
    kandidaten: dict[str, Kandidaat] = {}
    report: list[dict[str, object]] = []
    for row in result.lines:
        try:
            outcome = _row_committed(project, upload, row, by, kandidaten)
        except (ValidationError, ConcurrentEditError) as error:  # the check passed: only a race gets here
            raise ProjectError(f"Rij {row.row}: {' '.join(_messages(error))} Er is niets toegevoegd.") from error
        if outcome in ("added", "updated"):
            setattr(upload, outcome, getattr(upload, outcome) + 1)
        else:
            report.append({"row": row.row, "message": outcome})
    upload.committed_at, upload.report = timezone.now(), report
    upload.save(update_fields=["committed_at", "added", "updated", "report"])
    return upload


def _row_committed(
    project: Project, upload: Invulbestand, row: RowLine, by: User, kandidaten: dict[str, Kandidaat]
) -> str:
    """Save one row: "added", "updated", or why it was left alone (Dutch)."""
    current = Inzet.objects.get(pk=row.line.pk) if row.line is not None else None
    if current is not None and current.revision != upload.line_revisions.get(str(current.pk)):
        return CHANGED_MEANWHILE.format(pk=current.pk)
    data = row.data | {"kandidaat": _kandidaat_saved(row.kandidaat, by, kandidaten)}
    if _already_there(project, current, data):
        return ALREADY_THERE
    inzet_save(project=project, inzet=current, data=data, by=by, revision=current.revision if current else None)
    return "added" if current is None else "updated"


def _kandidaat_saved(kandidaat: Kandidaat | None, by: User, done: dict[str, Kandidaat]) -> Kandidaat | None:
    """The row's kandidaat as stored: created when new, changed when the file changes it; once per person."""
    if kandidaat is None:
        return None
    key = kandidaat_match_key(kandidaat.surname, kandidaat.initials, kandidaat.birth_date)
    if key in done:
        return done[key]
    data = {name: getattr(kandidaat, name) for name in KANDIDAAT_FIELDS}
    stored = Kandidaat.objects.get(pk=kandidaat.pk) if kandidaat.pk is not None else None
    if stored is None or any(getattr(stored, name) != value for name, value in data.items()):
        stored = kandidaat_save(kandidaat=stored, data=data, by=by)
    done[key] = stored
    return stored


def _already_there(project: Project, current: Inzet | None, data: dict[str, Any]) -> bool:
    """The line as the row has it exists already: the row's own line unchanged, or (a new row) a line of the
    project with the same kandidaat, soort, period and inputs."""
    same = {name: data[name] for name in INZET_FIELDS} | {
        "niveau": data["niveau"] or "",
        "description": data["description"] or "",
    }
    if current is not None:
        return all(getattr(current, name) == value for name, value in same.items())
    return Inzet.objects.filter(project=project, **same).exists()  # a None matches IS NULL


def _messages(error: Exception) -> list[str]:
    return list(error.messages) if isinstance(error, ValidationError) else [str(error)]


def invulbestanden_cleanup(now: datetime | None = None) -> int:
    """Uploaded files hold personal data (kandidaten): a check is removed INVULBESTAND_KEEP_DAYS after its
    upload. Returns how many were removed."""
    cut_off = (now or timezone.now()) - timedelta(days=settings.INVULBESTAND_KEEP_DAYS)
    removed, _ = Invulbestand.objects.filter(uploaded_at__lt=cut_off).delete()
    return removed

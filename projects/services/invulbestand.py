"""An uploaded invulbestand: its check (issue #29), kept with what it found, and its commit (issue #30): every
row through the services of a single line, in one transaction, and nothing twice."""

import hashlib
import logging
from datetime import datetime, timedelta
from typing import Any

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.sheets import Problem
from notifications.mail import mail_send
from policy.models import VersionBook

from ..invulbestand import CheckResult, RowLine, check_rows, check_table, read_invulbestand
from ..models import Invulbestand, InvulbestandStatus, Inzet, Kandidaat, Project, kandidaat_match_key
from ..permissions import can_edit_inzet, can_edit_verantwoording
from ..selectors import overlaps_warnings
from . import ConcurrentEditError, ProjectError, require
from .valuation import VALUE_FIELDS, Siblings, kandidaat_lock, kandidaten_lines_revalue, project_values_refresh
from .verantwoording import INZET_FIELDS, KANDIDAAT_FIELDS, inzet_ready, kandidaat_new, kandidaat_save

logger = logging.getLogger(__name__)


def invulbestand_check(*, project: Project, upload: UploadedFile, by: User) -> Invulbestand:
    """Read and check every row of `upload` for `project`; the file and its problems are kept for the
    error workbook and the commit. Nothing of the verantwoording changes. A file of more rows than a request
    should carry (INVULBESTAND_IN_REQUEST_ROWS) is kept unchecked and checked by Celery (`invulbestand_run`).

    A file that can't be read at all is not kept: ValidationError on `file` says why."""
    require(can_edit_verantwoording(by, project))
    content = upload.read()
    read = read_invulbestand(content, upload.name or "")
    if isinstance(read, str):
        raise ValidationError({"file": read})
    table = read[1]
    kept = Invulbestand(
        project=project,
        uploaded_by=by,
        file_name=(upload.name or "invulbestand")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        rows=len(table.records),
    )
    if kept.rows > settings.INVULBESTAND_IN_REQUEST_ROWS:
        kept.status, kept.queued_at = InvulbestandStatus.CHECKING, timezone.now()
        kept.save()
        _queue(kept)
        return kept
    _keep_check(kept, check_table(project, by, table))
    kept.save()
    return kept


def _keep_check(upload: Invulbestand, result: CheckResult) -> None:
    """What the check found, on the upload (not saved); a file without problems gets its preview."""
    upload.status = InvulbestandStatus.CHECKED
    upload.rows, upload.new, upload.changed = result.rows, result.new, result.changed
    upload.line_revisions = {str(row.line.pk): row.line.revision for row in result.lines if row.line is not None}
    problems = list(result.problems)
    preview = _preview(upload, result) if not problems else {}
    if isinstance(preview, Problem):  # the engine refuses a row beside the file's other rows
        problems, preview = [preview], {}
    upload.problems = [{"row": p.row, "column": p.column, "message": p.message} for p in problems]
    upload.preview = preview


def _preview(upload: Invulbestand, result: CheckResult) -> dict[str, Any] | Problem:
    """The commit as it would run now, rolled back: each row as it would be saved (its value counts the
    file's other rows, as the commit does), the rows it would leave alone, overlaps with other projects, and
    the project's SR prognose and actueel before and after; or the Problem of a row that can't be saved."""
    by = upload.uploaded_by
    with transaction.atomic():  # a savepoint, rolled back below
        kandidaat_lock(*_kandidaat_ids(result))
        project = Project.objects.select_for_update().get(pk=upload.project_id)
        before = (project.sr_prognose, project.sr_actueel)
        commit = _Commit(project, upload, by)
        for row in result.lines:
            commit.plan(row)
        try:
            with transaction.atomic():
                commit.save()
        except (ValidationError, ConcurrentEditError) as error:
            transaction.set_rollback(True)
            return Problem(" ".join(_messages(error)), row=commit.row or None)
        saved = Inzet.objects.in_bulk([line.pk for _, line in commit.saved])
        project.refresh_from_db(fields=["sr_prognose", "sr_actueel"])
        transaction.set_rollback(True)
    periods = [(_person(row.kandidaat) if row.kandidaat else None, line.start_date, line.end_date)
               for row, line in commit.saved]  # fmt: skip
    overlaps = overlaps_warnings(user=by, project=project, periods=periods)
    rows = [
        row.preview(result.rules, saved[line.pk]) | {"warnings": warnings}
        for (row, line), warnings in zip(commit.saved, overlaps, strict=True)
    ]
    return {
        "rows": rows,
        "left": commit.report,
        "sr_prognose": [str(before[0]), str(project.sr_prognose)],
        "sr_actueel": [str(before[1]), str(project.sr_actueel)],
    }


def _queue(upload: Invulbestand) -> None:
    """Hand the upload to Celery once this transaction commits; with the broker down the sweep
    (`invulbestanden_resume`) hands it over later: the request never fails on it."""
    upload_id = upload.pk
    transaction.on_commit(lambda: _hand_over(upload_id))


def _hand_over(upload_id: int) -> None:
    from ..tasks import run_invulbestand

    try:
        run_invulbestand.apply_async(args=[upload_id], retry=False)
    except Exception:  # any broker failure: the upload waits, queued, for the sweep
        logger.warning("invulbestand %s not queued (broker unreachable); the sweep hands it over", upload_id)


ALREADY_THERE = "Staat al zo in de verantwoording: niet opnieuw toegevoegd."
DELETED_MEANWHILE = "Regel {pk} is na de controle verwijderd en is daarom niet opnieuw toegevoegd."
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
    in order of start: the values are those of the same lines entered one by one. The upload is locked
    first (a second attempt at the same file waits, then finds it added), and the project for the commit:
    two commits on one project run one after the other."""
    project = Project.objects.get(pk=upload.project_id)
    require(can_edit_verantwoording(by, project))
    upload = Invulbestand.objects.select_for_update().get(pk=upload.pk, uploaded_by=by)
    if upload.committed_at is not None:
        raise ProjectError(
            f"Dit bestand is al toegevoegd op {timezone.localtime(upload.committed_at):%d-%m-%Y om %H:%M}."
        )
    if upload.status not in (InvulbestandStatus.CHECKED, InvulbestandStatus.ADDING):
        raise ProjectError("Dit bestand wordt nog gecontroleerd.")
    result, seen, left = _checked(project, upload, by)
    # Kandidaten before the project, as in every service: two saves never wait for each other crosswise.
    kandidaat_lock(*_kandidaat_ids(result))
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(can_edit_verantwoording(by, project))
    if _kandidaten_state(project) != seen:  # a kandidaat added or changed meanwhile (another file, a form)
        result, _, left = _checked(project, upload, by)
        kandidaat_lock(*_kandidaat_ids(result))
    commit = _Commit(project, upload, by)
    commit.report += left
    for row in result.lines:
        commit.plan(row)
    try:
        with pghistory.context(user=by.pk, invulbestand=upload.pk):  # by Celery too: the lines are the user's
            commit.save()
    except (ValidationError, ConcurrentEditError) as error:  # the check passed: only a race gets here
        where = f"Rij {commit.row}: " if commit.row else ""
        raise ProjectError(f"{where}{' '.join(_messages(error))} Er is niets toegevoegd.") from error
    upload.added, upload.updated = len(commit.added), len(commit.updated)
    upload.status, upload.committed_at, upload.error = InvulbestandStatus.ADDED, timezone.now(), ""
    upload.report = sorted(commit.report, key=lambda left: int(str(left["row"])))
    upload.save(update_fields=["status", "committed_at", "added", "updated", "report", "error"])
    if upload.added or upload.updated:
        _mail_wsp(project, upload, by)
    return upload


def _mail_wsp(project: Project, upload: Invulbestand, by: User) -> None:
    """One mail for the whole file to the WSP (the accountmanager and the WSP's contactpersonen), not one a line."""
    manager = project.accountmanager
    recipients = [manager.email] if manager.is_active else []
    if manager.organisation_id is not None:
        contacts = project.contacts.filter(user__organisation_id=manager.organisation_id, user__is_active=True)
        recipients += [email for email in contacts.values_list("user__email", flat=True) if email not in recipients]
    if not recipients:
        return
    mail_send(
        to=recipients,
        template="invulbestand_toegevoegd",
        context={
            "project": project,
            "by": by,
            "file_name": upload.file_name,
            "added": upload.added,
            "updated": upload.updated,
            "at": upload.committed_at,
            "link": reverse("projects:detail", args=[project.pk]),
        },
        key=f"invulbestand-added:{upload.pk}",
        region_id=project.region_id,
    )


@transaction.atomic
def invulbestand_commit_queue(*, upload: Invulbestand, by: User) -> Invulbestand:
    """Regels toevoegen for a file larger than a request should carry: Celery commits it (`invulbestand_run`)."""
    require(can_edit_verantwoording(by, upload.project))
    upload = Invulbestand.objects.select_for_update().get(pk=upload.pk, uploaded_by=by)
    if upload.status != InvulbestandStatus.CHECKED or upload.problems:
        raise ProjectError("Dit bestand kan nu niet worden toegevoegd.")
    upload.status, upload.queued_at, upload.error = InvulbestandStatus.ADDING, timezone.now(), ""
    upload.save(update_fields=["status", "queued_at", "error"])
    _queue(upload)
    return upload


COMMIT_FAILED = (
    "Het toevoegen is mislukt door een storing; er is niets toegevoegd. Probeer het opnieuw of neem contact op "
    "met het coördinatiepunt als het blijft mislukken."
)


def invulbestand_run(upload_id: int) -> str:
    """Celery's part: check a file queued for its check, or commit one queued for Regels toevoegen.

    Safe to run twice, or after a worker died halfway: the work runs in one transaction with the upload
    locked, so a dead worker leaves nothing behind and a second run finds the work done. Returns what it did."""
    upload = Invulbestand.objects.filter(pk=upload_id).select_related("project", "uploaded_by").first()
    if upload is None:
        return "gone"
    if upload.status == InvulbestandStatus.CHECKING:
        return _check_queued(upload_id)
    if upload.status != InvulbestandStatus.ADDING:
        return "done"
    try:
        invulbestand_commit(upload=upload, by=upload.uploaded_by)
    except ProjectError as refusal:
        _not_added(upload_id, str(refusal))
        return "refused"
    except Exception:
        _not_added(upload_id, COMMIT_FAILED)
        raise
    return "added"


def _not_added(upload_id: int, why: str) -> None:
    """The commit added nothing: the file is checked again, with the reason on its page."""
    waiting = Invulbestand.objects.filter(pk=upload_id, status=InvulbestandStatus.ADDING)
    waiting.update(status=InvulbestandStatus.CHECKED, error=why)


@transaction.atomic
def _check_queued(upload_id: int) -> str:
    upload = Invulbestand.objects.select_for_update().select_related("project", "uploaded_by").get(pk=upload_id)
    if upload.status != InvulbestandStatus.CHECKING:
        return "done"
    result = check_rows(upload.project, upload.uploaded_by, bytes(upload.content), upload.file_name)
    _keep_check(upload, result)
    upload.save()
    return "checked"


RESUME_AFTER = timedelta(minutes=2)


def invulbestanden_resume(now: datetime | None = None) -> int:
    """Hand a check or commit to Celery again when its worker died: queued a while ago and not locked by a
    worker at it now (a live one holds the upload's row lock). A second hand-over of work that is only
    waiting in the queue does no harm: whichever run comes second finds it done. Returns how many."""
    cut_off = (now or timezone.now()) - RESUME_AFTER
    with transaction.atomic():
        waiting = Invulbestand.objects.select_for_update(skip_locked=True).filter(
            status__in=(InvulbestandStatus.CHECKING, InvulbestandStatus.ADDING), queued_at__lt=cut_off
        )
        uploads = list(waiting.only("pk"))
        for upload in uploads:
            _queue(upload)
        Invulbestand.objects.filter(pk__in=[u.pk for u in uploads]).update(queued_at=timezone.now())
    return len(uploads)


def _checked(
    project: Project, upload: Invulbestand, by: User
) -> tuple[CheckResult, set[tuple[int, int]], list[dict[str, object]]]:
    """The file checked against the verantwoording as it is now, the kandidaten it was checked against, and
    the rows whose line someone changed, validated, returned or deleted since the upload's check: those are
    left alone and named, whatever the check now says of them. Any other problem refuses the whole file."""
    seen = _kandidaten_state(project)
    result = check_rows(project, by, bytes(upload.content), upload.file_name)
    meanwhile: dict[int, str] = {
        row: CHANGED_MEANWHILE.format(pk=line.pk)
        for row, line in result.refs.items()
        if line.revision != upload.line_revisions.get(str(line.pk))
    }
    meanwhile |= {
        row: DELETED_MEANWHILE.format(pk=pk) for row, pk in result.gone.items() if str(pk) in upload.line_revisions
    }
    if result.refused or any(problem.row not in meanwhile for problem in result.problems):
        raise ProjectError(
            "Het bestand heeft nu fouten: de verantwoording is sinds de controle veranderd. Upload het opnieuw "
            "om ze te zien. Er is niets toegevoegd."
        )
    passed = {row.row for row in result.lines}  # a passed row's line is left alone by _Commit.plan, and named
    left = [{"row": row, "message": message} for row, message in meanwhile.items() if row not in passed]
    return result, seen, left


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
        self.saved: list[tuple[RowLine, Inzet]] = []  # in the file's order
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
            self.saved.append((row, inzet))
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
    """Uploaded files hold personal data (kandidaten): INVULBESTAND_KEEP_DAYS after its upload a check is
    removed, and of a file that was added only the record stays (who, when, file name and hash, the counts:
    the project's Historie shows it); its content and the preview with the kandidaten's names go.
    Returns how many were removed or emptied."""
    cut_off = (now or timezone.now()) - timedelta(days=settings.INVULBESTAND_KEEP_DAYS)
    old = Invulbestand.objects.filter(uploaded_at__lt=cut_off)
    removed, _ = old.filter(committed_at__isnull=True).delete()
    emptied = old.filter(committed_at__isnull=False).exclude(content=b"", preview={}).update(content=b"", preview={})
    return removed + emptied

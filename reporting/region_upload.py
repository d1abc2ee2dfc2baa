"""A region workbook on its way in through the portal (issue #32): functioneel beheer uploads it, Celery checks it
with a trial run (`region_import(dry_run=True)`), beheer reads what it would do and imports it, and Celery imports it.
`manage.py import_region` does the same from the command line. Every step is recorded on the `RegionImport`."""

import hashlib
import logging
from dataclasses import asdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import RegionImport, RegionImportStatus
from .region_import import ImportRefused, region_import
from .region_read import read_region_workbook

logger = logging.getLogger(__name__)

FAILED = (
    "Er ging iets mis bij het verwerken: er is niets opgeslagen. Probeer het opnieuw; lukt het dan niet, meld het "
    "dan bij de ontwikkelaars."
)


class RegionImportError(Exception):
    pass


def region_upload(*, upload: UploadedFile, by: User) -> RegionImport:
    """Keep the upload and hand its check to Celery."""
    content = upload.read()
    run = RegionImport.objects.create(
        file_name=(upload.name or "regio.xlsx")[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        by=by,
        status=RegionImportStatus.CHECKING,
    )
    _queue(run)
    return run


@transaction.atomic
def region_import_queue(*, run: RegionImport, by: User) -> RegionImport:
    """Regio importeren: a checked upload without problems goes to Celery to be written."""
    run = RegionImport.objects.select_for_update().get(pk=run.pk)
    if run.status != RegionImportStatus.CHECKED or run.problems:
        raise RegionImportError("Deze werkmap kan niet (meer) worden geïmporteerd.")
    run.status, run.by, run.error = RegionImportStatus.IMPORTING, by, ""
    run.save(update_fields=["status", "by", "error"])
    _queue(run)
    return run


def _queue(run: RegionImport) -> None:
    run_id = run.pk
    transaction.on_commit(lambda: _hand_over(run_id))


def _hand_over(run_id: int) -> None:
    from .tasks import run_region_import

    try:
        run_region_import.apply_async(args=[run_id], retry=False)
    except Exception:  # the broker is down: say so on the page instead of leaving it waiting
        logger.warning("region import %s not queued (broker unreachable)", run_id)
        RegionImport.objects.filter(pk=run_id, status=RegionImportStatus.CHECKING).update(
            status=RegionImportStatus.REFUSED, error="De controle kon niet starten. Upload de werkmap later opnieuw."
        )
        RegionImport.objects.filter(pk=run_id, status=RegionImportStatus.IMPORTING).update(
            status=RegionImportStatus.CHECKED, error="Het importeren kon niet starten. Probeer het later opnieuw."
        )


def region_import_run(run_id: int) -> str:
    """Celery's part: the check of an upload, or its import. Run twice, the second run finds the work done (the
    upload is locked while it runs, and its status moves on in the same transaction)."""
    try:
        return _run(run_id)
    except Exception:
        RegionImport.objects.filter(pk=run_id, status=RegionImportStatus.CHECKING).update(
            status=RegionImportStatus.REFUSED, error=FAILED, content=b""
        )
        RegionImport.objects.filter(pk=run_id, status=RegionImportStatus.IMPORTING).update(
            status=RegionImportStatus.CHECKED, error=FAILED
        )
        raise


@transaction.atomic
def _run(run_id: int) -> str:
    run = RegionImport.objects.select_for_update(of=("self",)).filter(pk=run_id).select_related("by").first()
    if run is None or run.status not in (RegionImportStatus.CHECKING, RegionImportStatus.IMPORTING):
        return "done"
    read = read_region_workbook(bytes(run.content), run.file_name)
    checking = run.status == RegionImportStatus.CHECKING
    try:
        report = region_import(read, by=run.by, dry_run=checking, run=None if checking else run)
    except ImportRefused as refused:
        run.status, run.content = RegionImportStatus.REFUSED, b""
        run.problems = [asdict(problem) for problem in refused.problems]
        run.save(update_fields=["status", "content", "problems"])
        return "refused"
    if checking:
        run.status = RegionImportStatus.CHECKED
        run.created, run.existing = dict(report.created), dict(report.existing)
        run.differences = [difference.as_json() for difference in report.differences]
        run.save(update_fields=["status", "created", "existing", "differences"])
        return "checked"
    return "imported"


KEPT_TOO_LONG = "De werkmap is {days} dagen na het uploaden verwijderd zonder import. Upload hem opnieuw."


def region_imports_cleanup(now: datetime | None = None) -> int:
    """Empty the region workbooks checked more than REGION_IMPORT_KEEP_DAYS ago and never imported (they hold
    personal data); the record of the upload stays. Returns how many."""
    days = settings.REGION_IMPORT_KEEP_DAYS
    cut_off = (now or timezone.now()) - timedelta(days=days)
    waiting = RegionImport.objects.filter(status=RegionImportStatus.CHECKED, at__lt=cut_off)
    return waiting.update(status=RegionImportStatus.REFUSED, content=b"", error=KEPT_TOO_LONG.format(days=days))

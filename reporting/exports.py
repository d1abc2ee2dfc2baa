"""Large exports through Celery: the request queues an `Export`, a worker writes the workbook.

A report that would exceed `EXPORT_SYNC_MAX_ROWS` rows is built in the background; the user
follows its progress on a page that refreshes itself (no JavaScript needed) and downloads the
file when it is ready. `EXPORTERS` maps a report to the function that yields its sheets for a
user and filter parameters — the same function the synchronous download uses.
"""

import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .excel import Sheet, workbook_write
from .models import Export, ExportStatus
from .region_export import region_export
from .reports import REPORTS

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000

# report slug -> (user, params) -> (row count, sheets): the same rows as the synchronous download.
EXPORTERS: dict[str, Callable[[User, dict[str, Any]], tuple[int, Sequence[Sheet]]]] = {
    **{slug: report.export for slug, report in REPORTS.items()},
    "regio": region_export,  # a whole region (issue #32), always in the background
}


@transaction.atomic
def export_queue(*, user: User, report: str, params: dict[str, Any], title: str, filename: str, rows: int) -> Export:
    """Queue a background export (the task starts once this transaction commits)."""
    from .tasks import build_export

    export = Export.objects.create(
        user=user, report=report, params=params, title=title, filename=filename, rows_total=rows
    )
    build_export.delay_on_commit(export.pk)
    return export


class _Progress:
    """Counts the rows of every sheet of one export together, recording them every PROGRESS_EVERY rows."""

    def __init__(self, export_id: int) -> None:
        self.export_id, self.done = export_id, 0

    def counting(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        for row in rows:
            self.done += 1
            if self.done % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=self.export_id).update(rows_done=self.done)
            yield row
        Export.objects.filter(pk=self.export_id).update(rows_done=self.done)


def export_run(export_id: int) -> bool:
    """Build a queued export; idempotent: a done or running export is left alone."""
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    if not claimed:
        return False
    export = Export.objects.select_related("user").get(pk=export_id)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        count, sheets = EXPORTERS[export.report](export.user, export.params)
        Export.objects.filter(pk=export_id).update(rows_total=count)
        progress = _Progress(export_id)
        sheets = [Sheet(s.title, s.columns, progress.counting(s.rows), s.about) for s in sheets]
        workbook_write(sheets, path)
        with open(path, "rb") as stream:
            export.file.save(export.filename, File(stream), save=False)
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.DONE, file=export.file.name, finished_at=timezone.now()
        )
        return True
    except Exception as error:
        logger.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        os.unlink(path)


def exports_cleanup(older_than: timedelta = timedelta(days=1)) -> int:
    """Files with personal data don't linger: remove exports (and their files) after a day."""
    removed = 0
    for export in Export.objects.filter(created_at__lt=timezone.now() - older_than):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return removed


def sync_limit() -> int:
    return int(getattr(settings, "EXPORT_SYNC_MAX_ROWS", 20_000))

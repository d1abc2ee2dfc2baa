from celery import shared_task

from .exports import export_run, exports_cleanup
from .region_upload import region_import_run, region_imports_cleanup


@shared_task(acks_late=True)
def build_export(export_id: int) -> bool:
    """Write a large Excel export in the background."""
    return export_run(export_id)


@shared_task
def cleanup_exports() -> int:
    """Daily: remove exports older than a day, with their files."""
    return exports_cleanup()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_region_import(run_id: int) -> str:
    """Check an uploaded region workbook, or import it, in the background (issue #32)."""
    return region_import_run(run_id)


@shared_task
def cleanup_region_imports() -> int:
    """Daily: empty region workbooks checked more than REGION_IMPORT_KEEP_DAYS ago and never imported."""
    return region_imports_cleanup()

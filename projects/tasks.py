from celery import shared_task

from .services.invulbestand import invulbestand_run, invulbestanden_cleanup, invulbestanden_resume
from .services.retention import kandidaten_pseudonymise
from .services.schedule import daily_schedule_run
from .services.valuation import projects_values_refresh_due


@shared_task
def refresh_project_values() -> int:
    """Daily: bring every active project's SR actueel up to today."""
    return projects_values_refresh_due()


@shared_task
def daily_schedule() -> dict[str, int]:
    """Daily: kwartaalherinneringen and end-of-project signals that are due and not yet sent."""
    return daily_schedule_run()


@shared_task
def pseudonymise_kandidaten() -> int:
    """Weekly: pseudonymise kandidaten whose projects were all afgerond longer than RETENTION_YEARS ago."""
    return len(kandidaten_pseudonymise().kandidaat_ids)


@shared_task
def cleanup_invulbestanden() -> int:
    """Daily: remove checked invulbestanden older than INVULBESTAND_KEEP_DAYS (they hold personal data)."""
    return invulbestanden_cleanup()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_invulbestand(upload_id: int) -> str:
    """Check a large invulbestand, or add its lines, in the background (issue #30)."""
    return invulbestand_run(upload_id)


@shared_task
def resume_invulbestanden() -> int:
    """Every few minutes: hand checks and commits whose worker died to Celery again."""
    return invulbestanden_resume()

from celery import shared_task

from .services.invulbestand import invulbestanden_cleanup
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

from celery import shared_task

from .services.valuation import projects_values_refresh_due


@shared_task
def refresh_project_values() -> int:
    """Daily: bring every active project's SR actueel up to today."""
    return projects_values_refresh_due()

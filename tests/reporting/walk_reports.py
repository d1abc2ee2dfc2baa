"""Authorization expectations for reports (merged into tests/test_authorization_walk.py).

Every logged-in role opens every report and its export: what a report shows is scoped by the
same `for_user` querysets as the pages (tests/reporting/test_reports.py proves the scoping).
Anonymous visitors are sent to the login page. Reports only read: a POST is 405.
"""

from types import ModuleType

REPORT_URLS = ("projects", "kandidaten", "kosten", "overlap")


def expectations(walk: ModuleType) -> dict:
    """URL name -> list of walk.Case; use walk.portal(), walk.project(...), walk.Case like the walk does."""
    return {
        f"reporting:{name}{suffix}": [walk.Case(walk.portal(), post=walk.every_logged_in(405))]
        for name in REPORT_URLS
        for suffix in ("", "-export")
    }

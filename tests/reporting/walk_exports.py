"""Authorization expectations for exports (merged into tests/test_authorization_walk.py)."""

from types import ModuleType


def expectations(walk: ModuleType) -> dict:
    """URL name -> list of walk.Case; use walk.portal(), walk.project(...), walk.Case like the walk does."""
    # Downloads only read: a POST is 405 before the project is looked up (so it reveals nothing either).
    read_only = walk.every_logged_in(405)
    return {
        # The detailoverzicht is the detail screen as a download: whoever sees the project gets it.
        "reporting:project-overview": [
            walk.Case(seen, walk.project(name), name, post=read_only) for name, seen in walk.ON_PROJECTS.items()
        ],
        # The cast's projects are not approved yet: back to the project with the reason, 404 if unseen.
        "reporting:project-akkoord": walk.with_post(walk.per_project({}), post=read_only),
    }

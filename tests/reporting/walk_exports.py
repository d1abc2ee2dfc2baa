"""Authorization expectations for exports (merged into tests/test_authorization_walk.py)."""

from types import ModuleType


def expectations(walk: ModuleType) -> dict:
    """URL name -> list of walk.Case; use walk.portal(), walk.project(...), walk.Case like the walk does."""
    return {}

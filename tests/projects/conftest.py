import pytest

from projects.models import Project
from tests.projects.cast import brug_veenhoven


@pytest.fixture
def project(olga, otto, wim) -> Project:  # type: ignore[no-untyped-def]
    """Brug Veenhoven (`cast.brug_veenhoven`); a test module needing another one defines its own."""
    return brug_veenhoven(olga, otto, wim)

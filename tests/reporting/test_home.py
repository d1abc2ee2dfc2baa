"""The home page tells each role what waits for it."""

import pytest
from django.urls import reverse

from projects.models import Inzet, InzetStatus
from tests.conftest import Client, login
from tests.projects.cast import projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def test_wsp_sees_lines_to_validate_and_projects_to_approve(cast, wim):
    page = login(Client(), wim).get(reverse("home")).content.decode()
    assert "<strong>1</strong> regels te valideren" in page
    assert "<strong>1</strong> projecten waarvan de verantwoording goedgekeurd kan worden" in page


def test_opdrachtnemer_sees_returned_lines(cast, otto):
    client = login(Client(), otto)
    assert "Er wacht op dit moment niets op u." in client.get(reverse("home")).content.decode()
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook")
    assert "<strong>1</strong> teruggestuurde regels om te corrigeren" in client.get(reverse("home")).content.decode()


def test_nothing_of_another_region_is_counted(cast, gert):
    assert "Er wacht op dit moment niets op u." in login(Client(), gert).get(reverse("home")).content.decode()

"""The home page tells each role what waits for it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from projects.models import Inzet, InzetStatus
from tests.conftest import Client, login
from tests.projects.cast import make_inzet, projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def test_wsp_sees_lines_to_validate_and_projects_to_approve(cast, wim):
    page = login(Client(), wim).get(reverse("home")).content.decode()
    # One of each: the singular (issue 24), not "1 regels".
    assert "1 regel te valideren</a>" in page
    assert "1 project waarvan de verantwoording goedgekeurd kan worden" in page
    assert "1 regels" not in page and "1 projecten" not in page


def test_counts_above_one_are_plural(cast, wim):
    start = cast["project"].start_date + timedelta(days=210)
    make_inzet(cast["project"], cast["kandidaat"], start_date=start, end_date=start + timedelta(days=30))
    page = login(Client(), wim).get(reverse("home")).content.decode()
    assert "2 regels te valideren</a>" in page


def test_opdrachtnemer_sees_returned_lines(cast, otto):
    client = login(Client(), otto)
    assert "Er wacht op dit moment niets op u." in client.get(reverse("home")).content.decode()
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook")
    assert "1 teruggestuurde regel om te corrigeren</a>" in client.get(reverse("home")).content.decode()


def test_a_name_that_ends_in_a_full_stop_gets_no_second_one(cast, otto):
    otto.organisation.name = "Bouwbedrijf Hunzebouw B.V."
    otto.organisation.save()
    page = login(Client(), otto).get(reverse("home")).content.decode()
    assert "namens Bouwbedrijf Hunzebouw B.V.</p>" in page
    assert "B.V.." not in page


def test_nothing_of_another_region_is_counted(cast, gert):
    assert "Er wacht op dit moment niets op u." in login(Client(), gert).get(reverse("home")).content.decode()

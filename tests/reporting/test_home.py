"""The home page tells each role what waits for it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from tests.conftest import Client, login
from tests.projects.cast import make_inzet, make_project, projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def test_wsp_sees_lines_to_validate_and_projects_to_approve(cast, wim):
    page = login(Client(), wim).get(reverse("home")).content.decode()
    # One of each: the singular (issue 24), not "1 regels".
    assert "1 regel te valideren in 1 project</a>" in page
    assert "1 project waarvan de verantwoording goedgekeurd kan worden" in page
    assert "1 regels" not in page and "1 projecten" not in page


def test_counts_above_one_are_plural(cast, wim):
    start = cast["project"].start_date + timedelta(days=210)
    make_inzet(cast["project"], cast["kandidaat"], start_date=start, end_date=start + timedelta(days=30))
    page = login(Client(), wim).get(reverse("home")).content.decode()
    assert "2 regels te valideren in 1 project</a>" in page


def test_opdrachtnemer_sees_returned_lines(cast, otto):
    client = login(Client(), otto)
    assert "Er wacht op dit moment niets op u." in client.get(reverse("home")).content.decode()
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook")
    assert "1 teruggestuurde regel om te corrigeren in 1 project</a>" in client.get(reverse("home")).content.decode()


def test_a_name_that_ends_in_a_full_stop_gets_no_second_one(cast, otto):
    otto.organisation.name = "Bouwbedrijf Hunzebouw B.V."
    otto.organisation.save()
    page = login(Client(), otto).get(reverse("home")).content.decode()
    assert "namens Bouwbedrijf Hunzebouw B.V.</p>" in page
    assert "B.V.." not in page


def test_nothing_of_another_region_is_counted(cast, gert):
    assert "Er wacht op dit moment niets op u." in login(Client(), gert).get(reverse("home")).content.decode()


FIGURE = re.compile(r'<li><a class="utrecht-link" href="(/projecten/\?taak=[a-z]+)">([^<]*)</a></li>')


@pytest.mark.parametrize("who", ["olga", "otto", "wim", "cora"])
def test_every_figure_leads_to_a_list_of_as_many_projects_as_it_says(cast, who, request):
    """The figure and the list behind it are the same selection (projects.selectors.TAKEN)."""
    user = request.getfixturevalue(who)
    project, other = cast["project"], cast["project_other_org"]
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook")
    start = project.start_date + timedelta(days=210)
    make_inzet(project, cast["kandidaat"], start_date=start, end_date=start + timedelta(days=30))
    make_inzet(other, cast["other_kandidaat"])
    approved = make_project(
        name="Kade Veenhoven",
        opdrachtgever=project.opdrachtgever,
        opdrachtnemer=project.opdrachtnemer,
        accountmanager=project.accountmanager,
        contacts=[request.getfixturevalue("olga"), project.accountmanager],
    )
    Project.objects.filter(pk=approved.pk).update(status=ProjectStatus.GOEDGEKEURD)
    client = login(Client(), user)
    figures = FIGURE.findall(client.get(reverse("home")).content.decode())
    assert figures, f"{who} has something waiting in this cast"
    for url, text in figures:
        said = int(re.findall(r"(\d+) (?:goedgekeurde? )?project(?:en)?\b", text)[-1])
        page = client.get(url).content.decode()
        rows = page.count('<td class="utrecht-table__cell" data-label="Projectnaam">')
        assert rows == said, f"{who}: {text!r} but {url} lists {rows}"
        assert f"{said} project" in page and "Alle projecten tonen" in page


def test_a_figure_of_another_role_filters_nothing(cast, otto):
    """An opdrachtnemer that opens the WSP's list sees its own projects, unfiltered and told so by nothing."""
    page = login(Client(), otto).get(reverse("projects:list") + "?taak=valideren").content.decode()
    assert "Alle projecten tonen" not in page and "gevonden" not in page

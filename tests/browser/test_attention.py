"""The first screen of a role in Chromium (issue 25): the projects that ask something of
it, as a chart and as a table, at 1280 px (a table, no sideways scrolling) and at 320 px (cards);
axe finds nothing at either width."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Organisation, OrganisationKind
from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from tests.browser.conftest import sign_in
from tests.browser.test_responsive import assert_fits_laptop, assert_reflows_on_phone
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory, coordinatiepunt
from tests.projects.cast import make_inzet, make_kandidaat, make_project

PROJECTS = [
    ("Herinrichting N381 Drachten–Emmen inclusief fietstunnels en ecoducten", 40, "1234567.89", "250000.00"),
    ("Renovatie en verduurzaming van 420 huurwoningen in Emmerhout", 200, "800000.00", "900000.00"),
    ("Vervanging kademuren Hoogeveensche Vaart", 500, "300000.00", "120000.00"),
]


@pytest.fixture
def people(db: None) -> dict:
    punt = coordinatiepunt("drenthe")
    drenthe = punt.region
    wsp = Organisation.objects.create(name="Werkgeversservicepunt Drenthe", kind=OrganisationKind.WSP, region=drenthe)
    wim = UserFactory(name="Wim Werkgever", organisation=wsp)
    gemeente = OrganisationFactory(name="Gemeente Midden-Drenthe, afdeling Openbare Ruimte", region=drenthe)
    olga = UserFactory(name="Olga Opdracht", organisation=gemeente)
    aannemer = OpdrachtnemerFactory(name="Bouwcombinatie Hunze en Aa B.V.", regions=[drenthe])
    otto = UserFactory(name="Otto Nemer", organisation=aannemer)
    today = timezone.localdate()
    for name, days_left, verplichting, prognose in PROJECTS:
        project = make_project(
            name=name,
            opdrachtgever=gemeente,
            opdrachtnemer=aannemer,
            accountmanager=wim,
            contacts=[olga, otto, wim],
            start_date=today - timedelta(days=300),
            end_date=today + timedelta(days=days_left),
            verplichting=Decimal(verplichting),
        )
        line = make_inzet(project, make_kandidaat(aannemer, surname=f"Jansen {days_left}"))
        Inzet.objects.filter(pk=line.pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook ontbreekt")
        Project.objects.filter(pk=project.pk).update(sr_prognose=Decimal(prognose), sr_actueel=Decimal(prognose) / 2)
    cora = UserFactory(name="Cora Coördinator", organisation=punt)
    return {"otto": otto, "olga": olga, "wim": wim, "cora": cora}


@pytest.mark.parametrize(
    ("who", "heading", "first_action"),
    [
        ("otto", "Uw verplichting per project", "Corrigeer 1 teruggestuurde regel"),
        ("olga", "Projecten met risico", "Tekort € 984.568; loopt nog 40 dagen"),
        ("wim", "Projecten die uw aandacht vragen", "Loopt af over 40 dagen"),
        ("cora", "Waar de regio achterloopt", "Tekort € 984.568; loopt nog 40 dagen"),
    ],
)
def test_the_first_screen_says_what_to_do_next(page: Page, people: dict, who: str, heading: str, first_action: str):
    sign_in(page, people[who])
    section = page.get_by_role("region", name=heading)
    expect(section).to_be_visible()
    expect(section.get_by_role("img", name=f"{heading}: verplichting, actueel en prognose per project")).to_be_visible()
    table = section.get_by_role("table", name=f"{heading}: per project wat er te doen is")
    first = table.get_by_role("row").nth(1)
    expect(first).to_contain_text(PROJECTS[0][0])
    expect(first).to_contain_text(first_action)
    first.get_by_role("link", name=PROJECTS[0][0]).focus()

    assert_fits_laptop(page, ".srm-attention-table")
    assert_reflows_on_phone(page, ".srm-attention-table")
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize(
    ("who", "figure", "rows"),
    [
        ("otto", "3 teruggestuurde regels om te corrigeren in 3 projecten", 3),
        ("olga", "1 goedgekeurd project om af te ronden", 1),
        ("wim", "2 regels te valideren in 2 projecten", 2),
        ("cora", "2 regels te valideren in 2 projecten", 2),
    ],
)
def test_a_figure_of_the_first_screen_leads_to_as_many_projects(page: Page, people: dict, who: str, figure, rows):
    projects = list(Project.objects.order_by("end_date"))
    for project in projects[:2]:
        make_inzet(project, make_kandidaat(project.opdrachtnemer, surname=f"Bakker {project.pk}"))
    Project.objects.filter(pk=projects[2].pk).update(status=ProjectStatus.GOEDGEKEURD)
    sign_in(page, people[who])
    page.get_by_role("link", name=figure).click()

    expect(page.get_by_role("heading", name="Projecten", level=1)).to_be_visible()
    expect(page.locator(".srm-project-table tbody tr")).to_have_count(rows)
    expect(page.locator("#project-count")).to_contain_text(f"{rows} project")
    page.get_by_role("link", name="Alle projecten tonen").click()
    expect(page.locator(".srm-project-table tbody tr")).to_have_count(3)

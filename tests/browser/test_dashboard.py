"""The dashboard as people see it: a WSP opens the home page and the Rapportage page, the charts
have their accessible names and tables, the pages pass axe, and nothing breaks the CSP."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from accounts.models import Organisation, OrganisationKind
from projects.models import Inzet, InzetStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory, coordinatiepunt
from tests.projects.cast import make_inzet, make_kandidaat, make_project


def test_wsp_reads_the_dashboard_on_home_and_rapportage(page: Page, live_server):
    region = coordinatiepunt("drenthe").region
    wsp = Organisation.objects.create(name="WSP Drenthe", kind=OrganisationKind.WSP, region=region)
    wim = UserFactory(name="Wim Werkgever", organisation=wsp)
    aannemer = OpdrachtnemerFactory(name="Hunzebouw", regions=[region])
    for number, name in enumerate(["Gemeente Veenhoven", "Gemeente Brinkerveld"], start=1):
        project = make_project(
            name=f"Project {name}",
            opdrachtgever=OrganisationFactory(name=name, region=region),
            opdrachtnemer=aannemer,
            accountmanager=wim,
            contacts=[wim],
            verplichting=Decimal(20000 * number),
        )
        make_inzet(project, make_kandidaat(aannemer, surname=f"Jansen {number}"))
        checked = make_inzet(project, make_kandidaat(aannemer, surname=f"Bakker {number}"))
        Inzet.objects.filter(pk=checked.pk).update(status=InzetStatus.GEVALIDEERD)
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )

    sign_in(page, wim)
    expect(page.get_by_role("heading", name="Dashboard social return")).to_be_visible()
    expect(page.get_by_role("heading", name="Wat op u wacht")).to_be_visible()
    chart = page.get_by_role("img", name="SR actueel en prognose per opdrachtgever ten opzichte van de verplichting")
    expect(chart).to_be_visible()
    realisatie = page.get_by_role("table", name="Realisatie per opdrachtgever")
    expect(realisatie.get_by_role("rowheader", name="Gemeente Brinkerveld")).to_be_visible()
    expect(realisatie.get_by_role("row", name="Totaal")).to_contain_text("€ 60.000,00")
    expect(page.get_by_role("img", name="Verantwoordingsregels per status")).to_be_visible()
    regels = page.get_by_role("table", name="Regels op uw actieve projecten")
    expect(regels.get_by_role("row", name="Gevalideerd")).to_contain_text("2")
    expect(page.get_by_role("img", name="Kandidaten per doelgroep")).to_be_visible()
    expect(page.get_by_role("img", name="SR actueel per kwartaal")).to_be_visible()
    # The stylesheet, not an inline style, gives the bars their colour.
    assert chart.locator(".srm-chart__actueel").first.evaluate("el => getComputedStyle(el).fill") == "rgb(27, 94, 32)"
    assert_accessible(page)
    # On a phone the realisation table scrolls sideways, within a region the keyboard can reach.
    page.set_viewport_size({"width": 400, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/rapportage/")
    expect(page.get_by_role("heading", name="Rapportage", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Dashboard social return")).to_be_visible()
    expect(page.get_by_role("table", name="Realisatie per opdrachtgever")).to_be_visible()
    assert_accessible(page)
    assert csp_errors == []

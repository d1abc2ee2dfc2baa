"""Issue 3 as people use it: a coördinatiepunt edits its region's Beleid, an opdrachtnemer
uses the SR-rekenhulp, and a user of another region sees none of the changes."""

from playwright.sync_api import Page, expect

from accounts.models import Organisation, OrganisationKind
from policy.models import NewsItem
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import OpdrachtnemerFactory, UserFactory, coordinatiepunt, seeded_policy


def test_coordinatiepunt_edits_beleid_and_publishes_news_that_another_region_does_not_see(
    page: Page, browser, live_server
):
    drenthe, groningen = coordinatiepunt("drenthe"), coordinatiepunt("groningen")
    cora = UserFactory(name="Cora Coördinator", organisation=drenthe)
    wsp_groningen = Organisation.objects.create(
        name="WSP Groningen", kind=OrganisationKind.WSP, region=groningen.region
    )
    wendy = UserFactory(name="Wendy Wad", organisation=wsp_groningen)

    sign_in(page, cora)
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beleid").click()
    expect(page.get_by_role("heading", name="Beleid Drenthe")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Stage")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tekst bewerken").click()
    assert_accessible(page)
    page.get_by_label("Uitvoeringsvoorwaarden").fill(
        "## Drentse afspraak\n\n- Werkgevers melden elk kwartaal hun voortgang."
    )
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De tekst van de uitvoeringsvoorwaarden is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", name="Drentse afspraak")).to_be_visible()

    page.goto("/nieuws/")
    page.get_by_role("link", name="Nieuw bericht").click()
    page.get_by_label("Titel").fill("Kwartaalcijfers Drenthe")
    page.get_by_label("Bericht").fill("De cijfers staan **online**.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Kwartaalcijfers Drenthe", level=1)).to_be_visible()

    other = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    sign_in(other, wendy)
    other.goto("/beleid/")
    expect(other.get_by_role("heading", name="Beleid Groningen")).to_be_visible()
    expect(other.get_by_text("Drentse afspraak")).to_have_count(0)
    other.goto("/nieuws/")
    expect(other.get_by_role("heading", name="Nieuwsberichten regio Groningen")).to_be_visible()
    expect(other.get_by_text("Kwartaalcijfers Drenthe")).to_have_count(0)
    drenthe_news = NewsItem.objects.get(title="Kwartaalcijfers Drenthe")
    assert other.goto(f"/nieuws/{drenthe_news.pk}/").status == 404
    assert other.goto(f"/beleid/versies/{seeded_policy(drenthe.region).pk}/").status == 404


def test_opdrachtnemer_computes_a_stage_line_and_sees_the_cap(page: Page, live_server):
    region = coordinatiepunt("drenthe").region
    otto = UserFactory(name="Otto Nemer", organisation=OpdrachtnemerFactory(regions=[region]))

    sign_in(page, otto)
    page.goto("/rekenhulp/")
    assert_accessible(page)
    page.get_by_label("Soort inzet").select_option(label="Stage")
    page.get_by_label("Doelgroep van de kandidaat").select_option("stagiair")
    page.get_by_label("Niveau (bij stage)").select_option("mbo")
    page.get_by_label("Bedrag (€)").fill("500,00")
    page.get_by_label("Startdatum", exact=True).fill("2025-02-01")
    page.get_by_label("Einddatum", exact=True).fill("2025-04-30")
    page.get_by_role("button", name="Bereken").click()

    expect(page.locator("#prognose")).to_have_text("€ 1.050,00")
    expect(page.get_by_text("Stagevergoeding begrensd op € 350,00 per maand (mbo)")).to_be_visible()
    assert_accessible(page)

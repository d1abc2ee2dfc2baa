"""The content pages (SPEC §8) as the coördinatiepunt uses them, checked with axe on the way."""

from playwright.sync_api import Page, expect

from policy.models import InfoPage, NewsItem
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory, coordinatiepunt


def test_coordinatiepunt_publishes_news_and_edits_contact_details(page: Page, live_server):
    organisation = coordinatiepunt("drenthe")
    cora = UserFactory(name="Cora Coördinator", email="cora@csr-drenthe.invalid", organisation=organisation)
    NewsItem.objects.create(region=organisation.region, title="Welkom in de monitor", body="# Start\n- Log in")
    InfoPage.objects.create(region=organisation.region, kind="faq", title="Wat telt als inzet?", body="Uitleg")
    sign_in(page, cora)

    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Nieuwsberichten").click()
    expect(page.get_by_role("heading", name="Nieuwsberichten regio Drenthe")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nieuw bericht").click()
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Nieuwe Menukaart")
    page.get_by_label("Bericht").fill("De bedragen zijn **verhoogd**.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het nieuwsbericht is gepubliceerd.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nieuwe Menukaart", level=1)).to_be_visible()
    assert_accessible(page)

    page.goto("/informatie/")
    expect(page.get_by_role("heading", name="Veelgestelde vragen")).to_be_visible()
    assert_accessible(page)

    page.goto("/contact/")
    page.get_by_role("link", name="Contactgegevens bewerken").click()
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("sr@csr-drenthe.invalid")
    page.get_by_label("Contactpersoon").fill("Team Social Return")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De contactgegevens zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_role("link", name="sr@csr-drenthe.invalid")).to_be_visible()
    assert_accessible(page)

"""Issue #31 as the people do it: functioneel beheer adds a region in the admin, its first coördinatiepunt user
activates the account, sets the region's Menukaart (bouwblokken) from a workbook and publishes it, and an
opdrachtnemer's line in that region gets the value those rules give — computed by hand below."""

import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Organisation, OrganisationKind, Region, User
from policy.models import PolicyVersion
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
from policy.workbook import policy_workbook
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_account_flows import activate, last_mail_link, log_in
from tests.conftest import app_code
from tests.factories import OpdrachtnemerFactory, UserFactory
from tests.projects.cast import make_project

PASSWORD = "Utrechts-wachtwoord-2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def next_month_start(day):  # type: ignore[no-untyped-def]
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_beheer_adds_a_region_whose_coordinatiepunt_publishes_bouwblokken_that_value_a_line(
    page: Page, browser, live_server, mail_dir, admin_user
):
    # 1. Functioneel beheer adds the region in the admin.
    log_in(page, admin_user.email, "Beheer-wachtwoord-2026", app_code(admin_user))
    page.goto("/beheer/accounts/region/add/")
    expect(page.get_by_role("heading", name="Arbeidsmarktregio toevoegen")).to_be_visible()
    page.get_by_label("Naam:", exact=True).fill("Midden-Utrecht")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Code:", exact=True)).to_have_value("midden-utrecht")  # made from the name
    page.get_by_label("Naam van het coördinatiepunt").fill("Coördinatiepunt Social Return Midden-Utrecht")
    page.get_by_label("E-mailadres van het coördinatiepunt").fill("socialreturn@midden-utrecht.invalid")
    page.get_by_label("Telefoonnummer van het coördinatiepunt").fill("030 123 45 67")
    page.get_by_label("Naam van de eerste medewerker").fill("Ursula Utrecht")
    page.get_by_label("E-mailadres van de eerste medewerker").fill("ursula@midden-utrecht.invalid")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("De arbeidsmarktregio ‘Midden-Utrecht’ is met succes toegevoegd.")).to_be_visible()
    region = Region.objects.get(slug="midden-utrecht")

    # 2. Ursula activates her account from the welkomstmail and pairs her authenticator.
    ursula_page = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    activate(ursula_page, last_mail_link(mail_dir), PASSWORD)
    ursula = User.objects.get(email="ursula@midden-utrecht.invalid")
    log_in(ursula_page, ursula.email, PASSWORD, app_code(ursula))
    expect(ursula_page.get_by_role("heading", name="Welkom, Ursula Utrecht")).to_be_visible()

    # 3. No policy yet: she takes the empty workbook, and uploads her Menukaart filled in.
    ursula_page.get_by_text("Menu", exact=True).click()
    ursula_page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Beleid").click()
    ursula_page.get_by_role("link", name="Leg het beleid vast met een werkmap").click()
    expect(ursula_page.get_by_role("heading", name="Het beleid van Midden-Utrecht uit een werkmap")).to_be_visible()
    assert_accessible(ursula_page)
    with ursula_page.expect_download() as download:
        ursula_page.get_by_role("link", name="Download een lege werkmap met toelichting (Excel)").click()
    assert download.value.suggested_filename == "beleid-midden-utrecht-leeg.xlsx"
    participatiewet = replace(EXAMPLE_BOUWBLOKKEN_RULES.bouwblokken[0], yearly_value=Decimal(45000))
    rules = replace(
        EXAMPLE_BOUWBLOKKEN_RULES,
        title="Menukaart Midden-Utrecht",
        bouwblokken=(participatiewet, *EXAMPLE_BOUWBLOKKEN_RULES.bouwblokken[1:]),
    )
    ursula_page.get_by_label("Beleidswerkmap (.xlsx)").set_input_files(
        files=[{"name": "menukaart.xlsx", "mimeType": XLSX, "buffer": policy_workbook(rules)}]
    )
    ursula_page.get_by_role("button", name="Controleren").click()

    # 4. The preview: the Menukaart and the example placements (there is nothing now to compare with); publish.
    expect(ursula_page.get_by_role("heading", name="Voorbeeld: Menukaart Midden-Utrecht")).to_be_visible()
    example = ursula_page.get_by_role("table", name=re.compile("^Een plaatsing van een half jaar")).get_by_role(
        "row", name=re.compile("^Baan")
    )
    expect(example).to_contain_text("doelgroep Participatiewet")
    expect(example).to_contain_text("Bouwblok Participatiewet: € 45.000,00 per jaar")
    assert_accessible(ursula_page)
    valid_from = timezone.localdate() + timedelta(days=1)
    ursula_page.get_by_label("Geldig vanaf").fill(valid_from.isoformat())
    ursula_page.get_by_label("Uitvoeringsvoorwaarden").fill("Werkgevers in Midden-Utrecht melden elk kwartaal.")
    ursula_page.get_by_role("button", name="Publiceren").click()
    expect(
        ursula_page.get_by_text(f"De nieuwe versie is gepubliceerd en geldt vanaf {valid_from:%d-%m-%Y}.")
    ).to_be_visible()
    assert PolicyVersion.objects.with_rules().get(region=region).to_rules() == rules

    # 5. An opdrachtnemer in the region enters a baan for a kandidaat of the Participatiewet, 24 of 36 hours,
    #    six whole months from the first of next month.
    gemeente = Organisation.objects.create(
        name="Gemeente Utrechtse Heuvelrug", kind=OrganisationKind.OPDRACHTGEVER, region=region
    )
    wsp = Organisation.objects.create(name="WSP Midden-Utrecht", kind=OrganisationKind.WSP, region=region)
    otto = UserFactory(name="Otto Nemer", organisation=OpdrachtnemerFactory(name="Domstad Bouw", regions=[region]))
    start = next_month_start(timezone.localdate())
    end = start
    for _ in range(6):
        end = next_month_start(end)
    end -= timedelta(days=1)
    project = make_project(
        name="Stationsgebied Driebergen",
        opdrachtgever=gemeente,
        opdrachtnemer=otto.organisation,
        accountmanager=UserFactory(name="Wil Wsp", organisation=wsp),
        contacts=[otto],
        start_date=start - timedelta(days=60),
        end_date=start + timedelta(days=400),
    )
    otto_page = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    sign_in(otto_page, otto)
    otto_page.goto(f"/projecten/{project.pk}/")
    otto_page.get_by_role("link", name="Inzet toevoegen").click()
    otto_page.get_by_role("group", name="Soort inzet").get_by_label("Baan (dienstverband)", exact=True).check()
    otto_page.get_by_role("button", name="Verder").click()
    otto_page.get_by_role("link", name="Nieuwe kandidaat toevoegen").click()
    otto_page.get_by_label("Voorletters").fill("P.")
    otto_page.get_by_label("Achternaam").fill("Werkzoekend")
    otto_page.get_by_label("Geboortedatum").fill("1990-05-04")
    otto_page.get_by_label("Doelgroep").select_option("participatiewet_nuo")
    otto_page.get_by_label("Werkloos-werkzoekend sinds").fill("2024-09-01")
    otto_page.get_by_role("button", name="Opslaan").click()
    expect(otto_page.get_by_text("Kandidaat P. Werkzoekend is opgeslagen.")).to_be_visible()
    otto_page.get_by_label("Startdatum").fill(start.isoformat())
    otto_page.get_by_label("Einddatum").fill(end.isoformat())
    otto_page.get_by_label("Uren per week").fill("24")
    otto_page.get_by_role("button", name="Opslaan").click()
    expect(otto_page.get_by_text("De regel is opgeslagen.")).to_be_visible()

    # By hand: € 45.000 a year × 6/12 of a year × 24/36 hours = € 15.000,00.
    expect(otto_page.locator("#prognose")).to_have_text("€ 15.000,00")
    expect(otto_page.locator("#redenen")).to_contain_text("Bouwblok Participatiewet: € 45.000,00 per jaar")
    expect(otto_page.locator("#redenen")).to_contain_text("Naar rato van 24 van 36 uur per week")
    assert_accessible(otto_page)

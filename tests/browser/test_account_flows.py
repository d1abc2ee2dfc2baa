"""The manual's §1.1 (activate and log in) and §1.2 (authenticator re-paired) as a person does them."""

import base64
import email
import re
from pathlib import Path

from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.models import Organisation, OrganisationKind
from tests.browser.conftest import assert_accessible
from tests.conftest import app_code
from tests.factories import PASSWORD, UserFactory, coordinatiepunt

NEW_PASSWORD = "Mijn-eigen-wachtwoord-2026"


def last_mail_link(mail_dir: Path) -> str:
    """Open the newest mail file and take the one-time link (as a path) out of its text part."""
    files = sorted(mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
    assert files, "no mail was written"
    raw = [chunk for chunk in files[-1].read_bytes().split(b"-" * 79) if chunk.strip()][-1]
    message = email.message_from_bytes(raw.strip())
    part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return re.search(r"https?://[^/\s]+(/(?:activeren|wachtwoord-herstellen)/\S+/)", text).group(1)


def code_from_secret(page: Page) -> str:
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    return f"{totp(base64.b32decode(secret)):06d}"


def log_in(page: Page, email_address: str, password: str, code: str) -> None:
    page.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(email_address)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Login").click()
    page.get_by_label("Authenticatiecode").fill(code)
    page.get_by_role("button", name="Login").click()


def activate(page: Page, link: str, password: str) -> None:
    """From the welkomstmail's link: choose a password and pair the authenticator (manual §1.1)."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Account activeren")).to_be_visible()
    page.get_by_label("Nieuw wachtwoord").fill(password)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(password)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("heading", name="Twee-factor authenticatie instellen")).to_be_visible()
    page.get_by_label("Authenticatiecode").fill(code_from_secret(page))
    page.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_text("De authenticator is gekoppeld.")).to_be_visible()


def test_new_user_activates_the_account_and_logs_in(page: Page, live_server, mail_dir):
    organisation = coordinatiepunt("drenthe")
    call_command("invite_user", email="nina@csr-drenthe.invalid", name="Nina Nieuw", organisation=organisation.name)

    page.goto(last_mail_link(mail_dir))
    expect(page.get_by_role("heading", name="Account activeren")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()

    expect(page.get_by_role("heading", name="Twee-factor authenticatie instellen")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Authenticatiecode").fill(code_from_secret(page))
    page.get_by_role("button", name="Verstuur").click()

    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.get_by_text("De authenticator is gekoppeld.")).to_be_visible()
    assert_accessible(page)

    # The code that confirmed the pairing can't be used again: the app's next one.
    code = app_code(TOTPDevice.objects.get(user__email="nina@csr-drenthe.invalid").user)
    log_in(page, "nina@csr-drenthe.invalid", NEW_PASSWORD, code)
    expect(page.get_by_role("heading", name="Welkom, Nina Nieuw")).to_be_visible()
    assert_accessible(page)


def test_reset_authenticator_then_wachtwoord_vergeten_pairs_again(page: Page, live_server, mail_dir, browser):
    cora = UserFactory(
        name="Cora Coördinator",
        email="cora@csr-drenthe.invalid",
        organisation=coordinatiepunt("drenthe"),
    )
    olga = UserFactory(
        name="Olga Opdracht",
        email="olga@veenhoven.invalid",
        organisation=Organisation.objects.create(
            name="Gemeente Veenhoven", kind=OrganisationKind.OPDRACHTGEVER, region=cora.region
        ),
    )
    cora_key = TOTPDevice.objects.get(user=cora).bin_key
    log_in(page, cora.email, PASSWORD, f"{totp(cora_key):06d}")
    expect(page.get_by_role("heading", name="Welkom, Cora Coördinator")).to_be_visible()

    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gebruikers", exact=True).click()
    page.get_by_role("link", name="Olga Opdracht").click()
    page.get_by_role("link", name="Authenticator opnieuw koppelen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, authenticator resetten").click()
    expect(page.get_by_text("De authenticator van Olga Opdracht is gereset")).to_be_visible()

    # Olga, on her own computer, uses Wachtwoord vergeten (manual §1.2).
    olga_page = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    olga_page.goto("/inloggen/")
    olga_page.get_by_role("link", name="Wachtwoord vergeten?").click()
    assert_accessible(olga_page)
    olga_page.get_by_label("E-mailadres").fill(olga.email)
    olga_page.get_by_role("button", name="Verstuur").click()
    expect(olga_page.get_by_role("heading", name="Controleer uw e-mail")).to_be_visible()

    olga_page.goto(last_mail_link(mail_dir))
    olga_page.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    olga_page.get_by_label("Herhaal het nieuwe wachtwoord").fill(NEW_PASSWORD)
    olga_page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(olga_page.get_by_role("heading", name="Twee-factor authenticatie instellen")).to_be_visible()
    olga_page.get_by_label("Authenticatiecode").fill(code_from_secret(olga_page))
    olga_page.get_by_role("button", name="Verstuur").click()
    expect(olga_page.get_by_text("De authenticator is gekoppeld.")).to_be_visible()

    log_in(olga_page, olga.email, NEW_PASSWORD, app_code(olga))
    expect(olga_page.get_by_role("heading", name="Welkom, Olga Opdracht")).to_be_visible()


def test_wachtwoord_wijzigen_keeps_this_session_ends_the_others_and_the_new_password_logs_in(
    page: Page, live_server, mail_dir, browser
):
    olga = UserFactory(
        name="Olga Opdracht",
        email="olga@veenhoven.invalid",
        organisation=Organisation.objects.create(
            name="Gemeente Veenhoven", kind=OrganisationKind.OPDRACHTGEVER, region=coordinatiepunt("drenthe").region
        ),
    )
    log_in(page, olga.email, PASSWORD, app_code(olga))
    expect(page.get_by_role("heading", name="Welkom, Olga Opdracht")).to_be_visible()
    # Her phone is logged in too (with the app's next code: a code works once).
    phone = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    log_in(phone, olga.email, PASSWORD, app_code(olga))
    expect(phone.get_by_role("heading", name="Welkom, Olga Opdracht")).to_be_visible()

    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn account").click()
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("heading", name="Wachtwoord wijzigen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Huidig wachtwoord").fill("Niet-mijn-wachtwoord-1")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.locator("#id_current_password_error")).to_have_text("Het huidige wachtwoord is onjuist.")
    assert_accessible(page)

    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("heading", name="Mijn account")).to_be_visible()
    expect(page.get_by_text("Uw wachtwoord is gewijzigd.")).to_be_visible()
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("heading", name="Welkom, Olga Opdracht")).to_be_visible()  # still logged in here

    phone.reload()
    expect(phone.get_by_role("heading", name="Inloggen")).to_be_visible()  # logged out there
    notices = [path for path in mail_dir.glob("*.log") if b"uw wachtwoord is gewijzigd" in path.read_bytes()]
    assert len(notices) == 1

    # On a fresh computer, with the app's next code: the new password works.
    laptop = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    log_in(laptop, olga.email, NEW_PASSWORD, app_code(olga))
    expect(laptop.get_by_role("heading", name="Welkom, Olga Opdracht")).to_be_visible()
    phone.context.close()
    laptop.context.close()

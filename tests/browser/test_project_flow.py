"""The manual's §3 end to end, as new users do it: a project is made, its opdrachtnemer contact is
invited and fills in the verantwoording, the WSP returns and validates lines, and after the einddatum
the project is approved and closed, after which nothing in it can change."""

import email
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import Organisation, OrganisationKind, User
from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_account_flows import activate, log_in
from tests.conftest import app_code
from tests.factories import OpdrachtnemerFactory, UserFactory, coordinatiepunt

PROJECT = "Nieuwbouw gemeentehuis Veenhoven"
OTTO_EMAIL = "otto@bouwbedrijf-hunze.invalid"
OTTO_PASSWORD = "Otto-zijn-eigen-wachtwoord-2026"
RETURN_REASON = "Stuur de stageovereenkomst mee"
CAPPED = "Stagevergoeding begrensd op € 350,00 per maand (mbo)"
LOCKED = "Dit project is goedgekeurd of afgerond; er kan niets meer worden gewijzigd."


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str


def mails(mail_dir: Path) -> list[Mail]:
    """Every mail the file backend wrote, oldest first (one file per connection, one or more mails per file)."""
    found = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(b"-" * 79):
            if not chunk.strip():
                continue
            message: Message = email.message_from_bytes(chunk.strip())
            part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
            subject = " ".join(str(make_header(decode_header(message["Subject"]))).split())  # unfolded
            found.append(Mail(to=[address.strip() for address in message["To"].split(",")], subject=subject, text=text))
    return found


def mail_to(mail_dir: Path, address: str, subject: str) -> Mail:
    """The newest mail to `address` whose subject contains `subject` (in any case: the guide names a mail
    "Regel teruggestuurd", its subject says "… regel teruggestuurd in project …")."""
    matching = [
        mail for mail in mails(mail_dir) if address in mail.to and subject.casefold() in mail.subject.casefold()
    ]
    assert matching, f"no mail to {address} about {subject!r}: {[(m.to, m.subject) for m in mails(mail_dir)]}"
    return matching[-1]


def link_in(mail: Mail, path_start: str) -> str:
    """The first link in the mail whose path starts with `path_start`, as a path."""
    return re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S*)", mail.text).group(1)


def month_start(today: date, months: int) -> date:
    """The first day of the month `months` away from today's month."""
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[[], Page]]:  # type: ignore[no-untyped-def]
    """Another person's browser (own cookies), closed after the test."""
    contexts: list[BrowserContext] = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def open_project(page: Page, *, waiting: str = "") -> None:
    """Projecten in the menu, then the project; `waiting`: the badge its row shows this user."""
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Projecten", exact=True).click()
    if waiting:
        expect(page.get_by_role("row").filter(has=page.get_by_role("link", name=PROJECT))).to_contain_text(waiting)
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", name=PROJECT, level=1)).to_be_visible()


def open_line(page: Page, soort: str) -> None:
    """From the project page, the line of this soort in the Verantwoording table."""
    page.get_by_role("table", name=re.compile("^Verantwoording")).get_by_role(
        "link", name=re.compile(rf"^{re.escape(soort)}\s*, regel")
    ).click()
    expect(page.get_by_role("heading", name=f"Inzet: {soort}", level=1)).to_be_visible()


def line_status(page: Page, soort: str):  # type: ignore[no-untyped-def]
    """The Status cell of the line of this soort on the project page."""
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=re.compile(rf"^{re.escape(soort)}\s*, regel"))
    )
    return row.get_by_role("cell").last


def test_project_from_creation_to_afgerond_as_the_manual_describes(
    page: Page, new_page: Callable[[], Page], mail_dir: Path
):
    region = coordinatiepunt("drenthe").region
    wsp = Organisation.objects.create(name="WSP Drenthe", kind=OrganisationKind.WSP, region=region)
    wim = UserFactory(name="Wim Werkgeversservicepunt", email="wim@wsp-drenthe.invalid", organisation=wsp)
    gemeente = Organisation.objects.create(
        name="Gemeente Veenhoven", kind=OrganisationKind.OPDRACHTGEVER, region=region
    )
    olga = UserFactory(name="Olga Opdracht", email="olga@veenhoven.invalid", organisation=gemeente)
    aannemer = OpdrachtnemerFactory(name="Bouwbedrijf Hunze B.V.", regions=[region])

    today = timezone.localdate()
    start, end = month_start(today, -13), month_start(today, 2) - timedelta(days=1)
    # Three whole calendar months in the past: at most € 350 a month counts for an mbo stage.
    stage_start, stage_end = month_start(today, -12), month_start(today, -9) - timedelta(days=1)
    werk_start, werk_end = month_start(today, -6), month_start(today, -4) - timedelta(days=1)

    # 1. Olga creates the project: Projecten → Nieuw project.
    sign_in(page, olga)
    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Projecten", exact=True).click()
    expect(page.get_by_role("heading", name="Projecten", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuw project").click()
    expect(page.get_by_role("heading", name="Nieuw project", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Projectnaam").fill(PROJECT)
    page.get_by_label("Kenmerk").fill("AB-2025-017")
    page.get_by_label("Startdatum").fill(start.isoformat())
    page.get_by_label("Einddatum").fill(end.isoformat())
    page.get_by_label("Accountmanager").select_option(label=f"{wim.name} ({wsp.name})")
    page.get_by_role("group", name="Opdrachtnemer").get_by_label("Bestaande opdrachtnemer").select_option(
        label=aannemer.name
    )
    social = page.get_by_role("group", name="Social return")
    expect(social.get_by_text("Contractafspraak", exact=True)).to_be_visible()
    expect(social.get_by_label("SR verplichting (€)")).to_be_visible()  # or opdrachtsom and percentage:
    page.get_by_label("SR verplichting", exact=True).check()
    page.get_by_label("Opdrachtsom (€)").fill("50.000,00")
    page.get_by_label("SR-percentage").fill("5")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_text(f"Het project {PROJECT} is aangemaakt.")).to_be_visible()
    expect(page.get_by_role("heading", name=PROJECT, level=1)).to_be_visible()
    facts = page.locator("#projectgegevens")
    expect(facts).to_contain_text("€ 2.500,00")  # 5 % of € 50.000
    expect(facts).to_contain_text(aannemer.name)
    expect(facts).to_contain_text(wim.name)
    assert_accessible(page)
    project = Project.objects.get(name=PROJECT)
    assert (project.opdrachtgever, project.opdrachtnemer, project.accountmanager) == (gemeente, aannemer, wim)

    # 2. Olga adds Otto, a new contactpersoon of the opdrachtnemer.
    page.get_by_role("link", name="Contactpersoon toevoegen").click()
    expect(page.get_by_role("heading", name="Contactpersoon toevoegen", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Contactpersoon").select_option(label="Nieuwe contactpersoon toevoegen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Nieuwe contactpersoon", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Organisatie").select_option(label=aannemer.name)
    page.get_by_label("Naam", exact=True).fill("Otto Nemer")
    page.get_by_label("E-mailadres").fill(OTTO_EMAIL)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text(f"Er is een welkomstmail verstuurd naar {OTTO_EMAIL}.")).to_be_visible()
    contacts = page.get_by_role("table", name=f"Contactpersonen van {PROJECT}")
    expect(contacts.get_by_role("row").filter(has_text="Otto Nemer")).to_contain_text(aannemer.name)
    expect(page.get_by_text("Beschikbaar nadat de SR verantwoording is goedgekeurd.")).to_be_visible()
    expect(page.get_by_role("button", name="Project afgerond")).to_have_count(0)
    welcome = mail_to(mail_dir, OTTO_EMAIL, "activeer uw account")
    added = mail_to(mail_dir, OTTO_EMAIL, f"u bent toegevoegd aan project {PROJECT}")
    assert link_in(added, "/projecten/") == reverse("projects:detail", args=[project.pk])

    # 3. Otto, on his own computer, activates the account from the welkomstmail.
    otto_page = new_page()
    activate(otto_page, link_in(welcome, "/activeren/"), OTTO_PASSWORD)
    otto = User.objects.get(email=OTTO_EMAIL)
    # The pairing used this period's code: the app shows the next one by the time he logs in.
    log_in(otto_page, OTTO_EMAIL, OTTO_PASSWORD, app_code(otto))
    expect(otto_page.get_by_role("heading", name="Welkom, Otto Nemer")).to_be_visible()

    # 4. Otto adds a kandidaat and two lines: a stage above the cap, and werk.
    open_project(otto_page)
    expect(otto_page.get_by_role("heading", name="Interne notities")).to_have_count(0)
    assert_accessible(otto_page)
    otto_page.get_by_role("link", name="Inzet toevoegen").click()
    expect(otto_page.get_by_role("heading", name="Inzet toevoegen", level=1)).to_be_visible()
    assert_accessible(otto_page)
    otto_page.get_by_role("group", name="Soort inzet").get_by_label("Stage", exact=True).check()
    otto_page.get_by_role("button", name="Verder").click()
    expect(otto_page.get_by_text("Stap 2 van 2: Stage.")).to_be_visible()
    otto_page.get_by_role("link", name="Nieuwe kandidaat toevoegen").click()
    expect(otto_page.get_by_role("heading", name="Nieuwe kandidaat", level=1)).to_be_visible()
    assert_accessible(otto_page)
    otto_page.get_by_label("Voorletters").fill("S.")
    otto_page.get_by_label("Achternaam").fill("Stagiair")
    otto_page.get_by_label("Geboortedatum").fill("2006-03-15")
    otto_page.get_by_label("Doelgroep").select_option("stagiair")
    otto_page.get_by_role("button", name="Opslaan").click()
    expect(otto_page.get_by_text("Kandidaat S. Stagiair is opgeslagen.")).to_be_visible()
    expect(otto_page.get_by_text("Stap 2 van 2: Stage.")).to_be_visible()
    expect(otto_page.get_by_label("Kandidaat")).to_have_value(str(otto.organisation.kandidaten.get().pk))
    otto_page.get_by_label("Startdatum").fill(stage_start.isoformat())
    otto_page.get_by_label("Einddatum").fill(stage_end.isoformat())
    otto_page.get_by_label("Stagevergoeding per maand (€)").fill("500,00")
    otto_page.get_by_label("Niveau").select_option("mbo")
    otto_page.get_by_role("button", name="Bereken").click()
    expect(otto_page.get_by_role("heading", name="Berekening (nog niet opgeslagen)")).to_be_visible()
    expect(otto_page.locator("#prognose")).to_have_text("€ 1.050,00")  # 3 months × € 350
    expect(otto_page.locator("#redenen")).to_contain_text(CAPPED)
    assert_accessible(otto_page)
    otto_page.get_by_role("button", name="Opslaan").click()
    expect(otto_page.get_by_text("De regel is opgeslagen.")).to_be_visible()
    expect(otto_page.get_by_role("heading", name="Inzet: Stage", level=1)).to_be_visible()
    expect(otto_page.locator("#prognose")).to_have_text("€ 1.050,00")
    expect(otto_page.locator("#redenen")).to_contain_text(CAPPED)
    assert_accessible(otto_page)

    otto_page.get_by_role("link", name=f"Terug naar {PROJECT}").click()
    otto_page.get_by_role("link", name="Inzet toevoegen").click()
    werk = "Werk (uitbesteed aan SW-bedrijf of sociale onderneming)"
    otto_page.get_by_label(werk, exact=True).check()
    otto_page.get_by_role("button", name="Verder").click()
    otto_page.get_by_label("Startdatum").fill(werk_start.isoformat())
    otto_page.get_by_label("Einddatum").fill(werk_end.isoformat())
    otto_page.get_by_label("Uitvoeringskosten (€)").fill("2.000,00")
    otto_page.get_by_role("button", name="Opslaan").click()
    expect(otto_page.get_by_text("De regel is opgeslagen.")).to_be_visible()
    expect(otto_page.locator("#prognose")).to_have_text("€ 2.000,00")
    otto_page.get_by_role("link", name=f"Terug naar {PROJECT}").click()
    expect(line_status(otto_page, "Stage")).to_have_text("Ingevoerd")
    expect(line_status(otto_page, werk)).to_have_text("Ingevoerd")

    # 5. Wim returns the stage with a reason and validates the werk line.
    wim_page = new_page()
    sign_in(wim_page, wim)
    open_project(wim_page, waiting="2 te valideren")
    # Before the einddatum there is no switch yet, only when it will come.
    expect(wim_page.get_by_text(f"Beschikbaar na de einddatum {end:%d-%m-%Y}.")).to_be_visible()
    expect(wim_page.get_by_role("button", name="SR verantwoording goedkeuren")).to_have_count(0)
    assert_accessible(wim_page)
    open_line(wim_page, "Stage")
    for heading in ("Ingevoerde gegevens", "Waarde", "Waarom dit bedrag"):
        expect(wim_page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    # The kandidaat is on no other project at the same time: no warning.
    expect(wim_page.get_by_role("heading", name="Let op: overlappende inzet")).to_have_count(0)
    wim_page.get_by_role("link", name="Terugsturen met reden").click()
    expect(wim_page.get_by_role("heading", name="Regel terugsturen", level=1)).to_be_visible()
    assert_accessible(wim_page)
    wim_page.get_by_label("Reden van terugsturen").fill(RETURN_REASON)
    wim_page.get_by_role("button", name="Terugsturen").click()
    expect(wim_page.get_by_text("De regel is teruggestuurd.")).to_be_visible()
    expect(line_status(wim_page, "Stage")).to_have_text("Teruggestuurd")
    open_line(wim_page, werk)
    wim_page.get_by_role("button", name="Gevalideerd door WSP").click()
    expect(wim_page.get_by_text("De regel is gevalideerd.")).to_be_visible()
    expect(line_status(wim_page, werk)).to_have_text("Gevalideerd door WSP")
    assert RETURN_REASON in mail_to(mail_dir, OTTO_EMAIL, "Regel teruggestuurd").text

    # 6. Otto sees the reason, corrects the stage; it is ingevoerd again and Wim validates it.
    open_project(otto_page, waiting="1 teruggestuurd")
    expect(line_status(otto_page, "Stage")).to_have_text("Teruggestuurd")
    open_line(otto_page, "Stage")
    expect(otto_page.get_by_role("status").filter(has_text="Teruggestuurd door het WSP")).to_contain_text(RETURN_REASON)
    otto_page.get_by_role("link", name="Wijzigen").click()
    expect(otto_page.get_by_role("heading", name="Inzet wijzigen", level=1)).to_be_visible()
    expect(otto_page.get_by_text(RETURN_REASON)).to_be_visible()
    otto_page.get_by_label("Stagevergoeding per maand (€)").fill("300,00")
    otto_page.get_by_role("button", name="Opslaan").click()
    expect(otto_page.get_by_text("De regel is opgeslagen en staat weer op ingevoerd")).to_be_visible()
    expect(otto_page.locator("#prognose")).to_have_text("€ 900,00")  # 3 months × € 300, under the cap
    otto_page.get_by_role("link", name=f"Terug naar {PROJECT}").click()
    expect(line_status(otto_page, "Stage")).to_have_text("Ingevoerd")

    wim_page.reload()
    open_line(wim_page, "Stage")
    wim_page.get_by_role("button", name="Gevalideerd door WSP").click()
    expect(wim_page.get_by_text("De regel is gevalideerd.")).to_be_visible()
    expect(line_status(wim_page, "Stage")).to_have_text("Gevalideerd door WSP")
    assert set(Inzet.objects.filter(project=project).values_list("status", flat=True)) == {InzetStatus.GEVALIDEERD}

    # 7. After the einddatum (sessions have long expired): Wim approves, Olga closes the project.
    after_end = datetime.combine(end + timedelta(days=2), time(10, 0), tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(after_end, tick=True):
        sign_in(wim_page, wim)
        open_project(wim_page, waiting="Goedkeuring nodig")
        expect(wim_page.get_by_role("heading", name="Afronding", level=2)).to_be_visible()
        expect(wim_page.get_by_role("heading", name="SR verantwoording goedkeuren")).to_be_visible()
        assert_accessible(wim_page)
        wim_page.get_by_role("button", name="SR verantwoording goedkeuren").click()
        # The confirmation is required: the error stands at the checkbox (and in the summary).
        expect(wim_page.locator("#id_approve-confirmed_error")).to_contain_text("Vink aan")
        assert_accessible(wim_page)
        wim_page.get_by_label("Ik heb beoordeeld of aan de SR verplichting is voldaan").check()
        wim_page.get_by_role("button", name="SR verantwoording goedkeuren").click()
        expect(wim_page.get_by_role("status").filter(has_text="De SR verantwoording is goedgekeurd.")).to_be_visible()
        project.refresh_from_db()
        assert project.status == ProjectStatus.GOEDGEKEURD

        signal = mail_to(mail_dir, olga.email, f"wilt u project {PROJECT} afronden?")
        sign_in(page, olga)
        page.goto(link_in(signal, "/projecten/"))
        expect(page.get_by_role("heading", name=PROJECT, level=1)).to_be_visible()
        expect(page.get_by_role("link", name="Projectgegevens wijzigen")).to_have_count(0)  # approved: locked
        expect(page.get_by_role("region", name="Afronding")).to_contain_text(wim.name)  # who approved
        page.get_by_role("button", name="Project afgerond").click()
        expect(page.get_by_text("Het project is afgerond.")).to_be_visible()
        expect(
            page.get_by_text("Dit project is afgerond. De gegevens kunnen niet meer worden gewijzigd.")
        ).to_be_visible()
        project.refresh_from_db()
        assert project.status == ProjectStatus.AFGEROND

        # 8. Nothing can be changed any more, by anyone.
        for name in ("Projectgegevens wijzigen", "Contactpersoon toevoegen", "Document toevoegen"):
            expect(page.get_by_role("link", name=name)).to_have_count(0)
        expect(page.get_by_role("button", name="Notitie toevoegen")).to_have_count(0)
        assert_accessible(page)
        page.goto(reverse("projects:edit", args=[project.pk]))
        expect(page).to_have_url(re.compile(rf"{reverse('projects:detail', args=[project.pk])}$"))
        expect(page.get_by_role("alert")).to_have_text(LOCKED)

        page.get_by_text("Menu", exact=True).click()
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Projecten", exact=True).click()
        expect(page.get_by_role("heading", name="Projecten", level=1)).to_be_visible()
        expect(page.get_by_text("Geen projecten gevonden.")).to_be_visible()
        expect(page.get_by_role("link", name=PROJECT)).to_have_count(0)
        page.get_by_role("link", name="Afgeronde projecten").click()
        expect(page.get_by_role("heading", name="Afgeronde projecten", level=1)).to_be_visible()
        expect(page.get_by_role("link", name=PROJECT)).to_be_visible()
        assert_accessible(page)

        log_in(otto_page, OTTO_EMAIL, OTTO_PASSWORD, app_code(otto))
        expect(otto_page.get_by_role("heading", name="Welkom, Otto Nemer")).to_be_visible()
        otto_page.goto(reverse("projects:detail", args=[project.pk]))
        for name in ("Inzet toevoegen", "Contactpersoon toevoegen", "Document toevoegen"):
            expect(otto_page.get_by_role("link", name=name)).to_have_count(0)
        open_line(otto_page, "Stage")
        expect(otto_page.get_by_role("link", name="Wijzigen")).to_have_count(0)
        stage = Inzet.objects.get(project=project, soort="stage")
        otto_page.goto(reverse("projects:inzet-edit", args=[project.pk, stage.pk]))
        expect(otto_page.get_by_role("heading", name=PROJECT, level=1)).to_be_visible()
        expect(otto_page.get_by_role("alert")).to_have_text(LOCKED)
        otto_page.goto(reverse("projects:inzet-create", args=[project.pk]))
        expect(otto_page.get_by_role("alert")).to_have_text(LOCKED)

"""Wide tables on a laptop and a phone (issue 25): at 1280 px CSS width the project list, the
verantwoording and every Rapportage table fit without sideways scrolling (the percentage bar and the
Zoeken button in sight); at 320 px (WCAG 1.4.10 reflow) their rows stack as cards and the page does
not scroll sideways either. Both widths pass axe.

The data is what a real region has: long organisation and project names, amounts in the millions,
a raamovereenkomst, several projects and lines, and a kandidaat on two projects at once.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Organisation, OrganisationKind
from notifications.models import MailStatus
from projects.models import ContractType, Inzet, InzetStatus, Project
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory, coordinatiepunt
from tests.notifications.test_outbox_page import make_mail
from tests.projects.cast import make_inzet, make_kandidaat, make_project

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}

OPDRACHTGEVERS = [
    "Gemeente Midden-Drenthe, afdeling Openbare Ruimte en Infrastructuur",
    "Provincie Drenthe, Team Mobiliteit en Waterbeheer",
    "Woningcorporatie Domesta Zuidoost-Drenthe",
]
OPDRACHTNEMERS = [
    "Bouwcombinatie Hunze en Aa Infrastructuur en Waterwerken B.V.",
    "Schoonmaak- en Facilitaire Dienstverlening Noord-Nederland B.V.",
]
PROJECTS = [
    "Herinrichting N381 Drachten–Emmen inclusief fietstunnels en ecoducten",
    "Renovatie en verduurzaming van 420 huurwoningen in Emmerhout",
    "Raamovereenkomst schoonmaakdiensten gemeentelijke gebouwen 2024–2028",
    "Vervanging kademuren Hoogeveensche Vaart",
    "Nieuwbouw integraal kindcentrum De Vlinderhof",
]

# Measured in the browser: `page` and `table` are how far the document and the table's own container
# scroll sideways (0: not at all); `stacked` says whether every body row has its cells one under the
# other (a card) rather than side by side.
MEASURE = """table => {
  const doc = document.documentElement;
  const container = table.parentElement;
  const rows = [...table.tBodies[0].rows].filter(row => row.cells.length > 1);
  const stacked = rows.length > 0 && rows.every(row => [...row.cells].every((cell, i, cells) =>
    i === 0 || cell.getBoundingClientRect().top >= cells[i - 1].getBoundingClientRect().bottom - 1));
  return {
    page: doc.scrollWidth - doc.clientWidth,
    table: container.scrollWidth - container.clientWidth,
    tableRight: table.getBoundingClientRect().right,
    stacked,
  };
}"""


@pytest.fixture
def region(db: None) -> dict:
    """Cora (coördinatiepunt Drenthe) sees every project of the region, in every report."""
    punt = coordinatiepunt("drenthe")
    drenthe = punt.region
    cora = UserFactory(name="Cora Coördinator", organisation=punt)
    wsp = Organisation.objects.create(name="Werkgeversservicepunt Drenthe", kind=OrganisationKind.WSP, region=drenthe)
    wim = UserFactory(name="Wim Werkgever", organisation=wsp)
    opdrachtgevers = [OrganisationFactory(name=name, region=drenthe) for name in OPDRACHTGEVERS]
    opdrachtnemers = [OpdrachtnemerFactory(name=name, regions=[drenthe]) for name in OPDRACHTNEMERS]
    today = timezone.localdate()
    projects = []
    for number, name in enumerate(PROJECTS):
        raam = "Raamovereenkomst" in name
        projects.append(
            make_project(
                name=name,
                opdrachtgever=opdrachtgevers[number % len(opdrachtgevers)],
                opdrachtnemer=opdrachtnemers[number % len(opdrachtnemers)],
                accountmanager=wim,
                contacts=[wim],
                start_date=today - timedelta(days=300 + 30 * number),
                end_date=today + timedelta(days=400 + 60 * number),
                contract_type=ContractType.RAAMOVEREENKOMST if raam else ContractType.SR_VERPLICHTING,
                verplichting=Decimal("1234567.89") + 100000 * number,
            )
        )
    first, second = projects[0], projects[1]
    for surname in ("van der Heijden-Oosterhuis", "Bakker", "Wijnberg-Schuitema"):
        kandidaat = make_kandidaat(first.opdrachtnemer, initials="A.B.C.", surname=surname)
        make_inzet(first, kandidaat, amount=Decimal("350.00"))
        line = make_inzet(first, kandidaat, soort="baan", amount=Decimal("2850.50"), hours_per_week=Decimal(32))
        Inzet.objects.filter(pk=line.pk).update(status=InzetStatus.GEVALIDEERD)
        # The same kandidaat on a project of the other opdrachtnemer, in the same months: an overlap.
        make_inzet(second, kandidaat, start_date=first.start_date + timedelta(days=30))
    # Values that fill every column: the bar shows actueel and prognose of the verplichting.
    Project.objects.filter(pk__in=[p.pk for p in projects[1:]]).update(
        sr_actueel=Decimal("987654.32"), sr_prognose=Decimal("1876543.21")
    )
    otto = UserFactory(name="Otto Nemer-van Hunzebouw", organisation=first.opdrachtnemer)
    # The outbox of the region: a sent mail and one that failed with a long SMTP error.
    make_mail(
        drenthe,
        "welkom-otto",
        to=["otto.nemer-van-hunzebouw@bouwcombinatie-hunze-en-aa.invalid"],
        subject="Welkom bij de Social Return Monitor: activeer uw account",
    )
    make_mail(
        drenthe,
        "teruggestuurd-1",
        status=MailStatus.FAILED,
        subject=f"Regel teruggestuurd: {PROJECTS[0]}",
        last_error="SMTPRecipientsRefused: 550 5.1.1 The email account that you tried to reach does not exist",
    )
    return {"cora": cora, "otto": otto, "project": first}


def measure(page: Page, table: str) -> dict:
    return page.locator(table).first.evaluate(MEASURE)


def assert_inside_viewport(page: Page, selector: str) -> None:
    element = page.locator(selector).first
    expect(element).to_be_visible()
    box = element.bounding_box()
    assert box is not None
    width = page.viewport_size["width"]  # type: ignore[index]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{selector} at {box}, viewport {width} px wide"


def assert_fits_laptop(page: Page, table: str) -> None:
    page.set_viewport_size(LAPTOP)
    found = measure(page, table)
    assert found["page"] <= 0, f"the page scrolls {found['page']} px sideways at 1280 px"
    assert found["table"] <= 0, f"the table overflows its container by {found['table']} px at 1280 px"
    assert found["tableRight"] <= LAPTOP["width"]
    assert not found["stacked"], "at 1280 px the table is a table, not cards"
    assert_accessible(page)


def exposed(page: Page) -> list[tuple[str, str]]:
    """(role, name) of what Chromium itself gives assistive technology (not Playwright's reading of the DOM)."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [(node["role"]["value"], node.get("name", {}).get("value", "")) for node in nodes if not node.get("ignored")]


def assert_reflows_on_phone(page: Page, table: str) -> None:
    page.set_viewport_size(PHONE)
    found = measure(page, table)
    assert found["page"] <= 0, f"the page scrolls {found['page']} px sideways at 320 px"
    assert found["table"] <= 0, f"the table overflows its container by {found['table']} px at 320 px"
    assert found["stacked"], "at 320 px every row is a card: its cells one under the other"
    # Drawn as cards, it is still a table with column headers, and a cell's name is its value only
    # (the column name shown above it is not read a second time).
    nodes = exposed(page)
    assert {"table", "columnheader", "cell"} <= {role for role, _ in nodes}
    labels = page.locator(table).first.evaluate(
        "t => [...t.querySelectorAll('[data-label]')].map(e => e.dataset.label)"
    )
    cells = [name for role, name in nodes if role == "cell"]
    assert not [name for name in cells if any(name.startswith(f"{label} ") for label in labels)]
    assert_accessible(page)


def test_project_list_fits_a_laptop_and_reflows_on_a_phone(page: Page, region: dict) -> None:
    sign_in(page, region["cora"])
    page.goto(reverse("projects:list"))
    expect(page.get_by_role("heading", name="Projecten", level=1)).to_be_visible()

    assert_fits_laptop(page, ".srm-project-table")
    assert_inside_viewport(page, ".srm-bar")
    assert_inside_viewport(page, ".srm-project-table button:text('Zoeken')")
    for header in ("Projectnaam", "SR prognose", "Percentage"):
        assert_inside_viewport(page, f".srm-project-table thead th:has-text('{header}')")

    assert_reflows_on_phone(page, ".srm-project-table")
    assert_inside_viewport(page, ".srm-bar")
    assert_inside_viewport(page, ".srm-project-table button:text('Zoeken')")
    # Still searchable and sortable on a phone: the search field by its label, a sort link by its name.
    page.get_by_label("Zoek op projectnaam").fill("kademuren")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#project-count")).to_contain_text("1 project gevonden")
    page.get_by_role("link", name="SR prognose").click()
    expect(page.locator(".srm-project-table th[aria-sort]")).to_contain_text("SR prognose")


def test_verantwoording_fits_a_laptop_and_reflows_on_a_phone(page: Page, region: dict) -> None:
    sign_in(page, region["cora"])
    page.goto(reverse("projects:detail", args=[region["project"].pk]))
    expect(page.get_by_role("heading", name=PROJECTS[0], level=1)).to_be_visible()

    assert_fits_laptop(page, ".srm-verantwoording")
    assert_reflows_on_phone(page, ".srm-verantwoording")


@contextmanager
def on(what: str) -> Iterator[None]:
    """Name the page an assertion failed on (one test walks several)."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"{what}: {error}") from error


def test_every_report_fits_a_laptop_and_reflows_on_a_phone(page: Page, region: dict) -> None:
    sign_in(page, region["cora"])
    for report in ("projects", "kandidaten", "kosten", "overlap"):
        page.set_viewport_size(LAPTOP)
        page.goto(reverse(f"reporting:{report}"))
        with on(report):
            expect(page.locator(".srm-report-table tbody tr").first).not_to_contain_text("Niets gevonden")
            assert_fits_laptop(page, ".srm-report-table")
            assert_inside_viewport(page, ".srm-report-table thead th >> nth=-1")
            assert_reflows_on_phone(page, ".srm-report-table")


# (URL name, who opens it, its heading)
LISTS = [
    ("accounts:user-list", "cora", "Gebruikers"),
    ("notifications:outbox", "cora", "E-mail"),
    ("projects:kandidaat-list", "otto", "Kandidaten"),
]


def test_lists_fit_a_laptop_and_reflow_on_a_phone(page: Page, region: dict) -> None:
    signed_in = None
    for url_name, who, heading in LISTS:
        if who != signed_in:
            page.context.clear_cookies()
            sign_in(page, region[who])
            signed_in = who
        page.set_viewport_size(LAPTOP)
        page.goto(reverse(url_name))
        with on(url_name):
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            assert_fits_laptop(page, ".srm-data-table")
            assert_reflows_on_phone(page, ".srm-data-table")

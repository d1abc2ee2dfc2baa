"""Every page of the portal, for every role, through axe-core (WCAG 2.1 AA), and every form on it
submitted empty once, so that its error state is checked too (errors tied to their fields). At
1280 × 800 no page scrolls sideways; every page with a data table (every list) is drawn at 320 px
too, where the tables stack as cards and the page doesn't scroll sideways either (axe at 320 px:
tests/browser/test_responsive.py).

The pages come from the authorization walk (tests/test_authorization_walk.py): each URL case
whose GET answer for a role is 200 is a page that role opens here, signed in with the session a
two-step login gives (tests/browser/conftest.sign_in; the login pages are pages of the anonymous
role). A URL without an expectation already fails the walk, so a new page cannot escape this test;
a URL name that no role opens with a GET must say why in NOT_OPENED_BY_GET. Files (Excel, PDF) and
JSON are left to the walk, which reads every one and checks that NOT_PAGES names exactly them; a
handleiding, the same text for every reader, is axed by the role it is written for and opened by
the others. What several roles see alike is axed once per run, by whichever role opens it first
(the workers share their claims, `Seen`): a page whose main content is the same markup as one
already axed (its header, the role's menu, is axed on the role's other pages), and the error state
of a form already submitted empty (the same action and fields; around it, the page was axed as it
was). Pages that only exist in a state the walk's cast doesn't have (the login code step, the
inzet form per soort, an approved project and its verwijtbaarheid, the 404 page) are added per role
in EXTRA_PAGES.
"""

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from projects.models import Project, ProjectStatus
from tests.browser.conftest import assert_accessible, axe_script, sign_in
from tests.browser.test_responsive import LAPTOP, MEASURE, PHONE
from tests.factories import PASSWORD
from tests.test_authorization_walk import (
    EXPECTATIONS,
    NOT_PAGES,
    ROLES,
    Case,
    cast,  # noqa: F401 - the fixture (used by name)
    view_cast_for,
)

# URL names that no role opens with a GET, and where their page is checked instead.
NOT_OPENED_BY_GET = {
    "accounts:login-code": "only after the password step: EXTRA_PAGES (anonymous)",
    "accounts:logout": "POST only (the Uitloggen button)",
    "accounts:totp-setup": "only with a valid activation link: tests/browser/test_account_flows.py",
    "admin-login": "redirects to the login page",
    "projects:note-add": "POST only: its form is submitted empty on the project page",
    "projects:inzet-validate": "POST only: a button on the inzet page",
    "projects:approve": "POST only: its form (all lines validated) in tests/browser/test_project_flow.py",
    "projects:close": "POST only: a button on an approved project",
    "projects:invulbestand-commit": "POST only: Regels toevoegen on a checked file, tests/browser/test_invulbestand.py",
    "projects:verwijtbaarheid": "only for an approved project short of its verplichting: EXTRA_PAGES (coordinatiepunt)",
    "reporting:project-akkoord": "a PDF, of an approved project",
    "reporting:region-import-commit": "POST only: Importeren on a checked region workbook, tests/reporting/",
    "notifications:resend": "POST only: a button on the outbox page",
}

# Which forms are submitted empty: those that post, and those that get with a required field (the
# rekenhulp, step 1 of the inzet form). A search or filter form has no required field: empty, it
# just gives the list again.
FIELDS = """form => [...form.elements].filter(e =>
  e.matches('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))"""
FORMS = f"""() => [...document.querySelectorAll('main form')].filter(form => {{
  const fields = ({FIELDS})(form);
  return fields.length && (form.method === 'post' || fields.some(e => e.required));
}})"""
# A form is its action (ids left out) and its fields: the same form on another object, or for another role,
# answers an empty submission the same way.
FORM_KEYS = f"""() => ({FORMS})().map(form =>
  `${{form.method}} ${{new URL(form.action, location.href).pathname.replace(/\\d+/g, 'N')}} `
  + ({FIELDS})(form).map(e => `${{e.name}}:${{e.type}}`).join(','))"""
# Every field emptied (radios and checkboxes off, selects on their empty choice), the browser's own
# validation off so the server answers, sent through the form's first submit button as Enter does.
SUBMIT_EMPTY = f"""index => {{
  const form = ({FORMS})()[index];
  for (const element of ({FIELDS})(form)) {{
    if (element.type === 'checkbox' || element.type === 'radio') element.checked = false;
    else if (element.tagName === 'SELECT') element.selectedIndex = [...element.options].findIndex(o => !o.value);
    else element.value = '';
  }}
  form.noValidate = true;
  form.requestSubmit(form.querySelector('button[type=submit], button:not([type]), input[type=submit]'));
}}"""
# Every error message is referenced by its field (or the field's fieldset) through
# aria-describedby, the field is aria-invalid, and every link of the error summary leads to a field.
ERROR_PROBLEMS = f"""() => {{
  const problems = [];
  const messages = document.querySelectorAll('.utrecht-form-field-error-message');
  for (const message of messages) {{
    const text = message.textContent.trim();
    if (!message.id || !document.querySelector(`[aria-describedby~="${{message.id}}"]`))
      problems.push(`error not referenced by its field: ${{text}}`);
    const group = message.closest('.utrecht-form-field');
    const fields = group ? ({FIELDS})({{elements: group.querySelectorAll('input, select, textarea')}}) : [];
    if (!fields.some(e => e.getAttribute('aria-invalid') === 'true'))
      problems.push(`field not aria-invalid: ${{text}}`);
  }}
  const links = document.querySelectorAll('.srm-error-summary a[href^="#"]');
  for (const link of links)
    if (!document.getElementById(link.getAttribute('href').slice(1)))
      problems.push(`summary link to nothing: ${{link.href}}`);
  if (messages.length && !links.length) problems.push('field errors without an error summary');
  return problems;
}}"""


# Every page at 1280 px (a laptop) scrolls nothing sideways; a page with data tables is also drawn at
# 320 px (WCAG 1.4.10 reflow), where the tables stack as cards (issue 25).
DATA_TABLES = """() => [...document.querySelectorAll('table.srm-data-table')]
  .filter(table => table.tBodies.length && [...table.tBodies[0].rows].some(row => row.cells.length > 1)).length"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


class Seen:
    """What this run has axed already, shared by the workers: a claim is a file made only if it isn't there."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(exist_ok=True)

    def first(self, kind: str, key: str) -> bool:
        """Whether `key` is new to the run (and now claimed by the caller)."""
        digest = hashlib.sha256(f"{kind} {key}".encode()).hexdigest()
        try:
            os.close(os.open(self.folder / digest, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True


@pytest.fixture(scope="session")
def seen(tmp_path_factory: pytest.TempPathFactory) -> Seen:
    # The workers' temporary folders share a parent that belongs to this run; one pytest has a folder of its own.
    # pytest removes old runs' folders, so the claims need no cleaning up.
    run = tmp_path_factory.getbasetemp()
    return Seen((run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run) / "axed")


@dataclass
class Tally:
    """What one role's run opened, skipped and submitted, and how often axe ran."""

    seen: Seen
    pages: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    alike: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    forms_alike: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)
    axe_runs: int = 0

    def axe(self, page: Page, what: str) -> None:
        self.axe_runs += 1
        assert_accessible(page, what)

    def report(self, role: str, seconds: float) -> str:
        return (
            f"{role}: {len(self.pages)} pages axed, {len(self.alike)} more alike one axed, {len(self.opened)} more "
            f"opened (a handleiding of another role), {len(self.forms)} forms submitted empty, "
            f"{len(self.forms_alike)} more alike one submitted, {len(self.phone)} with tables also at 320 px, "
            f"{self.axe_runs} axe runs, {seconds:.0f} s"
        )


def pages_for(role: str, walk_cast: dict) -> list[tuple[str, Case, str, bool]]:
    """(description, case, url, axed here) of every URL case the walk expects this role to open with 200 as a page."""
    view_cast = view_cast_for(role, walk_cast)
    return [
        (
            f"{name} ({case.label or 'no arguments'})",
            case,
            reverse(name, kwargs=case.kwargs(view_cast)),
            name != "policy:handleiding" or case.label == role,
        )
        for name, cases in EXPECTATIONS.items()
        if name not in NOT_PAGES
        for case in cases
        if case.expect[role] == 200 and not case.post_only
    ]


# What a page is: whether it scrolls sideways, how many data tables with rows it has, its main content (without
# the form's CSRF token, which differs per session) and the forms to submit.
MAIN = """() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(input => input.remove());
  return main.outerHTML;
}"""
SURVEY = (
    f"""() => ({{sideways: ({SIDEWAYS})(), tables: ({DATA_TABLES})(), main: ({MAIN})(), forms: ({FORM_KEYS})()}})"""
)


def check_page(
    page: Page, what: str, url: str, tally: Tally, *, submit_forms: bool = True, axe_here: bool = True
) -> None:
    """Open the page and axe it, then submit each of its forms empty and axe the answer. A page axed by another
    role (`axe_here` false) is opened, and must not scroll sideways."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{what} {url}: {response and response.status}"
    content_type = response.headers["content-type"]
    assert content_type.startswith("text/html"), f"{what} {url}: {content_type} (not a page: NOT_PAGES)"
    survey = page.evaluate(SURVEY)
    assert survey["sideways"] <= 0, f"{what} {url}: scrolls {survey['sideways']} px sideways at 1280 px"
    if not axe_here:
        tally.opened.append(what)
        return
    assert survey["main"].startswith("<main"), f"{what} {url}: no main element"
    if tally.seen.first("page", survey["main"]):
        tally.pages.append(what)
        tally.axe(page, what)
    else:
        tally.alike.append(what)
    if survey["tables"]:
        check_laptop_tables(page, what, url)
        check_phone(page, what, url, tally)
    if submit_forms:
        check_forms(page, what, url, tally, survey["forms"])


def data_tables(page: Page) -> list:
    """The data tables of the page that have rows to show."""
    return [
        table
        for table in page.locator("table.srm-data-table").all()
        if table.evaluate("t => t.tBodies.length && [...t.tBodies[0].rows].some(r => r.cells.length > 1)")
    ]


def check_laptop_tables(page: Page, what: str, url: str) -> None:
    """At 1280 px every column of every table is in sight: no table scrolls inside its container."""
    for table in data_tables(page):
        found = table.evaluate(MEASURE)
        assert found["table"] <= 0, f"{what} {url}: a table scrolls {found['table']} px sideways at 1280 px"
        assert not found["stacked"], f"{what} {url}: at 1280 px a table is drawn as cards"


def check_phone(page: Page, what: str, url: str, tally: Tally) -> None:
    """At 320 px the page doesn't scroll sideways and every data table with rows is a stack of cards. (axe at
    320 px: the same elements in the same colours as at 1280 px, which this test axes; tests/browser/test_responsive.py
    axes the stacked tables of every list and report at 320 px, with a region's long names and amounts.)"""
    tally.phone.append(what)
    page.set_viewport_size(PHONE)
    try:
        for table in data_tables(page):
            found = table.evaluate(MEASURE)
            assert found["page"] <= 0, f"{what} {url}: scrolls {found['page']} px sideways at 320 px"
            assert found["table"] <= 0, f"{what} {url}: a table overflows by {found['table']} px at 320 px"
            assert found["stacked"], f"{what} {url}: at 320 px a table's rows are not cards"
    finally:
        page.set_viewport_size(LAPTOP)


def check_forms(page: Page, what: str, url: str, tally: Tally, forms: list[str] | None = None) -> None:
    """Submit each of the page's forms (their keys from FORM_KEYS; all, when not given) empty, from a fresh page
    each, unless a form alike was submitted already in this run."""
    if forms is None:
        forms = page.evaluate(FORM_KEYS)
    fresh = True
    for index, form in enumerate(forms):
        described = f"{what}, form {index + 1} submitted empty"
        if not tally.seen.first("form", form):
            tally.forms_alike.append(described)
            continue
        if not fresh:
            page.goto(url)
        fresh = False
        with page.expect_navigation():
            page.evaluate(SUBMIT_EMPTY, index)
        tally.forms.append(f"{described} → {page.url}")
        # An empty form saves nothing (the walk's rule): it comes back saying which field needs what.
        assert page.locator(".utrecht-form-field-error-message").count(), f"{described}: no field errors"
        problems = page.evaluate(ERROR_PROBLEMS)
        assert not problems, f"{described}: {problems}"
        tally.axe(page, described)


def login_code_step(page: Page, walk_cast: dict, tally: Tally) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("E-mailadres").fill(walk_cast["olga"].email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_label("Authenticatiecode")).to_be_visible()
    tally.pages.append("accounts:login-code (after the password)")
    tally.axe(page, "login code step")
    check_forms(page, "accounts:login-code", page.url, tally)


def not_found_page(page: Page, walk_cast: dict, tally: Tally) -> None:
    response = page.goto(reverse("projects:detail", kwargs={"pk": walk_cast["project_groningen"].pk}))
    assert response is not None and response.status == 404
    tally.pages.append("404 (a project of another region)")
    tally.axe(page, "404 page")


def inzet_form_per_soort(page: Page, walk_cast: dict, tally: Tally) -> None:
    """Step 2 of Inzet toevoegen, whose fields differ per soort inzet."""
    url = reverse("projects:inzet-create", kwargs={"pk": walk_cast["project"].pk})
    page.goto(url)
    soorten = page.locator("input[name=soort]").evaluate_all("inputs => inputs.map(input => input.value)")
    assert len(soorten) >= 5, soorten
    for soort in soorten:
        check_page(page, f"projects:inzet-create (soort {soort})", f"{url}?soort={soort}", tally)


def approved_project_and_verwijtbaarheid(page: Page, walk_cast: dict, tally: Tally) -> None:
    """After approval, short of the verplichting: the shortfall on the project, and the judgement form."""
    project = walk_cast["project"]
    Project.objects.filter(pk=project.pk).update(
        status=ProjectStatus.GOEDGEKEURD, approved_at=timezone.now(), approved_by=walk_cast["wsp"]
    )
    check_page(page, "projects:detail (approved, short)", reverse("projects:detail", kwargs={"pk": project.pk}), tally)
    expect(page.get_by_role("link", name="Verwijtbaarheid beoordelen")).to_be_visible()
    check_page(page, "projects:verwijtbaarheid", reverse("projects:verwijtbaarheid", kwargs={"pk": project.pk}), tally)


def accounts_waiting_for_invitation(page: Page, walk_cast: dict, tally: Tally) -> None:
    """Accounts a region import brought in (issue #32): Gebruikers says how many wait, and who, to invite them."""
    from accounts.models import User

    organisation = walk_cast["coordinatiepunt"].organisation
    User.objects.create_user("overgenomen@csr-drenthe.invalid", name="Otje Overgenomen", organisation=organisation)
    User.objects.filter(email="overgenomen@csr-drenthe.invalid").update(is_active=False)
    check_page(page, "accounts:user-list (accounts to invite)", reverse("accounts:user-list"), tally)
    expect(page.get_by_role("link", name="Uitnodigingen versturen")).to_be_visible()
    check_page(page, "accounts:users-invite (accounts to invite)", reverse("accounts:users-invite"), tally)
    expect(page.get_by_text("overgenomen@csr-drenthe.invalid")).to_be_visible()


def region_imports_refused_and_checked(page: Page, walk_cast: dict, tally: Tally) -> None:
    """A region workbook with problems, and one checked with values that differ from the engine's."""
    from reporting.models import RegionImport, RegionImportStatus

    refused = RegionImport.objects.create(
        file_name="fout.xlsx",
        sha256="0" * 64,
        status=RegionImportStatus.REFUSED,
        problems=[{"message": "Vul een datum in (dd-mm-jjjj).", "row": 3, "column": "Startdatum", "sheet": "Inzet"}],
    )
    difference = {"sheet": "Inzet", "key": "I-2", "row": 3, "recorded": "18000.00", "engine": "20000.00"}
    checked = RegionImport.objects.create(
        file_name="goed.xlsx",
        sha256="1" * 64,
        status=RegionImportStatus.CHECKED,
        created={"Projecten": 2, "Inzet": 3},
        differences=[difference | {"kept": True, "objections": []}],
    )
    for run, state in ((refused, "problems"), (checked, "differences")):
        check_page(
            page,
            f"reporting:region-import-result ({state})",
            reverse("reporting:region-import-result", args=[run.pk]),
            tally,
        )


EXTRA_PAGES: dict[str, list[Callable[[Page, dict, Tally], None]]] = {
    "anonymous": [login_code_step],
    "opdrachtgever": [not_found_page],
    "opdrachtnemer": [inzet_form_per_soort],
    "coordinatiepunt": [approved_project_and_verwijtbaarheid, accounts_waiting_for_invitation],
    "superuser": [region_imports_refused_and_checked],
}


def test_a_claim_is_had_once_per_kind_and_key(tmp_path):
    seen = Seen(tmp_path / "axed")
    assert seen.first("page", "<main>a</main>")
    assert not seen.first("page", "<main>a</main>")
    assert seen.first("form", "<main>a</main>"), "a form's key is not a page's"
    assert seen.first("page", "<main>b</main>")
    assert not Seen(tmp_path / "axed").first("page", "<main>b</main>"), "another worker sees the claim"


def test_every_url_name_is_opened_by_some_role_or_says_why_not():
    opened = {
        name
        for name, cases in EXPECTATIONS.items()
        if any(200 in case.expect.values() and not case.post_only for case in cases)
    }
    unopened = set(EXPECTATIONS) - opened
    assert unopened <= set(NOT_OPENED_BY_GET), f"no role opens {sorted(unopened - set(NOT_OPENED_BY_GET))}: why?"
    assert set(NOT_OPENED_BY_GET) <= unopened, f"now opened, remove: {sorted(set(NOT_OPENED_BY_GET) - unopened)}"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_axe_also_with_form_errors(
    role: str,
    cast: dict,  # noqa: F811
    page: Page,
    seen: Seen,
):
    started = time.monotonic()
    page.set_viewport_size(LAPTOP)
    # axe-core comes with every document, rather than sent to each of the ~100 pages of a role.
    page.context.add_init_script(script=axe_script())
    tally = Tally(seen)
    if role != "anonymous":
        sign_in(page, cast[role])
    for what, case, url, axe_here in pages_for(role, cast):
        check_page(page, what, url, tally, submit_forms=role not in case.post_acts, axe_here=axe_here)
    for extra in EXTRA_PAGES.get(role, []):
        extra(page, cast, tally)
    print(f"\n{tally.report(role, time.monotonic() - started)}")
    assert tally.pages

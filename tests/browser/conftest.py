"""Real Chromium (Debian's) driven by Playwright against the live server.

Browser tests commit for real (the live server runs in another thread), so they use a
transactional database; after each, the tables are emptied to the rows the migrations seeded
(tests/seeded.py), so tests make their own data.
"""

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import login

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the .ci/run script does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page: Page, user) -> None:  # type: ignore[no-untyped-def]
    """Open the portal as `user` behind both login steps: the browser gets the session cookie a login through the
    two steps gives (tests/conftest.login), and lands on the home page. The login pages themselves are driven by
    hand in test_account_flows.py, test_keyboard.py and the manual's flows; every other test starts behind them
    (three page loads fewer each)."""
    session = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME]
    # The live server listens on localhost; a cookie is not tied to a port.
    page.context.add_cookies([{"name": session.key, "value": session.value, "domain": "localhost", "path": "/"}])
    page.goto("/")
    expect(page.get_by_role("heading", name=f"Welkom, {user.name}")).to_be_visible()


@pytest.fixture
def mail_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Mail goes to files, as in development: the test opens them like a person would."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


# WCAG 2.1 A and AA. Only the ids of the violated rules come back from the browser: asking axe for every passed
# check too (the library's default report) doubles the time of each of the suite's ~500 runs.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 1.3.4 (orientation, AA) is checked by a rule axe-core still calls experimental, off unless asked for.
ORIENTATION = {"css-orientation-lock": {"enabled": True}}
# Colour contrast (WCAG 1.4.3) runs apart, on the texts whose style is new to the worker (axe_run.js says why).
CONTRAST = "color-contrast"
WITHOUT_CONTRAST = {CONTRAST: {"enabled": False}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": ORIENTATION | WITHOUT_CONTRAST,
    "resultTypes": ["violations"],
}
# The orientation rule reads every rule of every stylesheet (axe-core parses them all before a run: the portal's
# 600 kB of CSS, a third of the run), and its answer depends on the stylesheets alone. So a worker checks each set of
# linked stylesheets once, on the first page that has it; a page with a <style> of its own is checked every time.
AXE_SHEETS_CHECKED = {
    "runOnly": AXE_OPTIONS["runOnly"],
    "rules": WITHOUT_CONTRAST,
    "resultTypes": AXE_OPTIONS["resultTypes"],
    # Without the stylesheets, which only that rule reads.
    "preload": {"assets": ["media"]},
}
AXE_CONTRAST = {
    "runOnly": {"type": "rule", "values": [CONTRAST]},
    "resultTypes": ["violations"],
    "preload": AXE_SHEETS_CHECKED["preload"],
    "elementRef": True,
}
# One round trip to the browser per axe run, not two or three: the suite runs axe ~500 times.
AXE_RUN = (
    "\n".join(
        line for line in (Path(__file__).parent / "axe_run.js").read_text().splitlines() if not line.startswith("//")
    )
    .strip()
    .removesuffix(";")
)
# The sets of stylesheets this worker has had checked for an orientation lock, and the keys of the text styles it has
# had checked for contrast.
_sheets_checked: list[str] = []
_contrast_checked: set[str] = set()


@cache
def axe_script() -> str:
    return Axe().axe_script


def axe_violations(page: Page) -> list[str]:
    """The ids of the rules the page as it is now violates. axe-core is sent once per document (a page that loads
    it through `page.context.add_init_script(axe_script())` has it already)."""
    arguments = {
        "options": AXE_OPTIONS,
        "sheetsChecked": AXE_SHEETS_CHECKED,
        "contrast": AXE_CONTRAST,
        "checked": _sheets_checked,
        "contrasted": sorted(_contrast_checked),
    }
    found = page.evaluate(AXE_RUN, arguments)
    if found is None:
        page.evaluate(axe_script())
        found = page.evaluate(AXE_RUN, arguments)
    if found["sheets"] is not None and not found["violations"]:
        _sheets_checked.append(found["sheets"])
    _contrast_checked.update(found["contrasted"])
    return found["violations"]


def assert_accessible(page: Page, what: str = "") -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now; on one, the test fails with the full
    report (every violating element and how to fix it)."""
    if not axe_violations(page):
        return
    results = Axe().run(page, options={"runOnly": AXE_OPTIONS["runOnly"], "rules": ORIENTATION})
    assert results.violations_count == 0, f"{what} {page.url}\n{results.generate_report()}".strip()
    raise AssertionError(f"{what} {page.url}: axe found violations the full run did not repeat")

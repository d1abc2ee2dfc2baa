"""The suite's axe check itself: the orientation lock (WCAG 1.3.4), which a worker checks once per set of linked
stylesheets, and a text's colour contrast (WCAG 1.4.3), which it checks once per text style (tests/browser/conftest.py,
axe_run.js), are still found wherever they are."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import axe_violations

LOCKED = "@media (orientation: portrait) { main { transform: rotate(90deg); } }"
PLAIN = "main { color: #222; }"
# Dark grey on white passes (AA asks 4.5:1 for normal text), light grey does not; faint grey passes on white only just
# (4.54:1), and not on the grey of an even row.
COLOURS = """
body { background: #fff; }
.dark { color: #333; }
.light { color: #aaa; }
.rows > div:nth-child(even) { background: #eee; }
.faint { color: #767676; }
"""


def document(head: str, body: str = "Tekst") -> str:
    return (
        f'<!doctype html><html lang="nl"><head><title>Proef</title>{head}</head><body><main>{body}</main></body></html>'
    )


FILES = {
    "/plain.html": document('<link rel="stylesheet" href="/plain.css">'),
    "/locked.html": document('<link rel="stylesheet" href="/plain.css"><link rel="stylesheet" href="/locked.css">'),
    "/plain.css": PLAIN,
    "/locked.css": LOCKED,
    "/colours.css": COLOURS,
}


@pytest.fixture
def site(browser: Browser) -> Iterator[Page]:
    """A page of a made-up site whose files come from FILES: no server needed."""
    context = browser.new_context()

    def answer(route: Route) -> None:
        path = "/" + route.request.url.split("/", 3)[3]
        kind = "text/css" if path.endswith(".css") else "text/html"
        route.fulfill(status=200, body=FILES[path], content_type=kind)

    context.route("http://axe.invalid/**", answer)
    yield context.new_page()
    context.close()


def test_an_orientation_lock_is_found_in_a_new_set_of_stylesheets_and_in_every_style_element(site: Page):
    site.goto("http://axe.invalid/plain.html")
    assert axe_violations(site) == []
    # The plain stylesheet was checked; the same one with a locking one beside it is a new set, and checked.
    site.goto("http://axe.invalid/locked.html")
    assert "css-orientation-lock" in axe_violations(site)
    # A set whose check failed is checked again.
    site.goto("http://axe.invalid/locked.html")
    assert "css-orientation-lock" in axe_violations(site)
    # A <style> of the page's own is checked on every page.
    for _ in range(2):
        site.set_content(document(f"<style>{PLAIN}</style>"))
        assert axe_violations(site) == []
        site.set_content(document(f"<style>{LOCKED}</style>"))
        assert "css-orientation-lock" in axe_violations(site)


def coloured(body: str) -> str:
    return document('<link rel="stylesheet" href="/colours.css">', body)


def test_a_low_contrast_text_is_found_on_every_page_it_is_on_and_a_new_style_wherever_it_first_shows(site: Page):
    site.goto("http://axe.invalid/plain.html")  # the site's origin, for the pages set below
    site.set_content(coloured('<p class="dark">Goed leesbaar</p>'))
    assert axe_violations(site) == []
    # The dark text's style was checked; the light one, new beside it, is checked and found.
    site.set_content(coloured('<p class="dark">Goed leesbaar</p><p class="light">Te licht</p>'))
    assert axe_violations(site) == ["color-contrast"]
    # A style found violating is checked again wherever it shows up, alone or among checked ones.
    site.set_content(coloured('<p class="light">Te licht</p>'))
    assert axe_violations(site) == ["color-contrast"]
    # What lies behind a text is part of its style: the same markup that passes on white is checked again on the
    # grey of a striped row, and found.
    row = '<div><p class="faint">Net genoeg op wit</p></div>'
    site.set_content(coloured(f'<div class="rows">{row}</div>'))
    assert axe_violations(site) == []
    site.set_content(coloured(f'<div class="rows">{row}{row}</div>'))
    assert axe_violations(site) == ["color-contrast"]


def test_a_style_seen_only_hidden_is_checked_when_it_shows(site: Page):
    site.goto("http://axe.invalid/plain.html")
    site.set_content(coloured('<p class="dark">Tekst</p><p class="light" hidden>Verborgen</p>'))
    assert axe_violations(site) == []
    site.set_content(coloured('<p class="dark">Tekst</p><p class="light">Zichtbaar</p>'))
    assert axe_violations(site) == ["color-contrast"]

"""The suite's axe check itself: the orientation lock (WCAG 1.3.4), which a worker checks once per set of linked
stylesheets (tests/browser/conftest.py), is still found wherever it is."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import axe_violations

LOCKED = "@media (orientation: portrait) { main { transform: rotate(90deg); } }"
PLAIN = "main { color: #222; }"


def document(head: str) -> str:
    return (
        f'<!doctype html><html lang="nl"><head><title>Proef</title>{head}</head><body><main>Tekst</main></body></html>'
    )


FILES = {
    "/plain.html": document('<link rel="stylesheet" href="/plain.css">'),
    "/locked.html": document('<link rel="stylesheet" href="/plain.css"><link rel="stylesheet" href="/locked.css">'),
    "/plain.css": PLAIN,
    "/locked.css": LOCKED,
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

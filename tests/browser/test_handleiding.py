"""The handleiding per role as each role finds it: Algemene informatie → the own guide → its PDF."""

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import OrganisationKind
from policy.handleiding import HANDLEIDINGEN
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory, coordinatiepunt


def user_of(role: str):  # type: ignore[no-untyped-def]
    """A user of the role in Drenthe (the coördinatiepunt makes the region)."""
    punt = coordinatiepunt("drenthe")
    organisation = {
        OrganisationKind.COORDINATIEPUNT: lambda: punt,
        OrganisationKind.OPDRACHTNEMER: OpdrachtnemerFactory,
        OrganisationKind.WSP: lambda: OrganisationFactory(kind=OrganisationKind.WSP, name="WSP Drenthe"),
        OrganisationKind.OPDRACHTGEVER: lambda: OrganisationFactory(name="Gemeente Veenhoven"),
    }[role]()
    return UserFactory(name=f"Lezer {role}", email=f"lezer.{role}@voorbeeld.invalid", organisation=organisation)


@pytest.mark.parametrize("role", list(HANDLEIDINGEN))
def test_each_role_finds_its_handleiding_under_algemene_informatie_and_downloads_the_pdf(
    role: str, page: Page, live_server, tmp_path: Path
):
    user = user_of(role)
    guide = HANDLEIDINGEN[role]
    sign_in(page, user)
    expect(page.get_by_role("heading", name=f"Welkom, {user.name}")).to_be_visible()

    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Algemene informatie").click()
    guides = page.locator("#handleidingen li")
    expect(guides).to_have_count(len(HANDLEIDINGEN))
    expect(guides.first).to_contain_text(guide.title)
    expect(guides.first).to_contain_text("Uw rol")
    assert_accessible(page)

    guides.first.get_by_role("link", name=guide.title, exact=True).click()
    expect(page.get_by_role("heading", name=guide.title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Inloggen en uw account", level=2)).to_be_visible()
    expect(page.get_by_text("dit is de handleiding voor uw rol")).to_be_visible()
    assert_accessible(page)
    headings = page.locator(".srm-handleiding h2").all_inner_texts()
    assert len(headings) >= 3, headings

    # Its pictures load and say what they show.
    pictures = page.locator(".srm-handleiding figure img")
    expect(pictures).to_have_count(len(guide.pictures()))
    for picture in pictures.all():
        picture.scroll_into_view_if_needed()
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0"), picture.get_attribute("src")
        assert len(picture.get_attribute("alt") or "") > 20

    # Every link of the guide opens, for this role, a page of the portal (asked with the browser's session, as
    # the browser would follow it; every page itself is drawn and axed in test_every_page.py).
    links = page.locator(".srm-handleiding a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) >= 5 and all(link.startswith("/") for link in links), links
    for link in dict.fromkeys(links):
        response = page.request.get(link)
        assert response.status == 200, f"{link}: {response.status}"
        assert "/inloggen/" not in response.url, f"{link} sends a {role} to the login page"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    assert download.value.suggested_filename == f"handleiding-{role}.pdf"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert guide.title in text
    missing = [heading for heading in headings if " ".join(heading.split()) not in " ".join(text.split())]
    assert not missing, f"headings of the guide not in its PDF: {missing}"

    # The other roles' guides are a click away.
    other = next(other for other in HANDLEIDINGEN.values() if other.role != role)
    page.get_by_role("link", name=other.title, exact=True).click()
    expect(page.get_by_role("heading", name=other.title, level=1)).to_be_visible()
    expect(page.get_by_text("dit is de handleiding voor uw rol")).to_have_count(0)

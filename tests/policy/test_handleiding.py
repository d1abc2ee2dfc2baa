"""The handleiding per role (Algemene informatie): four guides kept true to the portal they describe.

A guide names what the user sees in **bold** and links pages of the portal as [tekst](/pad/). The
tests below fail when a label is no longer on any page, a link no longer leads anywhere, or a menu
item of the role is not in its guide.
"""

import ast
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve, reverse
from pypdf import PdfReader

from accounts.context_processors import portal
from accounts.models import OrganisationKind
from policy.handleiding import FOLDER, HANDLEIDINGEN, picture_path
from policy.models import InfoPage, InfoPageKind, NewsItem
from policy.templatetags.policy_format import markup
from tests.browser.test_screenshots import SHOTS
from tests.conftest import Client, login
from tests.pages import pdf_text

BASE = Path(settings.BASE_DIR)
APPS = ("accounts", "projects", "policy", "reporting", "notifications")
LABEL = re.compile(r"\*\*(.+?)\*\*")
PORTAL_LINK = re.compile(r"\]\((/[^)\s]*)\)")

pytestmark = pytest.mark.django_db


def guide_url(role: str) -> str:
    return reverse("policy:handleiding", kwargs={"role": role})


def pdf_url(role: str) -> str:
    return reverse("handleiding-pdf", kwargs={"role": role})


def screen_texts() -> tuple[str, set[str]]:
    """Every template, and every string constant in the apps' code (menu items, form labels, titles)."""
    templates = "\n".join(path.read_text(encoding="utf-8") for path in (BASE / "templates").rglob("*.html"))
    literals = set()
    for app in APPS:
        for path in (BASE / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    literals.add(node.value.casefold())
    return templates, literals


# --- The texts -------------------------------------------------------------------------------


def test_there_is_a_guide_for_every_role_made_of_files_in_the_repository():
    assert set(HANDLEIDINGEN) == set(OrganisationKind.values)
    for guide in HANDLEIDINGEN.values():
        assert guide.parts[0] == "account" and guide.role in guide.parts
        assert all((FOLDER / f"{part}.md").is_file() for part in guide.parts)
    used = {part for guide in HANDLEIDINGEN.values() for part in guide.parts}
    assert used == {path.stem for path in FOLDER.glob("*.md")}, "a file in handleidingen/ that no guide uses"


# --- The pictures ----------------------------------------------------------------------------


def test_every_picture_a_guide_names_is_in_the_repository_and_made_by_the_browser_tests():
    named = {name for guide in HANDLEIDINGEN.values() for name in guide.pictures()}
    missing = sorted(name for name in named if not (BASE / "static" / picture_path(name)).is_file())
    assert not missing, f"pictures the guides name but static/handleiding/ lacks (run the browser tests): {missing}"
    assert named <= set(SHOTS), f"no browser test makes {sorted(named - set(SHOTS))}: add it to SHOTS"
    assert set(SHOTS) <= named, f"pictures made but in no guide: {sorted(set(SHOTS) - named)}"
    on_disk = {path.stem for path in (BASE / "static" / "handleiding").glob("*")}
    assert on_disk == named, f"files in static/handleiding/ no guide names: {sorted(on_disk - named)}"
    for role in HANDLEIDINGEN:
        if role != OrganisationKind.COORDINATIEPUNT:
            assert HANDLEIDINGEN[role].pictures(), f"the {role}'s guide shows none of its screens"


def test_the_guide_page_shows_its_pictures_with_their_descriptions(otto):
    guide = HANDLEIDINGEN["opdrachtnemer"]
    html = login(Client(), otto).get(guide_url("opdrachtnemer")).content.decode()
    for name in guide.pictures():
        assert f'<img src="/static/handleiding/{name}.png" alt="' in html
    assert "afbeelding:" not in html


def test_a_picture_line_is_a_figure_only_where_pictures_are_known_and_its_text_is_escaped():
    text = '![Het <b>scherm</b> "Home"](afbeelding:startpagina)'
    assert markup(text, pictures=lambda name: f"/p/{name}.png") == (
        '<figure class="srm-figure"><img src="/p/startpagina.png" alt="Het &lt;b&gt;scherm&lt;/b&gt; '
        '&quot;Home&quot;"></figure>'
    )
    assert "<img" not in markup(text), "a content page of the coördinatiepunt shows no pictures"
    for elsewhere in ["![x](afbeelding:../settings)", "![x](afbeelding:a.png)", "![x](https://evil.invalid/a.png)"]:
        assert "<img" not in markup(elsewhere, pictures=lambda name: name), elsewhere


@pytest.mark.parametrize("role", HANDLEIDINGEN)
def test_every_bold_label_in_the_guide_is_on_a_page_of_the_portal(role):
    templates, literals = screen_texts()
    labels = LABEL.findall(HANDLEIDINGEN[role].text())
    assert len(labels) > 20
    missing = sorted({label for label in labels if label not in templates and label.casefold() not in literals})
    assert not missing, f"the {role} guide names what no page shows: {missing}"


# The sections of the guides that tell the manual's flows (§1.1 the account, §3 a project from creation
# to afgerond), which the browser tests play step by step.
FLOW_SECTIONS = {
    "account": ("Uw account activeren", "Inloggen", "Wachtwoord vergeten"),
    "opdrachtgever": ("Een project vastleggen", "Het project afronden"),
    "opdrachtnemer": ("Kandidaten", "Inzet vastleggen", "Veel regels tegelijk: het invulbestand"),
    "wsp": ("De verantwoording valideren", "De totale verantwoording goedkeuren"),
}
FLOW_TESTS = (
    "tests/browser/test_account_flows.py",
    "tests/browser/test_project_flow.py",
    "tests/browser/test_invulbestand.py",
)


def sections(path: Path) -> dict[str, str]:
    """Heading → text of each section of a guide file."""
    parts = re.split(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_guides_steps_are_the_steps_the_browser_tests_play():
    """Every button, link, field and heading a flow's numbered steps name is named by the browser test
    that plays that flow (as a string it clicks, fills or expects): a renamed button breaks both."""
    played = set()
    for name in FLOW_TESTS:
        tree = ast.parse((BASE / name).read_text(encoding="utf-8"))
        played |= {
            node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    unplayed = []
    for part, headings in FLOW_SECTIONS.items():
        texts = sections(FOLDER / f"{part}.md")
        for heading in headings:
            steps = [line for line in texts[heading].splitlines() if re.match(r"\d+\. ", line)]
            assert steps, f"{part}.md, {heading}: no numbered steps"
            labels = {label for line in steps for label in LABEL.findall(line)}
            unplayed += [
                f"{part}.md, {heading}: {label}"
                for label in sorted(labels)
                if not any(label in text for text in played)
            ]
    assert not unplayed, "steps of the guide that no browser test plays:\n" + "\n".join(unplayed)


@pytest.mark.parametrize("role", HANDLEIDINGEN)
def test_every_link_in_the_guide_leads_to_a_page_of_the_portal(role):
    text = HANDLEIDINGEN[role].text()
    paths = PORTAL_LINK.findall(text)
    assert len(paths) >= 5
    broken = []
    for path in paths:
        try:
            resolve(urlsplit(path).path)
        except Resolver404:
            broken.append(path)
    assert not broken, f"the {role} guide links to pages that don't exist: {broken}"
    assert "https://" not in text, "a guide describes this portal only"


@pytest.mark.parametrize("role", HANDLEIDINGEN)
def test_every_menu_item_of_the_role_is_in_its_guide(role, olga, otto, wim, cora):
    user = {"opdrachtgever": olga, "opdrachtnemer": otto, "wsp": wim, "coordinatiepunt": cora}[role]
    request = RequestFactory().get("/")
    request.user = user
    text = HANDLEIDINGEN[role].text()
    linked = {urlsplit(path).path for path in PORTAL_LINK.findall(text)}
    bold = set(LABEL.findall(text))
    menu = portal(request)["portal_menu"]
    missing = [label for url_name, label in menu if reverse(url_name) not in linked and label not in bold]
    assert not missing, f"the {role} guide doesn't say where to find {missing}"


@pytest.mark.parametrize("role", HANDLEIDINGEN)
def test_the_guide_has_a_heading_per_task_and_numbered_steps(role):
    html = markup(HANDLEIDINGEN[role].text())
    assert html.count("<h2") >= 3 and html.count("<h3") >= 3
    assert html.count('<ol class="utrecht-ordered-list">') >= 4


# --- The pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["olga", "otto", "wim", "cora"])
def test_algemene_informatie_lists_the_four_guides_with_the_own_role_first(user, request):
    reader = request.getfixturevalue(user)
    page = login(Client(), reader).get(reverse("policy:info")).content.decode()

    positions = {role: page.index(f'href="{guide_url(role)}"') for role in HANDLEIDINGEN}
    assert min(positions, key=positions.get) == reader.role
    assert all(f'href="{pdf_url(role)}"' in page for role in HANDLEIDINGEN)
    assert page.count("Uw rol") == 1


def test_functioneel_beheer_sees_the_guides_without_an_own_role(admin_user, drenthe):
    page = login(Client(), admin_user).get(reverse("policy:info")).content.decode()
    assert all(f'href="{guide_url(role)}"' in page for role in HANDLEIDINGEN)
    assert "Uw rol" not in page


def test_the_regions_own_handleidingen_follow_the_guides_of_the_portal(drenthe, olga):
    InfoPage.objects.create(region=drenthe, kind=InfoPageKind.HANDLEIDING, title="Werken in Drenthe", body="Tekst")
    page = login(Client(), olga).get(reverse("policy:info")).content.decode()
    section = page[page.index('id="handleidingen"') : page.index("</section>", page.index('id="handleidingen"'))]
    assert section.index(guide_url("coordinatiepunt")) < section.index("Werken in Drenthe")


def test_a_wsp_reads_the_guide_of_the_opdrachtnemer(wim):
    page = login(Client(), wim).get(guide_url("opdrachtnemer")).content.decode()
    assert '<h1 class="utrecht-heading-1">Handleiding voor opdrachtnemers</h1>' in page
    assert "Inzet vastleggen" in page and "dit is de handleiding voor uw rol" not in page
    assert f'href="{pdf_url("opdrachtnemer")}"' in page
    assert '<a class="utrecht-link" href="/projecten/kandidaten/">Kandidaten</a>' in page


def test_the_own_guide_says_so(otto):
    page = login(Client(), otto).get(guide_url("opdrachtnemer")).content.decode()
    assert "dit is de handleiding voor uw rol" in page


def test_a_role_without_a_guide_is_404(olga):
    assert login(Client(), olga).get(guide_url("beheer")).status_code == 404
    assert login(Client(), olga).get(pdf_url("beheer")).status_code == 404


# --- The PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", HANDLEIDINGEN)
def test_the_pdf_is_the_guide_with_its_pictures_on_a_few_pages(role, olga):
    response = login(Client(), olga).get(pdf_url(role))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="handleiding-{role}.pdf"'
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    guide = HANDLEIDINGEN[role]
    assert guide.title in text and "Inloggen en uw account" in text
    assert "**" not in text and "](/" not in text, "markup signs are rendered, not printed"
    pages = PdfReader(io.BytesIO(content)).pages
    pictures = len(guide.pictures())
    assert len(pages) <= 2 + (pictures + 1) // 2, "two printed pages of text per role, a page per two pictures"
    printed = {image.name for page in pages for image in page.images}  # the pages share one resource list
    assert len(printed) == pictures, "each picture of the guide is printed"


def test_links_in_the_pdf_lead_to_the_portal_never_to_the_servers_disk(olga):
    content = login(Client(), olga).get(pdf_url("opdrachtnemer")).content
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(content)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert f"{settings.SITE_URL}/projecten/kandidaten/" in uris
    assert all(uri.startswith(f"{settings.SITE_URL}/") for uri in uris), uris
    assert b"file:" not in content


def test_the_pdf_is_printed_once_a_day_and_says_which_day(olga, monkeypatch, time_machine):
    from reporting import handleiding

    printed = []
    real = handleiding.pdf_from_html
    monkeypatch.setattr(handleiding, "pdf_from_html", lambda html: printed.append(html) or real(html))
    handleiding._guide_pdf.cache_clear()

    time_machine.move_to("2026-03-02 09:00 +01:00")
    client = login(Client(), olga)
    first, again = (client.get(pdf_url("wsp")).content for _ in range(2))
    assert first == again and len(printed) == 1, "the same guide on the same day is printed once"
    assert "Stand van 02-03-2026" in pdf_text(first)

    time_machine.move_to("2026-03-03 09:00 +01:00")
    client = login(Client(), olga)
    assert "Stand van 03-03-2026" in pdf_text(client.get(pdf_url("wsp")).content)
    client.get(pdf_url("opdrachtnemer"))
    assert len(printed) == 3, "a new day and another guide are printed anew"


# --- The markup the guides use (also for the coördinatiepunt's own pages) ------------------------


def test_numbered_lines_become_an_ordered_list_and_a_new_kind_starts_a_new_list():
    html = markup("1. Open het project\n2. Klik op **Opslaan**\n- Een opmerking\nTekst")
    assert html == (
        '<ol class="utrecht-ordered-list"><li>Open het project</li><li>Klik op <strong>Opslaan</strong></li></ol>\n'
        '<ul class="utrecht-unordered-list"><li>Een opmerking</li></ul>\n'
        '<p class="utrecht-paragraph">Tekst</p>'
    )


def test_a_link_to_a_page_of_the_portal_stays_on_the_portal():
    assert markup("[Beleid](/beleid/#menukaart)") == (
        '<p class="utrecht-paragraph"><a class="utrecht-link" href="/beleid/#menukaart">Beleid</a></p>'
    )
    for elsewhere in [
        "[x](//evil.invalid/)",
        "[x](/\\evil.invalid/)",
        "[x](javascript:alert(1))",
        '[x](/a" onclick=x)',
    ]:
        assert "<a " not in markup(elsewhere), elsewhere


# --- The demo news item ------------------------------------------------------------------------


@override_settings(DEBUG=True)
def test_the_demo_news_item_leads_to_the_handleidingen(capsys):
    call_command("seed_demo")
    item = NewsItem.objects.filter(title__startswith="Welkom in de nieuwe Social Return Monitor").first()
    assert item is not None and "[handleiding voor uw rol](/informatie/#handleidingen)" in item.body
    assert resolve("/informatie/").view_name == "policy:info"

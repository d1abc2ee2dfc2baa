"""Stored XSS (issue #8): payloads typed into every free-text field stay text on every page.

Each payload goes in through the real forms (as the user who may fill each one), then every
page, form and mail that shows the text is fetched: the payload must appear escaped (so the
test knows the page really shows it) and the page must hold nothing it could run — no
`<script>`, no `on…=` handler, no `javascript:` address, no frame. The portal ships no script
at all, so any script element is an injection. Templates don't evaluate text: `{{ 7*7 }}`
stays `{{ 7*7 }}`.

Spreadsheets: user text that starts like a formula (`=`, `+`, `-`, `@`) is written as text in
every export (openpyxl would otherwise store "=…" as a formula). CSP: script-src without
'unsafe-inline' or 'unsafe-eval' on pages that show payloads (tests/test_settings.py checks the
profile page). One Playwright test opens pages with payloads in Chromium: no dialog fires.
"""

import io
import re
import zipfile
from datetime import timedelta
from typing import Any

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from accounts.models import Organisation, User
from notifications.models import Mail
from policy.models import InfoPage, NewsItem, PolicyVersion
from projects.models import Document, Inzet, Kandidaat, Project
from reporting.excel import FORMULA_START
from tests import lanes
from tests.conftest import Client, login
from tests.pdfs import plain_pdf
from tests.security.strategies import XSS_PAYLOADS
from tests.security.test_forms_fuzz import dutch, world  # noqa: F401 - the cast the fuzz plays with

RUNNABLE_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background")


def assert_inert(html: str, where: str) -> None:
    """Nothing in the page can run: no script, handler, javascript: address or frame."""
    document = lxml.html.fromstring(html)
    problems = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in ("script", "iframe", "frame", "object", "embed", "base"):
            problems.append(f"<{tag}> element")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name == "srcdoc":
                problems.append(f"<{tag} {name}=…>")
            if name in RUNNABLE_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                problems.append(f'<{tag} {name}="{value}">')
    assert not problems, f"{where}: {problems}"


def fit(payload: str, length: int) -> str:
    return payload[:length]


def post(client: Client, url: str, data: dict[str, Any]) -> None:
    """Through the form; it must be accepted, or the payload never reaches the pages."""
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.context and response.context.get("form").errors)


def store_everywhere(w: dict, payload: str) -> dict[str, str]:
    """The payload in every free-text field, each through its form; returns field → the text stored."""
    today = w["project"].start_date
    olga, otto, wim, cora = (login(Client(), w[name]) for name in ("olga", "otto", "wim", "cora"))
    shown = {
        "project name": payload,
        "kenmerk": fit(payload, 100),
        "project description": payload,
        "opdrachtnemer name": payload,
        "opdrachtnemer address": payload,
    }
    post(
        olga,
        reverse("projects:create"),
        {
            "name": payload,
            "kenmerk": shown["kenmerk"],
            "description": payload,
            "opdrachtgever": w["olga"].organisation.pk,
            "new_opdrachtnemer_name": payload,
            "new_opdrachtnemer_kvk_number": "12345678",
            "new_opdrachtnemer_address": payload,
            "start_date": dutch(today),
            "end_date": dutch(today + timedelta(days=365)),
            "contract_type": "sr_verplichting",
            "verplichting": "25.000,00",
            "accountmanager": w["wim"].pk,
        },
    )
    project = Project.objects.latest("pk")
    shown["note"] = payload
    post(olga, reverse("projects:note-add", args=[project.pk]), {"notitie-text": payload})
    upload = SimpleUploadedFile("plan.pdf", plain_pdf(), content_type="application/pdf")
    upload._name = payload + ".pdf"  # as a browser sends the name; the server takes what follows a "/"
    post(olga, reverse("projects:document-add", args=[project.pk]), {"file": upload})
    shown["document name"] = Document.objects.latest("pk").original_name
    shown["contact name"] = fit(payload, 150)
    post(
        olga,
        reverse("projects:contact-invite", args=[project.pk]),
        {"organisation": w["olga"].organisation.pk, "name": shown["contact name"], "email": "x@veenhoven.invalid"},
    )
    # The cast's project (with lines, so it is in every report) renamed to the payload as well.
    cast_project = w["project"]
    post(
        olga,
        reverse("projects:edit", args=[cast_project.pk]),
        {
            "name": payload,
            "kenmerk": "",
            "description": "",
            "opdrachtgever": cast_project.opdrachtgever_id,
            "opdrachtnemer": cast_project.opdrachtnemer_id,
            "start_date": dutch(cast_project.start_date),
            "end_date": dutch(cast_project.end_date),
            "contract_type": cast_project.contract_type,
            "verplichting": str(cast_project.verplichting).replace(".", ","),
            "accountmanager": cast_project.accountmanager_id,
            "revision": cast_project.revision,
        },
    )
    # The opdrachtnemer's verantwoording on the cast's project, returned by the WSP with a reason.
    shown |= {"initials": fit(payload, 20), "surname": fit(payload, 100)}
    post(
        otto,
        reverse("projects:kandidaat-create"),
        {
            "initials": shown["initials"],
            "surname": shown["surname"],
            "birth_date": "01-05-2004",
            "doelgroep": "stagiair",
        },
    )
    kandidaat = Kandidaat.objects.latest("pk")
    shown["inzet description"] = fit(payload, 500)
    post(
        otto,
        reverse("projects:inzet-create", args=[cast_project.pk]) + "?soort=anders",
        {
            "kandidaat": kandidaat.pk,
            "start_date": dutch(cast_project.start_date + timedelta(days=220)),
            "end_date": dutch(cast_project.start_date + timedelta(days=300)),
            "amount": "500,00",
            "description": shown["inzet description"],
        },
    )
    inzet = Inzet.objects.latest("pk")
    shown["return reason"] = payload
    post(
        wim,
        reverse("projects:inzet-return", args=[cast_project.pk, inzet.pk]),
        {"reason": payload, "revision": inzet.revision},
    )
    shown["verwijtbaarheid"] = payload
    post(
        cora,
        reverse("projects:verwijtbaarheid", args=[w["judged"].pk]),
        {"oordeel": "verwijtbaar", "argument": payload},
    )
    # The coördinatiepunt's content, policy text, contact details and a new account.
    shown |= {"news title": fit(payload, 200), "news body": payload}
    post(
        cora,
        reverse("policy:news-create"),
        {"title": shown["news title"], "body": payload, "publish_date": dutch(w["news"].publish_date)},
    )
    shown |= {"info title": fit(payload, 200), "info body": payload}
    post(
        cora,
        reverse("policy:info-create"),
        {"kind": "faq", "title": shown["info title"], "body": payload, "order": "0"},
    )
    shown["beleid"] = payload
    version = PolicyVersion.objects.get(pk=w["version"].pk)
    post(cora, reverse("policy:beleid-edit", args=[version.pk]), {"text": payload, "revision": version.revision})
    shown |= {"contact person": fit(payload, 200), "opening hours": fit(payload, 200), "phone": fit(payload, 30)}
    organisation = Organisation.objects.get(pk=w["cora"].organisation_id)
    post(
        cora,
        reverse("policy:contact-details-edit"),
        {
            "contact_name": shown["contact person"],
            "email": "sr@csr-drenthe.invalid",
            "phone": shown["phone"],
            "opening_hours": shown["opening hours"],
            "website": "",
            "revision": organisation.revision,
        },
    )
    shown["user name"] = fit(payload, 150)
    post(
        cora,
        reverse("accounts:user-create"),
        {
            "name": shown["user name"],
            "email": "y@veenhoven.invalid",
            "phone": "",
            "organisation": w["olga"].organisation.pk,
        },
    )
    shown["help message"] = payload
    post(
        Client(),
        reverse("accounts:help"),
        {"region": w["drenthe"].pk, "name": fit(payload, 150), "email": "z@voorbeeld.invalid", "message": payload},
    )
    w["xss"] = {"project": project, "kandidaat": kandidaat, "inzet": inzet}
    return shown


def pages(w: dict) -> list[tuple[str, str, list[str]]]:
    """(user, URL, the stored texts the page must show) for every page that shows them."""
    x = w["xss"]
    project, cast_project, inzet = x["project"], w["project"], x["inzet"]
    news, info = NewsItem.objects.latest("pk"), InfoPage.objects.latest("pk")
    new_user = User.objects.get(email="y@veenhoven.invalid")
    return [
        (
            "olga",
            reverse("projects:detail", args=[project.pk]),
            ["project name", "kenmerk", "project description", "opdrachtnemer name", "note", "document name"],
        ),
        ("olga", reverse("projects:list"), ["project name", "opdrachtnemer name"]),
        ("olga", reverse("projects:edit", args=[project.pk]), ["project name", "project description"]),
        ("olga", reverse("home"), []),
        ("otto", reverse("projects:kandidaat-list"), ["surname"]),
        ("otto", reverse("projects:kandidaat-edit", args=[x["kandidaat"].pk]), ["initials", "surname"]),
        ("otto", reverse("projects:detail", args=[cast_project.pk]), ["inzet description"]),
        (
            "otto",
            reverse("projects:inzet-detail", args=[cast_project.pk, inzet.pk]),
            ["inzet description", "return reason"],
        ),
        (
            "otto",
            reverse("projects:inzet-edit", args=[cast_project.pk, inzet.pk]) + "?soort=anders",
            ["inzet description"],
        ),
        ("otto", reverse("projects:inzet-create", args=[cast_project.pk]) + "?soort=stage", ["initials", "surname"]),
        ("otto", reverse("home"), []),
        ("wim", reverse("projects:detail", args=[cast_project.pk]), ["inzet description"]),
        ("wim", reverse("reporting:overlap"), []),
        ("cora", reverse("projects:detail", args=[w["judged"].pk]), ["verwijtbaarheid"]),
        ("cora", reverse("projects:detail", args=[project.pk]), ["project name", "note", "contact name"]),
        ("cora", reverse("policy:news-detail", args=[news.pk]), ["news title", "news body"]),
        ("cora", reverse("policy:news"), ["news title"]),
        ("cora", reverse("policy:news-edit", args=[news.pk]), ["news title", "news body"]),
        ("cora", reverse("policy:info-detail", args=[info.pk]), ["info title", "info body"]),
        ("cora", reverse("policy:info"), ["info title"]),
        ("cora", reverse("policy:info-edit", args=[info.pk]), ["info title", "info body"]),
        ("cora", reverse("policy:beleid-version", args=[w["version"].pk]), ["beleid"]),
        ("cora", reverse("policy:beleid-edit", args=[w["version"].pk]), ["beleid"]),
        ("cora", reverse("policy:contact-details"), ["contact person", "opening hours", "phone"]),
        ("cora", reverse("policy:contact-details-edit"), ["contact person", "opening hours", "phone"]),
        ("cora", reverse("accounts:user-list"), ["user name", "contact name"]),
        ("cora", reverse("accounts:user-detail", args=[new_user.pk]), ["user name"]),
        ("cora", reverse("reporting:projects"), ["project name"]),
        ("cora", reverse("reporting:kosten"), ["project name"]),
        ("cora", reverse("reporting:kandidaten"), []),
        ("cora", reverse("notifications:outbox"), []),
        ("cora", reverse("home"), []),
        ("cora", reverse("projects:list"), ["project name"]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", lanes.sample(XSS_PAYLOADS, 3))
def test_a_payload_in_every_text_field_renders_inert_everywhere(payload, world):  # noqa: F811
    shown = store_everywhere(world, payload)
    clients = {name: login(Client(), world[name]) for name in ("olga", "otto", "wim", "cora")}
    checked = 0
    for user, url, fields in pages(world):
        response = clients[user].get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, f"{user} {url}")
        for field in fields:
            assert escape(shown[field]) in html, f"{url} does not show the {field}"
            checked += 1
    assert checked >= 45  # (page, field) pairs that show a payload
    mails = list(Mail.objects.all())
    for mail in mails:
        assert_inert(mail.html, f"mail {mail.template}")
    # The mails that carry a text typed by a user show it, escaped (a template-injection payload literally).
    for template, field in [
        ("regel_teruggestuurd", "return reason"),
        ("verwijtbaarheid", "verwijtbaarheid"),
        ("hulp_nodig", "help message"),
        ("welkomstmail", "user name"),
        ("toegevoegd_aan_project", "project name"),
    ]:
        assert any(escape(shown[field]) in mail.html for mail in mails if mail.template == template), template


# --- Spreadsheets ------------------------------------------------------------------------------------

# The most different first: every run takes the first three, a deep run all (tests/lanes.py).
FORMULAS = [
    '=HYPERLINK("http://evil.invalid","klik")',
    "@SUM(1,2)",
    "\t=1",
    "+1+1",
    "-2+3",
    "=1+1",
    "=cmd|' /C calc'!A0",
]


def cells(content: bytes) -> list[Any]:
    """Every cell of every sheet, as openpyxl reads it (formulas as data_type "f")."""
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(content: bytes, texts: list[str], where: str) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), f"{where}: {name}"
    values = [cell.value for cell in cells(content)]
    assert not any(cell.data_type == "f" for cell in cells(content)), where
    for value in values:
        if isinstance(value, str):
            assert not value.startswith(FORMULA_START), f"{where}: {value!r} starts like a formula"
    found = [text for text in texts if any(isinstance(v, str) and text in v for v in values)]
    assert found, f"{where} shows none of the texts, so it proves nothing"


@pytest.mark.django_db
@pytest.mark.parametrize("formula", lanes.sample(FORMULAS, 3))
def test_user_text_that_looks_like_a_formula_stays_text_in_every_export(formula, world):  # noqa: F811
    store_everywhere(world, formula)
    project = world["xss"]["project"]
    olga, cora, otto = (login(Client(), world[name]) for name in ("olga", "cora", "otto"))
    exports = [
        (olga, reverse("reporting:project-overview", args=[project.pk])),
        (otto, reverse("reporting:project-overview", args=[world["project"].pk])),
        (cora, reverse("reporting:projects-export")),
        (cora, reverse("reporting:kosten-export")),
        (otto, reverse("reporting:kandidaten-export")),
        (cora, reverse("reporting:overlap-export")),
    ]
    for client, url in exports:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml"), url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        expected = [formula.strip(), formula[:20]]
        assert_no_formula(content, expected, url)


# --- Content-Security-Policy ------------------------------------------------------------------------


def script_sources(policy: str) -> list[str]:
    directives = {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}
    assert directives.get("object-src") == ["'none'"] and directives.get("base-uri") == ["'self'"], policy
    return directives.get("script-src", directives.get("default-src", ["*"]))


@pytest.mark.django_db
def test_pages_showing_payloads_forbid_inline_and_evaluated_script(world):  # noqa: F811
    store_everywhere(world, XSS_PAYLOADS[0])
    clients = {name: login(Client(), world[name]) for name in ("olga", "otto", "wim", "cora")}
    responses = [(url, clients[user].get(url)) for user, url, _ in pages(world)]
    responses += [(url, Client().get(url)) for url in (reverse("accounts:login"), reverse("accounts:help"))]
    refused = clients["cora"].post(reverse("policy:news-create"), {"title": XSS_PAYLOADS[0]})  # a form with errors
    responses.append(("refused news form", refused))
    for url, response in responses:
        sources = script_sources(response["Content-Security-Policy"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (url, sources)
        assert not {"*", "data:", "http:", "https:"} & set(sources), (url, sources)


# The same payloads in a real browser: tests/browser/test_xss_inert.py

"""The mail preview (development only): every mail text with fictional data, and absent without DEBUG."""

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse
from django.utils.html import escape

import srmonitor.urls
from accounts.models import Organisation, Region, User
from notifications.mail import mail_render
from notifications.models import Mail
from projects.models import Inzet, Project
from reporting import mail_preview
from tests.conftest import Client, login
from tests.test_authorization_walk import url_names

pytestmark = pytest.mark.django_db

MAILS = {
    "authenticator_gereset",
    "hulp_nodig",
    "invulbestand_toegevoegd",
    "kwartaalherinnering",
    "regel_teruggestuurd",
    "signaal_einde_project",
    "sr_goedgekeurd",
    "toegevoegd_aan_project",
    "verwijtbaarheid",
    "wachtwoord_gewijzigd",
    "wachtwoord_vergeten",
    "welkomstmail",
}


def reload_urls() -> None:
    importlib.reload(srmonitor.urls)
    clear_url_caches()


@pytest.fixture
def debug_urls() -> Iterator[None]:
    """The URLconf as it is built with DEBUG on; rebuilt without it afterwards."""
    try:
        with override_settings(DEBUG=True):
            reload_urls()
            yield
    finally:
        reload_urls()


def row_counts() -> list[int]:
    return [model.objects.count() for model in (Region, Organisation, User, Project, Inzet, Mail)]


def test_the_preview_lists_every_mail_template(debug_urls, cora):
    files = {path.name.split(".")[0] for path in (Path(settings.BASE_DIR) / "templates" / "emails").iterdir()}
    assert files - {"base"} == MAILS

    response = login(Client(), cora).get(reverse("mail_preview:index"))

    assert response.status_code == 200
    page = response.content.decode()
    for name in MAILS:
        assert reverse("mail_preview:detail", args=[name]) in page


def test_every_mail_renders_its_subject_html_and_text_from_unsaved_example_data(debug_urls, cora):
    client = login(Client(), cora)
    before = row_counts()

    for name in sorted(MAILS):
        subject, text, html = mail_render(template=name, context=mail_preview.example_context(name))
        assert subject and "Social Return Monitor" in text and "<!DOCTYPE html>" in html

        detail = client.get(reverse("mail_preview:detail", args=[name]))
        assert detail.status_code == 200, name
        page = detail.content.decode()
        assert f'<dd id="mail-subject">{escape(subject)}</dd>' in page, name
        assert f'<pre id="mail-text">{escape(text)}</pre>' in page, name
        assert f'<iframe sandbox src="{reverse("mail_preview:html", args=[name])}"' in page, name
        assert "<script" not in page

        framed = client.get(reverse("mail_preview:html", args=[name]))
        assert framed.status_code == 200, name
        assert framed.content.decode() == html
        assert framed["X-Frame-Options"] == "SAMEORIGIN"
        policy = framed["Content-Security-Policy"]
        assert "style-src 'unsafe-inline'" in policy and "frame-ancestors 'self'" in policy
        assert "script-src" not in policy and "default-src 'none'" in policy

    assert row_counts() == before


def test_the_index_shows_each_subject(debug_urls, cora):
    page = login(Client(), cora).get(reverse("mail_preview:index")).content.decode()

    subject, _text, _html = mail_render(
        template="sr_goedgekeurd", context=mail_preview.example_context("sr_goedgekeurd")
    )
    assert escape(subject) in page


def test_an_unknown_template_is_not_found(debug_urls, cora):
    client = login(Client(), cora)

    assert client.get(reverse("mail_preview:detail", args=["base"])).status_code == 404
    assert client.get(reverse("mail_preview:html", args=["bestaat-niet"])).status_code == 404


def test_without_debug_the_preview_is_not_in_the_urlconf(cora):
    assert not any(name.startswith("mail_preview:") for name in url_names())
    with pytest.raises(NoReverseMatch):
        reverse("mail_preview:index")
    assert login(Client(), cora).get("/__mail__/").status_code == 404
    assert login(Client(), cora).get("/__mail__/welkomstmail/").status_code == 404


def test_without_debug_the_views_refuse_even_when_mounted(cora):
    request = RequestFactory().get("/__mail__/")
    request.user = cora
    for view, kwargs in [
        (mail_preview.preview_index, {}),
        (mail_preview.preview_detail, {"template": "welkomstmail"}),
        (mail_preview.preview_html, {"template": "welkomstmail"}),
    ]:
        with pytest.raises(Http404):
            view(request, **kwargs)

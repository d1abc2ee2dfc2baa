"""XSS payloads stored through the models render inert in Chromium: no dialog ever fires
(the page-source checks for every field are in tests/security/test_xss.py)."""

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from policy.models import InfoPage, NewsItem
from tests.conftest import Client, login


def test_no_payload_runs_in_chromium(page, live_server):
    from tests.factories import UserFactory, coordinatiepunt

    organisation = coordinatiepunt("drenthe")
    cora = UserFactory(name='"><img src=x onerror=alert(1)>', organisation=organisation)
    payload = "<script>alert(1)</script>"
    item = NewsItem.objects.create(
        region=organisation.region, title=payload, body='"><svg onload=alert(1)>\n\n' + payload
    )
    info = InfoPage.objects.create(region=organisation.region, title="</textarea><svg onload=alert(1)>", body=payload)
    client = login(Client(), cora)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(reverse("policy:news-detail", args=[item.pk]))
    expect(page.get_by_role("heading", name=payload, level=1)).to_be_visible()
    page.goto(reverse("policy:news-edit", args=[item.pk]))
    expect(page.get_by_label("Titel")).to_have_value(payload)
    page.goto(reverse("policy:info-edit", args=[info.pk]))
    expect(page.get_by_label("Titel")).to_have_value(info.title)
    page.goto(reverse("accounts:user-list"))
    expect(page.get_by_text(cora.name).first).to_be_visible()
    page.wait_for_timeout(200)  # a handler on an image that failed to load fires after the load event
    assert dialogs == []

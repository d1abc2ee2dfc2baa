"""The coördinatiepunt's policy from a workbook (issue #31): download, upload, the preview with example values now
and then, publish; problems per sheet, row and column change nothing; no one else reaches these pages."""

import io
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.spreadsheets import MESSAGES
from policy.models import PolicyUpload, PolicyVersion
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
from policy.tasks import cleanup_policy_uploads
from policy.workbook import policy_workbook, read_policy_workbook
from srmonitor.celery import app
from tests.conftest import Client, login
from tests.pages import words
from tests.policy.test_workbook import edited
from tests.workbooks import entity_workbook, million_rows, zip_bomb

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("policy:beleid-workbook")
UPLOAD = reverse("policy:beleid-workbook-upload")


def downloaded(client: Client, query: str = "") -> bytes:
    response = client.get(DOWNLOAD + query)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def post_file(client: Client, content: bytes, name: str = "beleid.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_coordinatiepunt_downloads_changes_previews_and_publishes_its_policy(cora, drenthe):
    client = login(Client(), cora)
    current = PolicyVersion.objects.with_rules().in_force(region=drenthe, day=timezone.localdate())
    assert current is not None
    content = downloaded(client)
    assert read_policy_workbook(content, "beleid.xlsx").rules == current.to_rules()
    scholing = next(n for n, soort in enumerate(current.to_rules().soorten, start=2) if soort.code == "scholing")
    changed = edited(current.to_rules(), "Soorten inzet", scholing, "Max. per kandidaat", 1500)

    response = post_file(client, changed)

    upload = PolicyUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "policy:beleid-workbook-preview", args=[upload.pk]
    )
    page = words(client.get(response["Location"]))
    assert "Menukaart" in page and "Max. € 1.500,00 per kandidaat" in page
    assert "€ 2.000,00 € 1.500,00" in page, "the scholing example: now the old cap, then the new one"

    valid_from = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("policy:beleid-workbook-preview", args=[upload.pk]),
        {"title": "Uitvoeringsvoorwaarden 2027", "valid_from": valid_from.isoformat(), "text": "Nieuw beleid."},
    )

    version = PolicyVersion.objects.with_rules().get(region=drenthe, valid_from=valid_from)
    assert response.status_code == 302 and response["Location"] == reverse("policy:beleid-version", args=[version.pk])
    expected = replace(current.to_rules(), title="Uitvoeringsvoorwaarden 2027")
    scholing_rule = next(s for s in expected.soorten if s.code == "scholing")
    expected = replace(
        expected,
        soorten=tuple(
            replace(s, max_per_kandidaat=Decimal(1500)) if s is scholing_rule else s for s in expected.soorten
        ),
    )
    assert version.to_rules() == expected and version.text == "Nieuw beleid."
    assert PolicyUpload.objects.get().published == version


def test_a_workbook_with_problems_lists_them_and_changes_nothing(cora, drenthe):
    client = login(Client(), cora)
    versions = PolicyVersion.objects.count()
    rules = PolicyVersion.objects.with_rules().filter(region=drenthe).latest("valid_from").to_rules()
    bad = edited(rules, "Doelgroepen", 2, "Termijn", "eeuwig")

    page = words(post_file(client, bad))

    assert "De werkmap heeft 1 fout." in page
    assert "Doelgroepen 2 Termijn Onbekende waarde ‘eeuwig’" in page
    assert not PolicyUpload.objects.exists() and PolicyVersion.objects.count() == versions
    assert "Kies een Excel-werkmap (.xlsx)" in words(post_file(client, b"a;b", "beleid.csv"))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: b"PK" + b"\0" * (5 * 1024 * 1024), "Het bestand is groter dan 5 MB."),
        (zip_bomb, MESSAGES["bomb"]),
        (entity_workbook, MESSAGES["xml"]),
        pytest.param(million_rows, "meer dan", marks=pytest.mark.slow),
    ],
    ids=["6 MB", "zip bomb", "billion laughs", "a million rows"],
)
def test_a_hostile_file_through_the_upload_page_gets_its_reason_and_changes_nothing(cora, build, message):
    client = login(Client(), cora)
    versions = PolicyVersion.objects.count()

    response = post_file(client, build())

    assert response.status_code == 200 and message in words(response)
    assert not PolicyUpload.objects.exists() and PolicyVersion.objects.count() == versions


def test_a_bouwblokken_menukaart_shows_no_amounts_of_the_cost_method(cora):
    """The example's stage keeps the cost method's caps per niveau; worth its bouwblok, they don't count, and the
    Menukaart doesn't show them. Its maximum of 12 months still counts, and shows."""
    stage = EXAMPLE_BOUWBLOKKEN_RULES.soort("stage")
    assert stage is not None and stage.niveau_caps and stage.max_months == 12
    client = login(Client(), cora)

    page = words(client.get(post_file(client, policy_workbook(EXAMPLE_BOUWBLOKKEN_RULES))["Location"]))

    assert "Telt maximaal 12 maanden" in page and "BOL-stage € 20.000,00" in page
    assert "per maand (mbo)" not in page and stage.value_hint not in page


def test_the_empty_workbook_is_there_for_a_region_without_policy(cora):
    client = login(Client(), cora)
    book = load_workbook(io.BytesIO(downloaded(client, "?leeg=1")))
    assert book["Soorten inzet"].max_row == 1 and book.sheetnames[0] == "Toelichting"


def test_no_one_but_the_regions_coordinatiepunt_reaches_the_workbook_pages(cora, wim, otto, gert):
    content = downloaded(login(Client(), cora))
    post_file(login(Client(), cora), content)
    preview = reverse("policy:beleid-workbook-preview", args=[PolicyUpload.objects.get().pk])
    for person in (wim, otto):
        client = login(Client(), person)
        for url in (DOWNLOAD, UPLOAD, preview):
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(UPLOAD, {}).status_code == 404
    groningen = login(Client(), gert)  # another region's coördinatiepunt: its own workbook, not Drenthe's upload
    assert read_policy_workbook(downloaded(groningen), "beleid.xlsx").rules.title.endswith("Groningen")
    assert groningen.get(preview).status_code == 404
    assert groningen.post(preview, {"title": "X", "valid_from": "2099-01-01"}).status_code == 404


def test_a_workbook_never_published_is_removed_after_the_keep_days_a_published_one_stays(cora, drenthe, settings):
    settings.POLICY_UPLOAD_KEEP_DAYS = 30
    client = login(Client(), cora)
    content = downloaded(client)
    for _ in range(3):
        post_file(client, content)
    _old_unpublished, old_published, recent = PolicyUpload.objects.order_by("pk")
    version = PolicyVersion.objects.filter(region=drenthe).latest("valid_from")
    PolicyUpload.objects.filter(pk=old_published.pk).update(published=version)
    PolicyUpload.objects.exclude(pk=recent.pk).update(uploaded_at=timezone.now() - timedelta(days=31))

    entry = django_settings.CELERY_BEAT_SCHEDULE["cleanup-policy-uploads"]
    assert entry["task"] == cleanup_policy_uploads.name and entry["task"] in app.tasks
    assert cleanup_policy_uploads.delay().get() == 1

    assert set(PolicyUpload.objects.values_list("pk", flat=True)) == {old_published.pk, recent.pk}

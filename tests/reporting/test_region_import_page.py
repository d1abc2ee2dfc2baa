"""Regio importeren (issue #32): functioneel beheer uploads a region workbook, reads what a trial run would do and
imports it; hostile and sloppy files get their reasons in Dutch and change nothing; no one else reaches the pages."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, User
from core.spreadsheets import MESSAGES
from projects.models import Inzet, Project
from reporting.forms import RegionImportForm
from reporting.models import RegionImport, RegionImportStatus
from reporting.tasks import cleanup_region_imports
from srmonitor.celery import app
from tests.conftest import Client, login
from tests.pages import words
from tests.workbooks import entity_workbook, million_rows, zip_bomb

from .test_region_import_projects import with_projects
from .test_region_import_run import region_workbook

pytestmark = pytest.mark.django_db

UPLOAD = reverse("reporting:region-import-upload")


def upload(client: Client, content: bytes, name: str = "midden-utrecht.xlsx", capture=None):  # type: ignore[no-untyped-def]
    with capture(execute=True):  # Celery (eager in tests) gets the check once the upload is committed
        return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_beheer_checks_a_workbook_reads_what_it_would_do_and_imports_it(admin_user, django_capture_on_commit_callbacks):
    client = login(Client(), admin_user)

    response = upload(client, region_workbook(with_projects()), capture=django_capture_on_commit_callbacks)

    run = RegionImport.objects.get()
    assert response["Location"] == reverse("reporting:region-import-result", args=[run.pk])
    page = words(client.get(response["Location"]))
    assert "De proefimport is gelukt." in page and "Er is nog niets opgeslagen." in page
    assert "Projecten 2 0" in page and "Inzet 3 0" in page
    assert "Inzet 3 I-2 € 18.000,00 € 20.000,00 Houdt de vastgelegde waarde" in page
    assert "Inzet 4 I-3 € 5.000,00 € 20.000,00 Rekent met de berekende waarde" in page
    assert not Project.objects.exists() and not Region.objects.filter(slug="midden-utrecht").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:region-import-commit", args=[run.pk]))

    page = words(client.get(response["Location"]))
    assert "Geïmporteerd op" in page and Inzet.objects.count() == 3
    run.refresh_from_db()
    assert (run.status, run.by, run.region.slug, bytes(run.content)) == (
        RegionImportStatus.IMPORTED,
        admin_user,
        "midden-utrecht",
        b"",
    )
    assert "Importeren" not in words(client.get(reverse("reporting:region-import-result", args=[run.pk])))
    again = client.post(reverse("reporting:region-import-commit", args=[run.pk]))
    assert "Deze werkmap kan niet (meer) worden geïmporteerd." in words(client.get(again["Location"]))
    assert Inzet.objects.count() == 3
    assert "midden-utrecht.xlsx (Midden-Utrecht)" in words(client.get(UPLOAD))


def test_a_sloppy_workbook_lists_its_problems_by_sheet_row_and_column_and_changes_nothing(
    admin_user, django_capture_on_commit_callbacks
):
    rows = with_projects()
    rows["Inzet"][0] |= {"Startdatum": "ergens in maart", "Bedrag": "=1+1"}
    rows["Inzet"][2]["Sleutel"] = "I-1"
    rows["Projecten"][1]["Opdrachtgever"] = "O-DRENTHE"
    client = login(Client(), admin_user)

    response = upload(client, region_workbook(rows), capture=django_capture_on_commit_callbacks)

    page = words(client.get(response["Location"]))
    assert "De werkmap heeft 4 problemen." in page and "Er is niets opgeslagen." in page
    assert "Inzet 2 Startdatum Vul een datum in (dd-mm-jjjj)." in page
    assert "Inzet 4 Sleutel De sleutel I-1 staat ook in rij 2." in page
    assert "Projecten 3 Opdrachtgever O-DRENTHE staat niet op het blad ‘Organisaties’." in page
    assert "Importeren" not in page
    run = RegionImport.objects.get()
    assert run.status == RegionImportStatus.REFUSED and bytes(run.content) == b""
    assert (
        not Region.objects.filter(slug="midden-utrecht").exists()
        and not User.objects.filter(email="willem@wsp-utrecht.invalid").exists()
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (zip_bomb, MESSAGES["bomb"]),
        (entity_workbook, MESSAGES["xml"]),
        (lambda: b"PK\x03\x04 dit is geen werkmap", MESSAGES["unreadable"]),
        pytest.param(million_rows, "meer dan", marks=pytest.mark.slow),
    ],
    ids=["zip bomb", "billion laughs", "not a workbook", "a million rows"],
)
def test_a_hostile_file_gets_its_reason_and_changes_nothing(
    admin_user, django_capture_on_commit_callbacks, build, message
):
    client = login(Client(), admin_user)
    projects, users = Project.objects.count(), User.objects.count()

    response = upload(client, build(), capture=django_capture_on_commit_callbacks)

    page = words(client.get(response["Location"]))
    assert message in page and "Er is niets opgeslagen." in page
    assert (Project.objects.count(), User.objects.count()) == (projects, users)


def test_the_form_refuses_what_is_not_a_workbook_and_what_is_too_large(admin_user, monkeypatch):
    monkeypatch.setattr(RegionImportForm.base_fields["file"], "max_bytes", 1024)
    client = login(Client(), admin_user)

    assert "Kies een Excel-werkmap (.xlsx)." in words(upload_plain(client, b"a;b", "regio.csv"))
    assert "Het bestand is groter dan 0 MB." in words(upload_plain(client, b"PK" + b"\0" * 2048))
    assert "Kies een bestand." in words(client.post(UPLOAD, {}))
    assert not RegionImport.objects.exists()


def upload_plain(client: Client, content: bytes, name: str = "regio.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_no_one_but_beheer_reaches_the_import(cora, wim, otto, olga, admin_user, django_capture_on_commit_callbacks):
    run = RegionImport.objects.create(file_name="x.xlsx", sha256="0" * 64, status=RegionImportStatus.CHECKED)
    for person in (cora, wim, otto, olga):
        client = login(Client(), person)
        for url in (UPLOAD, reverse("reporting:region-import-result", args=[run.pk])):
            assert client.get(url).status_code == 404
        assert client.post(reverse("reporting:region-import-commit", args=[run.pk])).status_code == 404
        assert "Regio importeren" not in words(client.get(reverse("reporting:index")))
    run.refresh_from_db()
    assert run.status == RegionImportStatus.CHECKED
    assert "Regio importeren" in words(login(Client(), admin_user).get(reverse("reporting:index")))


def test_a_workbook_checked_but_never_imported_is_emptied_after_the_keep_days(admin_user, settings):
    settings.REGION_IMPORT_KEEP_DAYS = 30
    made = {
        status: RegionImport.objects.create(file_name="x.xlsx", sha256="0" * 64, content=b"PK", status=status)
        for status in (RegionImportStatus.CHECKED, RegionImportStatus.IMPORTED)
    }
    recent = RegionImport.objects.create(file_name="y.xlsx", sha256="0" * 64, content=b"PK", status="checked")
    RegionImport.objects.exclude(pk=recent.pk).update(at=timezone.now() - timedelta(days=31))

    entry = django_settings.CELERY_BEAT_SCHEDULE["cleanup-region-imports"]
    assert entry["task"] == cleanup_region_imports.name and entry["task"] in app.tasks
    assert cleanup_region_imports.delay().get() == 1

    old = RegionImport.objects.get(pk=made[RegionImportStatus.CHECKED].pk)
    assert (old.status, bytes(old.content)) == (RegionImportStatus.REFUSED, b"")
    assert "30 dagen na het uploaden verwijderd" in old.error
    assert RegionImport.objects.get(pk=recent.pk).status == RegionImportStatus.CHECKED
    page = words(login(Client(), admin_user).get(reverse("reporting:region-import-result", args=[old.pk])))
    assert "30 dagen na het uploaden verwijderd" in page and "Importeren" not in page

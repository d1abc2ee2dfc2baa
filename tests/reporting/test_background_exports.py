"""Exports above the synchronous limit are built by Celery; the user follows them and downloads."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting import exports
from reporting.excel import Column, Sheet
from reporting.models import Export, ExportStatus
from tests.conftest import Client, committed, login, travel

pytestmark = pytest.mark.django_db


def fake_exporter(user, params):  # type: ignore[no-untyped-def]
    rows = [(f"Regel {n}", date(2025, 1, 1) + timedelta(days=n), Decimal(n)) for n in range(2500)]
    columns = [Column("Naam"), Column("Datum", "date"), Column("Bedrag", "money")]
    return len(rows), [Sheet("Test", columns, rows, about=[f"Filter: {params.get('q', '')}"])]


@pytest.fixture(autouse=True)
def exporter(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(exports.EXPORTERS, "test", fake_exporter)


def queue(user) -> Export:  # type: ignore[no-untyped-def]
    with committed():  # the task runs (eagerly) when the transaction commits
        return exports.export_queue(
            user=user, report="test", params={"q": "x"}, title="Test", filename="test.xlsx", rows=2500
        )


def test_a_queued_export_is_built_and_downloaded_by_its_owner_only(olga, wim, tmp_path):
    export = queue(olga)
    export.refresh_from_db()
    assert (export.status, export.rows_done, export.rows_total) == (ExportStatus.DONE, 2500, 2500)
    client = login(Client(), olga)
    page = client.get(reverse("reporting:export-detail", args=[export.pk])).content.decode()
    assert "Het bestand is klaar (2.500 regels)" in page and 'http-equiv="refresh"' not in page
    response = client.get(reverse("reporting:export-download", args=[export.pk]))
    path = tmp_path / "download.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheet = load_workbook(path)["Test"]
    assert sheet["A3"].value == "Naam" and sheet["A2503"].value == "Regel 2499" and sheet["C2503"].value == 2499
    other = login(Client(), wim)
    assert other.get(reverse("reporting:export-detail", args=[export.pk])).status_code == 404
    assert other.get(reverse("reporting:export-download", args=[export.pk])).status_code == 404


def test_running_twice_builds_once_and_a_running_export_refreshes_its_page(olga):
    export = Export.objects.create(user=olga, report="test", title="Test", filename="t.xlsx", rows_total=10)
    page = login(Client(), olga).get(reverse("reporting:export-detail", args=[export.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "0 van 10 regels" in page
    assert exports.export_run(export.pk) is True
    assert exports.export_run(export.pk) is False


def test_a_failing_export_says_so(olga, monkeypatch):
    def broken(user, params):  # type: ignore[no-untyped-def]
        raise ValueError("kapot")

    monkeypatch.setitem(exports.EXPORTERS, "test", broken)
    export = Export.objects.create(user=olga, report="test", title="Test", filename="t.xlsx")
    with pytest.raises(ValueError):
        exports.export_run(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "kapot" in export.error
    page = login(Client(), olga).get(reverse("reporting:export-detail", args=[export.pk])).content.decode()
    assert "mislukt" in page


def test_exports_are_removed_after_a_day(olga):
    export = queue(olga)
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    with travel(timedelta(hours=25)):
        assert exports.exports_cleanup() == 1
    assert not storage.exists(name) and not Export.objects.exists()


def test_a_report_above_the_limit_goes_to_the_background(olga, settings):
    from tests.projects.cast import make_project

    settings.EXPORT_SYNC_MAX_ROWS = 2
    for number in range(3):
        make_project(
            name=f"Groot {number}",
            opdrachtgever=olga.organisation,
            opdrachtnemer=olga.organisation,
            accountmanager=olga,
            contacts=[olga],
        )
    client = login(Client(), olga)
    response = client.get(reverse("reporting:projects-export"))
    export = Export.objects.get(user=olga)
    assert response["Location"] == reverse("reporting:export-detail", args=[export.pk])
    assert export.report == "projects" and export.rows_total == 3

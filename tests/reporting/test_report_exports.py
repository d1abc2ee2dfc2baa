"""Exporteer als Excel-bestand: exactly the report's filtered and sorted rows, on all pages, typed and safe.

The world is the one of tests/reporting/test_reports.py (`build_world`).
"""

import csv
import io
import re
import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from projects.models import Contact, Kandidaat, Project
from tests.conftest import Client, login
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat
from tests.reporting.spreadsheet import libreoffice_to_csv, needs_libreoffice
from tests.reporting.test_reports import BIRTH, World, build_world, column, table, url

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def world(olga, otto, wim, gerda) -> World:
    return build_world(olga=olga, otto=otto, wim=wim, gerda=gerda)


def download(client: Client, name: str, **params: object) -> bytes:
    response = client.get(url(f"{name}-export", **params))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return b"".join(response.streaming_content)


def sheet_of(content: bytes) -> Worksheet:
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def header_index(values: list[list[object]], first_label: str) -> int:
    return next(i for i, row in enumerate(values) if row and row[0] == first_label)


def data(sheet: Worksheet, first_label: str) -> list[list[object]]:
    """The data rows: from under the header row to the empty row above 'Geëxporteerd op'."""
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    start = header_index(values, first_label) + 1
    rows = []
    for row in values[start:]:
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


def about(sheet: Worksheet, first_label: str) -> list[str]:
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [row[0] for row in values[1 : header_index(values, first_label)]]


# --- Same rows as the page ------------------------------------------------------------------------


def test_projects_export_is_typed_and_describes_its_filters(world, olga):
    sheet = sheet_of(download(login(Client(), olga), "projects", status="actief", sort="-name"))

    assert sheet.title == "Rapportage projecten" and sheet["A1"].value == "Rapportage projecten"
    assert about(sheet, "Projectnaam") == [
        "Projecten waaraan u bent gekoppeld",
        "Projectstatus: Actief",
        "Gesorteerd op: Projectnaam (aflopend)",
    ]
    (row,) = data(sheet, "Projectnaam")
    assert row[0] == "Brug Veenhoven" and row[3] == "Hunzebouw"
    assert isinstance(row[5], datetime) and row[5].date() == world.brug.start_date
    assert row[8] == 50000 and row[9] == pytest.approx(float(world.brug.sr_actueel))
    assert row[12] == pytest.approx(float(world.brug.sr_actueel / 50000), abs=1e-6)
    cells = {cell.column_letter: cell for cell in next(r for r in sheet.iter_rows() if r[0].value == "Brug Veenhoven")}
    assert cells["F"].number_format == "DD-MM-YYYY" and "€" in cells["I"].number_format
    assert cells["M"].number_format == "0.0%"
    assert sheet.freeze_panes is not None and sheet.auto_filter.ref


def test_export_holds_every_page_not_only_the_first(olga, otto, wim):
    for number in range(55):
        brug_veenhoven(
            olga,
            otto,
            wim,
            name=f"Project {number:02}",
            contacts=[olga],
        )
    client = login(Client(), olga)
    assert len(table(client.get(url("projects", sort="-name")))) == 50
    names = [row[0] for row in data(sheet_of(download(client, "projects", sort="-name")), "Projectnaam")]
    assert names == [f"Project {number:02}" for number in range(54, -1, -1)]


@pytest.mark.parametrize(
    ("name", "params", "first_label"),
    [
        ("projects", {"status": "afgerond"}, "Projectnaam"),
        ("projects", {"tot": "2000-01-01"}, "Projectnaam"),
        ("kandidaten", {"doelgroep": "stagiair", "sort": "-actueel"}, "Kandidaat"),
        ("kosten", {"soort": "stage"}, "Project"),
        ("kosten", {"sort": "-prognose"}, "Project"),
        ("overlap", {"sort": "-days"}, "Kandidaat"),
    ],
)
def test_filters_and_sort_narrow_page_and_export_alike(world, cora, name, params, first_label):
    client = login(Client(), cora)
    page = table(client.get(url(name, **params)))
    everything = table(client.get(url(name)))
    rows = data(sheet_of(download(client, name, **params)), first_label)

    assert [str(row[0]) for row in rows] == column(page, 0)
    assert len(rows) == len(page)
    if "sort" not in params:
        assert len(page) < len(everything)


def _cents(text: str) -> int:
    """€ 1.234,56 (page), € 1,234.56 or € 1.234,56 (LibreOffice, by locale): 123456."""
    return int(re.sub(r"\D", "", text))


def _libreoffice_rows(tmp_path: Path, files: dict[str, tuple[bytes, str]]) -> dict[str, list[list[str]]]:
    """Convert the files (name -> content, first header) to CSV with LibreOffice; their data rows."""
    for name, (content, _) in files.items():
        (tmp_path / f"{name}.xlsx").write_bytes(content)
    libreoffice_to_csv([tmp_path / f"{name}.xlsx" for name in files], tmp_path)
    result = {}
    for name, (_, first_label) in files.items():
        with (tmp_path / f"{name}.csv").open(encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
        start = next(i for i, line in enumerate(lines) if line and line[0] == first_label) + 1
        end = next(i for i in range(start, len(lines)) if not any(lines[i]))
        result[name] = lines[start:end]
    return result


@needs_libreoffice
def test_libreoffice_reads_the_same_names_and_amounts_as_the_page(world, cora, tmp_path):
    client = login(Client(), cora)
    params = {"opdrachtnemer": world.brug.opdrachtnemer_id, "sort": "-sr_prognose"}
    projects_page = table(client.get(url("projects", **params)))
    kosten_page = table(client.get(url("kosten", opdrachtnemer=world.brug.opdrachtnemer_id)))
    read = _libreoffice_rows(
        tmp_path,
        {
            "projecten": (download(client, "projects", **params), "Projectnaam"),
            "kosten": (download(client, "kosten", opdrachtnemer=world.brug.opdrachtnemer_id), "Project"),
        },
    )
    projecten, kosten = read["projecten"], read["kosten"]

    assert [line[0] for line in projecten] == column(projects_page, 0) == ["Brug Veenhoven", "Kade Veenhoven"]
    for line, row in zip(projecten, projects_page, strict=True):
        assert line[1:5] == row[1:5]  # kenmerk, opdrachtgever, opdrachtnemer, regio
        assert [_cents(line[i]) for i in range(8, 12)] == [_cents(row[i]) for i in range(8, 12)]
        assert line[13] == row[13]
    assert [(line[0], line[2]) for line in kosten] == [(row[0], row[2]) for row in kosten_page]
    for line, row in zip(kosten, kosten_page, strict=True):
        assert line[3] == row[3]
        assert [_cents(line[i]) for i in (4, 5, 6)] == [_cents(row[i]) for i in (4, 5, 6)]
    assert any(_cents(row[4]) > 0 for row in kosten_page)


# --- No formula from user input ------------------------------------------------------------------


def test_formula_text_in_kandidaat_and_project_names_stays_text(olga, otto, wim, tmp_path):
    def project(name: str) -> Project:
        return brug_veenhoven(
            olga,
            otto,
            wim,
            name=name,
            contacts=[olga, otto, wim],
        )

    hyperlink, plus = project(FORMULA), project("+1+1")
    make_inzet(hyperlink, make_kandidaat(otto.organisation, initials="X.", surname=FORMULA))
    make_inzet(plus, make_kandidaat(otto.organisation, initials="+1+1", surname="+1+1"))
    client = login(Client(), otto)

    files = {name: download(client, name) for name in ("projects", "kandidaten", "kosten")}
    for content in files.values():
        cells = [cell for row in sheet_of(content).iter_rows() for cell in row]
        assert not any(cell.data_type == "f" for cell in cells)
        texts = {cell.value for cell in cells if cell.data_type == "s"}
        assert {f"'{FORMULA}", "'+1+1"} <= texts and not {FORMULA, "+1+1"} & texts
    kandidaten = data(sheet_of(files["kandidaten"]), "Kandidaat")
    assert {row[0] for row in kandidaten} == {f"X. {FORMULA}", "'+1+1 +1+1"}
    if shutil.which("soffice"):
        read = _libreoffice_rows(tmp_path, {"kandidaten": (files["kandidaten"], "Kandidaat")})["kandidaten"]
        assert {(line[0], line[2]) for line in read} == {(f"X. {FORMULA}", f"'{FORMULA}"), ("'+1+1 +1+1", "'+1+1")}


def test_a_surname_that_is_a_formula_is_text_in_the_overlap_export(world, olga, otto, wim):
    Kandidaat.objects.filter(pk=world.lines["brug_jansen_1"].kandidaat_id).update(surname=FORMULA, initials="=1+1")
    sheet = sheet_of(download(login(Client(), wim), "overlap"))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert f"'=1+1 {FORMULA}" in {cell.value for cell in cells}


# --- Scope -------------------------------------------------------------------------------------


def test_an_opdrachtnemers_kandidaten_export_never_holds_another_opdrachtnemers_kandidaten(world, otto):
    # Even on a project of another opdrachtnemer where Otto is contactpersoon.
    Contact.objects.create(project=world.brinkerveld, user=otto)
    rows = data(sheet_of(download(login(Client(), otto), "kandidaten")), "Kandidaat")

    assert {row[0] for row in rows} == {"B. Bakker", "J. Jansen"}
    assert {row[3] for row in rows} == {"Hunzebouw"}
    assert "Kade Brinkerveld" not in {row[2] for row in rows}
    assert all(not isinstance(value, datetime) or value.date() != BIRTH for row in rows for value in row)


def test_a_wsps_overlap_export_never_shows_a_project_of_another_region(world, wim, admin_user):
    content = download(login(Client(), wim), "overlap")
    sheet = sheet_of(content)
    rows = data(sheet, "Kandidaat")
    projects = {row[1] for row in rows} | {row[5] for row in rows}

    assert projects == {"Brug Veenhoven", "Kade Veenhoven", "Kade Brinkerveld"}
    assert not any("Noorderdal" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert about(sheet, "Kandidaat")[0] == "Alle projecten van regio Drenthe"
    beheer = data(sheet_of(download(login(Client(), admin_user), "overlap")), "Kandidaat")
    assert "Haven Noorderdal" in {row[1] for row in beheer} | {row[5] for row in beheer}


def test_overlap_export_has_typed_periods_and_days(world, wim):
    rows = data(sheet_of(download(login(Client(), wim), "overlap", sort="start")), "Kandidaat")
    first = rows[0]
    assert all(isinstance(first[i], datetime) for i in (3, 4, 7, 8, 9, 10))
    assert first[11] == (first[10] - first[9]).days + 1


def test_export_of_another_region_filter_is_ignored_like_the_page(world, olga):
    rows = data(sheet_of(download(login(Client(), olga), "projects", regio=world.haven.region_id)), "Projectnaam")
    assert {row[0] for row in rows} == {"Brug Veenhoven", "Kade Veenhoven"}


def test_export_rows_come_from_one_function_a_task_can_call(world, olga):
    from reporting.reports import REPORTS

    report = REPORTS["kosten"]
    rows = list(report.rows(olga, {"soort": "werk"}))
    assert rows == [("Brug Veenhoven", "Hunzebouw", rows[0][2], 1, *rows[0][4:])]
    assert isinstance(rows[0][4], Decimal)
    count, sheets = report.export(olga, {"soort": "werk"})
    assert count == 1 and sheets[0].title == "Rapportage kosten"
    assert "Soort inzet: Werk (uitbesteed aan SW-bedrijf of sociale onderneming)" in sheets[0].about


def test_export_file_name_says_which_report_and_when(world, olga):
    from django.utils import timezone

    for name, filename in (
        ("projects", "rapportage-projecten"),
        ("kandidaten", "rapportage-kandidaten"),
        ("kosten", "rapportage-kosten"),
        ("overlap", "rapportage-overlappende-inzet"),
    ):
        response = login(Client(), olga).get(url(f"{name}-export"))
        assert f'filename="{filename}-{timezone.localdate().isoformat()}.xlsx"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"PK")  # a zip: the xlsx container


def test_projects_outside_the_period_leave_the_export(world, olga):
    day = world.brug.end_date + timedelta(days=1)
    rows = data(sheet_of(download(login(Client(), olga), "projects", van=day.isoformat())), "Projectnaam")
    assert rows == []
    assert Project.objects.for_user(olga).count() == 2

"""The Excel writer: typed cells, title row, frozen header, autofilter, no formulas from user input."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reporting.excel import Column, Sheet, workbook_write
from tests.reporting.spreadsheet import libreoffice_to_csv, needs_libreoffice

COLUMNS = [Column("Naam"), Column("Startdatum", "date"), Column("Bedrag", "money"), Column("Uren", "number")]
ROWS = [
    ('=HYPERLINK("http://x","y")', date(2025, 3, 1), Decimal("1234.56"), Decimal("32.5")),
    ("+1+1", date(2025, 12, 31), Decimal("0.10"), None),
    ("Gewone naam", None, Decimal("-5.00"), Decimal(0)),
]


def write(tmp_path: Path) -> Path:
    path = tmp_path / "test.xlsx"
    workbook_write([Sheet("Projecten", COLUMNS, ROWS, about=["Filter: regio Drenthe"])], str(path))
    return path


def test_cells_are_typed_and_user_text_is_never_a_formula(tmp_path):
    sheet = load_workbook(write(tmp_path))["Projecten"]
    assert sheet["A1"].value == "Projecten" and sheet["A2"].value == "Filter: regio Drenthe"
    assert [cell.value for cell in sheet[3]] == ["Naam", "Startdatum", "Bedrag", "Uren"]
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:D6"
    name, start, amount, _ = sheet[4]
    assert name.data_type == "s" and name.value == '\'=HYPERLINK("http://x","y")'
    assert sheet["A5"].data_type == "s" and sheet["A5"].value == "'+1+1"
    assert start.is_date and start.value.date() == date(2025, 3, 1) and start.number_format == "DD-MM-YYYY"
    assert amount.data_type == "n" and amount.value == pytest.approx(1234.56) and "€" in amount.number_format
    # Each row keeps its own values (the writer reuses one styled cell per column).
    assert [sheet[f"C{row}"].value for row in (4, 5, 6)] == [pytest.approx(1234.56), pytest.approx(0.1), -5]
    assert [sheet[f"D{row}"].value for row in (4, 5, 6)] == [pytest.approx(32.5), None, 0]
    assert sheet["B6"].value is None and sheet["B5"].value.date() == date(2025, 12, 31)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.column_dimensions["A"].width == 18


@needs_libreoffice
def test_a_real_spreadsheet_program_reads_the_values_and_runs_no_formula(tmp_path):
    path = write(tmp_path)
    libreoffice_to_csv([path], tmp_path)
    with (tmp_path / "test.csv").open(encoding="utf-8") as handle:
        data = list(csv.reader(handle))[3:6]
    assert data[0][0] == '\'=HYPERLINK("http://x","y")' and data[1][0] == "'+1+1"
    # A date cell, shown in the converter's own locale: 1 March 2025 either way.
    assert data[0][1] in ("01-03-2025", "03/01/2025", "2025-03-01")
    assert "1,234.56" in data[0][2] or "1.234,56" in data[0][2]

"""The safe reader of uploaded spreadsheets (core/spreadsheets.py) and the rows it gives (core/sheets.py).

Hostile files end in a Dutch refusal within the child's limits, never in the web worker; sloppy
ones are read as a person meant them, and what can't be read is a problem at its cell."""

import codecs
import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core import spreadsheets
from core.sheets import Column, Problem, normalise_header, problems_workbook, read_table
from core.spreadsheets import (
    MAX_UPLOAD_BYTES,
    MESSAGES,
    TOO_HEAVY,
    ErrorValue,
    Formula,
    SpreadsheetRefused,
    read_spreadsheet,
)
from tests.workbooks import (
    OLE,
    entity_workbook,
    macro_workbook,
    million_rows,
    rezip,
    text_cell,
    with_sheet,
    workbook,
    zip_bomb,
)

COLUMNS = (
    Column("soort", "Soort inzet"),
    Column("start", "Startdatum"),
    Column("amount", "Bedrag", ("kosten",), required=False),
)


def refusal(data: bytes, name: str = "regels.xlsx", max_rows: int = 100) -> str:
    with pytest.raises(SpreadsheetRefused) as refused:
        read_spreadsheet(data, name, max_rows=max_rows)
    return refused.value.message


def only_sheet(data: bytes, name: str = "regels.xlsx") -> spreadsheets.Sheet:
    (sheet,) = read_spreadsheet(data, name, max_rows=100)
    return sheet


# --- Refused, with the reason ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (macro_workbook, "macros"),
        (lambda: OLE + b"\0" * 2048, "ole"),
        (zip_bomb, "bomb"),
        (entity_workbook, "xml"),
        (lambda: b"PK\x03\x04 not really a zip", "unreadable"),
        (lambda: b"\x89PNG\r\n\x1a\n\0\0\0", "unreadable"),
    ],
    ids=["vbaProject.bin", "encrypted or .xls", "zip bomb", "billion laughs", "broken zip", "png"],
)
def test_what_a_plain_workbook_never_is_is_refused_with_its_reason(build, code):
    assert refusal(build()) == MESSAGES[code]


def test_a_macro_content_type_alone_is_refused():
    book = workbook([["x"]])
    types = zipfile.ZipFile(io.BytesIO(book)).read("[Content_Types].xml")
    changed = rezip(
        book, replace={"[Content_Types].xml": types.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")}
    )
    assert refusal(changed) == MESSAGES["macros"]


@pytest.mark.slow
def test_a_million_rows_are_refused_quickly_with_or_without_cells():
    for empty in (False, True):
        data = million_rows(empty=empty)
        assert len(data) <= MAX_UPLOAD_BYTES
        started = time.monotonic()
        assert "meer dan 100 regels" in refusal(data)
        # Bounded by the rows read, not by the rows in the file (the child's own limit is far higher).
        assert time.monotonic() - started < spreadsheets.CHILD_WALL_SECONDS / 4


def test_more_than_5_mb_is_refused_before_anything_is_parsed():
    assert refusal(b"x" * (MAX_UPLOAD_BYTES + 1), "groot.csv") == "Het bestand is groter dan 5 MB."


def test_a_child_that_runs_out_of_time_is_a_refusal_not_a_hang(monkeypatch):
    monkeypatch.setattr(spreadsheets, "CHILD_WALL_SECONDS", 0.01)
    assert refusal(workbook([["x"]])) == TOO_HEAVY


def test_a_csv_in_an_unknown_encoding_says_how_to_save_it():
    assert refusal("Soort inzet\r\nstage".encode("utf-16"), "regels.csv") in (
        MESSAGES["unreadable"],
        MESSAGES["encoding"],
    )
    assert refusal(b"Soort inzet\r\n\x81\x8d\x8f", "regels.csv") == MESSAGES["encoding"]
    assert refusal(b"   \r\n", "leeg.csv") == MESSAGES["empty"]


# --- Read as meant ------------------------------------------------------------------------------


def test_formulas_give_their_cached_value_and_never_run():
    cached = '<c r="B1"><f>1+1</f><v>2</v></c>'
    uncached = '<c r="C1"><f>WEBSERVICE("http://example.invalid")</f></c>'
    sheet = only_sheet(with_sheet(f'<row r="1">{text_cell("A1", "a")}{cached}{uncached}</row>'))
    assert sheet.rows[0].cells == {1: "a", 2: Decimal("2"), 3: Formula('=WEBSERVICE("http://example.invalid")')}


def test_hidden_sheets_are_skipped_and_types_are_kept():
    book = Workbook()
    book.active.title = "Regels"
    book.active.append(["Soort inzet", "Startdatum", "Bedrag", "Klaar"])
    book.active.append(["stage", date(2026, 2, 1), 1234.5, True])
    book.active["E2"] = "#N/A"
    book.active["E2"].data_type = "e"
    hidden = book.create_sheet("Lijsten")
    hidden.sheet_state = "hidden"
    hidden.append(["geheim"])
    out = io.BytesIO()
    book.save(out)
    (sheet,) = read_spreadsheet(out.getvalue(), "regels.xlsx", max_rows=10)
    assert sheet.name == "Regels"
    assert sheet.rows[1].cells == {
        1: "stage",
        2: date(2026, 2, 1),
        3: Decimal("1234.5"),
        4: True,
        5: ErrorValue("#N/A"),
    }


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("Soort inzet;Startdatum;Bedrag\r\nÇelik;01-02-2026;1.234,56\r\n", "cp1252"),
        ('Soort inzet,Startdatum,Bedrag\nÇelik,01-02-2026,"1.234,56"\n', "utf-8"),
        ("Soort inzet\tStartdatum\tBedrag\nÇelik\t01-02-2026\t1.234,56\n", "utf-8-sig"),
    ],
    ids=["windows-1252 with ;", "utf-8 with , and quotes", "utf-8 with BOM and tabs"],
)
def test_csv_is_read_in_its_encoding_and_delimiter(content, encoding):
    data = content.encode(encoding)
    assert encoding != "utf-8-sig" or data.startswith(codecs.BOM_UTF8)
    sheet = only_sheet(data, "export.csv")
    assert [row.cells for row in sheet.rows] == [
        {1: "Soort inzet", 2: "Startdatum", 3: "Bedrag"},
        {1: "Çelik", 2: "01-02-2026", 3: "1.234,56"},
    ]


def test_columns_are_found_by_their_header_in_any_order_and_form():
    assert normalise_header("  BEDRAG (€) * ") == normalise_header("bedrag") == "bedrag"
    assert normalise_header("Soort  inzet") == normalise_header("soort-inzet")
    sheet = only_sheet(
        workbook(
            [
                ["Uitgevoerd door Hunzebouw"],
                ["Kosten", "Eigen", "startdatum", "SOORT INZET"],
                [10, "x", "1-2-2026", "stage"],
                [],
                [None, "alleen eigen"],
            ]
        )
    )
    table = read_table(sheet, COLUMNS)
    assert (table.header_row, table.problems) == (2, [])
    assert [(r.row, r.values) for r in table.records] == [
        (3, {"amount": Decimal("10"), "start": "1-2-2026", "soort": "stage"})
    ]


def test_missing_and_doubled_columns_are_named():
    table = read_table(only_sheet(workbook([["Soort inzet", "Bedrag", "bedrag"], ["stage", 1, 2]])), COLUMNS)
    assert [str(p) for p in table.problems] == [
        "Rij 1: De kolom ‘bedrag’ staat twee keer in de kopregel.",
        "Rij 1: De kolom ‘Startdatum’ ontbreekt in de kopregel.",
    ]
    nothing = read_table(only_sheet(workbook([["a", "b"], [1, 2]])), COLUMNS)
    assert nothing.problems[0].message.startswith("Geen kopregel gevonden")


def test_what_cannot_be_read_in_a_cell_is_a_problem_at_that_cell():
    rows = (
        '<row r="1">' + text_cell("A1", "Soort inzet") + text_cell("B1", "Startdatum") + "</row>"
        '<row r="2">' + text_cell("A2", "stage") + '<c r="B2"><f>TODAY()</f></c></row>'
        '<row r="3">' + text_cell("A3", "stage") + '<c r="B3" t="e"><v>#DIV/0!</v></c></row>'
        '<row r="4">' + text_cell("A4", "stage") + text_cell("B4", "x" * 10_000) + "</row>"
    )
    data = with_sheet(rows, extra='<mergeCells count="1"><mergeCell ref="A3:A4"/></mergeCells>')
    table = read_table(only_sheet(data), COLUMNS)
    assert [str(p) for p in table.problems] == [
        "Rij 2, Startdatum: bevat een formule zonder berekende waarde. Vul de waarde zelf in (plakken als waarde).",
        "Rij 3: Samengevoegde cellen (A3:A4): maak de samenvoeging ongedaan en vul elke rij apart in.",
        "Rij 3, Startdatum: bevat de foutwaarde #DIV/0!. Vul een geldige waarde in.",
        "Rij 4: Samengevoegde cellen (A3:A4): maak de samenvoeging ongedaan en vul elke rij apart in.",
    ]
    assert table.records[2].values["start"] == "x" * 10_000, "a long text is the form's to judge"
    control = read_table(only_sheet(b"Soort inzet;Startdatum\r\nsta\x07ge;\x1b\r\n", "regels.csv"), COLUMNS)
    assert [str(p) for p in control.problems] == [
        "Rij 2, Soort inzet: bevat onzichtbare stuurtekens. Typ de waarde opnieuw.",
        "Rij 2, Startdatum: bevat onzichtbare stuurtekens. Typ de waarde opnieuw.",
    ]


def test_the_error_workbook_holds_every_value_as_it_was_and_marks_the_problems():
    data = workbook(
        [["Soort inzet", "Startdatum", "Eigen"], ["=1+1", "morgen", "eigen"], ["stage", date(2026, 1, 1), None]]
    )
    table = read_table(only_sheet(data), COLUMNS)
    problems = [
        Problem("Vul een geldige datum in.", row=2, column="Startdatum"),
        Problem("Een regel zonder kolom.", row=3),
    ]
    book = load_workbook(io.BytesIO(problems_workbook(table, problems)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["Soort inzet", "Startdatum", "Eigen", "Fouten"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].fill.fgColor.rgb.endswith("FFC7CE") and sheet["B2"].comment.text.startswith("Vul een geldige")
    assert (
        sheet["D2"].value == "Startdatum: Vul een geldige datum in." and sheet["D3"].value == "Een regel zonder kolom."
    )
    assert sheet["B3"].value.date() == date(2026, 1, 1) and sheet["B3"].fill.fgColor.rgb != "00FFC7CE"
    assert [c.value for c in book["Foutenlijst"][2]] == [2, "Startdatum", "Vul een geldige datum in."]

"""The reading child reads a workbook's cells as openpyxl reads them.

core/spreadsheets.py parses the XML of an .xlsx with the standard library (importing openpyxl cost more than
reading a file). openpyxl, the library that writes our workbooks, is the reference: each workbook here —
written by openpyxl with every kind of cell and number format, by hand at the level of the XML for what other
programs write, and saved again by LibreOffice — is read both ways and must give the same sheets, rows and
values."""

import io
import warnings
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from core.spreadsheets import MAX_CELL_CHARS, ErrorValue, Formula, Sheet, read_spreadsheet
from tests.reporting.spreadsheet import libreoffice_to_csv, needs_libreoffice
from tests.workbooks import rezip, sheet_xml, text_cell, with_sheet

LIBREOFFICE = "xlsx:Calc MS Excel 2007 XML"


def as_openpyxl_reads(data: bytes, *, keep_time: bool = False) -> list[tuple[str, list[tuple[int, dict]]]]:
    """Each visible sheet's non-empty rows as openpyxl reads them (read-only, the values Excel cached; a formula
    without one as its text), in the types read_spreadsheet gives."""
    sheets = []
    for cached, written in zip(*(opened(data, data_only) for data_only in (True, False)), strict=True):
        if cached.sheet_state != "visible":
            continue
        rows = []
        # Rows and cells come one after the other from A1 on, the missing ones as EmptyCell.
        for number, (row, formulas) in enumerate(zip(cached.iter_rows(), written.iter_rows(), strict=True), start=1):
            cells = {
                column: converted
                for column, (cell, formula) in enumerate(zip(row, formulas, strict=True), start=1)
                if (converted := typed(cell, formula, keep_time)) is not None
            }
            if cells:
                rows.append((number, cells))
        sheets.append((cached.title, rows))
    return sheets


def opened(data: bytes, data_only: bool) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheets = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only).worksheets
    for sheet in sheets:
        sheet.reset_dimensions()  # read every row, whatever size the file claims
    return sheets


def typed(cell: object, formula: object, keep_time: bool) -> object:
    value, data_type = getattr(cell, "value", None), getattr(cell, "data_type", None)
    if value is None:
        written = getattr(formula, "value", None)
        return Formula(written[:200]) if isinstance(written, str) and written.startswith("=") else None
    if data_type == "e":
        return ErrorValue(str(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value if keep_time else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        try:
            return Decimal(repr(value))
        except InvalidOperation:
            return ErrorValue(str(value))
    if isinstance(value, time | timedelta):
        return str(value)
    text = str(value)
    return text[:MAX_CELL_CHARS] if text.strip() else None


def as_read(sheets: tuple[Sheet, ...]) -> list[tuple[str, list[tuple[int, dict]]]]:
    return [(sheet.name, [(row.number, row.cells) for row in sheet.rows]) for sheet in sheets]


def assert_read_alike(data: bytes, *, keep_time: bool = False) -> None:
    expected = as_openpyxl_reads(data, keep_time=keep_time)
    assert expected, "the workbook has a visible sheet"
    assert as_read(read_spreadsheet(data, "werkmap.xlsx", max_rows=1000, keep_time=keep_time)) == expected


def saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def every_kind_of_cell(epoch: datetime | None = None) -> bytes:
    """A workbook of what people put in cells, each in the number formats a Dutch Excel gives them."""
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "Regels"
    sheet.append(["Tekst", "Getal", "Datum", "Waar", "Opmaak"])
    sheet.append(["  Çelik–de Vries  ", 1234.5, date(2026, 2, 1), True, "x"])
    sheet.append(["   ", 0.1, datetime(2026, 2, 1, 13, 45, 30), False, None])
    sheet.append([None, None, None, None, None])  # an empty row: not read
    sheet.append(["regel\nmet enter", -3, time(9, 30), timedelta(hours=30, minutes=15), "z"])
    sheet.append(["1e-7", 1e-7, datetime(1900, 2, 27), 12345678901234, 3.0])
    sheet.append(["lang", 2**53 + 1, date(1900, 1, 1), 1.5e300, "#DEELDOOR0!"])
    sheet.cell(row=7, column=5).data_type = "e"
    formats = {
        "dd-mm-yyyy": 46054,
        "d mmmm yyyy": 46054.5,
        "[$-413]d mmmm yyyy;@": 46054,
        '"dag "0': 12,
        '0.00 "EUR"': 1234.5,
        "[Red]0.00;[Blue]-0.00": -7.25,
        "0%": 0.21,
        "[h]:mm:ss": 1.25,
        "mm:ss": 0.01,
        "yyyy-mm-dd hh:mm": 46054.75,
        "#,##0.00_-": 99.99,
        "@": 42,
        "General": 7,
        "h:mm AM/PM": 0.75,
        'dd/mm/yy" (schatting)"': 46060,
    }
    for row, (code, number) in enumerate(formats.items(), start=10):
        sheet.cell(row=row, column=1, value=code)
        sheet.cell(row=row, column=2, value=number).number_format = code
    sheet.cell(row=30, column=28, value="ver weg")  # column AB
    sheet.merge_cells("A32:C32")
    sheet["A32"] = "samengevoegd"
    rich = CellRichText(["gewoon ", TextBlock(InlineFont(b=True), "vet"), " en weer gewoon"])
    sheet["A33"] = rich
    sheet["A34"] = "x" * (MAX_CELL_CHARS + 10)
    sheet["A35"] = "_x005F_x000D_ escape"
    hidden = book.create_sheet("Lijsten")
    hidden.sheet_state = "hidden"
    hidden.append(["stage", "werk"])
    very = book.create_sheet("Intern")
    very.sheet_state = "veryHidden"
    very.append(["geheim"])
    second = book.create_sheet("Tweede blad")
    second.append([None, None, "begint in C"])
    second.append([date(2026, 12, 31), "=1+1"])  # a formula openpyxl writes without a cached value
    return saved(book)


def test_every_kind_of_cell_is_read_as_openpyxl_reads_it():
    data = every_kind_of_cell()
    assert_read_alike(data)
    assert_read_alike(data, keep_time=True)
    (regels, tweede) = read_spreadsheet(data, "werkmap.xlsx", max_rows=1000)
    assert [sheet.name for sheet in (regels, tweede)] == ["Regels", "Tweede blad"], "hidden sheets are left out"
    rows = {row.number: row.cells for row in regels.rows}
    assert rows[2] == {1: "  Çelik–de Vries  ", 2: Decimal("1234.5"), 3: date(2026, 2, 1), 4: True, 5: "x"}
    assert rows[10][2] == date(2026, 2, 1), "a custom date format makes the number a date"
    assert rows[13][2] == Decimal("12"), "a letter in quotes does not make a date"
    assert rows[33] == {1: "gewoon vet en weer gewoon"}
    assert 4 not in rows, "an empty row is not read"


def test_a_workbook_counting_from_1904_gives_the_same_dates():
    assert_read_alike(every_kind_of_cell(epoch=CALENDAR_MAC_1904))


@pytest.mark.parametrize(
    "rows_xml",
    [
        # rows and cells without their reference: counted on from the one before
        '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
        '<row r="5"><c><v>2</v></c><c><v>3</v></c></row>',
        # a formula's text result, a date in ISO form, an error, a boolean, a number written with a trailing 0
        '<row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="B1" t="d"><v>2026-02-01T10:30:00</v></c>'
        '<c r="C1" t="e"><v>#N/B</v></c><c r="D1" t="b"><v>0</v></c><c r="E1"><v>4.50</v></c></row>',
        # inline rich text, an empty value, a row number written as 3.0, cells out of order of their row's number
        '<row r="3.0"><c r="A3" t="inlineStr"><is><r><t>vet</t></r><r><t xml:space="preserve"> dun</t></r></is></c>'
        '<c r="B3"><v></v></c><c r="C3" t="inlineStr"><is><t>  </t></is></c></row>'
        + text_cell("A4", "x").join(['<row r="4">', "</row>"]),
    ],
    ids=["no references", "types other programs write", "rich inline text and odd numbers"],
)
def test_what_other_programs_write_is_read_as_openpyxl_reads_it(rows_xml):
    assert_read_alike(with_sheet(rows_xml, extra='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'))


def test_shared_strings_with_runs_and_phonetic_guides_are_read_as_openpyxl_reads_them():
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>plat</t></si>"
        b"<si><r><t>ge</t></r><r><rPr><b/></rPr><t>mengd</t></r></si>"
        b"<si><t>kanji</t><rPh sb='0' eb='1'><t>KANA</t></rPh></si>"
        b"<si><t>a_x005F_x000D_b</t></si>"
        b"</sst>"
    )
    base = saved(Workbook())
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        types, rels = archive.read("[Content_Types].xml"), archive.read("xl/_rels/workbook.xml.rels")
    data = rezip(
        base,
        replace={
            "xl/worksheets/sheet1.xml": sheet_xml(
                "".join(f'<row r="{n + 1}"><c r="A{n + 1}" t="s"><v>{n}</v></c></row>' for n in range(4))
            ),
            "[Content_Types].xml": types.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            ),
            "xl/_rels/workbook.xml.rels": rels.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
            ),
        },
        add={"xl/sharedStrings.xml": strings},
    )
    assert_read_alike(data)
    assert [row.cells[1] for row in read_spreadsheet(data, "s.xlsx", max_rows=10)[0].rows] == [
        "plat",
        "gemengd",
        "kanji",
        "a_x000D_b",
    ]


@needs_libreoffice
def test_a_workbook_saved_by_libreoffice_is_read_as_openpyxl_reads_it(tmp_path: Path):
    """LibreOffice writes shared strings, its own number formats and the cached value of every formula."""
    source = tmp_path / "werkmap.xlsx"
    source.write_bytes(every_kind_of_cell())
    libreoffice_to_csv([source], tmp_path / "lo", filter_options=LIBREOFFICE)
    data = (tmp_path / "lo" / "werkmap.xlsx").read_bytes()
    assert b"sharedStrings" in data
    assert_read_alike(data)
    assert_read_alike(data, keep_time=True)
    tweede = read_spreadsheet(data, "werkmap.xlsx", max_rows=1000)[1]
    assert tweede.rows[1].cells[2] == Decimal("2"), "the formula's value LibreOffice cached"

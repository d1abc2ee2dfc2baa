"""Spreadsheets for the tests of uploads: plain ones made with openpyxl, and hostile ones made by hand
(macros, a password, a zip bomb, XML entities, a million rows) at the level of the zip and its XML."""

import io
import zipfile
from collections.abc import Sequence
from functools import cache

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def workbook(rows: Sequence[Sequence[object]], title: str = "Regels") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(xlsx: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same workbook with entries replaced or added (compressed as Excel does)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, replace.get(entry.filename, source.read(entry.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows_xml: str, extra: str = "", prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + prolog
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f"<sheetData>{rows_xml}</sheetData>{extra}</worksheet>"
    ).encode()


def with_sheet(rows_xml: str, extra: str = "", prolog: str = "") -> bytes:
    """A workbook whose first sheet is this XML (rows with inline strings, formulas …)."""
    return rezip(workbook([["x"]]), replace={SHEET: sheet_xml(rows_xml, extra, prolog)})


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def macro_workbook() -> bytes:
    return rezip(workbook([["Soort inzet"], ["stage"]]), add={"xl/vbaProject.bin": b"\x00" * 64})


def zip_bomb() -> bytes:
    """A sheet of 20 MB that packs to some 20 kB: far more than any real workbook unpacks to."""
    return rezip(workbook([["x"]]), replace={SHEET: b" " * (20 * 1024 * 1024)})


def entity_workbook() -> bytes:
    """Billion laughs in the sheet's XML."""
    prolog = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    return with_sheet(f'<row r="1">{text_cell("A1", "&lol3;")}</row>', prolog=prolog)


@cache
def million_rows(empty: bool = False) -> bytes:
    """A million rows (with one cell each, or empty ones as formatting leaves them), in a few MB: made once (a
    second) per run."""
    if empty:
        rows = "".join(f'<row r="{n}"/>' for n in range(1, 1_000_001))
    else:
        rows = "".join(f'<row r="{n}">{text_cell(f"A{n}", "x")}</row>' for n in range(1, 1_000_001))
    return with_sheet(rows)

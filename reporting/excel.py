"""Excel files as a civil servant expects them (SPEC §7).

Typed cells (dates as dates, money as numbers in € format), a title row saying what was
exported and when, a frozen header row with autofilter, sensible column widths, one sheet per
table — and no cell from user input that Excel would run as a formula (OWASP ASVS 1.2.10).
Written with openpyxl's write-only mode into a temporary file, so memory stays flat however
many rows there are.
"""

import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text starting with one of these is a formula to Excel (or LibreOffice): keep it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "date": "DD-MM-YYYY",
    "datetime": "DD-MM-YYYY HH:MM",
    "money": '"€" #,##0.00;"€" -#,##0.00',
    "number": "#,##0.00",
    "int": "0",
    "percent": "0.0%",
}
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text, date, datetime, money, number, int, percent
    width: int = 18


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    # Lines under the title: the filters that were applied (the export moment is added).
    about: Sequence[str] = field(default_factory=list)


def safe_text(value: object) -> str:
    """User text as text: a leading formula character is escaped with an apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Cells:
    """Builds the cells of one sheet's rows.

    A write-only sheet serialises a row the moment it is appended, so one styled cell per
    typed column is reused for every row: the style is resolved once, not per cell."""

    def __init__(self, sheet: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
        self.kinds = [column.kind for column in columns]
        self.cells: list[WriteOnlyCell | None] = []
        for kind in self.kinds:
            cell = None
            if kind != "text":
                cell = WriteOnlyCell(sheet)
                cell.number_format = FORMATS[kind]
            self.cells.append(cell)

    def row(self, values: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for kind, cell, value in zip(self.kinds, self.cells, values, strict=True):
            if value is None or value == "":
                out.append(None)
            elif cell is None:
                out.append(safe_text(value))
            else:
                if kind == "datetime" and isinstance(value, datetime) and timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                elif kind in ("money", "number") and not isinstance(value, (int, float, Decimal)):
                    value = Decimal(str(value))
                cell.value = value
                out.append(cell)
        return out


def _write_sheet(workbook: Workbook, sheet: Sheet, exported_at: datetime) -> int:
    ws = workbook.create_sheet(title=sheet.title[:31])
    # Widths and frozen panes only take effect when set before the first row is written.
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 2 + len(sheet.about)
    ws.freeze_panes = f"A{header_row + 1}"
    title = WriteOnlyCell(ws, value=safe_text(sheet.title))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    about = [*sheet.about, f"Geëxporteerd op {exported_at:%d-%m-%Y %H:%M}"]
    for line in about[:-1]:
        ws.append([safe_text(line)])
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, value=safe_text(column.label))
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    ws.append(header)
    cells = _Cells(ws, sheet.columns)
    count = 0
    for values in sheet.rows:
        ws.append(cells.row(values))
        count += 1
    last = get_column_letter(len(sheet.columns))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    ws.append([])
    ws.append([safe_text(about[-1])])
    return count


def workbook_write(sheets: Sequence[Sheet], path: str) -> int:
    """Write the sheets to `path`; returns the number of data rows written."""
    workbook = Workbook(write_only=True)
    exported_at = timezone.localtime()
    total = sum(_write_sheet(workbook, sheet, exported_at) for sheet in sheets)
    workbook.save(path)
    return total


def workbook_response(sheets: Sequence[Sheet], filename: str) -> FileResponse:
    """The workbook as a download. Synchronous exports are bounded (EXPORT_SYNC_MAX_ROWS), so the
    file is built on disk and sent from memory; larger ones go through `reporting.exports`."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook_write(sheets, path)
        with open(path, "rb") as stream:
            content = stream.read()
    finally:
        os.unlink(path)
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def filename_for(name: str, today: date | None = None) -> str:
    """`projecten-2026-11-24.xlsx`"""
    return f"{name}-{(today or timezone.localdate()).isoformat()}.xlsx"

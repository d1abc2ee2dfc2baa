"""Read an uploaded spreadsheet (.xlsx or .csv) safely into rows of typed cells.

One reader for every file a user brings in: the invulbestand of inzet lines, a region's
policy workbook, a region import. It refuses what a plain workbook never is — macros (.xlsm),
a password (an encrypted package is an OLE file, as is the old .xls), a zip that unpacks to
far more than it weighs, XML with a DTD or entities — and never evaluates a formula: a cell
keeps the value Excel cached for it, and a formula without one is marked (`Formula`) for the
caller to refuse. Hidden sheets (lists for drop-downs) are skipped, empty rows too.

The parsing runs in a child process with a CPU, memory and wall-clock limit, as uploaded PDFs
are judged (projects/pdf_safety.py): a hostile file costs one killed child, never a web worker.
This module imports nothing of Django or the portal, so it runs as that child
(`python -I spreadsheets.py`); the parent side (`read_spreadsheet`) is plain Python too.
"""

import codecs
import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Limits of the zip inside an .xlsx: a real workbook of 5 MB unpacks to some 50 MB at most.
MAX_ZIP_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed size of one entry; XML of repeated rows packs some 20-50 times
MAX_SHEETS = 50
# Rows looked at per sheet, empty ones included: a sheet of a million formatted empty rows ends here.
MAX_ROWS_SCANNED = 200_000
MAX_CELL_CHARS = 32_767  # Excel's own limit
# Rows above the data a sheet may have besides `max_rows` of data: a title, an explanation, the header.
TOP_ROWS = 10

# Limits of the child process.
CHILD_CPU_SECONDS = 30
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024  # address space, not resident memory
CHILD_WALL_SECONDS = 60.0
KEEP_TIME = False  # in the child: a date with a time keeps its time (`read_spreadsheet(keep_time=True)`)

NOT_READABLE = (
    "Dit bestand kon niet worden gelezen. Gebruik een Excel-werkmap (.xlsx) of een CSV-bestand (.csv) "
    "en probeer het opnieuw."
)
TOO_HEAVY = (
    "Dit bestand kon niet worden gelezen binnen de grenzen van tijd en geheugen die daarvoor gelden. "
    "Verdeel de regels over meer bestanden en probeer het opnieuw."
)
MESSAGES = {
    "unreadable": NOT_READABLE,
    "heavy": TOO_HEAVY,
    "macros": (
        "Dit bestand bevat macro’s (.xlsm). Sla het in Excel op als ‘Excel-werkmap (.xlsx)’, zonder macro’s, "
        "en probeer het opnieuw."
    ),
    "ole": (
        "Dit bestand is beveiligd met een wachtwoord of opgeslagen in het oude Excel-formaat (.xls). "
        "Sla het op als ‘Excel-werkmap (.xlsx)’ zonder wachtwoord en probeer het opnieuw."
    ),
    "bomb": (
        "Dit bestand pakt uit tot veel meer gegevens dan een gewone werkmap en wordt daarom niet gelezen. "
        "Sla de regels op in een nieuwe Excel-werkmap en probeer het opnieuw."
    ),
    "xml": (
        "Dit bestand bevat XML-onderdelen die een gewone Excel-werkmap niet heeft (een DTD of entiteiten) "
        "en wordt daarom niet gelezen. Sla de regels op in een nieuwe Excel-werkmap en probeer het opnieuw."
    ),
    "encoding": (
        "De tekens in dit CSV-bestand konden niet worden gelezen. Sla het op als ‘CSV UTF-8 (door komma’s "
        "gescheiden)’ en probeer het opnieuw."
    ),
    "empty": "Dit bestand bevat geen gegevens.",
}


def too_many_rows(max_rows: int) -> str:
    return (
        f"Dit bestand heeft meer dan {max_rows:,} regels.".replace(",", ".")
        + " Verdeel de regels over meer bestanden en probeer het opnieuw."
    )


def too_large(max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    return f"Het bestand is groter dan {max_bytes // (1024 * 1024)} MB."


@dataclass(frozen=True)
class Formula:
    """A formula cell without a value cached by Excel: never evaluated here, so the caller refuses it."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """A cell Excel shows as an error (#DEELDOOR0!, #N/B …)."""

    text: str


CellValue = str | Decimal | date | bool | Formula | ErrorValue


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program shows it (1 is the first row)
    cells: dict[int, CellValue]  # column (1 is A) → value; empty cells are left out


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[Row, ...]  # the non-empty ones
    merged: tuple[str, ...] = ()  # ranges of merged cells, "A14:A16"


class SpreadsheetRefused(Exception):
    """The file as a whole can't be read; `message` says why, in Dutch, for the upload field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_spreadsheet(
    data: bytes, filename: str, *, max_rows: int, max_bytes: int = MAX_UPLOAD_BYTES, keep_time: bool = False
) -> tuple[Sheet, ...]:
    """The visible sheets of an uploaded .xlsx or .csv (by content, the name only as a hint for CSV).

    `max_rows` bounds the rows of data: a sheet with more than `max_rows + TOP_ROWS` non-empty rows is
    refused at once (the caller, who knows where the header is, counts the data rows exactly: see
    `too_many_rows`). A cell with a date and a time gives its date, unless `keep_time` (a region's import
    keeps the moment a line was validated). Raises SpreadsheetRefused with the Dutch reason."""
    if len(data) > max_bytes:
        raise SpreadsheetRefused(too_large(max_bytes))
    extension = filename.rsplit(".", 1)[-1].lower()[:8]
    try:
        child = subprocess.run(  # noqa: S603 - runs this very module on the upload's bytes (stdin)
            [sys.executable, "-I", __file__, str(max_rows + TOP_ROWS), extension, "t" if keep_time else ""],
            input=data,
            capture_output=True,
            timeout=CHILD_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SpreadsheetRefused(TOO_HEAVY) from None
    try:
        answer = json.loads(child.stdout)
    except ValueError:  # killed by a limit (no or half an answer) or crashed
        raise SpreadsheetRefused(TOO_HEAVY if child.returncode < 0 else NOT_READABLE) from None
    if "refused" in answer:
        code = answer["refused"]
        raise SpreadsheetRefused(too_many_rows(max_rows) if code == "rows" else MESSAGES.get(code, NOT_READABLE))
    return tuple(
        Sheet(
            name=sheet["name"],
            rows=tuple(
                Row(number, {column: _decode(kind, value) for column, kind, value in cells})
                for number, cells in sheet["rows"]
            ),
            merged=tuple(sheet["merged"]),
        )
        for sheet in answer["sheets"]
    )


def _decode(kind: str, value: str) -> CellValue:
    if kind == "n":
        return Decimal(value)
    if kind == "d":
        return date.fromisoformat(value)
    if kind == "t":
        return datetime.fromisoformat(value)
    if kind == "b":
        return value == "1"
    if kind == "f":
        return Formula(value)
    if kind == "e":
        return ErrorValue(value)
    return value


# --- The child ----------------------------------------------------------------------------------


class _Refusal(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_XML_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def read_file(data: bytes, extension: str, max_rows: int) -> list[dict[str, object]]:
    """Every visible sheet as {"name", "rows": [[number, [[column, kind, value] …]] …], "merged"}."""
    if data.startswith(OLE_SIGNATURE):
        raise _Refusal("ole")
    if data.startswith(ZIP_SIGNATURE):
        return _read_xlsx(data, max_rows)
    if extension in ("xlsx", "xlsm", "xls", "ods") or b"\x00" in data[:4096]:
        raise _Refusal("unreadable")
    return [_read_csv(data, max_rows)]


def _check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse what a plain workbook never is, before openpyxl opens anything."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _Refusal("bomb")
    names = {entry.filename.lower() for entry in entries}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise _Refusal("macros")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise _Refusal("bomb")
    unpacked = 0
    for entry in entries:
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1024):
            raise _Refusal("bomb")
        # The sizes in the directory may lie: count what really comes out, and look for a DTD.
        with archive.open(entry) as stream:
            tail = b""
            while chunk := stream.read(1024 * 1024):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise _Refusal("bomb")
                if _XML_DECLARATIONS.search(tail + chunk):
                    raise _Refusal("xml")
                tail = chunk[-16:]
    content_types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if b"macroEnabled" in content_types:
        raise _Refusal("macros")


def _read_xlsx(data: bytes, max_rows: int) -> list[dict[str, object]]:
    # Only here (in the child) openpyxl is imported: a CSV is read without it, in a third of the time.
    import warnings

    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    warnings.simplefilter("ignore")  # openpyxl warns about every extension it does not know
    # Opening a read-only sheet without a <dimension> element parses all of it to learn its size: a
    # few MB of rows would cost the whole CPU budget before the first row is read. This reads rows with
    # its own parser and needs no size, so this (throwaway) process skips that.
    ReadOnlyWorksheet._get_size = lambda self: None

    class Parser(WorkSheetParser):
        """openpyxl's own sheet parser (pinned version) with cached values, marking formulas without one."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["value"] is None and (formula := element.find(FORMULA_TAG)) is not None:
                cell["data_type"], cell["value"] = "formula", "=" + (formula.text or "")
            return cell

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_zip(archive)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _Refusal:
        raise
    except Exception:  # not a zip, not a workbook, broken XML: we could not read it
        raise _Refusal("unreadable") from None
    sheets = []
    for sheet in book.worksheets[:MAX_SHEETS]:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        parser = Parser(
            sheet._get_source(),
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        rows: list[list[object]] = []
        for scanned, (number, cells) in enumerate(parser.parse()):
            if scanned >= MAX_ROWS_SCANNED:
                raise _Refusal("rows")
            encoded = [encoded for cell in cells if (encoded := _encode_xlsx(cell)) is not None]
            if encoded:
                if len(rows) >= max_rows:
                    raise _Refusal("rows")
                rows.append([number, encoded])
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
        sheets.append({"name": sheet.title, "rows": rows, "merged": [str(cell.ref) for cell in merged]})
    return sheets


def _encode_xlsx(cell: dict[str, object]) -> list[object] | None:
    value, kind, column = cell["value"], cell["data_type"], cell["column"]
    if value is None:
        return None
    if kind == "formula":
        return [column, "f", str(value)[:200]]
    if kind == "e":
        return [column, "e", str(value)]
    if isinstance(value, bool):
        return [column, "b", "1" if value else "0"]
    if isinstance(value, datetime):
        return [column, "t", value.isoformat()] if KEEP_TIME else [column, "d", value.date().isoformat()]
    if isinstance(value, date):
        return [column, "d", value.isoformat()]
    if isinstance(value, int | float):
        try:
            return [column, "n", str(Decimal(repr(value)))]
        except InvalidOperation:  # inf or nan: not a number a person typed
            return [column, "e", str(value)]
    if not isinstance(value, str):  # a time or duration: no column of ours holds one
        return [column, "s", str(value)]
    if not value.strip():
        return None
    return [column, "s", value[:MAX_CELL_CHARS]]


def _read_csv(data: bytes, max_rows: int) -> dict[str, object]:
    text = _decode_csv(data)
    if not text.strip():
        raise _Refusal("empty")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    csv.field_size_limit(MAX_CELL_CHARS)
    rows: list[list[object]] = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > MAX_ROWS_SCANNED:
                raise _Refusal("rows")
            cells = [[column, "s", value] for column, value in enumerate(record, start=1) if value.strip()]
            if cells:
                if len(rows) >= max_rows:
                    raise _Refusal("rows")
                rows.append([number, cells])
    except csv.Error:
        raise _Refusal("unreadable") from None
    return {"name": "CSV", "rows": rows, "merged": []}


def _decode_csv(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Refusal("encoding")


def _child_main() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    global KEEP_TIME
    max_rows, extension, KEEP_TIME = int(sys.argv[1]), sys.argv[2], sys.argv[3:] == ["t"]
    try:
        answer: dict[str, object] = {"sheets": read_file(sys.stdin.buffer.read(), extension, max_rows)}
    except _Refusal as refusal:
        answer = {"refused": refusal.code}
    except MemoryError:
        answer = {"refused": "heavy"}
    except Exception:  # RecursionError, a parser's own error: we could not read it
        answer = {"refused": "unreadable"}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True))


if __name__ == "__main__":
    _child_main()

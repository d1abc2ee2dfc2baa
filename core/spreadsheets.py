"""Read an uploaded spreadsheet (.xlsx or .csv) safely into rows of typed cells.

One reader for every file a user brings in: the invulbestand of inzet lines, a region's
policy workbook, a region import. It refuses what a plain workbook never is — macros (.xlsm),
a password (an encrypted package is an OLE file, as is the old .xls), a zip that unpacks to
far more than it weighs, XML with a DTD or entities — and never evaluates a formula: a cell
keeps the value Excel cached for it, and a formula without one is marked (`Formula`) for the
caller to refuse. Hidden sheets (lists for drop-downs) are skipped, empty rows too.

The parsing runs in a child process with a CPU, memory and wall-clock limit, as uploaded PDFs
are judged (projects/pdf_safety.py): a hostile file costs one killed child, never a web worker.
This module imports only the standard library, so it runs as that child (`python -I -S
spreadsheets.py`: no site-packages, no environment); the parent side (`read_spreadsheet`) is plain
Python too. The XML of a workbook is read with the standard library's parser, its cells typed as
openpyxl (which writes our workbooks) reads them: a child that imported openpyxl took 2.5 times as
long for a file of a few rows (tests/core/test_xlsx_reading.py compares the two readings).
"""

import codecs
import csv
import io
import json
import posixpath
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import IO
from xml.etree import ElementTree

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
            [sys.executable, "-I", "-S", __file__, str(max_rows + TOP_ROWS), extension, "t" if keep_time else ""],
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
    """Refuse what a plain workbook never is, before any of its XML is parsed."""
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


# Namespaces of a workbook's parts (transitional OOXML, what Excel, LibreOffice and openpyxl write).
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE = (_MAIN + tag for tag in ("row", "c", "v", "f", "is"))
_TEXT, _RUN, _SHARED, _MERGE = (_MAIN + tag for tag in ("t", "r", "si", "mergeCell"))
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?\d+$")

# Number formats Excel knows by number whose cells hold a date or a time (the others are plain numbers), as
# openpyxl reads them: 14-22 and 45-47. A workbook's own formats are recognised by their code.
_DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DURATION_FORMAT_IDS = {46}
_FORMAT_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text, [Red], [$-413]
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION_CODE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)
_EPOCH_1900 = datetime(1899, 12, 30)  # day 0 of Excel on Windows, one day off for Excel's 29 Feb 1900
_EPOCH_1904 = datetime(1904, 1, 1)


def _read_xlsx(data: bytes, max_rows: int) -> list[dict[str, object]]:
    """A workbook is a zip of XML parts whose relationships say which part is what. Cells are typed as Excel
    typed them, a number as a date where its cell's number format shows one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_zip(archive)
        book = _Workbook(archive)
        return [
            {"name": name, "rows": rows, "merged": merged}
            for name, rows, merged in (
                (name, *book.sheet(path, max_rows)) for name, path, visible in book.sheets[:MAX_SHEETS] if visible
            )
        ]
    except _Refusal:
        raise
    except Exception:  # not a zip, not a workbook, broken XML, a value that is no number: we could not read it
        raise _Refusal("unreadable") from None


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())
        path = next(path for kind, path in self._relations("").values() if kind == "officeDocument")
        root = _xml(archive.read(path))
        parts = self._relations(path)
        properties = root.find(_MAIN + "workbookPr")
        in_1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
        self.epoch = _EPOCH_1904 if in_1904 else _EPOCH_1900
        self.sheets = [
            (sheet.get("name", ""), parts[key][1], sheet.get("state", "visible") == "visible")
            for sheet in root.iter(_MAIN + "sheet")
            if (key := sheet.get(_RELATIONSHIP_ID)) in parts
            and parts[key][0] == "worksheet"
            and parts[key][1] in self.names
        ]
        by_kind = dict(parts.values())
        self.strings = self._shared_strings(by_kind.get("sharedStrings"))
        self.dates, self.durations = self._date_styles(by_kind.get("styles"))

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (kind, path in the zip) of the part's relationships; the package's own for ""."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.names:
            return {}
        found = {}
        for relation in _xml(self.archive.read(rels)).iter(_RELATIONSHIP):
            target = relation.get("Target", "")
            path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[relation.get("Id", "")] = (relation.get("Type", "").rsplit("/", 1)[-1], path)
        return found

    def _shared_strings(self, path: str | None) -> list[str]:
        if path not in self.names:
            return []
        strings = []
        with self.archive.open(path) as stream:
            for element in _elements(stream):
                if element.tag == _SHARED:
                    strings.append(_text(element).replace("x005F_", ""))
                    element.clear()
        return strings

    def _date_styles(self, path: str | None) -> tuple[set[int], set[int]]:
        """The cell styles (by index) whose number format shows a date or time, and those showing a duration."""
        if path not in self.names:
            return set(), set()
        root = _xml(self.archive.read(path))
        codes = {int(code.get("numFmtId", "-1")): code.get("formatCode", "") for code in root.iter(_MAIN + "numFmt")}
        dates, durations = set(), set()
        styles = root.find(_MAIN + "cellXfs")
        for index, style in enumerate(styles.iterfind(_MAIN + "xf") if styles is not None else ()):
            number = int(style.get("numFmtId", "0"))
            if number in codes:
                code = codes[number].split(";")[0]
                is_date = _DATE_CODE.search(_FORMAT_LITERALS.sub("", code)) is not None
                is_duration = _DURATION_CODE.search(code) is not None
            else:
                is_date, is_duration = number in _DATE_FORMAT_IDS, number in _DURATION_FORMAT_IDS
            if is_date:
                dates.add(index)
            if is_duration:
                durations.add(index)
        return dates, durations

    def sheet(self, path: str, max_rows: int) -> tuple[list[list[object]], list[str]]:
        rows: list[list[object]] = []
        merged: list[str] = []
        scanned = number = 0
        with self.archive.open(path) as stream:
            for element in _elements(stream):
                if element.tag == _ROW:
                    if scanned >= MAX_ROWS_SCANNED:
                        raise _Refusal("rows")
                    scanned += 1
                    given = element.get("r")
                    number = int(float(given)) if given else number + 1
                    column = 0
                    cells = []
                    for cell in element.iterfind(_CELL):
                        reference = cell.get("r")
                        column = _column(reference) if reference else column + 1
                        if (encoded := self._cell(cell, column)) is not None:
                            cells.append(encoded)
                    element.clear()
                    if cells:
                        if len(rows) >= max_rows:
                            raise _Refusal("rows")
                        rows.append([number, cells])
                elif element.tag == _MERGE:
                    merged.append(element.get("ref", ""))
        return rows, merged

    def _cell(self, cell: ElementTree.Element, column: int) -> list[object] | None:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return None if inline is None else _encode(column, _text(inline))
        value = cell.findtext(_VALUE) or None
        if value is None:
            formula = cell.find(_FORMULA)
            return None if formula is None else [column, "f", ("=" + (formula.text or ""))[:200]]
        if kind == "n":
            number = float(value) if "." in value or "e" in value or "E" in value else int(value)
            style = int(cell.get("s") or 0)
            if style not in self.dates:
                return _encode(column, number)
            try:
                return _encode(column, _from_excel(number, self.epoch, duration=style in self.durations))
            except (OverflowError, ValueError):  # a serial number beyond the dates Python knows
                return [column, "e", "#VALUE!"]
        if kind == "s":
            return _encode(column, self.strings[int(value)])
        if kind == "b":
            return _encode(column, bool(int(value)))
        if kind == "e":
            return [column, "e", value]
        if kind == "d":
            return _encode(column, _from_iso(value))
        return _encode(column, value)  # "str", the text a formula gave


# The standard library's parser (C, expat) on parts `_check_zip` has looked through: none has a DTD or an entity,
# and expat does not fetch anything. (defusedxml would guard the same with the pure-Python parser, 3-4 times slower.)
def _xml(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)  # noqa: S314 - see above


def _elements(stream: IO[bytes]) -> Iterator[ElementTree.Element]:
    """Each element of the stream as its end tag is read."""
    for _event, element in ElementTree.iterparse(stream):  # noqa: S314 - see above
        yield element


def _text(element: ElementTree.Element) -> str:
    """The text of a string item: its plain text and the text of its formatted runs (not the phonetic guide)."""
    plain = element.findtext(_TEXT) or ""
    return plain + "".join(run.findtext(_TEXT) or "" for run in element.iterfind(_RUN))


@lru_cache(maxsize=1024)
def _column(reference: str) -> int:
    match = _REFERENCE.match(reference)
    if match is None:
        raise ValueError(reference)
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column


def _from_excel(serial: float, epoch: datetime, *, duration: bool) -> datetime | time | timedelta:
    """An Excel serial number as the moment it stands for (openpyxl's reading, to the millisecond)."""
    if duration:
        return timedelta(milliseconds=round(serial * 86_400_000))
    day, fraction = divmod(serial, 1)
    since_midnight = timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and since_midnight.days == 0:
        return (datetime.min + since_midnight).time()
    if 0 < serial < 60 and epoch == _EPOCH_1900:
        day += 1  # before Excel's 29 February 1900, which never was
    return epoch + timedelta(days=day) + since_midnight


def _from_iso(value: str) -> date | datetime | time:
    if "T" in value or " " in value:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    if ":" in value:
        return time.fromisoformat(value)
    return date.fromisoformat(value)


def _encode(column: int, value: object) -> list[object] | None:
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

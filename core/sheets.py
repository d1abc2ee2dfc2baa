"""What every upload of rows shares: columns found by their header, one kind of problem (sheet, row,
column, Dutch message) for the page and the error workbook, and that error workbook itself.

`core.spreadsheets` reads the file safely; this module turns a sheet into records a form can check:
columns in any order, extra columns ignored, merged cells, formulas without a value, error values
and control characters reported per cell instead of guessed at.
"""

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

from .spreadsheets import CellValue, ErrorValue, Formula, Row, Sheet

HEADER_SEARCH_ROWS = 10  # a title or an explanation may stand above the header row
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's own "bad" red
BAD_FONT = Font(color="9C0006", bold=True)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it
    aliases: tuple[str, ...] = ()  # other headers a person may have used
    required: bool = True  # the column must be there (whether a cell may be empty is the form's business)

    def names(self) -> set[str]:
        return {normalise_header(name) for name in (self.header, *self.aliases)}


@dataclass(frozen=True)
class Problem:
    """One thing to fix, tied to where it is: a cell, a row, a sheet or the file."""

    message: str
    row: int | None = None
    column: str | None = None  # the header as the file has it
    sheet: str = ""

    def __str__(self) -> str:
        where = ", ".join(filter(None, [f"Rij {self.row}" if self.row else "", self.column or ""]))
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Record:
    """One data row: its values by column key (empty cells absent) and the keys already reported."""

    row: int
    values: dict[str, CellValue]
    reported: set[str] = field(default_factory=set)


@dataclass
class Table:
    sheet: Sheet
    header_row: int
    headers: dict[str, str]  # column key → the header as the file has it
    positions: dict[str, int]  # column key → column number
    records: list[Record]
    problems: list[Problem]

    def problem(self, record: Record, key: str | None, message: str) -> None:
        """A problem with one cell of `record` (key) or the row as a whole (None)."""
        self.problems.append(
            Problem(message, row=record.row, column=self.headers.get(key) if key else None, sheet=self.sheet.name)
        )
        if key:
            record.reported.add(key)


def normalise_header(text: str) -> str:
    """`Bedrag (€) *` and `bedrag` are one header: case, accents, notes in brackets and marks don't count."""
    text = re.sub(r"\(.*?\)", " ", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_table(sheet: Sheet, columns: Sequence[Column]) -> Table:
    """The sheet's records under its header row; what can't be read is a Problem, never a guess."""
    by_name = {name: column for column in columns for name in column.names()}
    header = _header_row(sheet, by_name)
    table = Table(sheet, header.number if header else 0, {}, {}, [], [])
    if header is None:
        wanted = ", ".join(f"‘{c.header}’" for c in columns if c.required)
        table.problems.append(
            Problem(f"Geen kopregel gevonden. De eerste regel moet de kolomnamen bevatten: {wanted}.", sheet=sheet.name)
        )
        return table
    for number, value in sorted(header.cells.items()):
        column = by_name.get(normalise_header(value)) if isinstance(value, str) else None
        if column is None:
            continue  # a column of the user's own: ignored
        if column.key in table.positions:
            table.problems.append(
                Problem(f"De kolom ‘{value}’ staat twee keer in de kopregel.", row=header.number, sheet=sheet.name)
            )
            continue
        table.positions[column.key], table.headers[column.key] = number, str(value).strip()
    missing = [f"‘{c.header}’" for c in columns if c.required and c.key not in table.positions]
    if missing:
        what = (
            "De kolom " + missing[0] + " ontbreekt"
            if len(missing) == 1
            else "De kolommen " + ", ".join(missing) + " ontbreken"
        )
        table.problems.append(Problem(f"{what} in de kopregel.", row=header.number, sheet=sheet.name))
        return table
    merged_rows = _merged_rows(sheet, header.number)
    for row in sheet.rows:
        if row.number <= header.number:
            continue
        record = Record(row.number, {key: row.cells[n] for key, n in table.positions.items() if n in row.cells})
        if not record.values:
            continue  # only cells in the user's own columns: nothing of ours to check
        table.records.append(record)
        if row.number in merged_rows:
            table.problem(
                record,
                None,
                f"Samengevoegde cellen ({merged_rows[row.number]}): maak de samenvoeging ongedaan en vul elke rij "
                "apart in.",
            )
        for key, value in list(record.values.items()):
            if message := _cell_problem(value):
                table.problem(record, key, message)
                del record.values[key]
    return table


def _header_row(sheet: Sheet, by_name: dict[str, Column]) -> Row | None:
    """The first of the top rows with the most known headers (at least one)."""
    best, best_count = None, 0
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        count = sum(isinstance(v, str) and normalise_header(v) in by_name for v in row.cells.values())
        if count > best_count:
            best, best_count = row, count
    return best


def _merged_rows(sheet: Sheet, header_row: int) -> dict[int, str]:
    rows: dict[int, str] = {}
    for ref in sheet.merged:
        try:
            _, first, _, last = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        for number in range(max(first or 0, header_row + 1), (last or 0) + 1):
            rows.setdefault(number, ref)
    return rows


def _cell_problem(value: CellValue) -> str | None:
    if isinstance(value, Formula):
        return "bevat een formule zonder berekende waarde. Vul de waarde zelf in (plakken als waarde)."
    if isinstance(value, ErrorValue):
        return f"bevat de foutwaarde {value.text}. Vul een geldige waarde in."
    if isinstance(value, str) and _CONTROL.search(value):
        return "bevat onzichtbare stuurtekens. Typ de waarde opnieuw."
    return None


# --- The error workbook -------------------------------------------------------------------------


def problems_workbook(table: Table, problems: Iterable[Problem], title: str = "Fouten") -> bytes:
    """The sheet as read, with a column of problems per row and every bad cell marked in red with its
    message as a comment; a second sheet lists them all. Every value is written as the value it was:
    text stays text (a leading = is not a formula here either)."""
    problems = list(problems)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(table.sheet.name)
    by_row: dict[int, list[Problem]] = {}
    for problem in problems:
        by_row.setdefault(problem.row or 0, []).append(problem)
    positions = {header: table.positions[key] for key, header in table.headers.items()}
    last_column = max((n for row in table.sheet.rows for n in row.cells), default=0)
    error_column = last_column + 1
    for row in table.sheet.rows:
        for number, value in row.cells.items():
            _write(sheet.cell(row=row.number, column=number), value)
        found = by_row.get(row.number, [])
        if row.number == table.header_row:
            _write(sheet.cell(row=row.number, column=error_column), title).font = BAD_FONT
        if found:
            _write(sheet.cell(row=row.number, column=error_column), "\n".join(_short(p) for p in found)).font = BAD_FONT
        for problem in found:
            if problem.column and problem.column in positions:
                cell = sheet.cell(row=row.number, column=positions[problem.column])
                cell.fill = BAD_FILL
                cell.comment = Comment(_clean(problem.message), "Social Return Monitor")
    sheet.column_dimensions[get_column_letter(error_column)].width = 60
    sheet.freeze_panes = sheet.cell(row=table.header_row + 1, column=1) if table.header_row else None
    listing = book.create_sheet("Foutenlijst")
    listing.append(["Rij", "Kolom", "Melding"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        listing.append([problem.row, _clean(problem.column or ""), _clean(problem.message)])
    listing.column_dimensions["B"].width = 24
    listing.column_dimensions["C"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write(cell: Cell, value: CellValue | str) -> Cell:
    if isinstance(value, Formula | ErrorValue):
        value = value.text
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"  # openpyxl would take a leading = for a formula
    elif isinstance(value, date):
        cell.value, cell.number_format = value, "DD-MM-YYYY"
    elif isinstance(value, Decimal | bool):
        cell.value = value
    return cell


def _clean(text: str) -> str:
    """What a workbook can hold: no control characters (they are what the problem is about)."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _short(problem: Problem) -> str:
    return f"{problem.column}: {problem.message}" if problem.column else problem.message


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Regels"

"""Reading a region workbook (issue #32): the format `reporting.region_export` writes, filled by this portal or
by a region from its old system's exports.

Read with the safe reader of every upload (`core.spreadsheets`, `core.sheets`): columns found by their header in
any order, every cell typed by its column's kind, and every problem named by sheet, row and column in Dutch —
a wrong type, a missing cell, a key twice, a reference to a key no sheet has. What each column holds, whether it
may be empty and which sheet's key it names is declared once, in `reporting.region_export.SHEETS`.
`reporting.region_import` then writes what was read.
"""

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from core.sheets import Column, Problem, Record, normalise_header, read_table
from core.spreadsheets import Sheet, SpreadsheetRefused, read_spreadsheet
from policy import valuation as v
from policy.workbook import SHEETS as POLICY_SHEETS
from policy.workbook import read_amount, read_policy_workbook

from .excel import FORMULA_START
from .region_export import RULE_SHEET_PREFIX, SHEETS, RegionSheet

MAX_ROWS = 500_000  # data rows in one sheet: a large region has some 40,000 lines
MAX_BYTES = 100 * 1024 * 1024
EXPORTED_ON = "Geëxporteerd op "  # the export's last line under every sheet


@dataclass
class RegionRead:
    """Per sheet its rows (header → typed value, with the row number under `#`), and every problem."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    file_name: str = ""
    sha256: str = ""

    def counts(self) -> dict[str, int]:
        return {title: len(rows) for title, rows in self.rows.items()}


def read_region_workbook(data: bytes, filename: str) -> RegionRead:
    read = RegionRead(file_name=filename, sha256=hashlib.sha256(data).hexdigest())
    try:
        found = {
            normalise_header(sheet.name): sheet
            for sheet in read_spreadsheet(data, filename, max_rows=MAX_ROWS, max_bytes=MAX_BYTES, keep_time=True)
        }
    except SpreadsheetRefused as refusal:
        read.problems.append(Problem(refusal.message))
        return read
    for spec in SHEETS:
        sheet = found.get(normalise_header(spec.title))
        if sheet is None:
            read.problems.append(Problem(f"Het blad ‘{spec.title}’ ontbreekt.", sheet=spec.title))
            read.rows[spec.title] = []
            continue
        read.rows[spec.title] = _sheet_rows(spec, sheet, read.problems)
    if len(read.rows.get("Regio", [])) != 1 and not any(p.sheet == "Regio" for p in read.problems):
        read.problems.append(Problem("Het blad ‘Regio’ heeft precies één regel onder de kopregel.", sheet="Regio"))
    _check_keys(read)
    return read


def _sheet_rows(spec: RegionSheet, sheet: Sheet, problems: list[Problem]) -> list[dict[str, Any]]:
    columns = [Column(column.header, column.header) for column in spec.columns]
    table = read_table(sheet, columns)
    kinds = {column.header: column.kind for column in spec.columns}
    rows = []
    for record in table.records:
        if _is_export_footer(record):
            continue
        row: dict[str, Any] = {"#": record.row}
        for column in spec.columns:
            header = column.header
            if header in record.reported:
                continue
            raw = record.values.get(header)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    table.problem(record, header, "Vul deze cel in.")
                row[header] = None
                continue
            value, message = (raw, "") if column.raw else _parse(kinds[header], raw)
            if message:
                table.problem(record, header, message)
            else:
                row[header] = value
        rows.append(row)
    problems.extend(table.problems)
    return rows


def _is_export_footer(record: Record) -> bool:
    values = list(record.values.values())
    return len(values) == 1 and isinstance(values[0], str) and values[0].startswith(EXPORTED_ON)


def _parse(kind: str, raw: Any) -> tuple[Any, str]:
    if kind == "text":
        text = raw if isinstance(raw, str) else _plain(raw)
        text = text.strip()
        if text[:1] == "'" and text[1:2] and text[1] in FORMULA_START:
            text = text[1:]  # the export kept a formula-like text as text with an apostrophe
        return text, ""
    if kind in ("date", "datetime"):
        if isinstance(raw, datetime):
            return (raw if kind == "datetime" else raw.date()), ""
        if isinstance(raw, date):
            return raw, ""
        field = forms.DateTimeField() if kind == "datetime" else forms.DateField()
        try:  # a date typed as text (a CSV): the formats every date field of the portal takes
            return field.to_python(str(raw).strip()), ""
        except ValidationError:
            return None, "Vul een datum in (dd-mm-jjjj)."
    if kind == "int":
        if isinstance(raw, Decimal) and raw == raw.to_integral_value():
            return int(raw), ""
        return None, "Vul een geheel getal in."
    if kind in ("money", "number"):
        return read_amount(raw)
    raise ValueError(kind)


def _plain(raw: Any) -> str:
    if isinstance(raw, Decimal):
        return format(raw.normalize(), "f") if raw == raw.to_integral_value() else str(raw)
    if isinstance(raw, bool):
        return "ja" if raw else "nee"
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw)


def _check_keys(read: RegionRead) -> None:
    """A key once per sheet, and every reference to a key its sheet has (a user's e-mail address in any case)."""
    keys: dict[str, set[str]] = {}
    for spec in SHEETS:
        if not spec.key:
            continue
        seen: dict[str, int] = {}
        for row in read.rows.get(spec.title, []):
            value = row.get(spec.key)
            if value is None:
                continue
            value = value.lower() if spec.title == "Gebruikers" else value
            if value in seen:
                message = f"De sleutel {value} staat ook in rij {seen[value]}."
                read.problems.append(Problem(message, row["#"], spec.key, spec.title))
            seen.setdefault(value, row["#"])
        keys[spec.title] = set(seen)
    for spec in SHEETS:
        for column in (column for column in spec.columns if column.refers):
            for row in read.rows.get(spec.title, []):
                _refers(read, keys, spec.title, row, column.header, column.refers)


def _refers(read: RegionRead, keys: dict[str, set[str]], title: str, row: dict, column: str, target: str) -> None:
    value = row.get(column)
    if value is None:
        return
    wanted = value.lower() if target == "Gebruikers" else value
    if wanted not in keys.get(target, set()):
        read.problems.append(Problem(f"{value} staat niet op het blad ‘{target}’.", row["#"], column, title))


def policy_versions_read(read: RegionRead) -> dict[str, v.PolicyRules]:
    """Per version key its rules, read by the policy workbook's own reader (`policy.workbook`) from the version's
    row and its rows on the Beleid - … sheets; each problem is named at the row of the region workbook it comes
    from, and adds to `read.problems`. A version with a problem has no rules here."""
    found: dict[str, v.PolicyRules] = {}
    for version in read.rows.get("Beleidsversies", []):
        key = version.get("Sleutel")
        if key is None:
            continue
        book = Workbook()
        book.active.title = "Toelichting"
        beleid = book.create_sheet("Beleid")
        beleid.append([field.header for field in POLICY_SHEETS["Beleid"]])
        beleid.append([version.get(field.header) for field in POLICY_SHEETS["Beleid"]])
        origin: dict[tuple[str, int], int] = {}
        for title, fields in POLICY_SHEETS.items():
            if title == "Beleid":
                continue
            sheet = book.create_sheet(title)
            sheet.append([field.header for field in fields])
            for row in read.rows.get(RULE_SHEET_PREFIX + title, []):
                if row.get("Versie") == key:
                    sheet.append([row.get(field.header) for field in fields])
                    origin[(title, sheet.max_row)] = row["#"]
        out = io.BytesIO()
        book.save(out)
        policy = read_policy_workbook(out.getvalue(), "beleid.xlsx")
        for problem in policy.problems:
            if problem.sheet == "Beleid":
                read.problems.append(Problem(problem.message, version["#"], problem.column, "Beleidsversies"))
            else:
                row_number = origin.get((problem.sheet, problem.row or 0))
                read.problems.append(
                    Problem(problem.message, row_number, problem.column, RULE_SHEET_PREFIX + problem.sheet)
                )
        if policy.rules is not None:
            found[key] = policy.rules
    return found

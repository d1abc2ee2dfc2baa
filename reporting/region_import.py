"""Reading a region workbook (issue #32): the format `reporting.region_export` writes, filled by this portal or
by a region from its old system's exports.

Read with the safe reader of every upload (`core.spreadsheets`, `core.sheets`): columns found by their header in
any order, every cell typed by its column's kind, and every problem named by sheet, row and column in Dutch —
a wrong type, a missing cell, a key twice, a reference to a key no sheet has. What each column holds, whether it
may be empty and which sheet's key it names is declared once, in `reporting.region_export.SHEETS`.
`region_import` then writes what was read: all of it or nothing, idempotent on the workbook's keys.
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Organisation, OrganisationKind, Region, User
from core.sheets import Column, Problem, Record, normalise_header, read_table
from core.spreadsheets import Sheet, SpreadsheetRefused, read_spreadsheet
from policy import valuation as v
from policy.models import PolicyVersion
from policy.rules_store import rules_save
from policy.services.rules import RULE_MODELS
from policy.workbook import SHEETS as POLICY_SHEETS
from policy.workbook import read_amount, read_policy_workbook

from .excel import FORMULA_START
from .models import ImportedKey
from .region_export import RULE_SHEET_PREFIX, SHEETS, RegionSheet

MAX_ROWS = 500_000  # data rows in one sheet: a large region has some 40,000 lines
MAX_BYTES = 100 * 1024 * 1024
EXPORTED_ON = "Geëxporteerd op "  # the export's last line under every sheet


@dataclass
class RegionRead:
    """Per sheet its rows (header → typed value, with the row number under `#`), and every problem."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {title: len(rows) for title, rows in self.rows.items()}


def read_region_workbook(data: bytes, filename: str) -> RegionRead:
    read = RegionRead()
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


# --- Writing what was read ----------------------------------------------------------------------


class ImportRefused(Exception):
    """The workbook can't be imported as it is: nothing was written. `problems` say what to fix, where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problemen")
        self.problems = problems


@dataclass
class ImportReport:
    """Per sheet how many rows the import made, and how many it found from an earlier import of the same keys."""

    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)


class _Keys:
    """The keys of earlier imports into the region, and the ones this import adds."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self.known = {(k.sheet, k.key): k.object_id for k in ImportedKey.objects.filter(region=region)}

    def get(self, sheet: str, key: str) -> int | None:
        return self.known.get((sheet, key))

    def add(self, sheet: str, key: str, object_id: int) -> None:
        ImportedKey.objects.create(region=self.region, sheet=sheet, key=key, object_id=object_id)
        self.known[(sheet, key)] = object_id


@transaction.atomic
def region_import(read: RegionRead, *, by: User | None = None) -> ImportReport:
    """Write a region workbook that was read without problems: all of it or, on any problem, nothing (ImportRefused).
    A key imported before into the same region is found, not made again, so a second run changes nothing.
    People come in inactive, without password or authenticator, until the coördinatiepunt invites them."""
    rules = policy_versions_read(read)
    if read.problems:
        raise ImportRefused(read.problems)
    (row,) = read.rows["Regio"]
    region, _ = Region.objects.get_or_create(slug=row["Code"].lower(), defaults={"name": row["Naam"]})
    keys, report, problems = _Keys(region), ImportReport(), []
    for step in (_organisations, _users):
        problems += step(read, region, keys, report)
    problems += _versions(read, rules, region, keys, report, by)
    if problems:
        raise ImportRefused(problems)
    return report


def _organisations(read: RegionRead, region: Region, keys: _Keys, report: ImportReport) -> list[Problem]:
    problems = []
    regions = {r.slug: r for r in Region.objects.all()}
    for row in read.rows["Organisaties"]:
        if keys.get("Organisaties", row["Sleutel"]) is not None:
            report.existing["Organisaties"] += 1
            continue
        kind = row["Soort"]
        if kind not in OrganisationKind.values:
            problems.append(Problem(f"Onbekende soort ‘{kind}’.", row["#"], "Soort", "Organisaties"))
            continue
        opdrachtnemer = kind == OrganisationKind.OPDRACHTNEMER
        found = Organisation.objects.filter(kvk_number=row["KvK-nummer"]).first() if row["KvK-nummer"] else None
        organisation = found or Organisation(
            name=row["Naam"],
            kind=kind,
            region=None if opdrachtnemer else region,
            kvk_number=row["KvK-nummer"],
            address=row["Adres"] or "",
            email=row["E-mailadres"] or "",
            phone=row["Telefoonnummer"] or "",
            contact_name=row["Contactpersoon"] or "",
            opening_hours=row["Openingstijden"] or "",
            website=row["Website"] or "",
        )
        if found is None:
            try:
                organisation.full_clean()
            except ValidationError as error:
                problems += _validation(error, row, "Organisaties", Organisation)
                continue
            organisation.save()
        if opdrachtnemer:
            codes = {code.strip().lower() for code in (row["Werkregio's"] or "").split(",") if code.strip()}
            organisation.regions.add(region, *(regions[code] for code in codes if code in regions))
        keys.add("Organisaties", row["Sleutel"], organisation.pk)
        report.created["Organisaties"] += 1
    return problems


def _users(read: RegionRead, region: Region, keys: _Keys, report: ImportReport) -> list[Problem]:
    problems = []
    for row in read.rows["Gebruikers"]:
        email = row["E-mailadres"].lower()
        if keys.get("Gebruikers", email) is not None:
            report.existing["Gebruikers"] += 1
            continue
        organisation_id = keys.get("Organisaties", row["Organisatie"])
        if User.objects.filter(email=email).exists():
            problems.append(
                Problem("Er bestaat al een account met dit e-mailadres.", row["#"], "E-mailadres", "Gebruikers")
            )
            continue
        user = User(
            email=email,
            name=row["Naam"],
            phone=row["Telefoonnummer"] or "",
            organisation_id=organisation_id,
            is_active=False,
            date_joined=_aware(row["Aangemaakt op"]) or timezone.now(),
        )
        user.set_unusable_password()
        try:
            user.full_clean()
        except ValidationError as error:
            problems += _validation(error, row, "Gebruikers", User)
            continue
        user.save()
        keys.add("Gebruikers", email, user.pk)
        report.created["Gebruikers"] += 1
    return problems


def _versions(
    read: RegionRead,
    rules: dict[str, v.PolicyRules],
    region: Region,
    keys: _Keys,
    report: ImportReport,
    by: User | None,
) -> list[Problem]:
    problems = []
    for row in read.rows["Beleidsversies"]:
        if keys.get("Beleidsversies", row["Sleutel"]) is not None:
            report.existing["Beleidsversies"] += 1
            continue
        if PolicyVersion.objects.filter(region=region, valid_from=row["Geldig vanaf"]).exists():
            problems.append(
                Problem(
                    "De regio heeft al een versie met deze ingangsdatum.", row["#"], "Geldig vanaf", "Beleidsversies"
                )
            )
            continue
        publisher = keys.get("Gebruikers", (row["Gepubliceerd door"] or "").lower())
        version_rules = rules[row["Sleutel"]]
        version = PolicyVersion.objects.create(
            region=region,
            valid_from=row["Geldig vanaf"],
            title=version_rules.title,
            method=version_rules.method.value,
            fulltime_hours=version_rules.fulltime_hours,
            text=row["Uitvoeringsvoorwaarden"] or "",
            created_at=_aware(row["Gepubliceerd op"]) or timezone.now(),
            created_by_id=publisher or (by.pk if by else None),
        )
        rules_save(version=version, rules=version_rules, models=RULE_MODELS)
        keys.add("Beleidsversies", row["Sleutel"], version.pk)
        report.created["Beleidsversies"] += 1
    return problems


def _aware(moment: datetime | date | None) -> datetime | None:
    """The export writes moments in local time, without a zone: they are Europe/Amsterdam's."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _validation(error: ValidationError, row: dict[str, Any], sheet: str, model: type[models.Model]) -> list[Problem]:
    """Django's validation of a model, as problems at the row (the field's Dutch name in the message)."""
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.fields}
    return [
        Problem(f"{labels.get(name, name)}: {' '.join(messages)}", row["#"], None, sheet)
        for name, messages in error.message_dict.items()
    ]

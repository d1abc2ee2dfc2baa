"""A region's Menukaart as a workbook (issue #31): written from a version's `PolicyRules`, read back into them.

One sheet a part of the rules (Beleid, Soorten inzet, Doelgroepen, Bouwblokken, Bonussen), a row a rule and
a column a field, with an explanation sheet in Dutch. `FIELDS` says, per sheet, which column holds which
field of the engine's dataclasses and of what kind it is: the writer and the reader both follow it, so a
downloaded workbook uploaded again gives the same rules. The reader uses the safe reader of every upload
(`core.spreadsheets`) and reports every problem per sheet, row and column (`core.sheets.Problem`).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.sheets import Column, Problem, Record, Table, normalise_header, read_table
from core.spreadsheets import Sheet, SpreadsheetRefused, read_spreadsheet

from . import valuation as v

MAX_ROWS = 200  # rows a sheet of rules may have: a Menukaart has tens


@dataclass(frozen=True)
class Field:
    """One column: the dataclass field it fills, its header, and how its cells read."""

    name: str
    header: str
    kind: str  # text, int, amount, bool, list, or an enum's name in ENUMS
    required: bool = False  # the cell may not be empty
    many: bool = False  # a comma-separated list (of the kind)


ENUMS: dict[str, type[StrEnum]] = {
    "method": v.ValuationMethod,
    "calculation": v.Calculation,
    "termijn": v.Termijn,
    "input": v.Input,
}
YES, NO = "ja", "nee"
NIVEAU_CAPS = {niveau: f"Max. per maand {niveau.value}" for niveau in v.Niveau}

BELEID = (
    Field("title", "Titel", "text", required=True),
    Field("method", "Methode", "method", required=True),
    Field("fulltime_hours", "Uren voltijd per week", "amount", required=True),
)
SOORTEN = (
    Field("code", "Code", "text", required=True),
    Field("order", "Volgorde", "int", required=True),
    Field("label", "Naam", "text", required=True),
    Field("specification", "Omschrijving", "text", required=True),
    Field("valuation_text", "Waardering", "text", required=True),
    Field("calculation", "Berekening", "calculation", required=True),
    Field("inputs", "Invoer", "input", many=True),
    Field("period", "Periode", "text", required=True),
    Field("value_hint", "Indicatie waarde", "text"),
    Field("amount_label", "Naam bedrag", "text", required=True),
    Field("hours_label", "Naam uren", "text", required=True),
    Field("kandidaat_required", "Kandidaat verplicht", "bool", required=True),
    Field("counts_termijn", "Termijn doelgroep telt", "bool", required=True),
    Field("is_work", "Telt als werk", "bool", required=True),
    Field("within_project", "Binnen projectperiode", "bool", required=True),
    Field("months_before_project_start", "Maanden voor projectstart", "int", required=True),
    Field("max_months", "Max. maanden", "int"),
    *(Field(f"cap_{niveau.value}", header, "amount") for niveau, header in NIVEAU_CAPS.items()),
    Field("hourly_rate", "Uurtarief", "amount"),
    Field("max_per_week", "Max. per week", "amount"),
    Field("min_hours_per_week", "Min. uren per week", "amount"),
    Field("max_per_kandidaat", "Max. per kandidaat", "amount"),
    Field("in_overleg_coordinatiepunt", "In overleg met coördinatiepunt", "bool", required=True),
)
DOELGROEPEN = (
    Field("code", "Code", "text", required=True),
    Field("order", "Volgorde", "int", required=True),
    Field("label", "Naam", "text", required=True),
    Field("short_label", "Korte naam", "text", required=True),
    Field("termijn", "Termijn", "termijn", required=True),
    Field("termijn_months", "Termijn maanden", "int"),
    Field("min_months_unemployed", "Min. maanden werkloos", "int"),
    Field("min_age", "Min. leeftijd", "int"),
    Field("max_age", "Max. leeftijd (tot)", "int"),
)
BOUWBLOKKEN = (
    Field("code", "Code", "text", required=True),
    Field("label", "Naam", "text", required=True),
    Field("yearly_value", "Waarde per jaar", "amount", required=True),
    Field("soorten", "Soorten inzet", "text", many=True),
    Field("doelgroepen", "Doelgroepen", "text", many=True),
)
BONUSSEN = (
    Field("code", "Code", "text", required=True),
    Field("label", "Naam", "text", required=True),
    Field("amount", "Bedrag", "amount", required=True),
)
SHEETS: dict[str, tuple[Field, ...]] = {
    "Beleid": BELEID,
    "Soorten inzet": SOORTEN,
    "Doelgroepen": DOELGROEPEN,
    "Bouwblokken": BOUWBLOKKEN,
    "Bonussen": BONUSSEN,
}
OPTIONAL_SHEETS = ("Bouwblokken", "Bonussen")


# --- Writing ------------------------------------------------------------------------------------


def policy_workbook(rules: v.PolicyRules | None) -> bytes:
    """The workbook of `rules` (None: an empty one to fill in), with the explanation sheet first."""
    book = Workbook()
    _explain(book.active)
    rows = rule_rows(rules) if rules else {title: [] for title in SHEETS}
    for title, fields in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([field.header for field in fields])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows[title]:
            sheet.append([cell_value(field, values.get(field.name)) for field in fields])
        for column, field in enumerate(fields, start=1):
            width = 60 if field.name in ("specification", "valuation_text") else max(12, len(field.header) + 2)
            sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rule_rows(rules: v.PolicyRules) -> dict[str, list[dict[str, Any]]]:
    """Per sheet the rows of `rules`, as the values of their fields by name (`cell_value` makes them cells)."""
    return {
        "Beleid": [{"title": rules.title, "method": rules.method, "fulltime_hours": rules.fulltime_hours}],
        "Soorten inzet": [_soort_values(soort) for soort in rules.soorten],
        "Doelgroepen": [vars(doelgroep) for doelgroep in rules.doelgroepen],
        "Bouwblokken": [vars(bouwblok) for bouwblok in rules.bouwblokken],
        "Bonussen": [vars(bonus) for bonus in rules.bonuses],
    }


def _soort_values(soort: v.SoortInzet) -> dict[str, Any]:
    return vars(soort) | {f"cap_{cap.niveau.value}": cap.amount for cap in soort.niveau_caps}


def cell_value(field: Field, value: Any) -> Any:
    """A field's value as the workbook writes it: lists with commas, ja/nee, an enum by its code."""
    if field.many:
        return ", ".join(str(item) for item in value) if value else None
    if field.kind == "bool":
        return YES if value else NO
    if isinstance(value, StrEnum):
        return value.value
    return value


def _explain(sheet: Any) -> None:
    sheet.title = "Toelichting"
    lines = [
        "Het beleid van uw regio (de Menukaart) in een werkmap",
        "",
        "Elk blad is een deel van het beleid; elke rij een regel, elke kolom een gegeven. Laat de kopregels staan.",
        "Beleid: de titel, de methode (kosten of bouwblokken) en het aantal uren van een voltijdbaan per week.",
        "Soorten inzet: per soort de code (kort, zonder spaties), de volgorde op de Menukaart, de teksten, de "
        "berekening en de grenzen. Ja/nee-kolommen: vul ja of nee in. Een lege grens is geen grens.",
        "Doelgroepen: per doelgroep de termijn (altijd, maanden, opleiding of stage) en de leeftijden.",
        "Bouwblokken (alleen bij de methode bouwblokken): de waarde per jaar en voor welke soorten en "
        "doelgroepen (codes, gescheiden door komma's; leeg is alle). De eerste passende regel telt.",
        "Bonussen: een vast bedrag per kandidaat, bijvoorbeeld voor een vast contract.",
        "",
        "Toegestane waarden",
        *(f"{header}: {', '.join(item.value for item in enum)}" for header, enum in _ENUM_HEADERS.items()),
        "",
        "Na het uploaden ziet u de Beleid-pagina zoals die wordt, met elke fout per blad, rij en kolom. Er "
        "verandert niets tot u het beleid publiceert met een datum vanaf wanneer het geldt.",
    ]
    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


_ENUM_HEADERS = {
    "Methode": v.ValuationMethod,
    "Berekening": v.Calculation,
    "Invoer": v.Input,
    "Termijn (doelgroep)": v.Termijn,
}


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class PolicyRead:
    """What an uploaded policy workbook gave: the rules, or every problem in it."""

    rules: v.PolicyRules | None
    problems: list[Problem]


def read_policy_workbook(data: bytes, filename: str) -> PolicyRead:
    try:
        sheets = {normalise_header(sheet.name): sheet for sheet in read_spreadsheet(data, filename, max_rows=MAX_ROWS)}
    except SpreadsheetRefused as refusal:
        return PolicyRead(None, [Problem(refusal.message)])
    reader = _Reader()
    parts: dict[str, list[dict[str, Any]]] = {}
    for title, fields in SHEETS.items():
        sheet = sheets.get(normalise_header(title))
        if sheet is None:
            if title not in OPTIONAL_SHEETS:
                reader.problems.append(Problem(f"Het blad ‘{title}’ ontbreekt.", sheet=title))
            parts[title] = []
            continue
        parts[title] = reader.sheet(sheet, fields)
    rules = reader.rules(parts) if not reader.problems else None
    return PolicyRead(rules if not reader.problems else None, reader.problems)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def sheet(self, sheet: Sheet, fields: tuple[Field, ...]) -> list[dict[str, Any]]:
        columns = [Column(field.name, field.header, required=field.required) for field in fields]
        table = read_table(sheet, columns)
        if len(table.records) > MAX_ROWS:
            self.problems.append(Problem(f"Meer dan {MAX_ROWS} regels: is dit het goede bestand?", sheet=sheet.name))
            return []
        rows = []
        for record in table.records:
            values = {field.name: self._value(table, record, field) for field in fields}
            rows.append(values | {"_row": record.row, "_sheet": sheet.name, "_headers": table.headers})
        self.problems += table.problems
        return rows

    def _value(self, table: Table, record: Record, field: Field) -> Any:
        raw = record.values.get(field.name)
        if field.name in record.reported:
            return None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.required:
                table.problem(record, field.name, "Vul deze cel in.")
            return () if field.many else "" if field.kind == "text" else None
        if not isinstance(raw, str | Decimal | bool):
            table.problem(record, field.name, "Vul hier tekst of een getal in, geen datum.")
            return None
        items: list[Any] = [part.strip() for part in str(raw).split(",")] if field.many else [raw]
        values = []
        for item in items:
            value, error = (PARSERS[field.kind] if field.kind in PARSERS else _enum(field.kind))(item)
            if error:
                table.problem(record, field.name, error)
                return None
            values.append(value)
        return tuple(values) if field.many else values[0]

    def rules(self, parts: dict[str, list[dict[str, Any]]]) -> v.PolicyRules | None:
        beleid = parts["Beleid"]
        if len(beleid) != 1:
            self.problems.append(
                Problem("Het blad ‘Beleid’ heeft precies één regel onder de kopregel.", sheet="Beleid")
            )
            return None
        soorten = tuple(self._soort(row) for row in parts["Soorten inzet"])
        doelgroepen = tuple(v.Doelgroep(**_fields(row)) for row in parts["Doelgroepen"])
        bouwblokken = tuple(v.Bouwblok(**_fields(row)) for row in parts["Bouwblokken"])
        bonuses = tuple(v.Bonus(**_fields(row)) for row in parts["Bonussen"])
        self._unique(parts)
        self._references(parts, {s.code for s in soorten}, {d.code for d in doelgroepen})
        method = beleid[0]["method"]
        if method is v.ValuationMethod.BOUWBLOKKEN and not bouwblokken:
            self.problems.append(Problem("Bij de methode bouwblokken hoort een blad ‘Bouwblokken’ met regels."))
        if not soorten or not doelgroepen:
            self.problems.append(Problem("Het beleid heeft minstens één soort inzet en één doelgroep."))
        for row in parts["Doelgroepen"]:
            if row["termijn"] in (v.Termijn.MONTHS, v.Termijn.STAGE) and row["termijn_months"] is None:
                self._problem(row, "termijn_months", "Vul het aantal maanden van de termijn in.")
        if self.problems:
            return None
        return v.PolicyRules(
            title=beleid[0]["title"],
            method=method,
            soorten=soorten,
            doelgroepen=doelgroepen,
            bouwblokken=bouwblokken,
            bonuses=bonuses,
            fulltime_hours=beleid[0]["fulltime_hours"],
        )

    def _soort(self, row: dict[str, Any]) -> v.SoortInzet:
        caps = tuple(
            v.NiveauCap(niveau, row[f"cap_{niveau.value}"])
            for niveau in v.Niveau
            if row[f"cap_{niveau.value}"] is not None
        )
        values = {name: value for name, value in _fields(row).items() if not name.startswith("cap_")}
        return v.SoortInzet(**values | {"niveau_caps": caps})

    def _unique(self, parts: dict[str, list[dict[str, Any]]]) -> None:
        for title in ("Soorten inzet", "Doelgroepen", "Bouwblokken", "Bonussen"):
            seen: dict[str, int] = {}
            for row in parts[title]:
                code = row["code"]
                if code in seen:
                    self._problem(row, "code", f"De code {code} staat ook in rij {seen[code]}.")
                seen.setdefault(code, row["_row"])

    def _references(self, parts: dict[str, list[dict[str, Any]]], soorten: set[str], doelgroepen: set[str]) -> None:
        for row in parts["Bouwblokken"]:
            for name, known, what in (("soorten", soorten, "soort inzet"), ("doelgroepen", doelgroepen, "doelgroep")):
                unknown = [code for code in row[name] if code not in known]
                if unknown:
                    self._problem(row, name, f"Onbekende {what}: {', '.join(unknown)}.")

    def _problem(self, row: dict[str, Any], name: str, message: str) -> None:
        self.problems.append(Problem(message, row=row["_row"], column=row["_headers"].get(name), sheet=row["_sheet"]))


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in row.items() if not name.startswith("_")}


def _text(raw: Any) -> tuple[Any, str]:
    text = str(raw).strip()
    if isinstance(raw, Decimal) and raw == raw.to_integral_value():
        text = str(int(raw))
    return (text, "") if len(text) <= 2000 else (None, "Deze tekst is te lang (hoogstens 2000 tekens).")


def _int(raw: Any) -> tuple[Any, str]:
    number, error = read_amount(raw)
    if error or number != number.to_integral_value() or number > 1000:
        return None, "Vul een heel getal in (0 of meer)."
    return int(number), ""


def read_amount(raw: Any) -> tuple[Any, str]:
    """A number or amount as a person types it (1.234,56 or 1234.56, with or without €), or the Dutch reason not."""
    if isinstance(raw, bool):
        return None, "Vul een getal in."
    text = str(raw).strip().replace("€", "").replace(" ", "")
    if "," in text:  # Dutch: 1.234,56
        text = text.replace(".", "").replace(",", ".")
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(text)
    except InvalidOperation:
        return None, "Vul een getal in."
    if not number.is_finite():
        return None, "Vul een getal in."
    if number < 0:
        return None, "Een bedrag of aantal kan niet negatief zijn."
    exponent = number.as_tuple().exponent
    if number >= 10**9 or (isinstance(exponent, int) and exponent < -2):
        return None, "Vul een getal in met hoogstens twee cijfers achter de komma, kleiner dan een miljard."
    return number, ""


def _bool(raw: Any) -> tuple[Any, str]:
    if isinstance(raw, bool):
        return raw, ""
    answer = str(raw).strip().lower()
    if answer in (YES, "j", "yes", "waar", "1"):
        return True, ""
    if answer in (NO, "n", "no", "onwaar", "0"):
        return False, ""
    return None, "Vul ja of nee in."


def _enum(kind: str) -> Callable[[Any], tuple[Any, str]]:
    enum = ENUMS[kind]

    def parse(raw: Any) -> tuple[Any, str]:
        value = normalise_header(str(raw)).replace(" ", "_")
        for item in enum:
            if value == item.value:
                return item, ""
        return None, f"Onbekende waarde ‘{str(raw)[:50]}’: kies uit {', '.join(item.value for item in enum)}."

    return parse


PARSERS: dict[str, Callable[[Any], tuple[Any, str]]] = {
    "text": _text,
    "int": _int,
    "amount": read_amount,
    "bool": _bool,
}


# --- The preview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """A placement of one soort valued under the new rules and under the current ones (None: not there)."""

    soort: str
    described: str
    new: v.Valuation
    current: v.Valuation | None


def examples(new: v.PolicyRules, current: v.PolicyRules | None, start: date) -> list[Example]:
    """Per soort of the new Menukaart a placement of six months in a project of a year from `start`: a
    kandidaat of the first doelgroep (with bouwblokken: the first one a bouwblok of the soort values), € 2.000 a
    month (or in all), 32 hours a week, mbo."""
    doelgroepen = sorted(new.doelgroepen, key=lambda d: d.order)
    end = start + timedelta(days=182)
    found = []
    for soort in new.menukaart:
        valued = [d for d in doelgroepen if new.bouwblok_for(soort=soort.code, doelgroep=d.code) is not None]
        chosen = (valued if new.method is v.ValuationMethod.BOUWBLOKKEN and valued else doelgroepen)[:1]
        doelgroep = chosen[0].code if chosen and soort.kandidaat_required else None
        line = v.InzetData(
            soort=soort.code,
            start=start,
            end=end,
            project_start=start,
            project_end=start + timedelta(days=364),
            doelgroep=doelgroep,
            amount=Decimal(2000) if v.Input.AMOUNT in soort.inputs else None,
            hours_per_week=Decimal(32) if v.Input.HOURS_PER_WEEK in soort.inputs else None,
            niveau=v.Niveau.MBO.value if v.Input.NIVEAU in soort.inputs else None,
            birth_date=start - timedelta(days=25 * 365),
            unemployed_since=start - timedelta(days=2 * 365),
        )
        inputs = (
            [f"€ 2.000{' per maand' if soort.calculation is v.Calculation.PER_MONTH else ''}"] if line.amount else []
        )
        inputs += ["32 uur per week"] if line.hours_per_week else []
        inputs += ["mbo"] if line.niveau else []
        inputs += [f"doelgroep {chosen[0].label}"] if doelgroep else []
        described = f"{start:%d-%m-%Y} – {end:%d-%m-%Y}" + (f", {', '.join(inputs)}" if inputs else "")
        now = v.value_line(line=line, rules=current, peildatum=end) if current and current.soort(soort.code) else None
        found.append(Example(soort.label, described, v.value_line(line=line, rules=new, peildatum=end), now))
    return found

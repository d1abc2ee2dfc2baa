"""The invulbestand: a project's verantwoording as a spreadsheet, to fill in bulk and to check (issue #29).

`template_workbook` writes a workbook for one project: a sheet of lines with a column per input
of the single-line forms, drop-down lists from the region's policy in force (soort inzet,
doelgroep, niveau) and of the opdrachtnemer's kandidaten, the project's lines that may still
change (with their Regelnummer), and an explanation in Dutch.

`check_rows` reads a filled-in file back (`core.spreadsheets`, in a child process) and puts every
row through the forms of a single line (`KandidaatForm`, `InzetForm`) and the value engine
(`inzet_value`, as Bereken does): the same rules, no second set. It saves nothing.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import User
from core.sheets import Column, Problem, Record, Table, normalise_header, read_table
from core.spreadsheets import MAX_UPLOAD_BYTES, Sheet, SpreadsheetRefused, read_spreadsheet, too_many_rows
from policy import valuation as v
from policy.models import VersionBook
from policy.selectors import rules_in_force

from .forms.verantwoording import InzetForm, KandidaatForm
from .models import Inzet, InzetStatus, Kandidaat, Project, kandidaat_match_key
from .services.valuation import Siblings
from .services.verantwoording import KANDIDAAT_FROZEN, frozen_kandidaat_fields, inzet_fill

MAX_ROWS = 5_000
SHEET = "Regels"
LISTS = "Lijsten"

COLUMNS = (
    Column("ref", "Regelnummer", ("regel", "regelnr", "nummer"), required=False),
    Column("kandidaat", "Kandidaat", ("bestaande kandidaat",), required=False),
    Column("initials", "Voorletters", required=False),
    Column("surname", "Achternaam", required=False),
    Column("birth_date", "Geboortedatum", required=False),
    Column("doelgroep", "Doelgroep", required=False),
    Column("unemployed_since", "Werkloos sinds", ("werkloos werkzoekend sinds",), required=False),
    Column("soort", "Soort inzet", ("soort",)),
    Column("start_date", "Startdatum", ("start", "begindatum")),
    Column("end_date", "Einddatum", ("eind",)),
    Column("amount", "Bedrag", ("bedrag per maand", "kosten"), required=False),
    Column("hours_per_week", "Uren per week", ("uren",), required=False),
    Column("niveau", "Niveau", required=False),
    Column("description", "Omschrijving", required=False),
)
HEADERS = {c.key: c.header for c in COLUMNS}
PERSON = ("initials", "surname", "birth_date", "doelgroep", "unemployed_since")
DATES = {"birth_date", "unemployed_since", "start_date", "end_date"}
NUMBERS = {"amount", "hours_per_week"}
INPUT_COLUMNS = {
    v.Input.AMOUNT: "amount",
    v.Input.HOURS_PER_WEEK: "hours_per_week",
    v.Input.NIVEAU: "niveau",
    v.Input.DESCRIPTION: "description",
}
WIDTHS = {"ref": 13, "kandidaat": 30, "initials": 12, "surname": 22, "description": 40}
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def kandidaat_label(kandidaat: Kandidaat) -> str:
    """How a kandidaat is named in the Kandidaat drop-down: enough to tell two people apart."""
    return f"{kandidaat.surname}, {kandidaat.initials} ({kandidaat.birth_date:%d-%m-%Y})"


def changeable_lines(project: Project, user: User) -> list[Inzet]:
    """The project's lines a file may still change: every line but the validated ones."""
    lines = Inzet.objects.for_user(user).filter(project=project).exclude(status=InzetStatus.GEVALIDEERD)
    return list(lines.select_related("kandidaat").order_by("start_date", "pk"))


def kandidaten_for(project: Project, user: User) -> list[Kandidaat]:
    """The opdrachtnemer's kandidaten this user sees (all of them for the opdrachtnemer itself)."""
    kandidaten = Kandidaat.objects.for_user(user).filter(opdrachtnemer_id=project.opdrachtnemer_id)
    return list(kandidaten.filter(pseudonymised_at__isnull=True).order_by("surname", "initials", "birth_date"))


# --- The template -------------------------------------------------------------------------------


def template_workbook(project: Project, user: User) -> bytes:
    rules = rules_in_force(project.region)
    if rules is None:
        raise ValueError("no policy in force")
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    explanation = book.create_sheet("Toelichting", 1)
    _write_lines(sheet, project, user, rules)
    ranges = _write_lists(lists, project, user, rules)
    last = 1 + MAX_ROWS
    positions = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    for key, source in ranges.items():
        if source is None:
            continue
        letter = get_column_letter(positions[key])
        check = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=HEADERS[key],
            error=f"Kies een waarde uit de lijst van de kolom {HEADERS[key]}.",
        )
        check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    _write_explanation(explanation, project, rules)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_lines(sheet: Any, project: Project, user: User, rules: v.PolicyRules) -> None:
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.comment = Comment(COLUMN_HELP[column.key], "Social Return Monitor")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.key, 16)
    sheet.freeze_panes = "A2"
    doelgroepen = {d.code: d.label for d in rules.doelgroepen}
    for line in changeable_lines(project, user):
        soort = rules.soort(line.soort)
        kandidaat = line.kandidaat
        values: dict[str, Any] = {
            "ref": line.pk,
            "kandidaat": kandidaat_label(kandidaat) if kandidaat else None,
            "soort": soort.label if soort else line.soort,
            "start_date": line.start_date,
            "end_date": line.end_date,
            "amount": line.amount,
            "hours_per_week": line.hours_per_week,
            "niveau": line.niveau or None,
            "description": line.description or None,
        }
        if kandidaat:
            values["doelgroep"] = doelgroepen.get(kandidaat.doelgroep, kandidaat.doelgroep)
        sheet.append([values.get(c.key) for c in COLUMNS])
    # The format of a whole column (what is typed later gets it too); the header keeps its own.
    for index, column in enumerate(COLUMNS, start=1):
        number_format = "DD-MM-YYYY" if column.key in DATES else "#,##0.00" if column.key in NUMBERS else "@"
        sheet.column_dimensions[get_column_letter(index)].number_format = number_format
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = number_format
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: no formulas from a name that starts with =


def _write_lists(lists: Any, project: Project, user: User, rules: v.PolicyRules) -> dict[str, str | None]:
    columns = {
        "soort": [s.label for s in rules.menukaart],
        "doelgroep": [d.label for d in sorted(rules.doelgroepen, key=lambda d: d.order)],
        "niveau": sorted({str(cap.niveau) for s in rules.soorten for cap in s.niveau_caps}),
        "kandidaat": [kandidaat_label(k) for k in kandidaten_for(project, user)],
    }
    ranges: dict[str, str | None] = {}
    for index, (key, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=HEADERS[key])
        for row, value in enumerate(values, start=2):
            cell = lists.cell(row=row, column=index, value=value)
            cell.data_type = "s"
        ranges[key] = f"{LISTS}!${letter}$2:${letter}${len(values) + 1}" if values else None
    return ranges


COLUMN_HELP = {
    "ref": "Laat leeg voor een nieuwe regel. Met een nummer wijzigt u die bestaande regel van dit project.",
    "kandidaat": "Een kandidaat die al in de portal staat. Of laat leeg en vul Voorletters tot en met Werkloos sinds.",
    "initials": "Voorletters van een nieuwe kandidaat, bijvoorbeeld J.P.",
    "surname": "Achternaam van een nieuwe kandidaat, met tussenvoegsel.",
    "birth_date": "Geboortedatum, als dd-mm-jjjj.",
    "doelgroep": "Doelgroep van de kandidaat: kies uit de lijst.",
    "unemployed_since": "Alleen bij doelgroepen met een minimale werkloosheidsduur: sinds wanneer (dd-mm-jjjj).",
    "soort": "Soort inzet: kies uit de lijst (de Menukaart van de regio).",
    "start_date": "Startdatum van de inzet, als dd-mm-jjjj.",
    "end_date": "(Geplande) einddatum van de inzet, als dd-mm-jjjj.",
    "amount": "Bedrag in euro’s; bij een soort die per maand rekent het bedrag per maand.",
    "hours_per_week": "Uren per week, bij soorten die op uren rekenen.",
    "niveau": "Niveau (vmbo, mbo, hbo, wo), bij soorten met een maximum per niveau.",
    "description": "Omschrijving, bij soorten die erom vragen (hoogstens 500 tekens).",
}


def _write_explanation(sheet: Any, project: Project, rules: v.PolicyRules) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    lines: list[list[Any]] = [
        [f"Invulbestand voor project {project.name}"],
        [],
        [
            "Vul op het blad ‘Regels’ één rij per inzet in en upload het bestand bij het project "
            "(Verantwoording → Invulbestand uploaden). De portal controleert elke rij met dezelfde regels als het "
            "formulier voor één regel en zegt per rij en kolom wat er niet klopt. Er wordt niets opgeslagen "
            "voordat u de regels toevoegt."
        ],
        [
            "Kolommen mogen in een andere volgorde staan en u mag eigen kolommen toevoegen: de portal zoekt de "
            "kolommen op hun naam in de eerste rij. Lege rijen worden overgeslagen. Datums als dd-mm-jjjj, "
            "bedragen als 1.234,56. Formules worden niet uitgerekend: plak zo nodig de waarden."
        ],
        [
            "Een rij met een Regelnummer wijzigt die bestaande regel; door het WSP gevalideerde regels kunnen niet "
            "via een bestand worden gewijzigd. Een CSV-bestand (UTF-8 of Windows-1252, met ; of , gescheiden) "
            f"kan ook. Hoogstens {MAX_ROWS:,} regels en {MAX_UPLOAD_BYTES // (1024 * 1024)} MB per bestand.".replace(
                ",", "."
            )
        ],
        [],
        ["Kolom", "Uitleg"],
        *[[c.header, COLUMN_HELP[c.key]] for c in COLUMNS],
        [],
        ["Soort inzet", "Vul in bij deze soort"],
    ]
    for soort in rules.menukaart:
        used = [HEADERS[INPUT_COLUMNS[i]] for i in soort.inputs]
        person = "kandidaat" if soort.kandidaat_required else "kandidaat mag leeg blijven"
        lines.append([soort.label, ", ".join([person, "Startdatum", "Einddatum", *used])])
    for row in lines:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows():
        if row[0].value in ("Kolom", "Soort inzet") and len(row) > 1 and row[1].value:
            row[0].font = row[1].font = Font(bold=True)


# --- The check ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowLine:
    """A row that passed the check, as the services take it: the line it changes (None: a new one), its
    kandidaat (unsaved when new; with the file's data when the file changes it) and the line's inputs."""

    row: int
    line: Inzet | None
    kandidaat: Kandidaat | None
    data: dict[str, Any]
    valued: Inzet  # the line as the file has it, valued by the engine (unsaved)

    def preview(self, rules: v.PolicyRules | None, saved: Inzet | None = None) -> dict[str, Any]:
        """What the preview shows of the row (JSON): who, what, when, and the value with its reasons; the
        value of the line as saved when given (with the file's other lines beside it), else as checked."""
        kandidaat, line = self.kandidaat, saved or self.valued
        soort = rules.soort(line.soort) if rules else None
        return {
            "row": self.row,
            "line": self.line.pk if self.line else None,
            "kandidaat": f"{kandidaat.initials} {kandidaat.surname}" if kandidaat else "",
            "new_kandidaat": kandidaat is not None and kandidaat.pk is None,
            "soort": soort.label if soort else line.soort,
            "start": line.start_date.isoformat(),
            "end": line.end_date.isoformat(),
            "prognose": str(line.value_prognose),
            "actueel": str(line.value_actueel),
            "reasons": list(line.reasons),
        }


@dataclass
class CheckResult:
    """What the check found: the rows it read, the lines they make (new or changed) and every problem."""

    table: Table | None
    problems: list[Problem]
    rows: int = 0
    new: int = 0
    changed: int = 0
    refused: str = ""  # the file as a whole could not be read: why
    lines: list[RowLine] = field(default_factory=list)  # the rows without problems, in the file's order
    rules: v.PolicyRules | None = None  # the region's rules in force today, whose lists the file picks from
    refs: dict[int, Inzet] = field(default_factory=dict)  # row → the project's line its Regelnummer names, as now
    gone: dict[int, int] = field(default_factory=dict)  # row → a Regelnummer that names no line of the project


def read_invulbestand(data: bytes, filename: str) -> tuple[Sheet, Table] | str:
    """The sheet of lines in the file and its records, or why the file can't be read (Dutch)."""
    try:
        sheets = read_spreadsheet(data, filename, max_rows=MAX_ROWS)
    except SpreadsheetRefused as refusal:
        return refusal.message
    tables = [read_table(sheet, COLUMNS) for sheet in sheets]
    if not tables:
        return "Dit bestand heeft geen zichtbaar werkblad met regels."
    # The sheet of lines: by name, else the one whose header has the most of our columns.
    named = [t for t in tables if normalise_header(t.sheet.name) == normalise_header(SHEET)]
    table = named[0] if named else max(tables, key=lambda t: (not t.problems, len(t.positions)))
    if len(table.records) > MAX_ROWS:
        return too_many_rows(MAX_ROWS)
    return table.sheet, table


def check_rows(project: Project, user: User, data: bytes, filename: str) -> CheckResult:
    read = read_invulbestand(data, filename)
    if isinstance(read, str):
        return CheckResult(None, [Problem(read)], refused=read)
    return check_table(project, user, read[1])


def check_table(project: Project, user: User, table: Table) -> CheckResult:
    """Every record of a file's sheet of lines (`read_invulbestand`) through the forms and the engine."""
    if table.problems and not table.positions:
        return CheckResult(table, list(table.problems))
    if not table.records:
        table.problems.append(Problem("Het bestand bevat geen regels onder de kopregel.", sheet=table.sheet.name))
        return CheckResult(table, list(table.problems))
    checker = _Checker(project, user, table)
    for record in table.records:
        checker.check(record)
    order = {header: index for index, header in enumerate(HEADERS.values())}
    problems = sorted(table.problems, key=lambda p: (p.row or 0, order.get(p.column or "", len(order))))
    return CheckResult(
        table,
        problems,
        rows=len(table.records),
        new=checker.new,
        changed=checker.changed,
        lines=checker.passed,
        rules=checker.rules,
        refs=checker.refs,
        gone=checker.gone,
    )


class _Checker:
    """Checks the records of one file: what rows share (kandidaten, line references) lives here."""

    def __init__(self, project: Project, user: User, table: Table) -> None:
        self.project, self.user, self.table = project, user, table
        self.book = VersionBook()  # the versions a row's start falls under, read once for the file
        today = self.book.in_force(project.region_id, timezone.localdate())  # the lists of the template
        self.rules = self.book.rules(today) if today else None
        self.lines = {line.pk: line for line in Inzet.objects.for_user(user).filter(project=project)}
        kandidaten = kandidaten_for(project, user)
        self.by_label = {normalise_header(kandidaat_label(k)): k for k in kandidaten}
        self.by_key = {k.match_key: k for k in kandidaten}
        self.siblings = Siblings.on_project(project.pk, (k.pk for k in kandidaten))  # for the first workday of each row
        self.soorten: dict[str, v.SoortInzet] = {}
        self.doelgroepen: dict[str, str] = {}
        if self.rules:
            for soort in self.rules.soorten:
                self.soorten[normalise_header(soort.code)] = self.soorten[normalise_header(soort.label)] = soort
            for doelgroep in self.rules.doelgroepen:
                self.doelgroepen[normalise_header(doelgroep.code)] = doelgroep.code
                self.doelgroepen[normalise_header(doelgroep.label)] = doelgroep.code
        self.refs_seen: dict[int, int] = {}
        self.refs: dict[int, Inzet] = {}
        self.gone: dict[int, int] = {}  # row → a Regelnummer that is no line of the project (any more)
        self.people_seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.new = self.changed = 0
        self.passed: list[RowLine] = []

    def problem(self, record: Record, key: str | None, message: str) -> None:
        if key is None or key not in record.reported:
            self.table.problem(record, key, message)

    def check(self, record: Record) -> None:
        before = len(self.table.problems)
        if self.rules is None:
            self.problem(record, None, "Voor de regio van dit project is geen beleid gepubliceerd.")
            return
        line = self._line(record)
        kandidaat = self._kandidaat(record)
        form = self._inzet_form(record)
        if form is None or len(self.table.problems) > before:
            return
        soort = form.soort
        if soort.kandidaat_required and kandidaat is None:
            self.problem(
                record,
                "kandidaat" if "kandidaat" in self.table.positions else "surname",
                "Vul de kandidaat in: kies een bestaande kandidaat of vul Voorletters, Achternaam, Geboortedatum en "
                "Doelgroep in.",
            )
            return
        data = form.service_data() | {"kandidaat": kandidaat}
        # As Bereken on the single form: the line valued as typed, not saved.
        candidate = Inzet(pk=line.pk if line else None)
        for message in inzet_fill(self.project, candidate, data, self.book, self.siblings):
            self.problem(record, _column_for(form, message), message)
        if len(self.table.problems) == before:
            self.passed.append(RowLine(record.row, line, kandidaat, form.service_data(), candidate))
            if line:
                self.changed += 1
            else:
                self.new += 1

    def _line(self, record: Record) -> Inzet | None:
        value = record.values.get("ref")
        if value is None:
            return None
        number = _whole_number(value)
        line = self.lines.get(number) if number is not None else None
        if number is not None and line is None:
            self.gone[record.row] = number
        if number is None or line is None:
            self.problem(
                record,
                "ref",
                f"Regelnummer {_text(value)} is geen regel van dit project. Laat de cel leeg voor een nieuwe regel.",
            )
            return None
        self.refs[record.row] = line
        if line.status == InzetStatus.GEVALIDEERD:
            self.problem(
                record,
                "ref",
                f"Regel {number} is al gevalideerd door het WSP en kan niet via een bestand worden gewijzigd.",
            )
            return None
        if number in self.refs_seen:
            self.problem(record, "ref", f"Regelnummer {number} staat ook in rij {self.refs_seen[number]}.")
            return None
        self.refs_seen[number] = record.row
        return line

    def _kandidaat(self, record: Record) -> Kandidaat | None:
        values = record.values
        chosen = None
        if "kandidaat" in values:
            chosen = self.by_label.get(normalise_header(_text(values["kandidaat"])))
            if chosen is None:
                self.problem(
                    record,
                    "kandidaat",
                    "Onbekende kandidaat: kies er een uit de lijst, of laat de cel leeg en vul de gegevens van een "
                    "nieuwe kandidaat in.",
                )
                return None
        if not any(key in values for key in PERSON):
            return chosen
        doelgroep = values.get("doelgroep")
        data = {key: _form_value(key, values.get(key)) for key in PERSON}
        if doelgroep is not None:
            data["doelgroep"] = self.doelgroepen.get(normalise_header(_text(doelgroep)), _text(doelgroep))
        if chosen is not None:
            data = {k: data[k] or getattr(chosen, k) for k in PERSON}
        form = KandidaatForm(self.rules.doelgroepen if self.rules else (), data)
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    self.problem(record, name if name in PERSON else None, str(message))
            return None
        person = form.cleaned_data
        key = kandidaat_match_key(person["surname"], person["initials"], person["birth_date"])
        facts = (person["doelgroep"], person["unemployed_since"])
        if chosen is not None and key != chosen.match_key:
            self.problem(
                record,
                "kandidaat",
                "De gekozen kandidaat past niet bij de ingevulde voorletters, achternaam of geboortedatum.",
            )
            return None
        if key in self.people_seen and self.people_seen[key][1] != facts:
            row = self.people_seen[key][0]
            self.problem(
                record,
                "doelgroep",
                f"Deze kandidaat staat ook in rij {row}, met een andere doelgroep of datum werkloos sinds.",
            )
            return None
        self.people_seen.setdefault(key, (record.row, facts))
        existing = chosen or self.by_key.get(key)
        if existing is not None and (existing.doelgroep, existing.unemployed_since) == facts:
            return existing
        if existing is not None and (frozen := frozen_kandidaat_fields(existing, person)):
            for name in frozen:  # as the kandidaat's own form would say
                self.problem(record, name, KANDIDAAT_FROZEN)
            return None
        # New, or an existing kandidaat whose data the file changes: valued as the file has it.
        return Kandidaat(
            pk=existing.pk if existing else None,
            opdrachtnemer_id=self.project.opdrachtnemer_id,
            **{k: person[k] for k in PERSON},
        )

    def _inzet_form(self, record: Record) -> InzetForm | None:
        values = record.values
        if "soort" not in values:
            self.problem(record, "soort", "Vul de soort inzet in.")
            return None
        soort = self.soorten.get(normalise_header(_text(values["soort"])))
        if soort is None:
            self.problem(
                record, "soort", f"Onbekende soort inzet ‘{_text(values['soort'])[:100]}’: kies er een uit de lijst."
            )
            return None
        used = {INPUT_COLUMNS[i] for i in soort.inputs}
        for key in INPUT_COLUMNS.values():
            if key in values and key not in used:
                self.problem(record, key, f"Wordt bij {soort.short_label} niet gebruikt: laat deze cel leeg.")
        data = {key: _form_value(key, values.get(key)) for key in ("start_date", "end_date", *used)}
        form = InzetForm(soort, self.user, data, ask_kandidaat=False)  # the kandidaat comes from its own columns
        if "niveau" in form.fields and data.get("niveau"):  # MBO is mbo: the list's case is not a rule
            choices = {normalise_header(str(code)): code for code, _ in form.fields["niveau"].choices}  # type: ignore[attr-defined]
            data["niveau"] = choices.get(normalise_header(data["niveau"]), data["niveau"])
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    self.problem(record, name if name in HEADERS else None, str(message))
            return None
        return form


def _column_for(form: InzetForm, message: str) -> str | None:
    name = form.field_for(message)
    if name is None and any(
        word in message.lower() for word in ("kandidaat", "doelgroep", "geboortedatum", "werkloos")
    ):
        return "doelgroep"
    return name


def _whole_number(value: Any) -> int | None:
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    return int(number) if number == number.to_integral_value() and 0 < number < 2**31 else None


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return str(value).strip()


def _form_value(key: str, value: Any) -> Any:
    """A cell as the form field takes it: dates and numbers as they are, Excel's date numbers as dates."""
    if value is None:
        return ""
    if key in DATES and isinstance(value, Decimal) and value == value.to_integral_value() and 0 < value < 2958466:
        return from_excel(int(value)).date()
    if key in DATES and isinstance(value, date):
        return value
    if key in NUMBERS and isinstance(value, Decimal):
        return value
    return _text(value)

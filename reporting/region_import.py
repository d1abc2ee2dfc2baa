"""Writing a region workbook that was read (`reporting.region_read`) without problems (issue #32): all of it or
nothing, idempotent on the workbook's keys, finding what the portal has already, keeping recorded values where
they were validated or approved, and reporting every difference with the engine.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Region, User
from core.sheets import Problem
from policy import valuation as v
from policy.models import PolicyVersion, VersionBook
from policy.rules_store import rules_save
from policy.services.rules import RULE_MODELS
from projects.history import REGION_IMPORT_FILE
from projects.models import (
    ZERO,
    Contact,
    Inzet,
    InzetStatus,
    Kandidaat,
    Note,
    Project,
    ProjectStatus,
    kandidaat_match_key,
)
from projects.services.valuation import VALUE_FIELDS, Siblings, inzet_value, project_values_refresh

from .models import ImportedKey, RegionImport, RegionImportStatus
from .region_export import SHEETS
from .region_read import RegionRead, policy_versions_read


class ImportRefused(Exception):
    """The workbook can't be imported as it is: nothing was written. `problems` say what to fix, where."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problemen")
        self.problems = problems


@dataclass
class Difference:
    """A row whose recorded value is not what the portal makes of it: a line's value by the engine, or a project's
    SR prognose as the sum of its lines."""

    sheet: str
    key: str
    row: int
    recorded: Decimal
    engine: Decimal
    kept: bool  # the recorded value stays (a validated line, or its project approved or afgerond)
    objections: list[str] = field(default_factory=list)  # the engine's, when it would not accept the line as it is

    @property
    def message(self) -> str:
        outcome = "de vastgelegde waarde blijft staan" if self.kept else "het portaal rekent met de berekende waarde"
        text = f"Vastgelegd {v.format_euro(self.recorded)}, berekend {v.format_euro(self.engine)}: {outcome}."
        return " ".join([text, *self.objections])

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "recorded": f"{self.recorded:.2f}", "engine": f"{self.engine:.2f}"}


@dataclass
class ImportReport:
    """Per sheet how many rows the import made and how many it found (from an earlier import of the same keys, or
    an opdrachtnemer or kandidaat the portal has), and where recorded values differ from the engine's."""

    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    differences: list[Difference] = field(default_factory=list)
    run: RegionImport | None = None


def sheet_counts(report: ImportReport) -> list[tuple[str, int, int]]:
    """Per sheet with rows (in the workbook's order): how many the import made, and how many were there already."""
    return [
        (spec.title, report.created[spec.title], report.existing[spec.title])
        for spec in SHEETS
        if spec.title in report.created or spec.title in report.existing
    ]


class _Keys:
    """The keys of earlier imports into the region, and the ones this import adds (written in bulk by `save`)."""

    def __init__(self, region: Region, run: RegionImport) -> None:
        self.region, self.run = region, run
        self.known = {(k.sheet, k.key): k.object_id for k in ImportedKey.objects.filter(region=region)}
        self.new: list[ImportedKey] = []

    def get(self, sheet: str, key: str | None) -> int | None:
        return self.known.get((sheet, key)) if key is not None else None

    def add(self, sheet: str, key: str, object_id: int) -> None:
        self.new.append(ImportedKey(region=self.region, sheet=sheet, key=key, object_id=object_id, run=self.run))
        self.known[(sheet, key)] = object_id

    def save(self) -> None:
        ImportedKey.objects.bulk_create(self.new, batch_size=BATCH)
        self.new = []


BATCH = 2000


@dataclass
class _Import:
    """What one run has: the workbook read, the region, its keys, the report, and the things made so far."""

    read: RegionRead
    region: Region
    keys: _Keys
    report: ImportReport
    by: User | None
    problems: list[Problem] = field(default_factory=list)
    projects: dict[int, Project] = field(default_factory=dict)
    kandidaten: dict[int, Kandidaat] = field(default_factory=dict)

    def problem(self, message: str, row: dict[str, Any], column: str | None, sheet: str) -> None:
        self.problems.append(Problem(message, row["#"], column, sheet))

    def found(self, sheet: str, row: dict[str, Any], key: str) -> bool:
        """Whether the row's key was imported before (counted as existing): then it is left as it is."""
        if self.keys.get(sheet, row[key]) is None:
            return False
        self.report.existing[sheet] += 1
        return True

    def organisation_kinds(self) -> dict[str, str]:
        return {row["Sleutel"]: row["Soort"] for row in self.read.rows["Organisaties"]}

    def user_kinds(self) -> dict[str, str]:
        kinds = self.organisation_kinds()
        return {row["E-mailadres"].lower(): kinds.get(row["Organisatie"], "") for row in self.read.rows["Gebruikers"]}

    def user(self, email: str | None) -> int | None:
        return self.keys.get("Gebruikers", email.lower()) if email else None


class _TrialRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        self.report = report


def region_import(
    read: RegionRead, *, by: User | None = None, dry_run: bool = False, run: RegionImport | None = None
) -> ImportReport:
    """Write a region workbook that was read without problems: all of it or, on any problem, nothing (ImportRefused).
    A key imported before into the same region is found, not made again, so a second run changes nothing.
    People come in inactive, without password or authenticator, until the coördinatiepunt invites them. Lines keep
    the values they were recorded with where they were validated or their project approved; every difference with
    the engine is in the report (`ImportReport.differences`), and the run — who, which file, what it made — in
    `run` (the upload's, or a new `RegionImport`). A `dry_run` does all of it and rolls it back: the report says
    what the import would do."""
    try:
        with transaction.atomic():
            report = _import(read, by, run if not dry_run else None)
            if dry_run:
                raise _TrialRun(report)
    except _TrialRun as trial:
        trial.report.run = None
        return trial.report
    return report


def _import(read: RegionRead, by: User | None, run: RegionImport | None) -> ImportReport:
    rules = policy_versions_read(read)
    if read.problems:
        raise ImportRefused(read.problems)
    (row,) = read.rows["Regio"]
    region, _ = Region.objects.get_or_create(slug=row["Code"].lower(), defaults={"name": row["Naam"]})
    run = run or RegionImport(file_name=read.file_name[:255], sha256=read.sha256, by=by)
    run.region, run.status, run.imported_at = region, RegionImportStatus.IMPORTED, timezone.now()
    run.save()
    work = _Import(read, region, _Keys(region, run), ImportReport(run=run), by)
    imported_from = f"{read.file_name} (SHA-256 {read.sha256[:12]}…)"
    context = {"user": by.pk if by else None, "region_import": run.pk, REGION_IMPORT_FILE: imported_from}
    with pghistory.context(**context):
        _organisations(work)
        _users(work)
        _versions(work, rules)
        _projects(work)
        _contacts(work)
        _notes(work)
        _kandidaten(work)
        _lines(work)
    if work.problems:
        raise ImportRefused(work.problems)
    work.keys.save()
    report = work.report
    run.created, run.existing = dict(report.created), dict(report.existing)
    run.differences = [difference.as_json() for difference in report.differences]
    run.content, run.problems, run.error = b"", [], ""
    run.save()
    return report


def _organisations(work: _Import) -> None:
    regions = {r.slug: r for r in Region.objects.all()}
    for row in work.read.rows["Organisaties"]:
        if work.found("Organisaties", row, "Sleutel"):
            continue
        kind = row["Soort"]
        if kind not in OrganisationKind.values:
            work.problem(f"Onbekende soort ‘{kind}’.", row, "Soort", "Organisaties")
            continue
        opdrachtnemer = kind == OrganisationKind.OPDRACHTNEMER
        codes = {code.strip().lower() for code in (row["Werkregio's"] or "").split(",") if code.strip()}
        unknown = sorted(codes - set(regions) - {work.region.slug})
        if unknown:
            work.problem(f"Geen regio met de code {', '.join(unknown)}.", row, "Werkregio's", "Organisaties")
            continue
        found = _organisation_found(work.region, row)
        if found is not None and found.kind != kind:
            message = "Dit KvK-nummer hoort bij een organisatie van een andere soort."
            work.problem(message, row, "KvK-nummer", "Organisaties")
            continue
        organisation = found or Organisation(
            name=row["Naam"],
            kind=kind,
            region=None if opdrachtnemer else work.region,
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
                work.problems += _validation(error, row, "Organisaties", Organisation)
                continue
            organisation.save()
        if opdrachtnemer:
            organisation.regions.add(work.region, *(regions[code] for code in codes if code in regions))
        work.keys.add("Organisaties", row["Sleutel"], organisation.pk)
        (work.report.existing if found else work.report.created)["Organisaties"] += 1


def _organisation_found(region: Region, row: dict[str, Any]) -> Organisation | None:
    """The organisation the portal has already: an opdrachtnemer by its KvK-nummer, another of the region by its
    kind and name (the coördinatiepunt that `add_region` made before the import, say)."""
    if row["KvK-nummer"]:
        return Organisation.objects.filter(kvk_number=row["KvK-nummer"]).first()
    if row["Soort"] == OrganisationKind.OPDRACHTNEMER:
        return None
    return Organisation.objects.filter(region=region, kind=row["Soort"], name=row["Naam"]).first()


def _users(work: _Import) -> None:
    for row in work.read.rows["Gebruikers"]:
        email = row["E-mailadres"].lower()
        if work.keys.get("Gebruikers", email) is not None:
            work.report.existing["Gebruikers"] += 1
            continue
        organisation_id = work.keys.get("Organisaties", row["Organisatie"])
        if organisation_id is None:  # its organisation's row has a problem of its own
            continue
        found = User.objects.filter(email=email).first()
        if found is not None and found.organisation_id == organisation_id:  # made before the import, by hand
            work.keys.add("Gebruikers", email, found.pk)
            work.report.existing["Gebruikers"] += 1
            continue
        if found is not None:
            message = "Er bestaat al een account met dit e-mailadres, bij een andere organisatie."
            work.problem(message, row, "E-mailadres", "Gebruikers")
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
            work.problems += _validation(error, row, "Gebruikers", User)
            continue
        user.save()
        work.keys.add("Gebruikers", email, user.pk)
        work.report.created["Gebruikers"] += 1


def _versions(work: _Import, rules: dict[str, v.PolicyRules]) -> None:
    for row in work.read.rows["Beleidsversies"]:
        if work.found("Beleidsversies", row, "Sleutel"):
            continue
        version_rules = rules[row["Sleutel"]]
        same_day = PolicyVersion.objects.with_rules().filter(region=work.region, valid_from=row["Geldig vanaf"]).first()
        if same_day is not None and _same_rules(same_day.to_rules(), version_rules):  # published before the import
            work.keys.add("Beleidsversies", row["Sleutel"], same_day.pk)
            work.report.existing["Beleidsversies"] += 1
            continue
        if same_day is not None:
            message = "De regio heeft al een andere versie met deze ingangsdatum."
            work.problem(message, row, "Geldig vanaf", "Beleidsversies")
            continue
        version = PolicyVersion.objects.create(
            region=work.region,
            valid_from=row["Geldig vanaf"],
            title=version_rules.title,
            method=version_rules.method.value,
            fulltime_hours=version_rules.fulltime_hours,
            text=row["Uitvoeringsvoorwaarden"] or "",
            created_at=_aware(row["Gepubliceerd op"]) or timezone.now(),
            created_by_id=work.user(row["Gepubliceerd door"]) or (work.by.pk if work.by else None),
        )
        rules_save(version=version, rules=version_rules, models=RULE_MODELS)
        work.keys.add("Beleidsversies", row["Sleutel"], version.pk)
        work.report.created["Beleidsversies"] += 1


def _same_rules(one: v.PolicyRules, other: v.PolicyRules) -> bool:
    return replace(one, title="") == replace(other, title="")


PROJECT_HEADERS = {
    "name": "Projectnaam",
    "kenmerk": "Kenmerk",
    "description": "Omschrijving",
    "start_date": "Startdatum",
    "end_date": "Einddatum",
    "contract_type": "Contractafspraak",
    "opdrachtsom": "Opdrachtsom",
    "sr_percentage": "SR-percentage",
    "verplichting": "SR verplichting",
    "verplichting_vastgesteld": "SR verplichting vastgesteld",
    "status": "Status",
    "verwijtbaarheid_argument": "Onderbouwing verwijtbaarheid",
}


def _projects(work: _Import) -> None:
    sheet = "Projecten"
    organisations, users = work.organisation_kinds(), work.user_kinds()
    made: list[tuple[dict[str, Any], Project]] = []
    for row in work.read.rows[sheet]:
        if work.found(sheet, row, "Sleutel"):
            continue
        wrong = [
            (column, message)
            for column, kind, message in (
                ("Opdrachtgever", OrganisationKind.OPDRACHTGEVER, "Dit is geen opdrachtgever."),
                ("Opdrachtnemer", OrganisationKind.OPDRACHTNEMER, "Dit is geen opdrachtnemer."),
            )
            if organisations.get(row[column]) != kind
        ]
        if users.get(row["Accountmanager"].lower()) != OrganisationKind.WSP:
            wrong.append(("Accountmanager", "De accountmanager is een medewerker van het WSP."))
        verwijtbaar, message = _yes_no(row["Verwijtbaar"])
        if message:
            wrong.append(("Verwijtbaar", message))
        for column, message in wrong:
            work.problem(message, row, column, sheet)
        opdrachtgever = work.keys.get("Organisaties", row["Opdrachtgever"])
        opdrachtnemer = work.keys.get("Organisaties", row["Opdrachtnemer"])
        accountmanager = work.user(row["Accountmanager"])
        if wrong or opdrachtgever is None or opdrachtnemer is None or accountmanager is None:
            continue
        project = Project(
            name=row["Projectnaam"],
            kenmerk=row["Kenmerk"] or "",
            description=row["Omschrijving"] or "",
            opdrachtgever_id=opdrachtgever,
            opdrachtnemer_id=opdrachtnemer,
            region=work.region,
            start_date=row["Startdatum"],
            end_date=row["Einddatum"],
            contract_type=row["Contractafspraak"],
            opdrachtsom=row["Opdrachtsom"],
            sr_percentage=row["SR-percentage"],
            verplichting=row["SR verplichting"],
            verplichting_vastgesteld=row["SR verplichting vastgesteld"],
            accountmanager_id=accountmanager,
            status=row["Status"],
            approved_at=_aware(row["Goedgekeurd op"]),
            approved_by_id=work.user(row["Goedgekeurd door"]),
            closed_at=_aware(row["Afgerond op"]),
            closed_by_id=work.user(row["Afgerond door"]),
            verwijtbaar=verwijtbaar,
            verwijtbaarheid_argument=row["Onderbouwing verwijtbaarheid"] or "",
            verwijtbaarheid_at=_aware(row["Verwijtbaarheid op"]),
            verwijtbaarheid_by_id=work.user(row["Verwijtbaarheid door"]),
            values_date=row["Waarden berekend op"] or timezone.localdate(),
            created_at=_aware(row["Aangemaakt op"]) or timezone.now(),
            created_by_id=work.user(row["Aangemaakt door"]),
        )
        if _checked(work, row, sheet, project, PROJECT_HEADERS, _project_problems(project)):
            made.append((row, project))
    _bulk(work, sheet, made)
    for _, project in made:
        work.projects[project.pk] = project


def _project_problems(project: Project) -> list[tuple[str, str]]:
    problems = []
    if project.end_date < project.start_date:
        problems.append(("Einddatum", "De einddatum ligt voor de startdatum."))
    for name in ("opdrachtsom", "verplichting", "verplichting_vastgesteld"):
        amount = getattr(project, name)
        if amount is not None and amount < 0:
            problems.append((PROJECT_HEADERS[name], "Vul een bedrag van 0 of meer in."))
    if project.sr_percentage is not None and not 0 <= project.sr_percentage <= 100:
        problems.append(("SR-percentage", "Vul een percentage tussen 0 en 100 in."))
    return problems


def _contacts(work: _Import) -> None:
    sheet = "Contactpersonen"
    seen: dict[tuple[int, int], int] = {}
    made: list[tuple[dict[str, Any], Contact]] = []
    for row in work.read.rows[sheet]:
        project, user = work.keys.get("Projecten", row["Project"]), work.user(row["Gebruiker"])
        if project is None or user is None:
            continue
        if project not in work.projects:  # its project came in with an earlier import, and its contacts with it
            work.report.existing[sheet] += 1
            continue
        if (project, user) in seen:
            work.problem(f"Deze contactpersoon staat ook in rij {seen[project, user]}.", row, "Gebruiker", sheet)
            continue
        seen[project, user] = row["#"]
        contact = Contact(
            project_id=project,
            user_id=user,
            added_at=_aware(row["Toegevoegd op"]) or timezone.now(),
            added_by_id=work.user(row["Toegevoegd door"]),
        )
        made.append((row, contact))
    _bulk(work, sheet, made, key="")


def _notes(work: _Import) -> None:
    sheet = "Interne notities"
    made: list[tuple[dict[str, Any], Note]] = []
    for row in work.read.rows[sheet]:
        if work.found(sheet, row, "Sleutel"):
            continue
        project, author = work.keys.get("Projecten", row["Project"]), work.user(row["Auteur"])
        if project is None or author is None:
            continue
        note = Note(
            project_id=project,
            author_id=author,
            text=row["Notitie"],
            created_at=_aware(row["Geschreven op"]) or timezone.now(),
        )
        made.append((row, note))
    _bulk(work, sheet, made)


KANDIDAAT_HEADERS = {
    "initials": "Voorletters",
    "surname": "Achternaam",
    "birth_date": "Geboortedatum",
    "doelgroep": "Doelgroep",
    "unemployed_since": "Werkloos-werkzoekend sinds",
}


def _kandidaten(work: _Import) -> None:
    """Kandidaten of their opdrachtnemer; one the portal has already (the same name and birth date at the same
    opdrachtnemer, as the invulbestand finds them) is that one, not a second."""
    sheet = "Kandidaten"
    organisations = work.organisation_kinds()
    owners = {work.keys.get("Organisaties", row["Opdrachtnemer"]) for row in work.read.rows[sheet]}
    known = {
        (k.opdrachtnemer_id, k.match_key): k
        for k in Kandidaat.objects.filter(opdrachtnemer_id__in=owners - {None}, pseudonymised_at__isnull=True)
    }
    made: list[tuple[dict[str, Any], Kandidaat]] = []
    for row in work.read.rows[sheet]:
        if work.found(sheet, row, "Sleutel"):
            continue
        if organisations.get(row["Opdrachtnemer"]) != OrganisationKind.OPDRACHTNEMER:
            work.problem("Dit is geen opdrachtnemer.", row, "Opdrachtnemer", sheet)
            continue
        opdrachtnemer = work.keys.get("Organisaties", row["Opdrachtnemer"])
        if opdrachtnemer is None:
            continue
        kandidaat = Kandidaat(
            opdrachtnemer_id=opdrachtnemer,
            initials=row["Voorletters"],
            surname=row["Achternaam"],
            birth_date=row["Geboortedatum"],
            doelgroep=row["Doelgroep"],
            unemployed_since=row["Werkloos-werkzoekend sinds"],
            pseudonymised_at=_aware(row["Gepseudonimiseerd op"]),
        )
        kandidaat.match_key = kandidaat_match_key(kandidaat.surname, kandidaat.initials, kandidaat.birth_date)
        found = known.get((opdrachtnemer, kandidaat.match_key)) if kandidaat.pseudonymised_at is None else None
        if found is not None:
            work.keys.add(sheet, row["Sleutel"], found.pk)
            work.kandidaten[found.pk] = found
            work.report.existing[sheet] += 1
        elif _checked(work, row, sheet, kandidaat, KANDIDAAT_HEADERS):
            made.append((row, kandidaat))
            known[(opdrachtnemer, kandidaat.match_key)] = kandidaat
    _bulk(work, sheet, made)
    for _, kandidaat in made:
        work.kandidaten[kandidaat.pk] = kandidaat


INZET_HEADERS = {
    "soort": "Soort inzet",
    "start_date": "Startdatum",
    "end_date": "Einddatum",
    "amount": "Bedrag",
    "hours_per_week": "Uren per week",
    "niveau": "Niveau",
    "description": "Omschrijving",
    "status": "Status",
    "return_reason": "Reden van terugsturen",
    "value_prognose": "Waarde prognose",
    "value_actueel": "Waarde actueel",
}


def _lines(work: _Import) -> None:
    sheet = "Inzet"
    made: list[tuple[dict[str, Any], Inzet]] = []
    for row in work.read.rows[sheet]:
        if work.found(sheet, row, "Sleutel"):
            continue
        project_id = work.keys.get("Projecten", row["Project"])
        kandidaat_id = work.keys.get("Kandidaten", row["Kandidaat"])
        version = work.keys.get("Beleidsversies", row["Beleidsversie"])
        project = work.projects.get(project_id) if project_id is not None else None
        if project_id is not None and project is None:  # an earlier import's project, with lines added to it
            project = work.projects[project_id] = Project.objects.select_related("region").get(pk=project_id)
        if project is None or version is None or (row["Kandidaat"] is not None and kandidaat_id is None):
            continue
        kandidaat = work.kandidaten.get(kandidaat_id) if kandidaat_id is not None else None
        if kandidaat_id is not None and kandidaat is None:
            kandidaat = work.kandidaten[kandidaat_id] = Kandidaat.objects.get(pk=kandidaat_id)
        if kandidaat is not None and kandidaat.opdrachtnemer_id != project.opdrachtnemer_id:
            work.problem("Deze kandidaat is van een andere opdrachtnemer dan het project.", row, "Kandidaat", sheet)
            continue
        inzet = Inzet(
            project=project,
            kandidaat=kandidaat,
            soort=row["Soort inzet"],
            start_date=row["Startdatum"],
            end_date=row["Einddatum"],
            amount=row["Bedrag"],
            hours_per_week=row["Uren per week"],
            niveau=row["Niveau"] or "",
            description=row["Omschrijving"] or "",
            status=row["Status"],
            return_reason=row["Reden van terugsturen"] or "",
            validated_at=_aware(row["Gevalideerd op"]),
            validated_by_id=work.user(row["Gevalideerd door"]),
            policy_version_id=version,
            value_prognose=row["Waarde prognose"] or ZERO,
            value_actueel=row["Waarde actueel"] or ZERO,
            counts_from=row["Telt vanaf"],
            counts_until=row["Telt tot en met"],
            reasons=[reason for reason in (row["Redenen"] or "").splitlines() if reason.strip()],
            first_workday=row["Eerste werkdag"],
            created_at=_aware(row["Aangemaakt op"]) or timezone.now(),
            created_by_id=work.user(row["Aangemaakt door"]),
        )
        if _checked(work, row, sheet, inzet, INZET_HEADERS, _line_problems(inzet)):
            made.append((row, inzet))
    if work.problems:
        return
    _bulk(work, sheet, made)
    _value(work, made)
    _sums(work)


def _line_problems(inzet: Inzet) -> list[tuple[str, str]]:
    problems = []
    if inzet.end_date < inzet.start_date:
        problems.append(("Einddatum", "De einddatum ligt voor de startdatum."))
    if inzet.amount is not None and inzet.amount < 0:
        problems.append(("Bedrag", "Vul een bedrag van 0 of meer in."))
    if inzet.hours_per_week is not None and not 0 <= inzet.hours_per_week <= 168:
        problems.append(("Uren per week", "Vul een aantal uren tussen 0 en 168 in."))
    if inzet.status == InzetStatus.TERUGGESTUURD and not inzet.return_reason:
        problems.append(("Reden van terugsturen", "Een teruggestuurde regel heeft een reden."))
    return problems


def _value(work: _Import, made: list[tuple[dict[str, Any], Inzet]]) -> None:
    """Value the new lines with the engine, in order of start, as the portal does (`inzet_value`). A validated line,
    or one of an approved or afgerond project, keeps the value it was recorded with, the engine's beside it
    (`rules_prognose`); any other line gets the engine's. Every difference is in the report. Then the projects'
    sums, at the date their values were recorded on."""
    lines = sorted(made, key=lambda made: (made[1].start_date, made[1].pk))
    siblings = Siblings((i.project_id, i.kandidaat_id, i.start_date, i.soort, i.pk) for _, i in lines)
    book = VersionBook()
    for row, inzet in lines:
        # What the row records (an empty cell records nothing: there the engine's value stands).
        recorded = {name: getattr(inzet, name) for name, header in RECORDED.items() if row[header] is not None}
        objections = inzet_value(inzet, inzet.project.values_date, book, siblings)
        engine, engine_reasons = inzet.value_prognose, list(inzet.reasons)
        kept = inzet.status == InzetStatus.GEVALIDEERD or inzet.project.status != ProjectStatus.ACTIEF
        if "value_prognose" not in recorded or (engine == recorded["value_prognose"] and not objections):
            continue
        if kept:
            for name, value in recorded.items():
                setattr(inzet, name, value)
            if engine != recorded["value_prognose"]:
                inzet.rules_prognose, inzet.rules_reasons = engine, engine_reasons
        difference = Difference("Inzet", row["Sleutel"], row["#"], recorded["value_prognose"], engine, kept, objections)
        work.report.differences.append(difference)
    _values_write([inzet for _, inzet in lines])


def _values_write(lines: list[Inzet]) -> None:
    """The lines' values in one pipelined UPDATE per line: Django's bulk_update builds a CASE per field and row,
    which for 40,000 lines took minutes and hundreds of MB. On the driver's cursor: pghistory's wrapper can't add
    its context to an executemany, and needs not: the import's earlier statements set it for the transaction."""
    fields = [field for field in Inzet._meta.concrete_fields if field.name in VALUE_FIELDS]
    columns = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in fields)
    sql = f"UPDATE {connection.ops.quote_name(Inzet._meta.db_table)} SET {columns} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(lines), BATCH):
            rows = [
                [field.get_db_prep_save(getattr(inzet, field.attname), connection) for field in fields] + [inzet.pk]
                for inzet in lines[start : start + BATCH]
            ]
            cursor.cursor.executemany(sql, rows)


def _sums(work: _Import) -> None:
    """The new projects' SR actueel and prognose as the sums of their lines, at the date their values were recorded
    on; a recorded SR prognose that is not that sum is in the report (the lines are what counts)."""
    rows = {work.keys.get("Projecten", row["Sleutel"]): row for row in work.read.rows["Projecten"]}
    for project in work.projects.values():
        project_values_refresh(project, project.values_date)
    sums = Project.objects.filter(pk__in=list(work.projects)).values_list("pk", "sr_prognose")
    for pk, prognose in sums.order_by("pk"):
        row = rows.get(pk)
        if row is not None and row["SR prognose"] is not None and row["SR prognose"] != prognose:
            work.report.differences.append(
                Difference("Projecten", row["Sleutel"], row["#"], row["SR prognose"], prognose, kept=False)
            )


RECORDED = {  # a line's field → the column that records it
    "value_prognose": "Waarde prognose",
    "value_actueel": "Waarde actueel",
    "counts_from": "Telt vanaf",
    "counts_until": "Telt tot en met",
    "reasons": "Redenen",
}


def _checked(
    work: _Import,
    row: dict[str, Any],
    sheet: str,
    thing: models.Model,
    headers: dict[str, str],
    problems: Sequence[tuple[str, str]] = (),
) -> bool:
    """Django's checks of each field (lengths, choices, digits) and the rules the database holds it to, as problems
    at the row's cells; whether there were none."""
    before = len(work.problems)
    try:
        thing.clean_fields(exclude=[f.name for f in thing._meta.fields if f.name not in headers])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            work.problem(" ".join(messages), row, headers[name], sheet)
    for column, message in problems:
        work.problem(message, row, column, sheet)
    return len(work.problems) == before


def _bulk(work: _Import, sheet: str, made: Sequence[tuple[dict[str, Any], models.Model]], key: str = "Sleutel") -> None:
    """Write the rows' things in batches, each in a savepoint: what the checks above missed and the database refuses
    is a problem of the sheet, and the import goes on to find the others."""
    if work.problems or not made:
        return
    model = type(made[0][1])
    try:
        with transaction.atomic():
            model._default_manager.bulk_create([thing for _, thing in made], batch_size=BATCH)
    except (IntegrityError, DataError) as error:
        work.problems.append(Problem(f"Dit blad kan niet worden opgeslagen: {error}", sheet=sheet))
        return
    for row, thing in made:
        if key:
            work.keys.add(sheet, row[key], thing.pk)
        work.report.created[sheet] += 1


def _yes_no(value: str | None) -> tuple[bool | None, str]:
    if value is None:
        return None, ""
    answer = {"ja": True, "nee": False}.get(value.strip().lower())
    return (answer, "") if answer is not None else (None, "Vul ja of nee in, of laat de cel leeg.")


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

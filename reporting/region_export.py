"""A whole region in one workbook (issue #32): to move out, and — read back by the import — to move in.

One sheet per kind of thing (organisations, users, policy versions and their rules, projects,
contactpersonen, interne notities, kandidaten, inzet), one row per thing, and a key per row that the
other sheets refer to (`O12`, `P7`, a user's e-mail address …). `SHEETS` says, per sheet and column, the
header, the kind of cell, what it holds (the README's table of the format is made from it) and where the
value comes from: the writer follows it, and the import reads the same headers. No secrets leave: no
password hashes, authenticator keys or security stamps, and no uploaded documents (their names only).

Written with `reporting.excel` (typed cells, formulas kept as text, write-only into a temporary file), so
a background export (`reporting.exports`, report `regio`) builds it for a large region with progress.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Organisation, OrganisationKind, Region, User
from policy.models import PolicyVersion
from policy.workbook import ENUMS, Field, cell_value, rule_rows
from policy.workbook import SHEETS as POLICY_SHEETS
from projects.models import Contact, Inzet, Kandidaat, Note, Project

from .excel import Column, Sheet

CHUNK = 2000
YES, NO = "ja", "nee"


@dataclass(frozen=True)
class RegionColumn:
    header: str
    kind: str  # as reporting.excel.Column: text, date, datetime, money, number, int
    about: str  # what the column holds, in Dutch (the README's table)
    get: Callable[[Any], Any]
    width: int = 18
    required: bool = True  # every row has a value (the import refuses an empty cell)
    refers: str = ""  # the sheet whose key the value is (the import checks it is there)
    raw: bool = False  # the import leaves the cell as it is, for a reader of its own (the policy workbook's)

    @property
    def column(self) -> Column:
        return Column(self.header, self.kind, self.width)


@dataclass(frozen=True)
class RegionSheet:
    title: str
    about: str
    columns: tuple[RegionColumn, ...]
    rows: Callable[[Region], Iterable[Any]]  # the things of the region, one per row
    key: str = ""  # the column the other sheets refer to a row by


def _key(prefix: str) -> Callable[[Any], str | None]:
    return lambda thing: f"{prefix}{thing.pk}" if thing is not None else None


def _email(user: User | None) -> str | None:
    """A person by e-mail address; functioneel beheer, who belongs to no organisation, stays unnamed."""
    return user.email if user is not None and user.organisation_id is not None else None


def _by(header: str, attribute: str) -> RegionColumn:
    """Who did something (made, approved, validated …): a person's e-mail address, empty for beheer or no one."""
    return RegionColumn(
        header,
        "text",
        "e-mailadres",
        lambda thing: _email(getattr(thing, attribute)),
        required=False,
        refers="Gebruikers",
    )


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else YES if value else NO


def _lines(values: Iterable[str]) -> str:
    return "\n".join(values)


ORG, PROJECT, KANDIDAAT, INZET, NOTE, VERSION = _key("O"), _key("P"), _key("K"), _key("I"), _key("N"), _key("V")


# --- Who exports, and which things belong to a region ---------------------------------------------


def regions_for_export(user: User) -> QuerySet[Region]:
    """Functioneel beheer exports any region; a coördinatiepunt its own; no one else any."""
    if user.is_superuser:
        return Region.objects.order_by("name")
    if user.role == OrganisationKind.COORDINATIEPUNT and user.region is not None:
        return Region.objects.filter(pk=user.region.pk)
    return Region.objects.none()


def region_projects(region: Region) -> QuerySet[Project]:
    return Project.objects.filter(region=region)


def region_organisations(region: Region) -> QuerySet[Organisation]:
    """Its opdrachtgevers, WSP's and coördinatiepunt, the opdrachtnemers that work in it or deliver to it, and the
    organisation of anyone else who acted in it."""
    return (
        Organisation.objects.filter(
            Q(region=region)
            | Q(regions=region)
            | Q(pk__in=region_projects(region).values("opdrachtnemer_id"))
            | Q(pk__in=region_users(region).values("organisation_id"))
        )
        .distinct()
        .order_by("pk")
    )


def region_users(region: Region) -> QuerySet[User]:
    """The people of its own organisations; of others (an opdrachtnemer works in other regions too) only those on
    its projects or named by its data: who made, validated, approved or closed something, wrote a note, added a
    contact or published a version. Never functioneel beheer, who belongs to no organisation."""
    projects = region_projects(region)
    lines = Inzet.objects.filter(project__in=projects)
    named = [
        Contact.objects.filter(project__in=projects).values("user_id"),
        Contact.objects.filter(project__in=projects).values("added_by_id"),
        projects.values("accountmanager_id"),
        *(projects.values(f"{actor}_id") for actor in ("approved_by", "closed_by", "verwijtbaarheid_by", "created_by")),
        lines.values("validated_by_id"),
        lines.values("created_by_id"),
        Note.objects.filter(project__in=projects).values("author_id"),
        PolicyVersion.objects.filter(region=region).values("created_by_id"),
    ]
    found = Q(organisation__region=region)
    for ids in named:
        found |= Q(pk__in=ids)
    return (
        User.objects.filter(found, organisation__isnull=False).select_related("organisation").distinct().order_by("pk")
    )


def region_kandidaten(region: Region) -> QuerySet[Kandidaat]:
    """The kandidaten placed on its projects (a kandidaat of an opdrachtnemer elsewhere is not the region's)."""
    placed = Inzet.objects.filter(project__region=region, kandidaat__isnull=False).values("kandidaat_id")
    return Kandidaat.objects.filter(pk__in=placed).order_by("pk")


def _versions(region: Region) -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(region=region).select_related("created_by").order_by("valid_from")


def _rule_rows(title: str) -> Callable[[Region], Iterator[tuple[PolicyVersion, dict[str, Any]]]]:
    def rows(region: Region) -> Iterator[tuple[PolicyVersion, dict[str, Any]]]:
        for version in PolicyVersion.objects.with_rules().filter(region=region).order_by("valid_from"):
            for values in rule_rows(version.to_rules())[title]:
                yield version, values

    return rows


RULE_SHEET_PREFIX = "Beleid - "  # a sheet of the policy workbook, per version
RULE_KINDS = {"text": "tekst", "int": "geheel getal", "amount": "bedrag of getal", "bool": "ja of nee"}


def _rule_column(field: Field) -> RegionColumn:
    kind = {"int": "int", "amount": "number"}.get(field.kind, "text") if not field.many else "text"
    about = RULE_KINDS.get(field.kind) or "een van: " + ", ".join(item.value for item in ENUMS[field.kind])
    about += ", met komma's" if field.many else ""
    get = lambda row: cell_value(field, row[1].get(field.name))  # noqa: E731
    # Whether a cell may be empty and how it reads is the policy reader's business (`policy_versions_read`).
    return RegionColumn(field.header, kind, about, get, required=False, raw=True)


def _rule_sheet(title: str) -> RegionSheet:
    return RegionSheet(
        f"{RULE_SHEET_PREFIX}{title}",
        f"Het blad ‘{title}’ van de beleidswerkmap, per versie (kolom Versie).",
        (
            RegionColumn(
                "Versie", "text", "sleutel van de beleidsversie", lambda row: VERSION(row[0]), refers="Beleidsversies"
            ),
            *(_rule_column(field) for field in POLICY_SHEETS[title]),
        ),
        _rule_rows(title),
    )


SHEETS: tuple[RegionSheet, ...] = (
    RegionSheet(
        "Regio",
        "De regio zelf: één regel.",
        (
            RegionColumn("Code", "text", "code van de regio (kleine letters)", lambda r: r.slug),
            RegionColumn("Naam", "text", "naam van de arbeidsmarktregio", lambda r: r.name, 30),
        ),
        lambda region: [region],
    ),
    RegionSheet(
        "Organisaties",
        "Opdrachtgevers, WSP, coördinatiepunt, en de opdrachtnemers die in de regio werken.",
        (
            RegionColumn("Sleutel", "text", "O + nummer; de andere bladen verwijzen ernaar", ORG),
            RegionColumn("Naam", "text", "naam", lambda o: o.name, 30),
            RegionColumn("Soort", "text", "opdrachtgever, opdrachtnemer, wsp of coordinatiepunt", lambda o: o.kind),
            RegionColumn("KvK-nummer", "text", "8 cijfers (opdrachtnemers)", lambda o: o.kvk_number, required=False),
            RegionColumn("Adres", "text", "adres", lambda o: o.address, 30, required=False),
            RegionColumn("E-mailadres", "text", "algemeen e-mailadres", lambda o: o.email, 30, required=False),
            RegionColumn("Telefoonnummer", "text", "algemeen telefoonnummer", lambda o: o.phone, required=False),
            RegionColumn(
                "Contactpersoon", "text", "naam van de contactpersoon", lambda o: o.contact_name, required=False
            ),
            RegionColumn("Openingstijden", "text", "openingstijden", lambda o: o.opening_hours, required=False),
            RegionColumn("Website", "text", "website", lambda o: o.website, 30, required=False),
            RegionColumn(
                "Werkregio's",
                "text",
                "codes van de regio's waar een opdrachtnemer werkt, met komma's",
                lambda o: ", ".join(sorted(r.slug for r in o.regions.all())) or None,
                required=False,
            ),
        ),
        lambda region: region_organisations(region).prefetch_related("regions"),
        key="Sleutel",
    ),
    RegionSheet(
        "Gebruikers",
        "De mensen van die organisaties; zonder wachtwoord of authenticator: na de import krijgen ze een uitnodiging.",
        (
            RegionColumn("E-mailadres", "text", "e-mailadres; de sleutel van een gebruiker", lambda u: u.email, 30),
            RegionColumn("Naam", "text", "naam", lambda u: u.name, 25),
            RegionColumn("Telefoonnummer", "text", "telefoonnummer", lambda u: u.phone, required=False),
            RegionColumn(
                "Organisatie",
                "text",
                "sleutel van de organisatie",
                lambda u: ORG(u.organisation),
                refers="Organisaties",
            ),
            RegionColumn("Actief", "text", "ja of nee", lambda u: _yes_no(u.is_active)),
            RegionColumn(
                "Aangemaakt op",
                "datetime",
                "wanneer het account is aangemaakt",
                lambda u: u.date_joined,
                required=False,
            ),
        ),
        region_users,
        key="E-mailadres",
    ),
    RegionSheet(
        "Beleidsversies",
        "Elke versie van het beleid met de tekst van de uitvoeringsvoorwaarden; de regels op de bladen Beleid - ….",
        (
            RegionColumn("Sleutel", "text", "V + nummer", VERSION),
            RegionColumn("Geldig vanaf", "date", "ingangsdatum", lambda p: p.valid_from),
            RegionColumn("Titel", "text", "titel", lambda p: p.title, 30),
            RegionColumn("Methode", "text", "kosten of bouwblokken", lambda p: p.method),
            RegionColumn("Uren voltijd per week", "number", "uren van een voltijdbaan", lambda p: p.fulltime_hours),
            RegionColumn("Uitvoeringsvoorwaarden", "text", "de tekst (markdown)", lambda p: p.text, 40, required=False),
            RegionColumn("Gepubliceerd op", "datetime", "wanneer", lambda p: p.created_at, required=False),
            _by("Gepubliceerd door", "created_by"),
        ),
        _versions,
        key="Sleutel",
    ),
    *(_rule_sheet(title) for title in POLICY_SHEETS if title != "Beleid"),
    RegionSheet(
        "Projecten",
        "Elk project van de regio, met de status en de vastgelegde waarden.",
        (
            RegionColumn("Sleutel", "text", "P + nummer", PROJECT),
            RegionColumn("Projectnaam", "text", "naam", lambda p: p.name, 30),
            RegionColumn(
                "Kenmerk", "text", "kenmerk van aanbesteding of contract", lambda p: p.kenmerk, required=False
            ),
            RegionColumn("Omschrijving", "text", "omschrijving", lambda p: p.description, 30, required=False),
            RegionColumn(
                "Opdrachtgever",
                "text",
                "sleutel van de organisatie",
                lambda p: ORG(p.opdrachtgever),
                refers="Organisaties",
            ),
            RegionColumn(
                "Opdrachtnemer",
                "text",
                "sleutel van de organisatie",
                lambda p: ORG(p.opdrachtnemer),
                refers="Organisaties",
            ),
            RegionColumn(
                "Accountmanager",
                "text",
                "e-mailadres (WSP)",
                lambda p: _email(p.accountmanager),
                30,
                refers="Gebruikers",
            ),
            RegionColumn("Startdatum", "date", "startdatum", lambda p: p.start_date),
            RegionColumn("Einddatum", "date", "einddatum", lambda p: p.end_date),
            RegionColumn(
                "Contractafspraak",
                "text",
                "sr_verplichting, raamovereenkomst of inspanningsverplichting",
                lambda p: p.contract_type,
            ),
            RegionColumn("Opdrachtsom", "money", "opdrachtsom (€)", lambda p: p.opdrachtsom, required=False),
            RegionColumn(
                "SR-percentage", "number", "percentage van de opdrachtsom", lambda p: p.sr_percentage, required=False
            ),
            RegionColumn("SR verplichting", "money", "verplichting (€), of de schatting", lambda p: p.verplichting),
            RegionColumn(
                "SR verplichting vastgesteld",
                "money",
                "vastgestelde verplichting (€)",
                lambda p: p.verplichting_vastgesteld,
                required=False,
            ),
            RegionColumn("Status", "text", "actief, goedgekeurd of afgerond", lambda p: p.status),
            RegionColumn(
                "Goedgekeurd op",
                "datetime",
                "wanneer de WSP de verantwoording goedkeurde",
                lambda p: p.approved_at,
                required=False,
            ),
            _by("Goedgekeurd door", "approved_by"),
            RegionColumn(
                "Afgerond op", "datetime", "wanneer de opdrachtgever afrondde", lambda p: p.closed_at, required=False
            ),
            _by("Afgerond door", "closed_by"),
            RegionColumn(
                "Verwijtbaar",
                "text",
                "ja, nee of leeg (niet beoordeeld)",
                lambda p: _yes_no(p.verwijtbaar),
                required=False,
            ),
            RegionColumn(
                "Onderbouwing verwijtbaarheid",
                "text",
                "de onderbouwing",
                lambda p: p.verwijtbaarheid_argument,
                30,
                required=False,
            ),
            RegionColumn(
                "Verwijtbaarheid op", "datetime", "wanneer beoordeeld", lambda p: p.verwijtbaarheid_at, required=False
            ),
            _by("Verwijtbaarheid door", "verwijtbaarheid_by"),
            RegionColumn(
                "SR actueel", "money", "waarde tot de datum hieronder (€)", lambda p: p.sr_actueel, required=False
            ),
            RegionColumn("SR prognose", "money", "waarde bij het einde (€)", lambda p: p.sr_prognose, required=False),
            RegionColumn(
                "Waarden berekend op",
                "date",
                "de peildatum van de twee waarden",
                lambda p: p.values_date,
                required=False,
            ),
            RegionColumn("Aangemaakt op", "datetime", "wanneer", lambda p: p.created_at, required=False),
            _by("Aangemaakt door", "created_by"),
        ),
        lambda region: (
            region_projects(region)
            .select_related("accountmanager", "approved_by", "closed_by", "verwijtbaarheid_by", "created_by")
            .order_by("pk")
        ),
        key="Sleutel",
    ),
    RegionSheet(
        "Contactpersonen",
        "Wie aan welk project is gekoppeld.",
        (
            RegionColumn(
                "Project", "text", "sleutel van het project", lambda c: f"P{c.project_id}", refers="Projecten"
            ),
            RegionColumn("Gebruiker", "text", "e-mailadres", lambda c: c.user.email, 30, refers="Gebruikers"),
            RegionColumn("Toegevoegd op", "datetime", "wanneer", lambda c: c.added_at, required=False),
            _by("Toegevoegd door", "added_by"),
        ),
        lambda region: Contact.objects.filter(project__region=region).select_related("user", "added_by").order_by("pk"),
    ),
    RegionSheet(
        "Interne notities",
        "De interne notities bij de projecten.",
        (
            RegionColumn("Sleutel", "text", "N + nummer", NOTE),
            RegionColumn(
                "Project", "text", "sleutel van het project", lambda n: f"P{n.project_id}", refers="Projecten"
            ),
            RegionColumn("Auteur", "text", "e-mailadres", lambda n: _email(n.author), 30, refers="Gebruikers"),
            RegionColumn("Geschreven op", "datetime", "wanneer", lambda n: n.created_at, required=False),
            RegionColumn("Notitie", "text", "de tekst", lambda n: n.text, 50),
        ),
        lambda region: Note.objects.filter(project__region=region).select_related("author").order_by("pk"),
        key="Sleutel",
    ),
    RegionSheet(
        "Kandidaten",
        "De kandidaten die op projecten van de regio zijn ingezet (geen BSN: die legt het portaal niet vast).",
        (
            RegionColumn("Sleutel", "text", "K + nummer", KANDIDAAT),
            RegionColumn(
                "Opdrachtnemer",
                "text",
                "sleutel van de organisatie",
                lambda k: f"O{k.opdrachtnemer_id}",
                refers="Organisaties",
            ),
            RegionColumn("Voorletters", "text", "voorletters", lambda k: k.initials),
            RegionColumn("Achternaam", "text", "achternaam", lambda k: k.surname, 25),
            RegionColumn("Geboortedatum", "date", "geboortedatum", lambda k: k.birth_date),
            RegionColumn(
                "Doelgroep", "text", "code van de doelgroep (blad Beleid - Doelgroepen)", lambda k: k.doelgroep, 25
            ),
            RegionColumn(
                "Werkloos-werkzoekend sinds",
                "date",
                "bij WW, Participatiewet of NUO",
                lambda k: k.unemployed_since,
                required=False,
            ),
            RegionColumn(
                "Gepseudonimiseerd op", "datetime", "na de bewaartermijn", lambda k: k.pseudonymised_at, required=False
            ),
        ),
        region_kandidaten,
        key="Sleutel",
    ),
    RegionSheet(
        "Inzet",
        "Elke regel van de verantwoording, met status, waarde en redenen zoals het portaal ze vastlegde.",
        (
            RegionColumn("Sleutel", "text", "I + nummer", INZET),
            RegionColumn(
                "Project", "text", "sleutel van het project", lambda i: f"P{i.project_id}", refers="Projecten"
            ),
            RegionColumn(
                "Kandidaat",
                "text",
                "sleutel van de kandidaat (leeg: zonder kandidaat)",
                lambda i: KANDIDAAT(i.kandidaat),
                required=False,
                refers="Kandidaten",
            ),
            RegionColumn("Soort inzet", "text", "code van de soort (blad Beleid - Soorten inzet)", lambda i: i.soort),
            RegionColumn("Startdatum", "date", "startdatum", lambda i: i.start_date),
            RegionColumn("Einddatum", "date", "einddatum", lambda i: i.end_date),
            RegionColumn("Bedrag", "money", "ingevoerd bedrag (€)", lambda i: i.amount, required=False),
            RegionColumn("Uren per week", "number", "ingevoerde uren", lambda i: i.hours_per_week, required=False),
            RegionColumn("Niveau", "text", "vmbo, mbo, hbo of wo (stage)", lambda i: i.niveau, required=False),
            RegionColumn("Omschrijving", "text", "omschrijving", lambda i: i.description, 30, required=False),
            RegionColumn("Status", "text", "ingevoerd, teruggestuurd of gevalideerd", lambda i: i.status),
            RegionColumn("Reden van terugsturen", "text", "de reden", lambda i: i.return_reason, 30, required=False),
            RegionColumn("Gevalideerd op", "datetime", "wanneer", lambda i: i.validated_at, required=False),
            _by("Gevalideerd door", "validated_by"),
            RegionColumn(
                "Beleidsversie",
                "text",
                "sleutel van de versie die de regel waardeert",
                lambda i: f"V{i.policy_version_id}",
                refers="Beleidsversies",
            ),
            RegionColumn(
                "Waarde prognose", "money", "waarde bij de einddatum (€)", lambda i: i.value_prognose, required=False
            ),
            RegionColumn(
                "Waarde actueel",
                "money",
                "waarde tot de peildatum van het project (€)",
                lambda i: i.value_actueel,
                required=False,
            ),
            RegionColumn(
                "Telt vanaf", "date", "begin van de periode die telt", lambda i: i.counts_from, required=False
            ),
            RegionColumn(
                "Telt tot en met", "date", "einde van de periode die telt", lambda i: i.counts_until, required=False
            ),
            RegionColumn(
                "Redenen",
                "text",
                "waarom dit bedrag, een reden per regel",
                lambda i: _lines(i.reasons),
                50,
                required=False,
            ),
            RegionColumn(
                "Eerste werkdag",
                "date",
                "van de kandidaat, waarvan de termijn loopt",
                lambda i: i.first_workday,
                required=False,
            ),
            RegionColumn("Aangemaakt op", "datetime", "wanneer", lambda i: i.created_at, required=False),
            _by("Aangemaakt door", "created_by"),
        ),
        lambda region: (
            Inzet.objects.filter(project__region=region)
            .select_related("kandidaat", "validated_by", "created_by")
            .order_by("pk")
        ),
        key="Sleutel",
    ),
)


def region_export(user: User, params: dict[str, Any]) -> tuple[int, list[Sheet]]:
    """The background export `regio` (`reporting.exports.EXPORTERS`): checked again when it runs."""
    return region_sheets(regions_for_export(user).get(pk=params["region"]))


def region_sheets(region: Region) -> tuple[int, list[Sheet]]:
    """(rows, sheets) of the region's export, for `reporting.excel.workbook_write` and background exports."""
    count = 0
    sheets = []
    for spec in SHEETS:
        things = spec.rows(region)
        if isinstance(things, QuerySet):  # counted by the database, read in chunks
            count += things.count()
            things = things.iterator(chunk_size=CHUNK)
        else:  # the region itself, and the rules of its versions: tens of rows
            things = list(things)
            count += len(things)
        sheets.append(Sheet(spec.title, [column.column for column in spec.columns], _rows(spec, things), [spec.about]))
    return count, sheets


def _rows(spec: RegionSheet, things: Iterable[Any]) -> Iterator[list[Any]]:
    moments = [column.kind == "datetime" for column in spec.columns]
    for thing in things:
        values = [column.get(thing) for column in spec.columns]
        # To the second: Excel keeps milliseconds and rounds the rest, so a moment read back would differ.
        yield [
            value.replace(microsecond=0) if moment and value else value
            for moment, value in zip(moments, values, strict=True)
        ]


def _notes(column: RegionColumn) -> str:
    notes = [f"verwijst naar {column.refers}"] if column.refers else []
    notes += ["mag leeg"] if not column.required and not column.raw else []
    return f" ({'; '.join(notes)})" if notes else ""


def format_markdown() -> str:
    """The format column by column, for the README (a test keeps the two the same)."""
    parts = []
    for spec in SHEETS:
        parts += [f"**{spec.title}** — {spec.about}", "", "| kolom | inhoud |", "| --- | --- |"]
        parts += [f"| {column.header} | {column.about}{_notes(column)} |" for column in spec.columns]
        parts.append("")
    return "\n".join(parts)

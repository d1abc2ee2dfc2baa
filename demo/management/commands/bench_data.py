"""A fictional benchmark dataset of a chosen size, loaded with bulk inserts (issue 7).

Factor 1: 3 regions, 60 opdrachtgevers, 1,500 opdrachtnemers, 6,000 projects, 30,000
kandidaten, 120,000 inzet lines and 3,000 users; every count scales with the factor. Beyond
three regions it adds fictional regions "Regio 04", … with a coördinatiepunt and a copy of
Drenthe's policy. Line values come from the real engine (`policy.valuation`), project sums
from one SQL aggregate per batch.

    bench/run manage.py bench_data --factor 1
    bench/run manage.py bench_data --reset            # remove the bench data only
    bench/run manage.py bench_data --reset --factor 1  # replace it

Bench data is marked: organisations by the name prefix "Benchmark ", users by an address
`bench-…@bench.invalid`, extra regions by the slug prefix "bench-regio-". `--reset` removes
only that; other data (such as the export benchmark's project) stays.
"""

import bisect
import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

import pgtrigger
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Region, User
from policy import valuation as v
from policy.models import PolicyVersion
from policy.rules_store import rules_save
from policy.services.rules import RULE_MODELS
from projects.models import (
    ZERO,
    Contact,
    ContractType,
    Inzet,
    InzetStatus,
    Kandidaat,
    Project,
    ProjectStatus,
    kandidaat_match_key,
)

K = OrganisationKind
PREFIX = "Benchmark "
EMAIL_PREFIX = "bench-"
EMAIL_DOMAIN = "@bench.invalid"
KNOWN_WSP = "bench-wsp@bench.invalid"
REGION_SLUG_PREFIX = "bench-regio-"
BASE_REGIONS = ["drenthe", "fryslan", "groningen"]
BATCH = 5000

# Per factor 1.
SIZES = {
    "regions": 3,
    "opdrachtgevers": 60,
    "opdrachtnemers": 1500,
    "projects": 6000,
    "kandidaten": 30000,
    "lines": 120000,
    "users": 3000,
}
WSP_USERS_PER_REGION = 3
COORDINATIEPUNT_USERS_PER_REGION = 2
USERS_PER_OPDRACHTGEVER = 5

# Invented name parts: combinations, not people.
FIRST = [
    "Anouk",
    "Bram",
    "Cees",
    "Daan",
    "Evi",
    "Femke",
    "Gijs",
    "Hanna",
    "Ids",
    "Jelte",
    "Kiki",
    "Lotte",
    "Maud",
    "Niek",
    "Oane",
    "Pien",
    "Rixt",
    "Sjoerd",
    "Tjitske",
    "Ula",
    "Vera",
    "Wout",
    "Yde",
    "Zoë",
]
STEM = [
    "Aven",
    "Berk",
    "Dol",
    "Esch",
    "Fen",
    "Gras",
    "Hol",
    "Kamp",
    "Lin",
    "Mol",
    "Nij",
    "Oost",
    "Ploeg",
    "Ree",
    "Schol",
    "Ter",
    "Veld",
    "Wil",
    "Zand",
    "Brug",
]
TAIL = ["ma", "stra", "huis", "dijk", "horst", "veen", "kamp", "ing", "zema", "wier", "sloot", "hoek"]
PLACE = [
    "Aaveld",
    "Brinkhorst",
    "Dolleveen",
    "Esmaar",
    "Gaasterdijk",
    "Holwerum",
    "Kampinge",
    "Lindehoek",
    "Molwier",
    "Noordloo",
    "Oosterzand",
    "Reeveen",
]
TRADE = [
    "Bouw",
    "Groen",
    "Schoonmaak",
    "Techniek",
    "Infra",
    "Installatie",
    "Catering",
    "Transport",
    "Zorg",
    "ICT",
    "Beveiliging",
    "Onderhoud",
]
RETURN_REASONS = [
    "Stuur de loonstrook van de eerste maand mee.",
    "De startdatum komt niet overeen met het contract.",
    "Vermeld het aantal uren per week.",
    "De doelgroepverklaring ontbreekt.",
]
# Soort, weight, needs a kandidaat.
SOORTEN = [
    ("baan", 30, True),
    ("stage", 14, True),
    ("bbl", 8, True),
    ("begeleiding", 10, True),
    ("werkervaringsplaats", 6, True),
    ("proefplaatsing", 4, True),
    ("scholing", 8, True),
    ("werk", 10, False),
    ("detachering", 7, False),
    ("anders", 3, False),
]
DOELGROEPEN = [
    ("ww", 25),
    ("participatiewet_nuo", 25),
    ("doelgroepenregister", 12),
    ("wajong_wia", 8),
    ("wsw", 5),
    ("beschut", 3),
    ("jongere", 10),
    ("stagiair", 8),
    ("bbl_leerling", 4),
]


def scaled(name: str, factor: float, minimum: int = 1) -> int:
    return max(minimum, round(SIZES[name] * factor))


def bench_organisations() -> Any:
    return Organisation.objects.filter(name__startswith=PREFIX)


def bench_users() -> Any:
    return User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=EMAIL_DOMAIN)


def bench_exists() -> bool:
    return (
        bench_organisations().exists()
        or bench_users().exists()
        or Region.objects.filter(slug__startswith=REGION_SLUG_PREFIX).exists()
    )


@transaction.atomic
def bench_delete() -> None:
    """Remove the bench data, and nothing else."""
    organisations = bench_organisations()
    projects = Project.objects.filter(Q(opdrachtgever__in=organisations) | Q(opdrachtnemer__in=organisations))
    Inzet.objects.filter(project__in=projects).delete()
    Contact.objects.filter(Q(project__in=projects) | Q(user__in=bench_users())).delete()
    projects.delete()
    Kandidaat.objects.filter(opdrachtnemer__in=organisations).delete()
    bench_users().delete()
    organisations.delete()
    regions = Region.objects.filter(slug__startswith=REGION_SLUG_PREFIX)
    PolicyVersion.objects.filter(region__in=regions).delete()
    regions.delete()


class Command(BaseCommand):
    help = "Laad een fictieve benchmarkdataset (factor 1: 6.000 projecten, 120.000 regels)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--factor", type=float, help="Omvang: 1 = 3 regio's, 6.000 projecten, 120.000 regels.")
        parser.add_argument("--seed", type=int, default=1, help="Startwaarde van de toevalsgenerator.")
        parser.add_argument("--reset", action="store_true", help="Verwijder eerst de bestaande benchmarkdata.")
        parser.add_argument(
            "--password", default="", help="Eén wachtwoord voor alle benchmarkgebruikers (standaard: onbruikbaar)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        factor = options["factor"]
        began = time.perf_counter()
        if options["reset"]:
            with transaction.atomic(), pgtrigger.ignore():
                bench_delete()
            self.stdout.write(f"reset: benchmarkdata verwijderd ({time.perf_counter() - began:.1f} s)")
            if factor is None:
                return
        if factor is None or factor <= 0:
            raise CommandError("Geef een positieve --factor op, bijvoorbeeld --factor 1.")
        if bench_exists():
            raise CommandError("Er staat al benchmarkdata in de database; gebruik --reset om die te vervangen.")
        loader = Loader(
            factor,
            random.Random(options["seed"]),  # noqa: S311 - reproducible fiction, not secrets
            options["password"],
            self.stdout.write,
        )
        # Bench rows are fiction, not edits: the history triggers (pghistory) would triple the
        # writes and are skipped for this load only.
        with transaction.atomic(), pgtrigger.ignore():
            loader.run()
        self.stdout.write(self.style.SUCCESS(f"totaal: {time.perf_counter() - began:.1f} s"))


class Loader:
    def __init__(self, factor: float, rng: random.Random, password: str, write: Any) -> None:
        self.factor = factor
        self.rng = rng
        self.password = make_password(password or None)  # one hash for everyone
        self.write = write
        self.today = timezone.localdate()
        self.clock = time.perf_counter()

    def phase(self, name: str, count: int | None = None) -> None:
        now = time.perf_counter()
        counted = f"{count:>9,} " if count is not None else " " * 10
        self.write(f"{name:<28}{counted}{now - self.clock:6.1f} s")
        self.clock = now

    def run(self) -> None:
        self.regions()
        self.organisations()
        self.users()
        self.kandidaten()
        self.projects()
        self.contacts()
        self.lines()
        self.sums()
        self.statistics()
        known = User.objects.get(email=KNOWN_WSP)
        visible = Project.objects.for_user(known).count()
        managed = Project.objects.filter(accountmanager=known).count()
        region_total = Project.objects.filter(region=known.organisation.region).count()
        self.write(
            f"{KNOWN_WSP}: ziet {visible:,} projecten; accountmanager van {managed:,} "
            f"van de {region_total:,} projecten in {known.organisation.region}"
        )

    def statistics(self) -> None:
        """Tell the planner about the new rows at once: autovacuum would take its time (and never sees rows of a
        transaction that hasn't committed yet, as in the tests), and until then PostgreSQL plans the region-wide
        aggregates as if these tables were nearly empty (a dashboard query then ran for minutes)."""
        models = (Region, Organisation, User, Kandidaat, Project, Contact, Inzet)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models))
        self.phase("statistieken", None)

    # -- regions and organisations ---------------------------------------------------------

    def regions(self) -> None:
        base = list(Region.objects.filter(slug__in=BASE_REGIONS).order_by("slug"))
        if len(base) != len(BASE_REGIONS):
            raise CommandError("De regio's Drenthe, Fryslân en Groningen ontbreken: voer eerst migrate uit.")
        wanted = max(len(base), scaled("regions", self.factor))
        drenthe = next(region for region in base if region.slug == "drenthe")
        templates = list(PolicyVersion.objects.with_rules().filter(region=drenthe).order_by("valid_from"))
        self.regions_list = base
        for number in range(len(base) + 1, wanted + 1):
            region = Region.objects.create(name=f"Regio {number:02}", slug=f"{REGION_SLUG_PREFIX}{number:02}")
            Organisation.objects.create(
                name=f"{PREFIX}Coördinatiepunt Social Return {region.name}", kind=K.COORDINATIEPUNT, region=region
            )
            for template in templates:
                version = PolicyVersion.objects.create(
                    region=region,
                    valid_from=template.valid_from,
                    title=template.title,
                    method=template.method,
                    fulltime_hours=template.fulltime_hours,
                    text=template.text,
                )
                rules_save(version=version, rules=template.to_rules(), models=RULE_MODELS)
            self.regions_list.append(region)
        # The engine's rules per region, fetched once: (valid_from, version id, rules), oldest first.
        self.policies: dict[int, list[tuple[date, int, v.PolicyRules]]] = defaultdict(list)
        for version in PolicyVersion.objects.with_rules().filter(region__in=self.regions_list).order_by("valid_from"):
            self.policies[version.region_id].append((version.valid_from, version.pk, version.to_rules()))
        missing = [region.name for region in self.regions_list if not self.policies[region.pk]]
        if missing:
            raise CommandError(f"Geen beleid gepubliceerd voor: {', '.join(missing)}")
        self.phase("regio's", len(self.regions_list))

    def organisations(self) -> None:
        rng = self.rng
        orgs: list[Organisation] = []
        for region in self.regions_list:
            orgs.append(Organisation(name=f"{PREFIX}Werkgeversservicepunt {region.name}", kind=K.WSP, region=region))
        n_og = max(len(self.regions_list), scaled("opdrachtgevers", self.factor))
        for number in range(n_og):
            region = self.regions_list[number % len(self.regions_list)]
            kind = "Gemeente" if number % 3 else rng.choice(["Provincie", "Waterschap", "Woningcorporatie"])
            orgs.append(
                Organisation(
                    name=f"{PREFIX}{kind} {rng.choice(PLACE)} {number + 1:03}",
                    kind=K.OPDRACHTGEVER,
                    region=region,
                    email=f"info-og{number + 1}{EMAIL_DOMAIN}",
                )
            )
        for number in range(scaled("opdrachtnemers", self.factor)):
            orgs.append(
                Organisation(
                    name=f"{PREFIX}{rng.choice(TRADE)}bedrijf {rng.choice(STEM)}{rng.choice(TAIL)} {number + 1:04}",
                    kind=K.OPDRACHTNEMER,
                    email=f"info-on{number + 1}{EMAIL_DOMAIN}",
                )
            )
        Organisation.objects.bulk_create(orgs, batch_size=BATCH)
        self.wsp = {org.region_id: org for org in orgs if org.kind == K.WSP}
        self.opdrachtgevers = [org for org in orgs if org.kind == K.OPDRACHTGEVER]
        self.opdrachtnemers = [org for org in orgs if org.kind == K.OPDRACHTNEMER]
        self.coordinatiepunten = {
            org.region_id: org
            for org in Organisation.objects.filter(kind=K.COORDINATIEPUNT, region__in=self.regions_list)
        }
        self.phase("organisaties", len(orgs))

    # -- users -------------------------------------------------------------------------------

    def users(self) -> None:
        rng = self.rng
        total = scaled("users", self.factor)
        plan: list[Organisation] = []
        for region in self.regions_list:
            plan += [self.wsp[region.pk]] * WSP_USERS_PER_REGION
            plan += [self.coordinatiepunten[region.pk]] * COORDINATIEPUNT_USERS_PER_REGION
        per_og = max(1, min(USERS_PER_OPDRACHTGEVER, (total - len(plan)) // (2 * len(self.opdrachtgevers)) or 1))
        for org in self.opdrachtgevers:
            plan += [org] * per_og
        plan += self.opdrachtnemers  # at least one each
        plan += [rng.choice(self.opdrachtnemers) for _ in range(max(0, total - len(plan)))]
        users = []
        for number, org in enumerate(plan, start=1):
            email = f"{EMAIL_PREFIX}{org.kind[:3]}-{number:05}{EMAIL_DOMAIN}"
            users.append(
                User(
                    email=email,
                    name=f"{rng.choice(FIRST)} {rng.choice(STEM)}{rng.choice(TAIL)}",
                    organisation=org,
                    password=self.password,
                )
            )
        drenthe_wsp = next(user for user in users if user.organisation == self.wsp[self.regions_list[0].pk])
        drenthe_wsp.email, drenthe_wsp.name = KNOWN_WSP, "Wessel Benchmark"
        User.objects.bulk_create(users, batch_size=BATCH)
        self.users_of: dict[int, list[User]] = defaultdict(list)
        for user in users:
            self.users_of[user.organisation_id].append(user)
        self.phase("gebruikers", len(users))

    # -- kandidaten, projects, contacts --------------------------------------------------------

    def kandidaten(self) -> None:
        rng = self.rng
        codes, weights = zip(*DOELGROEPEN, strict=True)
        rows = []
        for number in range(scaled("kandidaten", self.factor)):
            # The first round gives every opdrachtnemer one kandidaat.
            org = self.opdrachtnemers[number] if number < len(self.opdrachtnemers) else rng.choice(self.opdrachtnemers)
            doelgroep = rng.choices(codes, weights)[0]
            age = rng.randint(18, 26) if doelgroep in ("jongere", "stagiair", "bbl_leerling") else rng.randint(20, 62)
            birth = self.today - timedelta(days=age * 365 + rng.randint(0, 364))
            since = (
                self.today - timedelta(days=rng.randint(60, 1500))
                if doelgroep in ("ww", "participatiewet_nuo")
                else None
            )
            initials = f"{rng.choice(FIRST)[0]}.{rng.choice(FIRST)[0]}."
            surname = f"{rng.choice(STEM)}{rng.choice(TAIL)}"
            rows.append(
                Kandidaat(
                    opdrachtnemer=org,
                    initials=initials,
                    surname=surname,
                    birth_date=birth,
                    doelgroep=doelgroep,
                    unemployed_since=since,
                    match_key=kandidaat_match_key(surname, initials, birth),
                )
            )
        Kandidaat.objects.bulk_create(rows, batch_size=BATCH)
        self.kandidaten_of: dict[int, list[Kandidaat]] = defaultdict(list)
        for kandidaat in rows:
            self.kandidaten_of[kandidaat.opdrachtnemer_id].append(kandidaat)
        self.phase("kandidaten", len(rows))

    def projects(self) -> None:
        rng = self.rng
        # Round robin over the region's WSP users: the known one manages a third in Drenthe.
        next_manager: dict[int, int] = defaultdict(int)
        rows = []
        for number in range(scaled("projects", self.factor)):
            og = self.opdrachtgevers[number % len(self.opdrachtgevers)]
            on = self.opdrachtnemers[number % len(self.opdrachtnemers)] if number < len(self.opdrachtnemers) else None
            on = on or rng.choice(self.opdrachtnemers)
            managers = self.users_of[self.wsp[og.region_id].pk]
            manager = managers[next_manager[og.region_id] % len(managers)]
            next_manager[og.region_id] += 1
            start = self.today - timedelta(days=rng.randint(-90, 1100))
            end = start + timedelta(days=rng.randint(180, 1100))
            contract = rng.choices(list(ContractType), [70, 20, 10])[0]
            som = Decimal(rng.randrange(100_000, 5_000_000, 1000))
            percentage = Decimal(rng.choice([3, 5, 5, 5, 7, 10]))
            status, closed = ProjectStatus.ACTIEF, {}
            if end < self.today - timedelta(days=60):
                status = rng.choices(
                    [ProjectStatus.AFGEROND, ProjectStatus.GOEDGEKEURD, ProjectStatus.ACTIEF], [5, 2, 3]
                )[0]
            if status != ProjectStatus.ACTIEF:
                approved = timezone.make_aware(datetime.combine(end + timedelta(days=30), clock(12)))
                closed = {"approved_at": approved, "approved_by": manager}
                if status == ProjectStatus.AFGEROND:
                    closed |= {"closed_at": approved + timedelta(days=14), "closed_by": manager}
            rows.append(
                Project(
                    name=f"{rng.choice(['Renovatie', 'Onderhoud', 'Nieuwbouw', 'Schoonmaak', 'Levering', 'Beheer'])} "
                    f"{rng.choice(['brug', 'school', 'groen', 'wegen', 'kantoor', 'sporthal', 'riolering'])} "
                    f"{og.name.split()[-2]} {number + 1:05}",
                    kenmerk=f"BENCH-{start.year}-{number + 1:05}",
                    opdrachtgever=og,
                    opdrachtnemer=on,
                    region_id=og.region_id,
                    start_date=start,
                    end_date=end,
                    contract_type=contract,
                    opdrachtsom=som,
                    sr_percentage=percentage,
                    verplichting=(som * percentage / 100).quantize(Decimal("0.01")),
                    accountmanager=manager,
                    status=status,
                    created_by=manager,
                    **closed,
                )
            )
        Project.objects.bulk_create(rows, batch_size=BATCH)
        self.projects_list = rows
        # Opdrachtnemers work in the regions of their projects.
        through = Organisation.regions.through
        pairs = {(project.opdrachtnemer_id, project.region_id) for project in rows}
        through.objects.bulk_create(
            [through(organisation_id=org, region_id=region) for org, region in sorted(pairs)], batch_size=BATCH
        )
        self.phase("projecten", len(rows))

    def contacts(self) -> None:
        rng = self.rng
        rows = []
        # The known WSP user also follows every project of its region (≈ 2,000 at factor 1): the
        # projecten list of the benchmark shows what a busy accountmanager team lead sees.
        known = User.objects.get(email=KNOWN_WSP)
        for project in self.projects_list:
            og_users = self.users_of[project.opdrachtgever_id]
            people = {project.accountmanager_id, rng.choice(self.users_of[project.opdrachtnemer_id]).pk}
            if project.region_id == known.organisation.region_id:
                people.add(known.pk)
            people |= {user.pk for user in rng.sample(og_users, min(len(og_users), rng.choice([1, 1, 2])))}
            rows += [Contact(project=project, user_id=pk) for pk in sorted(people)]
        # In bulk, not through contact_ensure: tens of thousands of fictional contacts, and no
        # 'toegevoegd aan project' mail for any of them.
        Contact.objects.bulk_create(rows, batch_size=BATCH)
        self.phase("contactpersonen", len(rows))

    # -- inzet ---------------------------------------------------------------------------------

    def lines(self) -> None:
        rng = self.rng
        total = scaled("lines", self.factor)
        # Skewed: a few big projects, many small ones (capped so none dwarfs the rest).
        weights = [min(rng.paretovariate(1.6), 25.0) for _ in self.projects_list]
        chosen = rng.choices(self.projects_list, weights, k=total)
        soorten, soort_weights, _ = zip(*SOORTEN, strict=True)
        needs_kandidaat = {code: needs for code, _, needs in SOORTEN}
        with_scholing: set[int] = set()  # one scholing line per kandidaat: its cap needs no history
        drafts = []
        for project in chosen:
            soort = rng.choices(soorten, soort_weights)[0]
            kandidaat = None
            if needs_kandidaat[soort]:
                kandidaat = rng.choice(self.kandidaten_of[project.opdrachtnemer_id])
                if soort == "scholing":
                    if kandidaat.pk in with_scholing:
                        soort = "baan"
                    with_scholing.add(kandidaat.pk)
            span = (project.end_date - project.start_date).days
            start = project.start_date + timedelta(days=rng.randint(-30, max(0, span - 30)))
            end = min(project.end_date, start + timedelta(days=rng.randint(30, 365)))
            end = max(end, start)
            drafts.append(
                Inzet(
                    project=project,
                    kandidaat=kandidaat,
                    soort=soort,
                    start_date=start,
                    end_date=end,
                    **self._inputs(soort),
                )
            )
        self.phase("regels gemaakt", len(drafts))
        siblings: dict[tuple[int, int], list[Inzet]] = {}
        for line in drafts:
            if line.kandidaat is not None:
                siblings.setdefault((line.project.pk, line.kandidaat.pk), []).append(line)
        for line in drafts:
            self._value(line, siblings)
            status = rng.choices(list(InzetStatus), [35, 55, 10])[0]
            line.status = status
            if status == InzetStatus.GEVALIDEERD:
                line.validated_by_id = line.project.accountmanager_id
                line.validated_at = timezone.now()
            elif status == InzetStatus.TERUGGESTUURD:
                line.return_reason = rng.choice(RETURN_REASONS)
        self.phase("regels gewaardeerd", len(drafts))
        Inzet.objects.bulk_create(drafts, batch_size=BATCH)
        self.phase("regels opgeslagen", len(drafts))

    def _inputs(self, soort: str) -> dict[str, Any]:
        rng = self.rng
        money = lambda low, high: Decimal(rng.randrange(low, high, 25))  # noqa: E731
        hours = lambda low, high: Decimal(rng.randint(low, high))  # noqa: E731
        match soort:
            case "baan":
                return {"amount": money(1900, 3800), "hours_per_week": hours(16, 40)}
            case "stage":
                return {"amount": money(250, 750), "niveau": rng.choice(list(v.Niveau)).value}
            case "bbl":
                return {"amount": money(1200, 2600), "hours_per_week": hours(16, 38)}
            case "begeleiding" | "werkervaringsplaats" | "proefplaatsing":
                return {"hours_per_week": hours(2, 12)}
            case "scholing":
                return {"amount": money(400, 3200)}
            case "werk":
                return {"amount": money(5000, 60000)}
            case "detachering":
                return {"amount": money(1500, 4200)}
            case _:
                return {"amount": money(500, 8000), "description": "Inkoop bij een sociale onderneming"}

    def _value(self, line: Inzet, siblings: dict[tuple[int, int], list[Inzet]]) -> None:
        """What `projects.services.valuation.inzet_value` does, without its queries."""
        project, kandidaat = line.project, line.kandidaat
        versions = self.policies[project.region_id]
        index = bisect.bisect_right([valid_from for valid_from, _, _ in versions], line.start_date) - 1
        _, version_id, rules = versions[max(index, 0)]
        # The first workday: the earliest line of a soort that is work, this line last on a tie.
        work = {soort.code for soort in rules.soorten if soort.is_work}
        others = siblings.get((project.pk, kandidaat.pk), []) if kandidaat else []
        starts = [(other.start_date, other.soort) for other in others if other is not line and other.soort in work]
        if kandidaat and line.soort in work:
            starts.append((line.start_date, line.soort))
        first_workday, first_workday_soort = min(starts, key=lambda start: start[0]) if starts else (None, None)
        data = line.as_engine_line(
            first_workday=first_workday, first_workday_soort=first_workday_soort, scholing_already_counted=ZERO
        )
        line.policy_version_id = version_id
        line.set_value(v.value_line_over_time(line=data, rules=rules, today=self.today))
        line.first_workday, line.first_workday_soort = first_workday, first_workday_soort or ""
        line.scholing_counted = ZERO

    # -- project sums --------------------------------------------------------------------------

    def sums(self) -> None:
        """The sums `project_values_refresh` keeps, with one UPDATE … FROM per batch of projects."""
        ids = [project.pk for project in self.projects_list]
        project_table, inzet_table = Project._meta.db_table, Inzet._meta.db_table
        sql = f"""
            UPDATE {project_table} AS p SET
                sr_actueel = s.actueel,
                sr_prognose = s.prognose,
                sr_actueel_gevalideerd = s.actueel_gevalideerd,
                sr_prognose_gevalideerd = s.prognose_gevalideerd,
                values_date = %s
            FROM (
                SELECT project_id,
                    SUM(value_actueel) AS actueel,
                    SUM(value_prognose) AS prognose,
                    COALESCE(SUM(value_actueel) FILTER (WHERE status = %s), 0) AS actueel_gevalideerd,
                    COALESCE(SUM(value_prognose) FILTER (WHERE status = %s), 0) AS prognose_gevalideerd
                FROM {inzet_table}
                WHERE project_id = ANY(%s)
                GROUP BY project_id
            ) AS s
            WHERE p.id = s.project_id
        """  # noqa: S608 - table names from the models, values as parameters
        with connection.cursor() as cursor:
            for offset in range(0, len(ids), BATCH):
                cursor.execute(
                    sql, [self.today, InzetStatus.GEVALIDEERD, InzetStatus.GEVALIDEERD, ids[offset : offset + BATCH]]
                )
        self.phase("projectsommen", len(ids))

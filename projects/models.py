"""Projects with a social-return obligation and their verantwoording (SPEC §4, §5).

Visibility is defined once, in `ProjectQuerySet.for_user`: a user sees a project when they
are a contactpersoon on it, or when they are the coördinatiepunt of its region. Every other
model filters through its project.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import cast

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Region, User
from core.text import counted
from policy import valuation as v
from policy.models import PolicyVersion

ZERO = Decimal("0.00")


class ContractType(models.TextChoices):
    SR_VERPLICHTING = "sr_verplichting", "SR verplichting"
    RAAMOVEREENKOMST = "raamovereenkomst", "Raamovereenkomst"
    INSPANNINGSVERPLICHTING = "inspanningsverplichting", "Inspanningsverplichting"


class ProjectStatus(models.TextChoices):
    ACTIEF = "actief", "Actief"
    GOEDGEKEURD = "goedgekeurd", "SR verantwoording goedgekeurd"
    AFGEROND = "afgerond", "Afgerond"


class ProjectQuerySet(models.QuerySet["Project"]):
    def for_user(self, user: User) -> "ProjectQuerySet":
        """Projects a user may see: as contactpersoon, or as coördinatiepunt of the project's region."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        # `IN (contacts of the user)`, not a correlated EXISTS: Postgres then starts from the user's
        # few thousand contacts and reaches their lines by index, instead of testing every project
        # (and with the region's OR, every line) in the country (bench/pages.py at factor 10).
        as_contact = Q(pk__in=Contact.objects.filter(user=user).values("project_id"))
        if user.role == OrganisationKind.COORDINATIEPUNT:
            return self.filter(as_contact | Q(region=user.region))
        return self.filter(as_contact)

    def active(self) -> "ProjectQuerySet":
        return self.exclude(status=ProjectStatus.AFGEROND)

    def finished(self) -> "ProjectQuerySet":
        return self.filter(status=ProjectStatus.AFGEROND)


@pghistory.track()
class Project(models.Model):
    name = models.CharField("projectnaam", max_length=200)
    kenmerk = models.CharField(
        "kenmerk", max_length=100, blank=True, help_text="Het kenmerk van de aanbesteding of het contract."
    )
    description = models.TextField("omschrijving", blank=True)
    opdrachtgever = models.ForeignKey(
        Organisation, verbose_name="opdrachtgever", on_delete=models.PROTECT, related_name="projects_as_opdrachtgever"
    )
    opdrachtnemer = models.ForeignKey(
        Organisation, verbose_name="opdrachtnemer", on_delete=models.PROTECT, related_name="projects_as_opdrachtnemer"
    )
    # Always the opdrachtgever's region (set by the service).
    region = models.ForeignKey(Region, verbose_name="regio", on_delete=models.PROTECT, related_name="projects")
    start_date = models.DateField("startdatum")
    end_date = models.DateField("einddatum")
    contract_type = models.CharField("contractafspraak", max_length=30, choices=ContractType.choices)
    opdrachtsom = models.DecimalField("opdrachtsom", max_digits=14, decimal_places=2, null=True, blank=True)
    sr_percentage = models.DecimalField("SR-percentage", max_digits=5, decimal_places=2, null=True, blank=True)
    # Entered, or opdrachtsom × percentage; for a raamovereenkomst the estimate (geschat) …
    verplichting = models.DecimalField("SR verplichting", max_digits=14, decimal_places=2, default=ZERO)
    # … until the final amount is known (vastgesteld). Both are kept.
    verplichting_vastgesteld = models.DecimalField(
        "SR verplichting vastgesteld", max_digits=14, decimal_places=2, null=True, blank=True
    )
    accountmanager = models.ForeignKey(
        User, verbose_name="accountmanager", on_delete=models.PROTECT, related_name="projects_as_accountmanager"
    )
    status = models.CharField("status", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIEF)
    approved_at = models.DateTimeField("goedgekeurd op", null=True, blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField("afgerond op", null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    verwijtbaar = models.BooleanField("verwijtbaar", null=True, blank=True)
    verwijtbaarheid_argument = models.TextField("onderbouwing verwijtbaarheid", blank=True)
    verwijtbaarheid_at = models.DateTimeField(null=True, blank=True)
    verwijtbaarheid_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Sums of the lines' values, kept by the services so lists can sort and filter on them.
    sr_actueel = models.DecimalField("SR actueel", max_digits=14, decimal_places=2, default=ZERO)
    sr_actueel_gevalideerd = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    sr_prognose = models.DecimalField("SR prognose", max_digits=14, decimal_places=2, default=ZERO)
    sr_prognose_gevalideerd = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    values_date = models.DateField("waarden berekend op", default=timezone.localdate)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "project"
        verbose_name_plural = "projecten"
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="project_end_after_start"),
            models.CheckConstraint(
                condition=Q(opdrachtsom__isnull=True) | Q(opdrachtsom__gte=0), name="project_opdrachtsom_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(sr_percentage__isnull=True) | Q(sr_percentage__gte=0, sr_percentage__lte=100),
                name="project_percentage_0_100",
            ),
            models.CheckConstraint(condition=Q(verplichting__gte=0), name="project_verplichting_not_negative"),
            models.CheckConstraint(
                condition=Q(verplichting_vastgesteld__isnull=True) | Q(verplichting_vastgesteld__gte=0),
                name="project_vastgesteld_not_negative",
            ),
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
        ]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["status", "end_date"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def verplichting_current(self) -> Decimal:
        """The obligation that counts: vastgesteld when known, else the (estimated) amount."""
        return self.verplichting_vastgesteld if self.verplichting_vastgesteld is not None else self.verplichting

    @property
    def is_afgerond(self) -> bool:
        return self.status == ProjectStatus.AFGEROND

    @property
    def is_locked(self) -> bool:
        """Nothing of an approved or afgerond project changes any more, except closing it."""
        return self.status != ProjectStatus.ACTIEF

    def is_ended(self, today: date | None = None) -> bool:
        return self.end_date < (today or timezone.localdate())

    @property
    def shortfall(self) -> Decimal:
        """What is not (yet) realised of the obligation: the possible inhouding."""
        return max(ZERO, self.verplichting_current - self.sr_actueel)

    def percentage(self, amount: Decimal) -> Decimal:
        if not self.verplichting_current:
            return ZERO
        return (amount * 100 / self.verplichting_current).quantize(Decimal("0.1"))


class ChildQuerySet(models.QuerySet):
    def for_user(self, user: User) -> "ChildQuerySet":
        """Rows of the projects the user may see."""
        return self.filter(project__in=Project.objects.for_user(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Contact(models.Model):
    """A contactpersoon: the people who see and work on a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(User, verbose_name="contactpersoon", on_delete=models.PROTECT, related_name="contacts")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["user__name"]
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="contact_once_per_project")]

    def __str__(self) -> str:
        return f"{self.user} op {self.project}"


# Interne notities are for these roles of a project, never for its opdrachtnemer (SPEC §2).
NOTE_READERS = frozenset({OrganisationKind.OPDRACHTGEVER, OrganisationKind.WSP, OrganisationKind.COORDINATIEPUNT})


class NoteQuerySet(ChildQuerySet):
    def for_user(self, user: User) -> "NoteQuerySet":
        """The interne notities of the user's projects, for the roles that read them (`NOTE_READERS`)."""
        if not user.is_authenticated or user.role not in NOTE_READERS:
            return self.none()
        return cast("NoteQuerySet", super().for_user(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Note(models.Model):
    """An interne notitie of opdrachtgever, WSP and coördinatiepunt."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("notitie", max_length=5000)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "interne notitie"
        verbose_name_plural = "interne notities"

    def __str__(self) -> str:
        return f"Notitie van {self.author} ({self.created_at:%d-%m-%Y})"


def document_path(instance: "Document", filename: str) -> str:
    # Server-side names only: what the user called the file is kept in `original_name`.
    import uuid

    return f"documenten/{instance.project_id}/{uuid.uuid4().hex}.pdf"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField("bestandsnaam", max_length=255)
    size = models.PositiveIntegerField("grootte (bytes)")
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "document"
        verbose_name_plural = "documenten"
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=settings.DOCUMENT_MAX_BYTES), name="document_max_size")
        ]

    def __str__(self) -> str:
        return self.original_name


def kandidaat_match_key(surname: str, initials: str, birth_date: date) -> str:
    """Normalised surname + initials + date of birth: how overlap finds the same person (SPEC §5)."""
    import unicodedata

    def plain(text: str) -> str:
        stripped = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return "".join(ch for ch in stripped.lower() if ch.isalnum())

    return f"{plain(surname)}|{plain(initials)}|{birth_date.isoformat()}"


class KandidaatQuerySet(models.QuerySet["Kandidaat"]):
    def for_user(self, user: User) -> "KandidaatQuerySet":
        """An opdrachtnemer sees its own kandidaten; others those with inzet on projects they see."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role == OrganisationKind.OPDRACHTNEMER:
            return self.filter(opdrachtnemer_id=user.organisation_id)
        visible = Inzet.objects.filter(kandidaat=OuterRef("pk"), project__in=Project.objects.for_user(user))
        return self.filter(Exists(visible))

    def retention_due(self, closed_before: datetime) -> "KandidaatQuerySet":
        """Not yet pseudonymised, with lines, and every project of those lines afgerond before `closed_before`."""
        lines = Inzet.objects.filter(kandidaat=OuterRef("pk"))
        still_kept = lines.filter(
            ~Q(project__status=ProjectStatus.AFGEROND)
            | Q(project__closed_at__isnull=True)
            | Q(project__closed_at__gte=closed_before)
        )
        return self.filter(pseudonymised_at__isnull=True).filter(Exists(lines)).exclude(Exists(still_kept))


@pghistory.track()
class Kandidaat(models.Model):
    """A person placed by an opdrachtnemer; only what the rules need (AVG: no BSN, no documents)."""

    opdrachtnemer = models.ForeignKey(
        Organisation, verbose_name="opdrachtnemer", on_delete=models.PROTECT, related_name="kandidaten"
    )
    initials = models.CharField("voorletters", max_length=20)
    surname = models.CharField("achternaam", max_length=100)
    birth_date = models.DateField("geboortedatum")
    doelgroep = models.CharField("doelgroep", max_length=40)
    unemployed_since = models.DateField(
        "werkloos-werkzoekend sinds", null=True, blank=True, help_text="Alleen bij WW, Participatiewet of NUO."
    )
    match_key = models.CharField(max_length=200, editable=False, db_index=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set by the retention job (projects/services/retention.py): name and exact birth date are gone.
    pseudonymised_at = models.DateTimeField("gepseudonimiseerd op", null=True, blank=True, editable=False)

    objects = KandidaatQuerySet.as_manager()

    class Meta:
        ordering = ["surname", "initials"]
        verbose_name = "kandidaat"
        verbose_name_plural = "kandidaten"

    def __str__(self) -> str:
        return f"{self.initials} {self.surname}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.match_key = kandidaat_match_key(self.surname, self.initials, self.birth_date)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class InzetStatus(models.TextChoices):
    INGEVOERD = "ingevoerd", "Ingevoerd"
    GEVALIDEERD = "gevalideerd", "Gevalideerd door WSP"
    TERUGGESTUURD = "teruggestuurd", "Teruggestuurd"


class InzetQuerySet(ChildQuerySet):
    def waiting(self) -> "InzetQuerySet":
        return self.exclude(status=InzetStatus.GEVALIDEERD)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Inzet(models.Model):
    """One verantwoording line: a placement or cost on one project, valued by the policy engine."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inzet")
    kandidaat = models.ForeignKey(
        Kandidaat, verbose_name="kandidaat", on_delete=models.PROTECT, null=True, blank=True, related_name="inzet"
    )
    soort = models.CharField("soort inzet", max_length=30)
    start_date = models.DateField("startdatum")
    end_date = models.DateField("einddatum")
    amount = models.DecimalField("bedrag", max_digits=12, decimal_places=2, null=True, blank=True)
    hours_per_week = models.DecimalField("uren per week", max_digits=5, decimal_places=2, null=True, blank=True)
    niveau = models.CharField("niveau", max_length=10, blank=True)
    description = models.CharField("omschrijving", max_length=500, blank=True)
    status = models.CharField("status", max_length=20, choices=InzetStatus.choices, default=InzetStatus.INGEVOERD)
    return_reason = models.TextField("reden van terugsturen", blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The version in force at the line's start, and what it made of the line (kept by the services).
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    value_prognose = models.DecimalField("waarde (prognose)", max_digits=12, decimal_places=2, default=ZERO)
    value_actueel = models.DecimalField("waarde (actueel)", max_digits=12, decimal_places=2, default=ZERO)
    counts_from = models.DateField(null=True, blank=True)
    counts_until = models.DateField(null=True, blank=True)
    reasons = ArrayField(models.TextField(), default=list, blank=True)
    # The engine's value up to each quarter end inside counts_from–counts_until ({"2025-03-31": "1234.56"}):
    # with 0 before and value_prognose from counts_until on, the line's value up to any quarter end (the trend).
    value_at_quarter_ends = models.JSONField("waarde per kwartaaleinde", default=dict, blank=True)
    in_overleg_coordinatiepunt = models.BooleanField(default=False)
    # What the line was valued on from the kandidaat's other lines (services/valuation.py): a
    # validated line keeps these, so its value only follows the calendar. None: not recorded yet.
    first_workday = models.DateField("eerste werkdag", null=True, blank=True)
    first_workday_soort = models.CharField("soort van de eerste werkdag", max_length=30, blank=True)
    scholing_counted = models.DecimalField("scholing al geteld", max_digits=12, decimal_places=2, null=True, blank=True)
    # A validated line whose value the rules would now set otherwise (a sibling changed): that
    # value and its reasons, shown beside it to the WSP and the coördinatiepunt. None: no difference.
    rules_prognose = models.DecimalField(
        "waarde volgens de regels nu", max_digits=12, decimal_places=2, null=True, blank=True
    )
    rules_reasons = ArrayField(models.TextField(), default=list, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = InzetQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = "inzet"
        verbose_name_plural = "inzet"
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="inzet_end_after_start"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="inzet_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gte=0, hours_per_week__lte=168),
                name="inzet_hours_0_168",
            ),
            models.CheckConstraint(condition=Q(status__in=InzetStatus.values), name="inzet_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=InzetStatus.TERUGGESTUURD) | ~Q(return_reason=""), name="inzet_return_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["kandidaat", "start_date"])]

    def __str__(self) -> str:
        return f"{self.soort} {self.start_date:%d-%m-%Y}–{self.end_date:%d-%m-%Y}"

    @property
    def is_locked(self) -> bool:
        """A validated line is the WSP's; the opdrachtnemer can no longer change it."""
        return self.status == InzetStatus.GEVALIDEERD

    def set_value(self, values: v.LineValues) -> None:
        """Keep the engine's answer on the line (not saved): its values at the end, today and at the quarter ends
        between, the months that count and why. The one place a valuation lands on a line."""
        prognose, actueel = values.prognose, values.actueel
        self.value_prognose = prognose.value
        self.value_actueel = actueel.value
        self.value_at_quarter_ends = {day.isoformat(): str(value) for day, value in values.at_quarter_ends}
        self.counts_from, self.counts_until = prognose.counts_from, prognose.counts_until
        self.reasons = list(prognose.reasons)
        self.in_overleg_coordinatiepunt = prognose.in_overleg_coordinatiepunt

    def as_engine_line(
        self, *, first_workday: date | None, first_workday_soort: str | None, scholing_already_counted: Decimal
    ) -> v.InzetData:
        kandidaat = self.kandidaat
        return v.InzetData(
            soort=self.soort,
            start=self.start_date,
            end=self.end_date,
            project_start=self.project.start_date,
            project_end=self.project.end_date,
            doelgroep=kandidaat.doelgroep if kandidaat else None,
            amount=self.amount,
            hours_per_week=self.hours_per_week,
            niveau=self.niveau or None,
            description=self.description,
            first_workday=first_workday,
            first_workday_soort=first_workday_soort,
            scholing_already_counted=scholing_already_counted,
            birth_date=kandidaat.birth_date if kandidaat else None,
            unemployed_since=kandidaat.unemployed_since if kandidaat else None,
        )


class InvulbestandStatus(models.TextChoices):
    """Where an upload is: a large file is checked and added by Celery (services/invulbestand.py)."""

    CHECKING = "checking", "Wordt gecontroleerd"
    CHECKED = "checked", "Gecontroleerd"
    ADDING = "adding", "Wordt toegevoegd"
    ADDED = "added", "Toegevoegd"


class InvulbestandQuerySet(models.QuerySet["Invulbestand"]):
    def for_user(self, user: User) -> "InvulbestandQuerySet":
        """A user's own uploads, on projects the user (still) sees: a check is personal until it is committed."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(uploaded_by=user, project__in=Project.objects.for_user(user))


class Invulbestand(models.Model):
    """An uploaded invulbestand and what its check found (projects/invulbestand.py); no line is saved from
    it at this step. The file is kept in the database (at most 5 MB) for the error workbook and the commit;
    it is removed INVULBESTAND_KEEP_DAYS after the upload (`services.invulbestand.invulbestanden_cleanup`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invulbestanden")
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField("bestandsnaam", max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=InvulbestandStatus.choices, default=InvulbestandStatus.CHECKED)
    # When the check or the commit was handed to Celery; the sweep hands it over again if its worker died.
    queued_at = models.DateTimeField(null=True, blank=True)
    # Why the last commit in the background added nothing (Dutch); the file can be added again.
    error = models.TextField(blank=True)
    rows = models.PositiveIntegerField("rijen", default=0)
    new = models.PositiveIntegerField("nieuwe regels", default=0)
    changed = models.PositiveIntegerField("gewijzigde regels", default=0)
    # [{"row": 14, "column": "Startdatum", "message": "…"}, …]: what the check found, in the order of the file.
    problems = models.JSONField("fouten", default=list, blank=True)
    # What Regels toevoegen would do, row by row, with the value of each and the project's SR before and after
    # ({"rows": [{"row": 2, "kandidaat": "P. de Vries", "prognose": "1071.08", …}], "sr_prognose": [before, after]}).
    preview = models.JSONField("voorbeeld", default=dict, blank=True)
    # The revision of each existing line a row changes, as checked: the commit leaves a line changed since alone.
    line_revisions = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField("toegevoegd op", null=True, blank=True)
    added = models.PositiveIntegerField("regels toegevoegd", default=0)
    updated = models.PositiveIntegerField("regels gewijzigd", default=0)
    # [{"row": 3, "message": "…"}, …]: rows the commit left alone (already there, changed by someone else).
    report = models.JSONField("verslag", default=list, blank=True)

    objects = InvulbestandQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "invulbestand"
        verbose_name_plural = "invulbestanden"
        constraints = [
            models.CheckConstraint(condition=Q(rows__lte=5000), name="invulbestand_max_rows"),
            models.CheckConstraint(condition=Q(status__in=InvulbestandStatus.values), name="invulbestand_status_valid"),
            models.CheckConstraint(
                condition=Q(status=InvulbestandStatus.ADDED, committed_at__isnull=False)
                | (~Q(status=InvulbestandStatus.ADDED) & Q(committed_at__isnull=True)),
                name="invulbestand_added_when_committed",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class RetentionRun(models.Model):
    """One run of the retention job: counts and ids only, never the personal data it removed."""

    started_at = models.DateTimeField("gestart")
    finished_at = models.DateTimeField("klaar", null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField("bewaartermijn (jaren)")
    closed_before = models.DateTimeField("projecten afgerond voor")
    kandidaten = models.PositiveIntegerField("kandidaten gepseudonimiseerd", default=0)
    kandidaat_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    inzet_lines = models.PositiveIntegerField("regels met tekst geschoond", default=0)
    history_rows = models.PositiveIntegerField("historieregels geschoond", default=0)
    mails = models.PositiveIntegerField("e-mails geschoond", default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "pseudonimisering na bewaartermijn"
        verbose_name_plural = "pseudonimiseringen na bewaartermijn"

    def __str__(self) -> str:
        return f"{self.started_at:%d-%m-%Y %H:%M}: {counted('kandidaten', self.kandidaten)}"

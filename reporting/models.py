import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Region, User


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "In de wachtrij"
    RUNNING = "running", "Wordt gemaakt"
    DONE = "done", "Klaar"
    FAILED = "failed", "Mislukt"


class ExportQuerySet(models.QuerySet["Export"]):
    def for_user(self, user: User) -> "ExportQuerySet":
        """Exports are personal: only the user who asked for one sees it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


def export_path(instance: "Export", filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.xlsx"


class Export(models.Model):
    """A large Excel export, built by Celery so no request times out (SPEC §7)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="exports")
    report = models.CharField("rapport", max_length=50)
    params = models.JSONField("filters", default=dict, blank=True)
    title = models.CharField("titel", max_length=200)
    filename = models.CharField("bestandsnaam", max_length=200)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField("regels", default=0)
    rows_done = models.PositiveIntegerField("regels klaar", default=0)
    file = models.FileField(upload_to=export_path, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "export"
        verbose_name_plural = "exports"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="export_status_valid"),
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")), name="export_progress_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percentage(self) -> int:
        return (
            100
            if self.status == ExportStatus.DONE
            else int(self.rows_done * 100 / self.rows_total)
            if self.rows_total
            else 0
        )


class RegionImportStatus(models.TextChoices):
    CHECKING = "checking", "Wordt gecontroleerd"
    CHECKED = "checked", "Gecontroleerd"
    REFUSED = "refused", "Niet te importeren"
    IMPORTING = "importing", "Wordt geïmporteerd"
    IMPORTED = "imported", "Geïmporteerd"


class RegionImportQuerySet(models.QuerySet["RegionImport"]):
    def for_user(self, user: User) -> "RegionImportQuerySet":
        """Imports are functioneel beheer's: no one else sees them."""
        if not user.is_authenticated or not user.is_superuser:
            return self.none()
        return self.all()


class RegionImport(models.Model):
    """A region workbook (issue #32) on its way in: uploaded, checked by a trial run, imported — or run by
    `manage.py import_region`. Which file, by whom, what it made or would make, its problems and where recorded
    values differ from the engine's. The Historie of each project it made names its file (the audit context)."""

    region = models.ForeignKey(
        Region, verbose_name="regio", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField("bestandsnaam", max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(default=b"")  # the upload, until it is imported or refused
    by = models.ForeignKey(
        User, verbose_name="door", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("geüpload op", default=timezone.now)
    status = models.CharField(max_length=10, choices=RegionImportStatus.choices, default=RegionImportStatus.CHECKING)
    imported_at = models.DateTimeField("geïmporteerd op", null=True, blank=True)
    created = models.JSONField("nieuw per blad", default=dict, blank=True)
    existing = models.JSONField("al aanwezig per blad", default=dict, blank=True)
    # Per problem {"message", "row", "column", "sheet"}; per difference `region_import.Difference.as_json`.
    problems = models.JSONField("problemen", default=list, blank=True)
    differences = models.JSONField("verschillen", default=list, blank=True)
    error = models.TextField(blank=True)

    objects = RegionImportQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = "regio-import"
        verbose_name_plural = "regio-imports"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RegionImportStatus.values), name="region_import_status_valid")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.at:%d-%m-%Y})"


class ImportedKey(models.Model):
    """A key of a region workbook and the row the import made of it (issue #32): the same file imported again finds
    its keys here and makes nothing twice."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    sheet = models.CharField("blad", max_length=40)
    key = models.CharField("sleutel", max_length=254)
    object_id = models.PositiveBigIntegerField()
    imported_at = models.DateTimeField(default=timezone.now)
    run = models.ForeignKey(RegionImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="keys")

    class Meta:
        verbose_name = "geïmporteerde sleutel"
        verbose_name_plural = "geïmporteerde sleutels"
        constraints = [models.UniqueConstraint(fields=["region", "sheet", "key"], name="imported_key_once")]
        indexes = [models.Index(fields=["sheet", "object_id"])]  # which import made a row

    def __str__(self) -> str:
        return f"{self.sheet} {self.key}"

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .permissions import can_read_outbox


class MailStatus(models.TextChoices):
    PENDING = "pending", "Wacht op verzending"
    SENT = "sent", "Verzonden"
    FAILED = "failed", "Mislukt"


class MailQuerySet(models.QuerySet["Mail"]):
    def for_region(self, region_id: int | None) -> "MailQuerySet":
        return self.filter(region_id=region_id)

    def for_user(self, user: Any) -> "MailQuerySet":
        """Functioneel beheer reads every mail, a coördinatiepunt its own region's; nobody else any
        (`permissions.can_read_outbox`)."""
        if not can_read_outbox(user):
            return self.none()
        return self.all() if user.is_superuser else self.for_region(user.region.pk)

    def due(self, now: object = None) -> "MailQuerySet":
        """Pending mails whose (next) attempt is due."""
        return self.filter(status=MailStatus.PENDING, next_attempt_at__lte=now or timezone.now())


class Mail(models.Model):
    """The outbox: one row per mail, written in the transaction of the change that causes it.

    The unique key makes every mail exist once (e.g. `reminder:<project>:<n>`), however often
    the code that causes it runs; the row's status makes it leave once."""

    key = models.CharField("sleutel", max_length=200, unique=True)
    template = models.CharField("soort", max_length=100)
    to = ArrayField(models.EmailField(), verbose_name="aan")
    reply_to = ArrayField(models.EmailField(), default=list, blank=True)
    subject = models.CharField("onderwerp", max_length=300)
    text = models.TextField()
    html = models.TextField()
    # A plain number, not a foreign key: notifications depends on no other app.
    region_id = models.IntegerField(null=True, blank=True, db_index=True)
    status = models.CharField("status", max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)
    last_error = models.TextField("laatste fout", blank=True)
    created_at = models.DateTimeField("aangemaakt", default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("verzonden", null=True, blank=True)

    objects = MailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "e-mail"
        verbose_name_plural = "e-mails"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MailStatus.values), name="mail_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=MailStatus.SENT) | Q(sent_at__isnull=False), name="mail_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

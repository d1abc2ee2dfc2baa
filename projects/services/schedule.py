"""The daily job: kwartaalherinneringen and the end-of-project signal (SPEC §6).

It sends what is due *and not yet sent*: the outbox key of each mail (`reminder:<project>:<n>`,
`signal-end:<project>`) is the stamp, written in the same transaction as the mail. So a second
run the same day sends nothing, and a day that was missed is caught up by the next run.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.mail import mail_send
from notifications.models import Mail
from policy.valuation import add_months

from ..models import Contact, Project, ProjectStatus

REMINDER_MONTHS = 3


def reminder_number(project: Project, today: date) -> int:
    """How many whole quarters of the project have passed (0: no reminder due yet)."""
    months = (today.year - project.start_date.year) * 12 + today.month - project.start_date.month
    if add_months(project.start_date, months) > today:
        months -= 1
    return max(0, months // REMINDER_MONTHS)


def daily_schedule_run(today: date | None = None) -> dict[str, int]:
    """Send the reminders and signals that are due. Returns how many of each went into the outbox."""
    today = today or timezone.localdate()
    active = Project.objects.filter(status=ProjectStatus.ACTIEF)
    # A reminder is due in the quarter that has started and while the project runs; only the
    # latest one, so a missed day doesn't send a backlog of old reminders.
    due = {}
    for project in active.filter(start_date__lte=today, end_date__gte=today).only("pk", "start_date", "region_id"):
        number = reminder_number(project, today)
        if number:
            due[f"reminder:{project.pk}:{number}"] = project
    sent_keys = set(Mail.objects.filter(key__in=due).values_list("key", flat=True))
    reminders = 0
    for key, project in due.items():
        if key not in sent_keys:
            reminders += _reminder_send(project.pk, key, reminder_number(project, today))

    ended = active.filter(end_date__lt=today).values_list("pk", flat=True)
    signal_keys = {f"signal-end:{pk}": pk for pk in ended}
    sent_keys = set(Mail.objects.filter(key__in=signal_keys).values_list("key", flat=True))
    signals = sum(_end_signal_send(pk, key) for key, pk in signal_keys.items() if key not in sent_keys)
    return {"reminders": reminders, "signals": signals}


@transaction.atomic
def _reminder_send(project_id: int, key: str, number: int) -> int:
    project = Project.objects.select_related("opdrachtnemer").get(pk=project_id)
    recipients = list(
        Contact.objects.filter(
            project=project, user__organisation_id=project.opdrachtnemer_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    mail = mail_send(
        to=recipients,
        template="kwartaalherinnering",
        context={
            "project": project,
            "months": number * REMINDER_MONTHS,
            "link": reverse("projects:detail", args=[project.pk]),
        },
        key=key,
        region_id=project.region_id,
    )
    return int(mail is not None)


@transaction.atomic
def _end_signal_send(project_id: int, key: str) -> int:
    project = Project.objects.select_related("accountmanager").get(pk=project_id)
    mail = mail_send(
        to=[project.accountmanager.email] if project.accountmanager.is_active else [],
        template="signaal_einde_project",
        context={"project": project, "link": reverse("projects:detail", args=[project.pk])},
        key=key,
        region_id=project.region_id,
    )
    return int(mail is not None)

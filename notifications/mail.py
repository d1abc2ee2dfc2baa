"""The one way the portal sends mail: through the outbox.

Apps call `mail_send` inside the transaction that causes the mail. It writes an outbox row
(unique key: a mail exists once) in that transaction; after commit a Celery task sends it.
When Redis or the worker is down the row simply waits: the periodic sweep sends it later.
"""

import logging
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from time import monotonic
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Mail, MailStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mail_render(*, template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """Render subject, plain text and HTML of `emails/<template>.*` with the shared context."""
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}.subject.txt", full_context).split())
    text = render_to_string(f"emails/{template}.txt", full_context)
    html = render_to_string(f"emails/{template}.html", full_context)
    return subject, text, html


def mail_send(
    *,
    to: Sequence[str],
    template: str,
    context: Mapping[str, Any],
    key: str,
    reply_to: Sequence[str] = (),
    region_id: int | None = None,
) -> Mail | None:
    """Put a mail in the outbox (once per key) and send it after the current transaction commits.

    Returns the new outbox row, or None when a mail with this key already exists."""
    if not to:
        return None
    subject, text, html = mail_render(template=template, context=context)
    mail, created = Mail.objects.get_or_create(
        key=key,
        defaults={
            "template": template,
            "to": list(to),
            "reply_to": list(reply_to),
            "subject": subject[:300],
            "text": text,
            "html": html,
            "region_id": region_id,
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda: mail_enqueue(mail.pk))
    return mail


# Each try at a broker that is down waits for its connect timeout (CELERY_BROKER_CONNECTION_TIMEOUT, 2 s). After
# one failed, this process leaves the broker alone for ten seconds: inviting the 40 accounts of a region (40
# welkomstmails in one commit) must not keep the coördinatiepunt waiting 80 s. The outbox rows are safe; the sweep
# (every five minutes) sends them.
BROKER_PAUSE_SECONDS = 10.0
_broker_paused_until = 0.0


def broker_pause_end() -> None:
    """Try the broker again with the next mail (a test that took the broker down ends its pause)."""
    global _broker_paused_until
    _broker_paused_until = 0.0


def mail_enqueue(mail_id: int) -> None:
    """Hand the mail to Celery; if the broker is unreachable the sweep sends it later."""
    global _broker_paused_until
    from .tasks import send_mail

    if monotonic() < _broker_paused_until:
        logger.info("mail %s not queued (the broker was unreachable moments ago); the sweep will send it", mail_id)
        return
    try:
        send_mail.apply_async(args=[mail_id], retry=False)
    except Exception:  # any broker failure: the outbox row is safe and the sweep will send it
        _broker_paused_until = monotonic() + BROKER_PAUSE_SECONDS
        logger.warning("mail %s not queued (broker unreachable); the sweep will send it", mail_id, exc_info=True)


class DeliveryError(Exception):
    """Sending failed; the attempt is recorded and the mail will be tried again."""


def mail_deliver(mail_id: int) -> bool:
    """Send one pending mail. Returns True when this call sent it.

    The row stays locked while the message goes out, so two workers never send it both;
    a mail already sent (or being sent) is skipped."""
    error: Exception | None = None
    with transaction.atomic():
        mail = Mail.objects.select_for_update(skip_locked=True).filter(pk=mail_id, status=MailStatus.PENDING).first()
        if mail is None:
            return False
        message = EmailMultiAlternatives(mail.subject, mail.text, to=mail.to, reply_to=mail.reply_to)
        message.attach_alternative(mail.html, "text/html")
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:  # SMTP, network, or a message the server refuses: record it, try again later
            error = exc
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            mail.status = MailStatus.FAILED if mail.attempts >= MAX_ATTEMPTS else MailStatus.PENDING
            mail.next_attempt_at = timezone.now() + timedelta(seconds=min(3600, 30 * 2 ** (mail.attempts - 1)))
        else:
            mail.status, mail.sent_at, mail.last_error = MailStatus.SENT, timezone.now(), ""
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])
    if error is not None:
        # SMTP errors name the recipients: the log and the task's retry message get the error without
        # them (and without the original exception chained), the row keeps it for the outbox page.
        reason = EMAIL_ADDRESS.sub("<adres>", f"{type(error).__name__}: {error}")
        logger.warning("mail %s failed (attempt %s): %s", mail_id, mail.attempts, reason)
        raise DeliveryError(reason) from None
    logger.info("mail sent id=%s key=%s", mail.pk, mail.key)
    return True


def mail_sweep(limit: int = 500) -> int:
    """Send what is due and still pending (e.g. saved while Redis was down). Returns the number sent."""
    sent = 0
    for mail_id in Mail.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        try:
            sent += mail_deliver(mail_id)
        except DeliveryError:
            continue
    return sent


@transaction.atomic
def mail_resend(*, mail: Mail) -> None:
    """Try a failed mail again (coördinatiepunt, from the outbox page)."""
    Mail.objects.filter(pk=mail.pk, status=MailStatus.FAILED).update(
        status=MailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: mail_enqueue(mail.pk))


# What each template is, in words a coördinatiepunt uses (SPEC §6).
TEMPLATE_LABELS = {
    "welkomstmail": "Welkomstmail",
    "toegevoegd_aan_project": "Toegevoegd aan project",
    "kwartaalherinnering": "Kwartaalherinnering",
    "signaal_einde_project": "Signaal einde project",
    "sr_goedgekeurd": "SR goedgekeurd",
    "regel_teruggestuurd": "Regel teruggestuurd",
    "invulbestand_toegevoegd": "Regels uit een invulbestand",
    "authenticator_gereset": "Authenticator gereset",
    "wachtwoord_vergeten": "Wachtwoord vergeten",
    "wachtwoord_gewijzigd": "Wachtwoord gewijzigd",
    "hulp_nodig": "Hulp nodig",
    "verwijtbaarheid": "Verwijtbaarheid",
}


def template_label(template: str) -> str:
    """The kind of mail in the words of the outbox and the admin: "Welkomstmail"."""
    return TEMPLATE_LABELS.get(template, template)

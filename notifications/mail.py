"""The one way the portal sends mail.

Apps call `mail_send` inside the transaction that causes the mail; the message leaves only
once that transaction commits. Every mail carries an idempotency key (e.g.
`welcome:<user>:<stamp>`) so the outbox can later guarantee it is sent exactly once.
"""

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


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
) -> None:
    """Send the mail `template` to `to` after the current transaction commits."""
    subject, text, html = mail_render(template=template, context=context)
    message = EmailMultiAlternatives(subject, text, to=list(to), reply_to=list(reply_to))
    message.attach_alternative(html, "text/html")

    def send() -> None:
        message.send()
        logger.info("mail sent key=%s template=%s", key, template)

    transaction.on_commit(send)

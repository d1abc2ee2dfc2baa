"""Thin tasks: take ids, call the outbox functions."""

from typing import Any

from celery import shared_task

from .mail import DeliveryError, mail_deliver, mail_sweep


@shared_task(bind=True, max_retries=7, acks_late=True)
def send_mail(self: Any, mail_id: int) -> bool:
    """Send one outbox mail; on an SMTP error retry with back-off (the sweep is the safety net)."""
    try:
        return mail_deliver(mail_id)
    except DeliveryError as exc:
        raise self.retry(exc=exc, countdown=min(3600, 30 * 2**self.request.retries)) from exc


@shared_task
def sweep_outbox() -> int:
    return mail_sweep()

"""The outbox: a mail exists once per key, is saved with the change that causes it, and leaves once."""

import smtplib
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from notifications import mail as outbox
from notifications.mail import BROKER_PAUSE_SECONDS
from notifications.models import Mail, MailStatus
from tests.conftest import committed, travel

pytestmark = pytest.mark.django_db

CONTEXT = {
    "name": "Piet",
    "email": "piet@voorbeeld.invalid",
    "phone": "",
    "message": "Vraag",
    "region": {"name": "Drenthe"},
}


def send(key: str = "test:1", **extra):  # type: ignore[no-untyped-def]
    return outbox.mail_send(to=["csr@voorbeeld.invalid"], template="hulp_nodig", context=CONTEXT, key=key, **extra)


def test_a_mail_is_an_outbox_row_that_is_sent_after_commit():
    with committed():
        row = send(region_id=7)
        assert mail.outbox == [], "nothing leaves before the transaction commits"
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.sent_at and row.attempts == 1 and row.region_id == 7
    assert [message.to for message in mail.outbox] == [["csr@voorbeeld.invalid"]]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_rolled_back_change_sends_no_mail():
    with committed():
        try:
            with transaction.atomic():
                send()
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert not Mail.objects.exists() and mail.outbox == []


def test_the_same_key_makes_one_mail_however_often_it_is_sent():
    with committed():
        assert send("reminder:1:1") is not None
        assert send("reminder:1:1") is None
    assert Mail.objects.count() == 1 and len(mail.outbox) == 1


def test_delivering_twice_sends_once():
    row = send()
    assert outbox.mail_deliver(row.pk) is True
    assert outbox.mail_deliver(row.pk) is False
    assert len(mail.outbox) == 1


def test_an_smtp_error_is_recorded_and_retried_later_then_given_up(monkeypatch):
    row = send()

    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("verbinding verbroken")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(outbox.DeliveryError):
        outbox.mail_deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.PENDING, 1)
    assert "verbinding verbroken" in row.last_error and row.next_attempt_at > row.created_at
    assert outbox.mail_sweep() == 0, "not due yet: back-off"
    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        with travel(timedelta(hours=attempt)):
            assert outbox.mail_sweep() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.FAILED, outbox.MAX_ATTEMPTS)

    monkeypatch.undo()
    with committed():
        outbox.mail_resend(mail=row)
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and len(mail.outbox) == 1


def test_a_broker_that_is_down_does_not_break_the_save(monkeypatch):
    def broker_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("Redis is niet bereikbaar")

    monkeypatch.setattr("notifications.tasks.send_mail.apply_async", broker_down)
    with committed():
        row = send()
    row.refresh_from_db()
    assert row.status == MailStatus.PENDING and mail.outbox == []
    assert outbox.mail_sweep() == 1
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and len(mail.outbox) == 1


def test_after_the_broker_refused_a_mail_the_next_ones_wait_for_the_sweep_without_trying_it(monkeypatch):
    """Each try waits for the connect timeout: forty welkomstmails must not each wait for a broker that is down."""
    tries = []

    def broker_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        tries.append(kwargs["args"])
        raise ConnectionRefusedError("Redis is niet bereikbaar")

    monkeypatch.setattr("notifications.tasks.send_mail.apply_async", broker_down)
    with committed():
        rows = [send(key=f"pauze-{number}") for number in range(5)]
    assert len(tries) == 1
    assert Mail.objects.filter(pk__in=[row.pk for row in rows], status=MailStatus.PENDING).count() == 5

    later = time.monotonic() + BROKER_PAUSE_SECONDS + 1
    with mock.patch("notifications.mail.monotonic", return_value=later), committed():
        send(key="na-de-pauze")
    assert len(tries) == 2, "after the pause the broker is tried again"

    monkeypatch.undo()
    assert outbox.mail_sweep() == 6
    assert len(mail.outbox) == 6

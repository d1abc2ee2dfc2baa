"""A large invulbestand added by a real Celery worker that is killed halfway (issue #30): nothing of the file is
left in the verantwoording, and the sweep's retry adds it once.

The worker is halted in the middle of the commit by the database itself: the file's scholing row makes the
kandidaat's later scholing line on another project worth less (the cap is per kandidaat), and this test holds
that line's row lock, so the worker's revaluation waits there, after the file's lines are written. The worker
is then killed with SIGKILL (no warm shutdown, no acknowledgement)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from projects.invulbestand import kandidaat_label
from projects.models import Invulbestand, InvulbestandStatus, Inzet
from projects.services.invulbestand import invulbestand_check, invulbestand_commit_queue, invulbestanden_resume
from tests.locks import row_locked
from tests.notifications.test_worker import mail_dir, real_broker, redis, wait_for, worker  # noqa: F401 - fixtures
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project
from tests.projects.test_invulbestand import stage, workbook_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def waiting_for_a_lock() -> bool:
    """Some session of this database waits for a row lock (the worker, at the line this test holds)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def test_a_worker_killed_halfway_leaves_nothing_and_the_retry_adds_the_file_once(olga, otto, wim, worker, settings):  # noqa: F811 - worker: the fixture
    project = brug_veenhoven(olga, otto, wim)
    other = make_project(
        name="Sluis Oosterveld",
        opdrachtgever=olga.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=wim,
        start_date=project.start_date,
        end_date=project.end_date,
    )
    kandidaat = make_kandidaat(otto.organisation, doelgroep="ww", unemployed_since=date(2020, 1, 1))
    later = make_inzet(
        other,
        kandidaat,
        soort="scholing",
        start_date=project.start_date + timedelta(days=60),
        end_date=project.start_date + timedelta(days=80),
        amount=Decimal("1500"),
        niveau="",
    )
    nobody = dict.fromkeys(("initials", "surname", "birth_date", "doelgroep"))
    rows = [
        stage(project, **nobody, kandidaat=kandidaat_label(kandidaat), soort="scholing", amount=Decimal("2000"),
              niveau=None, start_date=project.start_date + timedelta(days=10),
              end_date=project.start_date + timedelta(days=30)),
        stage(project),
        stage(project, surname="Bakker"),
    ]  # fmt: skip
    upload = SimpleUploadedFile("regels.xlsx", workbook_bytes(rows))
    file = invulbestand_check(project=project, upload=upload, by=otto)
    assert file.status == InvulbestandStatus.CHECKED and file.problems == [] and file.new == 3
    settings.INVULBESTAND_IN_REQUEST_ROWS = 1  # a large file from here on: this process queues, a worker adds

    with row_locked(Inzet, later.pk):
        worker.start()
        invulbestand_commit_queue(upload=file, by=otto)  # handed to the worker when this commits
        wait_for(waiting_for_a_lock, "the worker to reach the later line", log=worker.log)
        worker.kill()
    # The killed worker's backend finishes its statement, finds its client gone and rolls back.
    wait_for(lambda: invulbestanden_resume(timezone.now() + timedelta(minutes=5)) == 1, "the dead worker's lock")

    assert Invulbestand.objects.get(pk=file.pk).status == InvulbestandStatus.ADDING
    assert Inzet.objects.filter(project=project).count() == 0, "nothing of the file"
    later.refresh_from_db()
    assert later.value_prognose == Decimal("1500.00")

    worker.start()  # the sweep handed it over again (above): a new worker adds it
    wait_for(
        lambda: Invulbestand.objects.get(pk=file.pk).status == InvulbestandStatus.ADDED,
        "the retry to add the file",
        log=worker.log,
    )
    assert Inzet.objects.filter(project=project).count() == 3
    later.refresh_from_db()
    assert later.value_prognose == Decimal("500.00"), "the cap counted the file's scholing first"
    assert invulbestanden_resume(timezone.now() + timedelta(minutes=5)) == 0

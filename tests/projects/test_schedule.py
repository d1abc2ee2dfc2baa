"""Kwartaalherinneringen and the end-of-project signal, over a simulated year and more."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from notifications.models import Mail
from projects.models import Project, ProjectStatus
from projects.services.schedule import daily_schedule_run
from tests.conftest import committed
from tests.projects.cast import brug_veenhoven

pytestmark = pytest.mark.django_db
START = date(2025, 1, 15)


@pytest.fixture
def project(olga, otto, wim):
    # 14 months: 15-01-2025 to 14-03-2026
    return brug_veenhoven(
        olga,
        otto,
        wim,
        name="Veertien maanden",
        start_date=START,
        end_date=date(2026, 3, 14),
    )


def run_on(day: date) -> dict[str, int]:
    with time_machine.travel(day.isoformat() + " 07:00 +01:00", tick=False), committed():
        return daily_schedule_run(day)


def mails(template: str) -> list:  # type: ignore[type-arg]
    return [message for message in mail.outbox if Mail.objects.get(subject=message.subject).template == template]


def test_a_14_month_project_gets_its_quarterly_reminders_and_one_end_signal(project, otto, wim):
    day = START
    while day <= date(2026, 6, 30):
        run_on(day)
        day += timedelta(days=1)
    reminders = Mail.objects.filter(template="kwartaalherinnering").order_by("created_at")
    assert [row.key for row in reminders] == [f"reminder:{project.pk}:{n}" for n in (1, 2, 3, 4)]
    assert all(row.to == [otto.email] for row in reminders)
    assert [row.created_at.date() for row in reminders] == [
        date(2025, 4, 15),
        date(2025, 7, 15),
        date(2025, 10, 15),
        date(2026, 1, 15),
    ]
    signals = Mail.objects.filter(template="signaal_einde_project")
    assert [(row.to, row.created_at.date()) for row in signals] == [([wim.email], date(2026, 3, 15))]
    assert len(mail.outbox) == 5


def test_running_twice_on_the_same_day_sends_nothing_new(project):
    assert run_on(date(2025, 4, 15)) == {"reminders": 1, "signals": 0}
    assert run_on(date(2025, 4, 15)) == {"reminders": 0, "signals": 0}
    assert len(mail.outbox) == 1


def test_a_day_missed_is_caught_up_the_next_day(project):
    run_on(date(2025, 4, 14))
    # Beat was down on 15-04: nothing ran. The next day sends the reminder that became due.
    assert run_on(date(2025, 4, 16)) == {"reminders": 1, "signals": 0}
    # Weeks without runs: only the latest quarter's reminder goes, not a backlog.
    assert run_on(date(2026, 1, 17)) == {"reminders": 1, "signals": 0}
    assert run_on(date(2026, 3, 17)) == {"reminders": 0, "signals": 1}
    assert sorted(Mail.objects.values_list("key", flat=True)) == sorted(
        [f"reminder:{project.pk}:1", f"reminder:{project.pk}:4", f"signal-end:{project.pk}"]
    )


def test_nothing_after_afgerond(project):
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.AFGEROND)
    for day in (date(2025, 4, 15), date(2026, 3, 15), date(2026, 6, 15)):
        assert run_on(day) == {"reminders": 0, "signals": 0}
    assert not Mail.objects.exists()

"""Benchmark: the daily job (reminders and end signals) over the bench dataset, run twice.

    bench/run bench/daily_job.py

The first run puts what is due in the outbox; the second run, the same day, must add nothing
(each mail exactly once). Mails are not sent (the outbox rows are left pending and removed).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")

import django  # noqa: E402

django.setup()

from unittest import mock  # noqa: E402

from notifications.models import Mail  # noqa: E402
from projects.models import Project  # noqa: E402
from projects.services.schedule import daily_schedule_run  # noqa: E402


def main() -> None:
    projects = Project.objects.count()
    before = set(Mail.objects.values_list("pk", flat=True))
    with mock.patch("notifications.mail.mail_enqueue"):  # measure the job, not the mail server
        began = time.perf_counter()
        first = daily_schedule_run()
        middle = time.perf_counter()
        second = daily_schedule_run()
        end = time.perf_counter()
    new = Mail.objects.exclude(pk__in=before)
    keys = list(new.values_list("key", flat=True))
    print(f"daily job over {projects:,} projects")
    print(f"  first run:  {middle - began:6.1f} s  {first}")
    print(f"  second run: {end - middle:6.1f} s  {second} (must be zero)")
    print(f"  outbox rows {len(keys):,}, unique keys {len(set(keys)):,}")
    new.delete()


if __name__ == "__main__":
    main()

"""Benchmark: a 100,000-line Excel export through a real Celery worker (SPEC §7, issue 6).

Loads (once) one project with N kandidaten, each with one inzet line, starts a solo Celery
worker on the local Redis, queues the Rapportage kandidaten export as a user would, waits for
it and prints the time and the worker's peak memory (VmHWM) next to its idle memory.

    bench/run bench/export_celery.py --rows 100000
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Organisation, OrganisationKind, Region, User  # noqa: E402
from policy.models import PolicyVersion  # noqa: E402
from projects.models import Contact, Inzet, Kandidaat, Project, kandidaat_match_key  # noqa: E402
from reporting.exports import export_queue  # noqa: E402
from reporting.models import Export, ExportStatus  # noqa: E402

NAME = "Benchmark export"


def load(rows: int) -> tuple[User, Project]:
    region = Region.objects.get(slug="drenthe")
    og, _ = Organisation.objects.get_or_create(
        name="Gemeente Bench", kind=OrganisationKind.OPDRACHTGEVER, region=region
    )
    on, _ = Organisation.objects.get_or_create(name="Bench Bouw B.V.", kind=OrganisationKind.OPDRACHTNEMER)
    wsp, _ = Organisation.objects.get_or_create(name="WSP Bench", kind=OrganisationKind.WSP, region=region)
    user = User.objects.filter(email="bench@bench.invalid").first() or User.objects.create_user(
        "bench@bench.invalid", name="Bench", organisation=og
    )
    manager = User.objects.filter(email="wsp@bench.invalid").first() or User.objects.create_user(
        "wsp@bench.invalid", name="WSP", organisation=wsp
    )
    project = Project.objects.filter(name=NAME).first()
    if project and project.inzet.count() == rows:
        return user, project
    with transaction.atomic():
        Project.objects.filter(name=NAME).delete()
        Kandidaat.objects.filter(opdrachtnemer=on).delete()
        start = timezone.localdate() - timedelta(days=400)
        project = Project.objects.create(
            name=NAME,
            opdrachtgever=og,
            opdrachtnemer=on,
            accountmanager=manager,
            region=region,
            start_date=start,
            end_date=start + timedelta(days=800),
            contract_type="sr_verplichting",
            verplichting=Decimal(1_000_000),
        )
        # Directly, not through contact_ensure: a benchmark fixture, no mail to the bench user.
        Contact.objects.create(project=project, user=user)
        version = PolicyVersion.objects.in_force(region=region, day=start)
        kandidaten = Kandidaat.objects.bulk_create(
            [
                Kandidaat(
                    opdrachtnemer=on,
                    initials="A.",
                    surname=f"Kandidaat {n}",
                    birth_date=date(1990, 1, 1),
                    doelgroep="ww",
                    match_key=kandidaat_match_key(f"Kandidaat {n}", "A.", date(1990, 1, 1)),
                )
                for n in range(rows)
            ],
            batch_size=5000,
        )
        Inzet.objects.bulk_create(
            [
                Inzet(
                    project=project,
                    kandidaat=k,
                    soort="baan",
                    start_date=start + timedelta(days=n % 300),
                    end_date=start + timedelta(days=n % 300 + 180),
                    amount=Decimal(2500),
                    hours_per_week=Decimal(32),
                    policy_version=version,
                    value_prognose=Decimal(15000),
                    value_actueel=Decimal(9000),
                )
                for n, k in enumerate(kandidaten)
            ],
            batch_size=5000,
        )
    return user, project


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    began = time.perf_counter()
    user, _ = load(args.rows)
    print(f"data: {args.rows:,} lines ready in {time.perf_counter() - began:.1f} s")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "srmonitor",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        time.sleep(4)
        idle = memory_kb(worker.pid, "VmRSS")
        Export.objects.filter(user=user).delete()
        from reporting.reports import REPORTS

        report = REPORTS["kandidaten"]
        queued = time.perf_counter()
        export = export_queue(
            user=user,
            report="kandidaten",
            params={},
            title=report.title,
            filename="bench.xlsx",
            rows=report.count(user, {}),
        )
        while Export.objects.filter(pk=export.pk, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).exists():
            time.sleep(0.5)
        seconds = time.perf_counter() - queued
        peak = memory_kb(worker.pid, "VmHWM")
        export.refresh_from_db()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(f"export: status {export.status}, {export.rows_total:,} rows, {seconds:.1f} s through Celery")
    print(f"worker memory: idle {idle / 1024:.0f} MB, peak {peak / 1024:.0f} MB (target < 200 MB)")
    if export.file:
        export.file.delete(save=False)


if __name__ == "__main__":
    main()

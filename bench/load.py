"""Benchmark: a bounded load run on loopback with locust (issue 7).

Run after `bench/run manage.py bench_data --factor 1` (needs the `bench` extra: locust):

    .venv/bin/pip install -e '.[bench]'
    bench/run bench/load.py --users 50 --duration 60

Prepares signed-in, two-factor-verified sessions for a mix of bench accounts of every role,
starts gunicorn (as in production: DEBUG off, persistent connections) on 127.0.0.1, runs locust
headless for a fixed time, and prints per request type the count, median, p95 and failures,
then the totals for pages and for saves against the targets (p95 < 500 ms pages, < 800 ms saves,
0 errors). Everything runs on this machine, so locust's own CPU is part of the picture.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import OrganisationKind, User  # noqa: E402
from bench.common import logged_in  # noqa: E402
from projects.models import Inzet, InzetStatus, Project  # noqa: E402

# Of every 50 users: who is busy in the portal on a working day.
MIX = {
    OrganisationKind.OPDRACHTNEMER: 20,
    OrganisationKind.WSP: 12,
    OrganisationKind.OPDRACHTGEVER: 10,
    OrganisationKind.COORDINATIEPUNT: 8,
}
VENV_BIN = Path(sys.executable).parent


def accounts(users: int, rng: random.Random) -> list[dict]:
    """Bench users of every role who see projects; opdrachtnemers get lines of their own to re-save."""
    chosen = []
    taken: set[int] = set()  # lines already given to someone: two users never re-save the same line
    for kind, share in MIX.items():
        wanted = max(1, round(users * share / sum(MIX.values())))
        bench_users = User.objects.filter(email__endswith="@bench.invalid", is_active=True)
        candidates = list(bench_users.filter(organisation__kind=kind).order_by("pk"))
        found = 0
        for user in rng.sample(candidates, min(len(candidates), wanted * 5)):
            projects = list(Project.objects.for_user(user).active().values_list("pk", flat=True)[:200])
            if not projects:
                continue
            lines = []
            if kind == OrganisationKind.OPDRACHTNEMER:
                open_lines = Inzet.objects.filter(project__in=projects, status=InzetStatus.INGEVOERD)
                editable = open_lines.exclude(pk__in=taken)
                lines = list(editable.values_list("project_id", "pk")[:5])
                taken.update(pk for _, pk in lines)
            chosen.append(
                {
                    "role": str(kind),
                    "session": logged_in(user).session.session_key,
                    "projects": rng.sample(projects, min(20, len(projects))),
                    "lines": lines,
                }
            )
            found += 1
            if found == wanted:
                break
    return chosen


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def report(stats_csv: Path, users: int, duration: int, workers: int) -> None:
    rows = list(csv.DictReader(stats_csv.open(encoding="utf-8")))
    print(f"\nLoad run: {users} users, {duration} s, gunicorn {workers} workers, locust on the same machine")
    print(f"{'request':28} {'count':>7} {'median':>8} {'p95':>8} {'failures':>9}")
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        print(
            f"{row['Name']:28} {int(row['Request Count']):7} {float(row['50%']):6.0f}ms {float(row['95%']):6.0f}ms "
            f"{int(row['Failure Count']):9}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    count, median, p95 = int(total["Request Count"]), float(total["50%"]), float(total["95%"])
    failures, rate = int(total["Failure Count"]), float(total["Requests/s"])
    print(f"{'all requests':28} {count:7} {median:6.0f}ms {p95:6.0f}ms {failures:9}   {rate:.1f} req/s")


def percentile_by_kind(history: Path) -> None:
    """p95 over pages and over saves separately, from every single response time."""
    import statistics

    times: dict[str, list[float]] = {"pages": [], "saves": []}
    for row in csv.DictReader(history.open(encoding="utf-8")):
        kind = "saves" if row["name"].startswith("save:") else "pages"
        times[kind].append(float(row["ms"]))
    targets = {"pages": 500, "saves": 800}
    for kind, found in times.items():
        if not found:
            continue
        found.sort()
        p95 = found[max(0, int(len(found) * 0.95) - 1)]
        print(
            f"{kind:28} {len(found):7} {statistics.median(found):6.0f}ms {p95:6.0f}ms   target p95 < {targets[kind]} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    setup_test_environment()
    rng = random.Random(7)  # noqa: S311 - a reproducible mix, not secrets
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "accounts.json").write_text(json.dumps(accounts(args.users, rng)), encoding="utf-8")
        env = {
            **os.environ,
            "SRM_LOAD_ACCOUNTS": str(work / "accounts.json"),
            "SRM_LOAD_TIMES": str(work / "times.csv"),
        }
        env.update({"SECURE_COOKIES": "false", "DATABASE_CONN_MAX_AGE": "60"})
        server = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "gunicorn"),
                "srmonitor.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(f"http://127.0.0.1:{args.port}/gezond/")
            subprocess.run(  # noqa: S603
                [
                    str(VENV_BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(args.users),
                    "-r",
                    str(max(1, args.users // 10)),
                    "-t",
                    f"{args.duration}s",
                    "-H",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(work / "load"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=(work / "locust.log").open("w"),
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(work / "load_stats.csv", args.users, args.duration, args.workers)
        percentile_by_kind(work / "times.csv")


if __name__ == "__main__":
    main()

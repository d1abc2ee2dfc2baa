"""Benchmark: the real Rapportage projecten and kandidaten Excel exports on the bench dataset.

Run after `bench/run manage.py bench_data --factor 1`:

    bench/run bench/report_exports.py --repeat 3

Each run is a fresh subprocess (so peak memory is per run), interleaved so machine noise hits
all alike. Per report it measures:
- portal: the whole export as the background task builds it (count, query, row values, the
  styled writer with title, filter lines and column types);
- writer: the portal's writer (`reporting.excel`) on the same rows, already in memory;
- floor: a bare openpyxl write-only loop appending the same rows, already in memory.
The rows are the report's own, for one coördinatiepunt (its region) or, with --superuser, all.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ("projects", "kandidaten")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")
    import django

    django.setup()


def bench_user(superuser: bool):  # type: ignore[no-untyped-def]
    from accounts.models import OrganisationKind, User

    if superuser:
        return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "bench-admin@bench.invalid", name="Bench beheer"
        )
    wsp = User.objects.get(email="bench-wsp@bench.invalid")
    return User.objects.filter(
        organisation__kind=OrganisationKind.COORDINATIEPUNT, organisation__region=wsp.organisation.region
    ).first()


def child(kind: str, slug: str, superuser: bool) -> None:
    setup()
    from openpyxl import Workbook

    from reporting.excel import Sheet, workbook_write
    from reporting.reports import REPORTS as ALL

    report = ALL[slug]
    user = bench_user(superuser)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "out.xlsx")
        if kind == "portal":
            began = time.perf_counter()
            count, sheets = report.export(user, {})
            workbook_write(sheets, path)
        else:
            sheet = report.sheet(user, {})
            rows = list(sheet.rows)
            count = len(rows)
            began = time.perf_counter()
            if kind == "writer":
                workbook_write([Sheet(sheet.title, sheet.columns, rows, sheet.about)], path)
            else:
                workbook = Workbook(write_only=True)
                bare = workbook.create_sheet(sheet.title)
                for row in rows:
                    bare.append(row)
                workbook.save(path)
        seconds = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": count}))


def measure(kind: str, slug: str, superuser: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, "--report", slug]
    if superuser:
        command.append("--superuser")
    out = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - this very script
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--superuser", action="store_true", help="export everything (functioneel beheer)")
    parser.add_argument("--child", choices=["portal", "writer", "floor"])
    parser.add_argument("--report", choices=REPORTS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.report, args.superuser)
        return
    who = "functioneel beheer" if args.superuser else "coördinatiepunt"
    print(f"Report exports as {who}, {args.repeat} runs (median)")
    print(
        f"{'report':12} {'rows':>8} {'floor':>8} {'writer':>8} {'portal':>8} {'writer/floor':>13} "
        f"{'portal/floor':>13} {'portal peak':>12}"
    )
    for slug in REPORTS:
        runs: dict[str, list[dict[str, float]]] = {"floor": [], "writer": [], "portal": []}
        for _ in range(args.repeat):
            for kind in runs:
                runs[kind].append(measure(kind, slug, args.superuser))
        seconds = {kind: statistics.median(run["seconds"] for run in found) for kind, found in runs.items()}
        peak = statistics.median(run["peak_mb"] for run in runs["portal"])
        rows = int(runs["portal"][0]["rows"])
        print(
            f"{slug:12} {rows:8,} {seconds['floor']:7.2f}s {seconds['writer']:7.2f}s {seconds['portal']:7.2f}s "
            f"{seconds['writer'] / seconds['floor']:13.2f} {seconds['portal'] / seconds['floor']:13.2f} "
            f"{peak:9.0f} MB"
        )
    print("target: portal/floor ≤ 1.3; peak memory < 200 MB for 100,000 lines")


if __name__ == "__main__":
    main()

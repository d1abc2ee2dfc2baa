"""Benchmark: the portal's Excel writer against a bare openpyxl write-only loop (the floor).

Writes N rows × 12 columns (text, dates, money) both ways, each in a fresh subprocess so peak
memory is measured per run, repeats, and prints median time, peak RSS and the ratio.

    .venv/bin/python bench/excel_export.py --rows 100000 --repeat 3

Not part of the test run. Needs no database: the rows are generated.
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
from datetime import date, timedelta
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rows(count: int):  # type: ignore[no-untyped-def]
    start = date(2025, 1, 1)
    for number in range(count):
        yield (
            f"Project {number % 6000}",
            f"K{number:07}",
            f"Aannemer {number % 1500}",
            "Gemeente Veenhoven",
            "Stage",
            start + timedelta(days=number % 365),
            start + timedelta(days=number % 365 + 90),
            Decimal("350.00"),
            Decimal("32.0"),
            Decimal(number % 5000) / 3,
            Decimal(number % 4000) / 7,
            "Gevalideerd",
        )


def run_portal(count: int, path: str) -> None:
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DATABASE_URL", "postgres://bench@localhost/bench")
    import django

    django.setup()
    from reporting.excel import Column, Sheet, workbook_write

    columns = [
        Column("Project"),
        Column("Kenmerk"),
        Column("Opdrachtnemer"),
        Column("Opdrachtgever"),
        Column("Soort"),
        Column("Start", "date"),
        Column("Eind", "date"),
        Column("Bedrag", "money"),
        Column("Uren", "number"),
        Column("Prognose", "money"),
        Column("Actueel", "money"),
        Column("Status"),
    ]
    workbook_write([Sheet("Inzet", columns, rows(count), about=["Benchmark"])], path)


def run_floor(count: int, path: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inzet")
    for row in rows(count):
        sheet.append(row)
    workbook.save(path)


def child(kind: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "out.xlsx")
        began = time.perf_counter()
        (run_portal if kind == "portal" else run_floor)(count, path)
        seconds = time.perf_counter() - began
        size = os.path.getsize(path)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "bytes": size}))


def measure(kind: str, count: int) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - runs this very script
        [sys.executable, __file__, "--child", kind, "--rows", str(count)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["portal", "floor"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    results: dict[str, list[dict[str, float]]] = {"floor": [], "portal": []}
    for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
        for kind in ("floor", "portal"):
            results[kind].append(measure(kind, args.rows))
    print(f"Excel export of {args.rows:,} rows x 12 columns, {args.repeat} runs each (median)")
    for kind, runs in results.items():
        seconds = statistics.median(run["seconds"] for run in runs)
        peak = statistics.median(run["peak_mb"] for run in runs)
        print(f"  {kind:7} {seconds:7.2f} s   peak RSS {peak:6.0f} MB")
    ratio = statistics.median(r["seconds"] for r in results["portal"]) / statistics.median(
        r["seconds"] for r in results["floor"]
    )
    print(f"  portal / floor time ratio: {ratio:.2f} (target ≤ 1.3)")


if __name__ == "__main__":
    main()

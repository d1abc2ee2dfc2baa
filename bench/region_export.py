"""Benchmark: a whole region exported (issue #32), that workbook read back, and imported into an empty database.

Run after `bench/run manage.py bench_data --factor 1` (3 regions: one is some 2,000 projects and 40,000 lines):

    bench/run bench/region_export.py --repeat 3

Each run is a fresh subprocess (so peak memory is per run), interleaved so machine noise hits all alike:
- export: `reporting.region_export.region_sheets` written by `reporting.excel` (as the background task does);
- read: `reporting.region_read.read_region_workbook` on that file (the safe reader, every cell typed, every
  key and reference checked) — the first half of an import;
- import: `manage.py import_region`'s work — read, then `region_import` (every row written, every line valued by
  the engine, one transaction) — into a second database (`<bench database>_import`), made and migrated before
  each run (not timed);
- baseline: the Rapportage projecten export of the same region's coördinatiepunt, the same writer.
Targets (issue #32): export < 2 min, import < 5 min, peak memory < 500 MB each.
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
from urllib.parse import parse_qs, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("baseline", "export", "read", "import")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")
    import django

    django.setup()


def child(kind: str, path: str) -> None:
    setup()
    from accounts.models import OrganisationKind, User
    from reporting.excel import workbook_write
    from reporting.region_export import region_sheets
    from reporting.region_read import read_region_workbook
    from reporting.reports import REPORTS

    began = time.perf_counter()
    if kind == "import":
        from reporting.region_import import region_import

        report = region_import(read_region_workbook(Path(path).read_bytes(), "regio.xlsx"))
        count, problems = sum(report.created.values()) + sum(report.existing.values()), 0
        seconds = time.perf_counter() - began
        peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        print(json.dumps({"seconds": seconds, "peak_mb": peak_mb / 1024, "rows": count, "problems": problems}))
        return
    wsp = User.objects.get(email="bench-wsp@bench.invalid")
    region = wsp.organisation.region
    if kind == "read":
        read = read_region_workbook(Path(path).read_bytes(), "regio.xlsx")
        count, problems = sum(read.counts().values()), len(read.problems)
    else:
        if kind == "export":
            count, sheets = region_sheets(region)
        else:
            user = User.objects.filter(organisation__kind=OrganisationKind.COORDINATIEPUNT, organisation__region=region)
            count, sheets = REPORTS["projects"].export(user.first(), {})
        workbook_write(sheets, path)
        problems = 0
    seconds = time.perf_counter() - began
    # The safe reader parses in a child process of its own: the peak is the larger of the two.
    peak_mb = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": count, "problems": problems}))


def import_database() -> str:
    """An empty, migrated database beside the bench database; its DATABASE_URL."""
    import psycopg

    url = urlsplit(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/") + "_import"
    host = parse_qs(url.query).get("host", [url.hostname or "localhost"])[0]
    params = {"host": host, "port": url.port, "user": url.username, "dbname": "postgres"}
    with psycopg.connect(**params, autocommit=True) as server:  # type: ignore[arg-type]
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    target = urlunsplit(url._replace(path=f"/{name}"))
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, check=True, cwd=ROOT, env={**os.environ, "DATABASE_URL": target})  # noqa: S603
    return target


def measure(kind: str, path: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, "--path", path]
    env = {**os.environ, "DATABASE_URL": import_database()} if kind == "import" else None
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)  # noqa: S603 - this script
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=KINDS)
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path)
        return
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as folder:
        region_file, baseline_file = os.path.join(folder, "regio.xlsx"), os.path.join(folder, "projecten.xlsx")
        for _ in range(args.repeat):
            runs["baseline"].append(measure("baseline", baseline_file))
            runs["export"].append(measure("export", region_file))
            runs["read"].append(measure("read", region_file))
            runs["import"].append(measure("import", region_file))
        size_mb = os.path.getsize(region_file) / 1024 / 1024
    print(f"Region export, read and import, {args.repeat} runs (median); the workbook is {size_mb:.1f} MB")
    print(f"{'':10} {'rows':>9} {'seconds':>9} {'peak':>9} {'× baseline':>11}")
    base = statistics.median(run["seconds"] for run in runs["baseline"])
    for kind, found in runs.items():
        seconds = statistics.median(run["seconds"] for run in found)
        peak = statistics.median(run["peak_mb"] for run in found)
        print(f"{kind:10} {int(found[0]['rows']):9,} {seconds:8.1f}s {peak:6.0f} MB {seconds / base:11.1f}")
    assert all(run["problems"] == 0 for run in runs["read"]), "the export did not read back without problems"
    print("targets: export < 120 s, import < 300 s, peak memory < 500 MB each")


if __name__ == "__main__":
    main()

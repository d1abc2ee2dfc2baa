"""Benchmark: an invulbestand of 5,000 rows checked, previewed and added (issues #29, #30), against reading
the same file bare.

Builds the project's template (bench/run's database: a project of its own, with 300 kandidaten of its
opdrachtnemer), fills 5,000 rows — half of them for an existing kandidaat from the drop-down, half for
a new one — and times, each in a fresh process per run: `check_rows` (portal: the child's read, every row
through the forms and the engine), `invulbestand_check` (preview: the check and its preview, which is the
commit rolled back) and with --commit `invulbestand_commit` (it checks again, as it must). The floor is
openpyxl reading the same file in read-only mode, bare. Peak memory is reported for the web process and
for the reading child (RUSAGE_CHILDREN) apiece.

    bench/run bench/invulbestand.py --rows 5000 --repeat 3 --commit

Targets (issues #29, #30): check and preview < 15 s, commit < 20 s, < 300 MB peak on these 2-core machines.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / ".local" / "bench-invulbestand.xlsx"  # the checkout's own scratch folder (gitignored)


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")
    import django

    django.setup()


def bench_world():  # type: ignore[no-untyped-def]
    """The bench's own opdrachtnemer, user and project in Drenthe (made once, found again)."""
    from accounts.models import Organisation, OrganisationKind, Region, User
    from projects.models import Contact, Kandidaat, Project

    drenthe = Region.objects.get(slug="drenthe")
    firm, _ = Organisation.objects.get_or_create(name="Bench Invulbestand Bouw", kind=OrganisationKind.OPDRACHTNEMER)
    firm.regions.add(drenthe)
    user, _ = User.objects.get_or_create(
        email="bench-invulbestand@example.invalid", defaults={"name": "Bench Invul", "organisation": firm}
    )
    gemeente = Organisation.objects.filter(kind=OrganisationKind.OPDRACHTGEVER, region=drenthe).first()
    if gemeente is None:
        gemeente = Organisation.objects.create(
            name="Bench Gemeente", kind=OrganisationKind.OPDRACHTGEVER, region=drenthe
        )
    wsp, _ = Organisation.objects.get_or_create(name="Bench WSP", kind=OrganisationKind.WSP, region=drenthe)
    manager, _ = User.objects.get_or_create(
        email="bench-invulbestand-wsp@example.invalid", defaults={"name": "Bench Accountmanager", "organisation": wsp}
    )
    today = date.today()
    project, _ = Project.objects.get_or_create(
        name="Bench invulbestand",
        defaults={
            "opdrachtgever": gemeente,
            "opdrachtnemer": firm,
            "region": drenthe,
            "start_date": today - timedelta(days=400),
            "end_date": today + timedelta(days=400),
            "verplichting": Decimal("500000"),
            "contract_type": "sr_verplichting",
            "accountmanager": manager,
        },
    )
    Contact.objects.get_or_create(project=project, user=user)
    missing = 300 - Kandidaat.objects.filter(opdrachtnemer=firm).count()
    for n in range(max(missing, 0)):
        Kandidaat(
            opdrachtnemer=firm,
            initials="B.",
            surname=f"Bench{n:04}",
            birth_date=date(1990, 1, 1) + timedelta(days=n),
            doelgroep="stagiair",
        ).save()
    return project, user


def build_file(rows: int) -> None:
    from openpyxl import load_workbook

    from projects.invulbestand import COLUMNS, kandidaat_label, kandidaten_for, template_workbook

    project, user = bench_world()
    book = load_workbook(io.BytesIO(template_workbook(project, user)))
    sheet = book["Regels"]
    column = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    labels = [kandidaat_label(k) for k in kandidaten_for(project, user)]
    for n in range(rows):
        start = project.start_date + timedelta(days=n % 300)
        values: dict[str, object] = {
            "soort": "Stage",
            "start_date": start,
            "end_date": start + timedelta(days=60 + n // 300),  # no two rows the same line
            "amount": Decimal("300"),
            "niveau": "mbo",
        }
        if n % 2:
            values["kandidaat"] = labels[n % len(labels)]
        else:
            values |= {
                "initials": "N.",
                "surname": f"Nieuw{n:05}",
                "birth_date": date(2000, 1, 1),
                "doelgroep": "Stagiair",
            }
        for key, value in values.items():
            sheet.cell(row=2 + n, column=column[key], value=value)
    book.save(FILE)


def child(kind: str) -> None:
    setup()
    from django.conf import settings

    settings.INVULBESTAND_IN_REQUEST_ROWS = 10_000  # Celery's part, here in the foreground: the same work
    content = FILE.read_bytes()
    began = time.perf_counter()
    if kind == "portal":
        from projects.invulbestand import check_rows

        project, user = bench_world()
        result = check_rows(project, user, content, FILE.name)
        assert result.rows >= 5000 and not result.problems, (result.rows, result.problems[:3], result.refused)
    elif kind == "preview":
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import transaction

        from projects.services.invulbestand import invulbestand_check

        settings.INVULBESTAND_IN_REQUEST_ROWS = 10_000  # the worker's part, here in the foreground: the same work
        project, user = bench_world()
        with transaction.atomic():  # the check and its preview (the commit, rolled back), as the page shows them
            checked = invulbestand_check(project=project, upload=SimpleUploadedFile(FILE.name, content), by=user)
            assert len(checked.preview["rows"]) >= 5000, (checked.problems[:3], checked.status)
            transaction.set_rollback(True)
    elif kind == "commit":
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import transaction

        from projects.services.invulbestand import invulbestand_check, invulbestand_commit

        project, user = bench_world()
        with transaction.atomic():  # rolled back: every run commits the same file to the same project
            checked = invulbestand_check(project=project, upload=SimpleUploadedFile(FILE.name, content), by=user)
            began = time.perf_counter()  # the commit alone (it checks the file again, as it must)
            done = invulbestand_commit(upload=checked, by=user)
            assert done.added >= 5000, (done.added, done.report[:3])
            transaction.set_rollback(True)
    else:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sum(1 for _ in book["Regels"].iter_rows(values_only=True))
    seconds = time.perf_counter() - began
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": own, "reader_peak_mb": reader}))


def measure(kind: str) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - runs this very script
        [sys.executable, __file__, "--child", kind], capture_output=True, text=True, timeout=900
    )
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["portal", "floor", "preview", "commit"])
    parser.add_argument("--commit", action="store_true", help="also time Regels toevoegen (issue 30)")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    setup()
    build_file(args.rows)
    kinds = ("floor", "portal", "preview", "commit") if args.commit else ("floor", "portal", "preview")
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
        for kind in kinds:
            results[kind].append(measure(kind))
    size = FILE.stat().st_size / 1024
    print(f"Invulbestand check of {args.rows:,} rows ({size:.0f} kB), {args.repeat} runs each (median)")
    for kind, runs in results.items():
        seconds = statistics.median(run["seconds"] for run in runs)
        peak = statistics.median(run["peak_mb"] for run in runs)
        reader = statistics.median(run["reader_peak_mb"] for run in runs)
        print(f"  {kind:7} {seconds:7.2f} s   peak RSS {peak:5.0f} MB (reading child {reader:4.0f} MB)")
    ratio = statistics.median(r["seconds"] for r in results["portal"]) / statistics.median(
        r["seconds"] for r in results["floor"]
    )
    print(f"  check / bare read time ratio: {ratio:.1f} (targets: preview < 15 s, commit < 20 s, each < 300 MB)")


if __name__ == "__main__":
    main()

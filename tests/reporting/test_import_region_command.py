"""`manage.py import_region FILE [--dry-run]` (issue #32): a trial run says what the import would do and writes
nothing; problems are named by sheet, row and column in Dutch; the real run writes and names who ran it."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Region, User
from projects.models import Inzet, Project
from reporting.models import RegionImport

from .test_region_import_projects import with_projects
from .test_region_import_run import region_workbook

pytestmark = pytest.mark.django_db


def workbook_file(tmp_path: Path, rows: dict[str, list[dict[str, object]]]) -> Path:
    path = tmp_path / "midden-utrecht.xlsx"
    path.write_bytes(region_workbook(rows))
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_region", *args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_counts_per_sheet_lists_the_differences_and_writes_nothing(tmp_path):
    out, _ = run(str(workbook_file(tmp_path, with_projects())), "--dry-run")

    assert "Projecten: 2 nieuw, 0 al aanwezig" in out and "Inzet: 3 nieuw, 0 al aanwezig" in out
    assert "Inzet, rij 3 (I-2): Vastgelegd € 18.000,00, berekend € 20.000,00" in out
    assert out.strip().endswith("Proefimport: er is niets opgeslagen.")
    assert not Region.objects.filter(slug="midden-utrecht").exists()
    assert not Project.objects.exists() and not RegionImport.objects.exists()


def test_the_import_writes_and_records_who_ran_it(tmp_path, admin_user):
    out, _ = run(str(workbook_file(tmp_path, with_projects())), "--door", admin_user.email)

    assert "Geïmporteerd." in out and Inzet.objects.count() == 3
    imported = RegionImport.objects.get()
    assert (imported.by, imported.file_name, imported.created["Projecten"]) == (admin_user, "midden-utrecht.xlsx", 2)


def test_problems_are_named_by_sheet_row_and_column_and_nothing_is_written(tmp_path):
    rows = with_projects()
    rows["Inzet"][1]["Startdatum"] = "gisteren"
    rows["Projecten"][0]["Opdrachtnemer"] = "O-NERGENS"
    err = io.StringIO()

    with pytest.raises(CommandError, match="Niet geïmporteerd: 2 problemen"):
        call_command("import_region", str(workbook_file(tmp_path, rows)), stdout=io.StringIO(), stderr=err)

    assert sorted(err.getvalue().splitlines()) == [
        "Inzet: Rij 3, Startdatum: Vul een datum in (dd-mm-jjjj).",
        "Projecten: Rij 2, Opdrachtnemer: O-NERGENS staat niet op het blad ‘Organisaties’.",
    ]
    assert not User.objects.filter(email="dirk@domstad.invalid").exists() and not Project.objects.exists()


def test_a_file_that_is_not_there_or_someone_who_is_not_beheer(tmp_path, olga):
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        run(str(tmp_path / "weg.xlsx"))
    with pytest.raises(CommandError, match="Geen account van functioneel beheer"):
        run(str(workbook_file(tmp_path, with_projects())), "--door", olga.email)

"""The round trip of issue #32: a region with data of every kind is exported from this database and imported into
an empty one (a second database on the same cluster, as `manage.py migrate` leaves it: tests/databases.py) by
`manage.py import_region` in a subprocess, as an operator would. Its reader sees the same there: every report of the
region, the dashboard and every project's detailoverzicht — after its coördinatiepunt invited the imported accounts,
one of which activates, pairs an authenticator and logs in there (through the pages:
tests/accounts/test_invite_imported.py)."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.models import Inzet, InzetStatus, Note, Project, ProjectStatus
from projects.services.valuation import project_values_refresh
from reporting.excel import workbook_write
from reporting.region_export import region_sheets
from tests.projects.cast import brug_veenhoven, ended, make_inzet, make_kandidaat

from .region_figures import region_figures

ROOT = Path(__file__).resolve().parents[2]
FIGURES = "tests.reporting.region_figures"
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(420), pytest.mark.bench_data]


def manage(database_url: str, *args: str, timeout: int = 240) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "srmonitor.settings"}
    env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # no broker: the welkomstmails stay in the outbox
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def a_region_of_every_kind(olga, otto, wim) -> None:  # type: ignore[no-untyped-def]
    """Bench data for three regions (projects in every status, lines of every soort and status, contactpersonen),
    and in Drenthe a project of its own with an open and a validated line of one kandidaat, an overlap with a bench
    project, interne notities (one formula-like) and a verwijtbaar afgerond project with validated scholing."""
    call_command("bench_data", factor=0.004, stdout=io.StringIO())
    project = brug_veenhoven(olga, otto, wim)
    kandidaat = make_kandidaat(otto.organisation, surname="Jansen")
    make_inzet(project, kandidaat)
    validated = make_inzet(
        project,
        kandidaat,
        start_date=project.start_date + timedelta(days=120),
        end_date=project.start_date + timedelta(days=200),
    )
    Inzet.objects.filter(pk=validated.pk).update(
        status=InzetStatus.GEVALIDEERD, validated_by=wim, validated_at=timezone.now()
    )
    project_values_refresh(project)
    Note.objects.create(project=project, text="=1+1 is een formule", author=olga)
    Note.objects.create(project=project, text="Planning besproken met de opdrachtnemer.", author=wim)
    now = timezone.now()
    closed = brug_veenhoven(olga, otto, wim, name="Sporthal Veenhoven", **ended())
    scholing = make_inzet(closed, kandidaat, soort="scholing", amount=Decimal("1500.00"), niveau="")
    Inzet.objects.filter(pk=scholing.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim, validated_at=now)
    Project.objects.filter(pk=closed.pk).update(
        status=ProjectStatus.AFGEROND, approved_at=now, approved_by=wim, closed_at=now, closed_by=olga,
        verwijtbaar=True, verwijtbaarheid_argument="Te laat begonnen.", verwijtbaarheid_at=now,
    )  # fmt: skip
    project_values_refresh(closed)


def test_a_region_exported_and_imported_into_an_empty_database_reads_the_same(
    migrated_database, olga, otto, wim, cora, tmp_path
):
    a_region_of_every_kind(olga, otto, wim)
    before = region_figures("drenthe", cora.email)
    assert all(before["reports"][name] for name in ("projects", "kandidaten", "kosten", "overlap")), before["reports"]
    _, sheets = region_sheets(olga.region)
    workbook = tmp_path / "regio-drenthe.xlsx"
    workbook_write(sheets, str(workbook))

    manage(migrated_database, "manage.py", "import_region", str(workbook))
    there = json.loads(
        manage(migrated_database, "-m", FIGURES, "invite-and-figures", "drenthe", cora.email, olga.email)
    )
    invited, after = there["invited"], there["figures"]

    assert invited["login"] == "OK"
    assert olga.email in invited["invited"] and wim.email in invited["invited"]

    expected = json.loads(json.dumps(before, sort_keys=True))
    for name in expected["reports"]:
        assert after["reports"][name] == expected["reports"][name], name
    assert after["dashboard"] == expected["dashboard"]
    assert len(after["detailoverzichten"]) == len(expected["detailoverzichten"])
    for there, here in zip(after["detailoverzichten"], expected["detailoverzichten"], strict=True):
        for sheet in here:
            assert there[sheet] == here[sheet], (sheet, here["Projectgegevens"][:2])

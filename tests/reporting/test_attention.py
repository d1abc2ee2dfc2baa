"""The first screen of each role names the projects that ask something of it (issue 25)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from reporting.attention import MAX_ROWS, attention_for
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.projects.cast import brug_veenhoven, make_project, projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def prognose(project: Project, amount: str, actueel: str = "0") -> None:
    Project.objects.filter(pk=project.pk).update(sr_prognose=Decimal(amount), sr_actueel=Decimal(actueel))


def names(attention) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in attention.rows]


def test_opdrachtnemer_sees_its_obligation_per_project_by_einddatum(cast, olga, otto, wim):
    today = timezone.localdate()
    later = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Sluis Oosterdiep",
        contacts=[otto],
        end_date=today + timedelta(days=90),
        verplichting=Decimal("20000.00"),
    )
    prognose(later, "15000.00", "5000.00")
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook")

    attention = attention_for(otto)
    assert attention.heading == "Uw verplichting per project"
    # Its own projects only, the earliest einddatum first; not the other opdrachtnemer's Kade Brinkerveld.
    assert names(attention) == ["Brug Veenhoven", "Sluis Oosterdiep"]
    brug, sluis = attention.rows
    assert brug.action == "Corrigeer 1 teruggestuurde regel"
    assert sluis.tekort == Decimal("5000.00")
    assert sluis.action == f"Nog € 5.000 te verantwoorden vóór {later.end_date:%d-%m-%Y}"

    page = login(Client(), otto).get(reverse("home")).content.decode()
    assert "Uw verplichting per project" in page and "Sluis Oosterdiep" in page
    assert reverse("projects:detail", args=[later.pk]) in page


def test_wsp_sees_lines_waiting_and_projects_nearing_their_end(cast, olga, otto, wim):
    today = timezone.localdate()
    soon = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Fietspad Eext",
        contacts=[wim],
        end_date=today + timedelta(days=20),
    )
    brug_veenhoven(
        olga,
        otto,
        wim,
        name="Kazerne Assen",
        contacts=[wim],
        end_date=today + timedelta(days=300),
    )
    attention = attention_for(wim)
    assert attention.heading == "Projecten die uw aandacht vragen"
    # Kazerne Assen: nothing waiting and far from its end, so not listed.
    assert names(attention) == ["Brug Veenhoven", "Fietspad Eext"]
    assert attention.rows[0].action == "Valideer 1 regel"
    assert attention.rows[1].action == "Loopt af over 20 dagen"

    Inzet.objects.filter(project=cast["project"]).update(status=InzetStatus.GEVALIDEERD)
    assert attention_for(wim).rows[0].action == "Einddatum voorbij: keur de verantwoording goed"
    assert soon.pk in [row.pk for row in attention_for(wim).rows]


def test_opdrachtgever_sees_projects_at_risk_and_to_close(cast, olga, otto, wim):
    on_course = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Park Veenhoven",
        contacts=[olga],
    )
    prognose(on_course, "60000.00")
    small_gap = brug_veenhoven(
        olga,
        otto,
        wim,
        name="School Veenhoven",
        contacts=[olga],
    )
    prognose(small_gap, "45000.00")
    approved = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Stadhuis Veenhoven",
        contacts=[olga],
    )
    Project.objects.filter(pk=approved.pk).update(status=ProjectStatus.GOEDGEKEURD, sr_prognose=Decimal("50000"))
    prognose(cast["project"], "10000.00")

    attention = attention_for(olga)
    assert attention.heading == "Projecten met risico"
    # To close first, then the largest shortfall; the project on course is not there.
    assert names(attention) == ["Stadhuis Veenhoven", "Brug Veenhoven", "School Veenhoven"]
    assert attention.rows[0].action == "Verantwoording goedgekeurd: rond het project af"
    assert attention.rows[1].tekort == Decimal("40000.00")
    assert attention.rows[1].action == "Tekort € 40.000; einddatum voorbij"


def test_coordinatiepunt_sees_where_its_region_is_behind_and_not_another_region(cast, cora, gert):
    prognose(cast["project"], "45000.00")
    prognose(cast["project_other_org"], "5000.00")
    prognose(cast["project_groningen"], "0.00")
    attention = attention_for(cora)
    assert attention.heading == "Waar de regio achterloopt"
    assert names(attention) == ["Kade Brinkerveld", "Brug Veenhoven"]
    assert names(attention_for(gert)) == ["Haven Noorderdal"]


def test_at_most_ten_rows_in_a_fixed_number_of_queries(cast, cora, olga, otto, wim):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            attention = attention_for(cora)
        return len(context.captured_queries), attention

    for number in range(3):
        project = brug_veenhoven(
            olga,
            otto,
            wim,
            name=f"Achter {number:02}",
            contacts=[],
        )
        prognose(project, "1000.00")
    few, attention = queries()
    assert len(attention.rows) == 5 and attention.more == 0
    for number in range(3, 15):
        project = make_project(
            name=f"Achter {number:02}",
            opdrachtgever=olga.organisation,
            opdrachtnemer=otto.organisation,
            accountmanager=wim,
        )
        prognose(project, "1000.00")
    many, attention = queries()
    assert len(attention.rows) == MAX_ROWS and attention.more == 17 - MAX_ROWS
    assert many <= few + 1  # the count of the rest, only when the list is cut
    page = login(Client(), cora).get(reverse("home")).content.decode()
    assert "daarna volgen nog 7 projecten in" in page


def test_an_empty_list_says_so_and_beheer_has_none(cast, olga):
    prognose(cast["project"], "50000.00")
    assert attention_for(olga).rows == []
    assert "Al uw projecten liggen op koers" in login(Client(), olga).get(reverse("home")).content.decode()
    assert attention_for(UserFactory(is_superuser=True, organisation=None)) is None

"""SR actueel and prognose of a project follow its lines and the region's policy."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import Inzet, InzetStatus, Project
from projects.services.valuation import inzet_value, project_values_refresh, projects_values_refresh_due
from tests.conftest import travel
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(olga, otto, wim):
    return brug_veenhoven(
        olga,
        otto,
        wim,
        contacts=[],
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
    )


def test_project_sums_follow_its_lines_and_their_validation(project, otto):
    kandidaat = make_kandidaat(otto.organisation)
    # Stage mbo at € 400 capped at € 350: February + March = € 700
    first = make_inzet(project, kandidaat, start_date=date(2025, 2, 1), end_date=date(2025, 3, 31))
    make_inzet(
        project,
        kandidaat,
        soort="werk",
        amount=Decimal("1000"),
        niveau="",
        start_date=date(2025, 4, 1),
        end_date=date(2025, 4, 30),
    )
    Inzet.objects.filter(pk=first.pk).update(status=InzetStatus.GEVALIDEERD)
    project_values_refresh(project)
    project.refresh_from_db()
    assert project.sr_prognose == Decimal("1700.00")
    assert project.sr_prognose_gevalideerd == Decimal("700.00")
    assert first.reasons == ["Stagevergoeding begrensd op € 350,00 per maand (mbo)"]


def test_scholing_cap_counts_across_the_kandidaats_lines(project, otto):
    kandidaat = make_kandidaat(otto.organisation, doelgroep="ww", unemployed_since=date(2023, 1, 1))
    make_inzet(
        project,
        kandidaat,
        soort="scholing",
        amount=Decimal("2000"),
        niveau="",
        start_date=date(2025, 1, 10),
        end_date=date(2025, 1, 20),
    )
    second = make_inzet(
        project,
        kandidaat,
        soort="scholing",
        amount=Decimal("1000"),
        niveau="",
        start_date=date(2025, 2, 10),
        end_date=date(2025, 2, 20),
    )
    assert second.value_prognose == Decimal("500.00")  # € 2.500 per kandidaat, € 2.000 already counted


def test_the_termijn_runs_from_the_first_workday_on_the_project(project, otto):
    Project.objects.filter(pk=project.pk).update(end_date=date(2026, 12, 31))
    project.refresh_from_db()
    kandidaat = make_kandidaat(otto.organisation, doelgroep="ww", unemployed_since=date(2023, 1, 1))
    job = {"soort": "baan", "amount": Decimal("2000"), "hours_per_week": Decimal(32), "niveau": ""}
    make_inzet(project, kandidaat, **job, start_date=date(2025, 1, 1), end_date=date(2025, 1, 31))
    # A second job 13 months after the first workday: the 12 months of a WW candidate are over.
    later = make_inzet(project, kandidaat, **job, start_date=date(2026, 2, 1), end_date=date(2026, 3, 31))
    assert later.value_prognose == Decimal("0.00")
    assert any("12 maanden vanaf de eerste werkdag" in reason for reason in later.reasons)


def test_actueel_grows_overnight_through_the_daily_refresh(project, otto):
    today = timezone.localdate()
    live = make_project(
        opdrachtgever=project.opdrachtgever,
        opdrachtnemer=project.opdrachtnemer,
        accountmanager=project.accountmanager,
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=300),
    )
    make_inzet(
        live,
        None,
        soort="werk",
        amount=Decimal("3650"),
        niveau="",
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=354),
    )
    live.refresh_from_db()
    before = live.sr_actueel
    with travel(timedelta(days=30)):
        assert projects_values_refresh_due() >= 1
        assert projects_values_refresh_due() == 0, "a second run the same day does nothing"
    live.refresh_from_db()
    assert live.sr_actueel == before + Decimal("300.00")  # 30 more days of € 3.650 over 365 days


def test_a_line_is_valued_under_the_version_in_force_at_its_start(project):
    line = Inzet(
        project=project, soort="werk", amount=Decimal(100), start_date=project.start_date, end_date=project.start_date
    )
    assert inzet_value(line) == []
    assert line.policy_version.region == project.region
    assert Project.objects.get(pk=project.pk).verplichting_current == project.verplichting


def test_a_new_policy_version_never_changes_a_validated_line(project, otto, cora):
    from policy.models import PolicyNiveauCap, PolicyVersion
    from policy.rules_store import rules_save
    from policy.services.rules import RULE_MODELS

    kandidaat = make_kandidaat(otto.organisation)
    # A stage that starts in the future, validated already (planned and agreed).
    future = timezone.localdate() + timedelta(days=40)
    Project.objects.filter(pk=project.pk).update(end_date=future + timedelta(days=400))
    project.refresh_from_db()
    validated = make_inzet(project, kandidaat, start_date=future, end_date=future + timedelta(days=59))
    open_line = make_inzet(project, kandidaat, start_date=future, end_date=future + timedelta(days=59))
    Inzet.objects.filter(pk=validated.pk).update(status=InzetStatus.GEVALIDEERD)
    old = PolicyVersion.objects.get(region=project.region)
    new = PolicyVersion.objects.create(region=project.region, valid_from=future - timedelta(days=1), title="Nieuw")
    rules_save(version=new, rules=old.to_rules(), models=RULE_MODELS)
    PolicyNiveauCap.objects.filter(soort__version=new, soort__code="stage", niveau="mbo").update(amount=Decimal(100))

    projects_values_refresh_due(timezone.localdate() + timedelta(days=1))
    validated.refresh_from_db()
    open_line.refresh_from_db()
    assert validated.policy_version == old and validated.value_prognose > open_line.value_prognose
    assert open_line.policy_version == new

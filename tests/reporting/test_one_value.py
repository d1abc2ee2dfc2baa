"""One definition of value (issue 28): every figure of money over time is the engine's (policy/valuation.py).

On bench data, in a region whose policy changes from the cost method to bouwblokken, the dashboard's figure for
each quarter end, per project and for the whole region, is the sum of what the engine gives for the lines up to
that day; its "Vandaag" is their value today; the obligation naar rato is the engine's.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Region
from policy import valuation as v
from policy.models import PolicyVersion
from policy.rules_store import rules_save
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
from policy.services.rules import RULE_MODELS
from projects.models import ZERO, Inzet, Project, ProjectStatus
from reporting.dashboard import dashboard_for, quarter_ends, value_up_to

pytestmark = [pytest.mark.django_db, pytest.mark.bench_data]

FACTOR = 0.02  # 120 projects and 2,400 lines over the three regions


def engine_values(line: Inzet, rules: v.PolicyRules, days: list) -> list[Decimal]:
    data = line.as_engine_line(
        first_workday=line.first_workday,
        first_workday_soort=line.first_workday_soort or None,
        scholing_already_counted=line.scholing_counted or ZERO,
    )
    return [v.value_line(line=data, rules=rules, peildatum=day).value for day in days]


def test_every_figure_over_time_is_the_engines_value_for_both_methods_and_across_a_policy_change(capsys, cora):
    today = timezone.localdate()
    drenthe = Region.objects.get(slug="drenthe")
    # From about a year ago Drenthe values by bouwblokken: lines that start since fall under it.
    change = v.quarter_end(today - timedelta(days=400)) + timedelta(days=1)
    bouwblokken = PolicyVersion.objects.create(
        region=drenthe, valid_from=change, title="Bouwblokken", method=v.ValuationMethod.BOUWBLOKKEN, text="Tekst"
    )
    rules_save(version=bouwblokken, rules=EXAMPLE_BOUWBLOKKEN_RULES, models=RULE_MODELS)
    call_command("bench_data", factor=FACTOR, seed=7)
    capsys.readouterr()

    rules = {version.pk: version.to_rules() for version in PolicyVersion.objects.with_rules().filter(region=drenthe)}
    # The dashboard's five quarter ends, and the next three (lines that still run).
    days = quarter_ends(today)
    for _ in range(3):
        days.append(v.quarter_end(days[-1] + timedelta(days=1)))
    projects = Project.objects.filter(region=drenthe).exclude(status=ProjectStatus.AFGEROND)
    lines = Inzet.objects.filter(project__in=projects).select_related("project", "kandidaat")
    by_project: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * len(days))
    methods = set()
    for line in lines:
        values = engine_values(line, rules[line.policy_version_id], days)
        by_project[line.project_id] = [a + b for a, b in zip(by_project[line.project_id], values, strict=True)]
        if values[-1]:
            methods.add(rules[line.policy_version_id].method)
    assert methods == {v.ValuationMethod.KOSTEN, v.ValuationMethod.BOUWBLOKKEN}, "both methods give value"
    assert len(by_project) > 20

    for project_id, expected in by_project.items():
        assert value_up_to(Inzet.objects.filter(project_id=project_id), days) == expected, project_id

    dashboard = dashboard_for(cora, today=today)
    region = [sum(values[i] for values in by_project.values()) for i in range(5)]
    assert [point.actueel for point in dashboard.trend[:5]] == region
    assert dashboard.trend[-1].actueel == sum(
        engine_values(line, rules[line.policy_version_id], [today])[0] for line in lines
    )
    naar_rato = sum(
        v.naar_rato(
            project.verplichting_vastgesteld or project.verplichting,
            start=project.start_date,
            end=project.end_date,
            day=today,
        )
        for project in projects
    )
    assert dashboard.total.naar_rato == naar_rato.quantize(Decimal("0.01"))

import copy
import random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from accounts.models import Organisation, OrganisationKind, Region, User
from demo.management.commands import bench_data
from demo.management.commands.bench_data import KNOWN_WSP, SIZES
from policy.models import PolicyVersion
from projects.models import Contact, Inzet, InzetStatus, Kandidaat, Project
from projects.services.valuation import inzet_value

pytestmark = [pytest.mark.django_db, pytest.mark.bench_data]

FACTOR = 0.02  # 120 projects, 2,400 lines, 600 kandidaten, 60 users


def bench_projects():
    return Project.objects.filter(opdrachtgever__name__startswith="Benchmark ")


def load(capsys):
    call_command("bench_data", factor=FACTOR, seed=7)
    return capsys.readouterr().out


def test_bench_data_counts_scale_with_the_factor(capsys):
    out = load(capsys)
    assert bench_projects().count() == 120
    assert Inzet.objects.filter(project__in=bench_projects()).count() == 2400
    assert Kandidaat.objects.filter(opdrachtnemer__name__startswith="Benchmark ").count() == 600
    assert User.objects.filter(email__endswith="@bench.invalid").count() == 60
    assert f"{KNOWN_WSP}: ziet" in out and "totaal:" in out
    lines = Inzet.objects.filter(project__in=bench_projects())
    assert {InzetStatus.INGEVOERD, InzetStatus.GEVALIDEERD, InzetStatus.TERUGGESTUURD} <= set(
        lines.values_list("status", flat=True)
    )
    assert len(set(lines.values_list("soort", flat=True))) >= 6
    assert not lines.filter(status=InzetStatus.TERUGGESTUURD, return_reason="").exists()


def test_every_project_has_its_parties_and_accountmanager_as_contacts(capsys):
    load(capsys)
    for project in bench_projects().prefetch_related("contacts__user__organisation"):
        users = [contact.user for contact in project.contacts.all()]
        assert project.accountmanager in users
        assert project.accountmanager.organisation.kind == OrganisationKind.WSP
        assert project.accountmanager.organisation.region_id == project.region_id
        assert any(user.organisation_id == project.opdrachtgever_id for user in users)
        assert any(user.organisation_id == project.opdrachtnemer_id for user in users)


def test_known_wsp_user_manages_a_third_and_sees_all_of_its_region(capsys):
    load(capsys)
    known = User.objects.get(email=KNOWN_WSP)
    in_region = bench_projects().filter(region=known.organisation.region).count()
    managed = Project.objects.filter(accountmanager=known).count()
    assert abs(managed - in_region / 3) <= 1
    # … and follows every project of the region as contactpersoon.
    assert Project.objects.for_user(known).count() == in_region


def test_line_values_are_what_the_engine_gives(capsys):
    load(capsys)
    ids = list(Inzet.objects.filter(project__in=bench_projects()).values_list("pk", flat=True))
    for pk in random.Random(3).sample(ids, 150):
        stored = Inzet.objects.select_related("project__region", "kandidaat").get(pk=pk)
        fresh = copy.copy(stored)
        inzet_value(fresh)
        assert (fresh.value_prognose, fresh.value_actueel) == (stored.value_prognose, stored.value_actueel), stored
        assert (fresh.counts_from, fresh.counts_until) == (stored.counts_from, stored.counts_until)
        assert fresh.reasons == stored.reasons and fresh.policy_version_id == stored.policy_version_id


def test_project_sums_are_the_sums_of_their_lines(capsys):
    load(capsys)
    assert bench_projects().filter(sr_prognose__gt=0).exists()
    for project in bench_projects():
        lines = Inzet.objects.filter(project=project)
        validated = lines.filter(status=InzetStatus.GEVALIDEERD)

        def total(rows, field):
            return rows.aggregate(s=Sum(field))["s"] or 0

        assert project.sr_actueel == total(lines, "value_actueel")
        assert project.sr_prognose == total(lines, "value_prognose")
        assert project.sr_actueel_gevalideerd == total(validated, "value_actueel")
        assert project.sr_prognose_gevalideerd == total(validated, "value_prognose")


def test_bigger_factor_adds_fictional_regions_with_drenthes_policy(capsys, monkeypatch):
    # Everything but the regions shrunk a hundredfold, so factor 2 stays small.
    small = {name: (count if name == "regions" else count // 100) for name, count in SIZES.items()}
    monkeypatch.setattr(bench_data, "SIZES", small)
    call_command("bench_data", factor=2)
    extra = Region.objects.filter(slug__startswith="bench-regio-").order_by("slug")
    assert [region.name for region in extra] == ["Regio 04", "Regio 05", "Regio 06"]
    drenthe = PolicyVersion.objects.with_rules().get(region__slug="drenthe").to_rules()
    for region in extra:
        assert Organisation.objects.filter(region=region, kind=OrganisationKind.COORDINATIEPUNT).exists()
        assert PolicyVersion.objects.with_rules().get(region=region).to_rules() == drenthe
        assert Project.objects.filter(region=region).exists()
    call_command("bench_data", reset=True)
    assert not Region.objects.filter(slug__startswith="bench-regio-").exists()


def test_refuses_to_load_twice_and_reset_removes_only_bench_data(capsys, olga):
    load(capsys)
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_data", factor=FACTOR)
    call_command("bench_data", reset=True)
    assert not bench_projects().exists()
    assert not User.objects.filter(email__endswith="@bench.invalid").exists()
    assert not Organisation.objects.filter(name__startswith="Benchmark ").exists()
    assert not Contact.objects.filter(user__email__endswith="@bench.invalid").exists()
    assert User.objects.filter(pk=olga.pk).exists()
    assert Region.objects.count() == 3

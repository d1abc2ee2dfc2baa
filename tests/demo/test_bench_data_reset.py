"""The bench data command's other ways: a bigger factor adds regions, it refuses to load twice, --reset removes only
what it made (tests/demo/test_bench_data.py checks the data set itself)."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, OrganisationKind, Region, User
from demo.management.commands import bench_data
from demo.management.commands.bench_data import SIZES
from policy.models import PolicyVersion
from projects.models import Contact, Project

from .test_bench_data import FACTOR, bench_projects

pytestmark = [pytest.mark.django_db, pytest.mark.bench_data]


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
    call_command("bench_data", factor=FACTOR, seed=7)
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_data", factor=FACTOR)
    call_command("bench_data", reset=True)
    assert not bench_projects().exists()
    assert not User.objects.filter(email__endswith="@bench.invalid").exists()
    assert not Organisation.objects.filter(name__startswith="Benchmark ").exists()
    assert not Contact.objects.filter(user__email__endswith="@bench.invalid").exists()
    assert User.objects.filter(pk=olga.pk).exists()
    assert Region.objects.count() == 3

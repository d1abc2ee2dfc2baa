import copy
import io
import random
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from accounts.models import OrganisationKind, User
from demo.management.commands.bench_data import KNOWN_WSP
from projects.models import Inzet, InzetStatus, Kandidaat, Project
from projects.services.valuation import inzet_value

pytestmark = [pytest.mark.django_db, pytest.mark.bench_data]

FACTOR = 0.02  # 120 projects, 2,400 lines, 600 kandidaten, 60 users
# Loading twice, a bigger factor and --reset: tests/demo/test_bench_data_reset.py (each loads its own).


def bench_projects():
    return Project.objects.filter(opdrachtgever__name__startswith="Benchmark ")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The bench data set, made once for the tests of this module (in a transaction rolled back after the last);
    each test runs inside it (its own savepoint). What it printed."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("bench_data", factor=FACTOR, seed=7, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_bench_data_counts_scale_with_the_factor(loaded):
    out = loaded
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


def test_every_project_has_its_parties_and_accountmanager_as_contacts(loaded):
    for project in bench_projects().prefetch_related("contacts__user__organisation"):
        users = [contact.user for contact in project.contacts.all()]
        assert project.accountmanager in users
        assert project.accountmanager.organisation.kind == OrganisationKind.WSP
        assert project.accountmanager.organisation.region_id == project.region_id
        assert any(user.organisation_id == project.opdrachtgever_id for user in users)
        assert any(user.organisation_id == project.opdrachtnemer_id for user in users)


def test_known_wsp_user_manages_a_third_and_sees_all_of_its_region(loaded):
    known = User.objects.get(email=KNOWN_WSP)
    in_region = bench_projects().filter(region=known.organisation.region).count()
    managed = Project.objects.filter(accountmanager=known).count()
    assert abs(managed - in_region / 3) <= 1
    # … and follows every project of the region as contactpersoon.
    assert Project.objects.for_user(known).count() == in_region


def test_line_values_are_what_the_engine_gives(loaded):
    ids = list(Inzet.objects.filter(project__in=bench_projects()).values_list("pk", flat=True))
    for pk in random.Random(3).sample(ids, 150):
        stored = Inzet.objects.select_related("project__region", "kandidaat").get(pk=pk)
        fresh = copy.copy(stored)
        inzet_value(fresh)
        assert (fresh.value_prognose, fresh.value_actueel) == (stored.value_prognose, stored.value_actueel), stored
        assert (fresh.counts_from, fresh.counts_until) == (stored.counts_from, stored.counts_until)
        assert fresh.reasons == stored.reasons and fresh.policy_version_id == stored.policy_version_id


def test_project_sums_are_the_sums_of_their_lines(loaded):
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

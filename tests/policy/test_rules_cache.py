"""The engine's rules of a version are built once per process (`policy.models.RULES`), and never used stale: every
write to a version's rules, by any path, and every rolled-back write, shows in its `rules_stamp`."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from policy.models import (
    RULES,
    PolicyBonus,
    PolicyBouwblok,
    PolicyDoelgroep,
    PolicyNiveauCap,
    PolicySoortInzet,
    PolicyVersion,
    RulesCache,
    VersionBook,
    stamp_of,
)

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 1)


def in_force(region):  # type: ignore[no-untyped-def]
    return VersionBook().in_force(region.pk, DAY)


def stage_cap(region) -> Decimal:  # type: ignore[no-untyped-def]
    book = VersionBook()
    return book.rules(book.in_force(region.pk, DAY)).soort("stage").cap_for("mbo")


def stamp(version: PolicyVersion) -> str:
    return stamp_of(version.pk)


def test_a_second_book_reads_the_versions_in_one_query_and_builds_no_rules(drenthe):
    first = VersionBook()
    rules = first.rules(first.in_force(drenthe.pk, DAY))
    second = VersionBook()
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        again = second.rules(second.in_force(drenthe.pk, DAY))
    assert again is rules
    assert len(queries) == 1


def test_a_cap_changed_by_a_bulk_update_is_seen_at_once(drenthe):
    assert stage_cap(drenthe) == Decimal("350.00")
    PolicyNiveauCap.objects.filter(soort__version__region=drenthe, soort__code="stage", niveau="mbo").update(
        amount=Decimal("400.00")
    )
    assert stage_cap(drenthe) == Decimal("400.00")


def test_a_rolled_back_change_brings_the_old_rules_back(drenthe):
    assert stage_cap(drenthe) == Decimal("350.00")
    with pytest.raises(RuntimeError), transaction.atomic():
        PolicyNiveauCap.objects.filter(soort__version__region=drenthe, soort__code="stage", niveau="mbo").update(
            amount=Decimal("400.00")
        )
        assert stage_cap(drenthe) == Decimal("400.00")
        raise RuntimeError
    assert stage_cap(drenthe) == Decimal("350.00")


RULE_ROWS = {
    "version": (PolicyVersion, "pk"),  # its title, method and hours are rules too
    "soort": (PolicySoortInzet, "version"),
    "cap": (PolicyNiveauCap, "soort__version"),
    "doelgroep": (PolicyDoelgroep, "version"),
    "bouwblok": (PolicyBouwblok, "version"),
    "bonus": (PolicyBonus, "version"),
}


NEW_ROWS = {  # the seeded versions value by kosten: no bouwblokken, no bonuses
    "bouwblok": lambda version: PolicyBouwblok.objects.create(
        version=version, order=9, code="nieuw", label="Nieuw", yearly_value=Decimal(1)
    ),
    "bonus": lambda version: PolicyBonus.objects.create(
        version=version, code="nieuw", label="Nieuw", amount=Decimal(1)
    ),
}


@pytest.mark.parametrize("kind", RULE_ROWS)
def test_every_write_to_a_rule_row_gives_another_stamp_and_leaves_other_versions_alone(kind, drenthe, groningen):
    model, to_version = RULE_ROWS[kind]
    version, other = in_force(drenthe), in_force(groningen)
    stamps, other_before = [stamp(version)], stamp(other)
    if kind in NEW_ROWS:
        NEW_ROWS[kind](version)
        stamps.append(stamp(version))
    rows = model.objects.filter(**{to_version: version.pk})
    first = rows.order_by("pk").values_list("pk", flat=True)[0]
    rows.filter(pk=first).update(id=F("id"))  # the same values, a new row version
    stamps.append(stamp(version))
    if kind != "version":
        rows.filter(pk=first).delete()
        stamps.append(stamp(version))
    # each write gives another stamp (deleting the row just made gives back the rows, and the stamp, of before)
    assert all(before != after for before, after in pairwise(stamps))
    assert stamp(other) == other_before


def test_the_oldest_copy_makes_way_when_the_cache_is_full(drenthe, groningen):
    cache = RulesCache(size=1)
    drenthe_version, groningen_version = in_force(drenthe), in_force(groningen)
    first = cache.get(drenthe_version)
    assert cache.get(drenthe_version) is first
    cache.get(groningen_version)
    assert len(cache) == 1
    assert cache.get(drenthe_version) is not first and cache.get(drenthe_version) == first


def test_a_version_read_without_its_stamp_is_built_fresh(drenthe):
    version = PolicyVersion.objects.with_rules().get(pk=in_force(drenthe).pk)
    size = len(RULES)
    assert RULES.get(version) == version.to_rules()
    assert len(RULES) == size


def test_rules_changed_after_the_version_was_read_are_kept_by_their_own_stamp(drenthe):
    cache, version = RulesCache(), in_force(drenthe)  # read with the stamp of the 350 cap
    with pytest.raises(RuntimeError), transaction.atomic():
        PolicyNiveauCap.objects.filter(soort__version__region=drenthe, soort__code="stage", niveau="mbo").update(
            amount=Decimal("400.00")
        )
        assert cache.get(version).soort("stage").cap_for("mbo") == Decimal("400.00")
        raise RuntimeError
    # the 400 rules were built under the new stamp: the old one, current again, still means 350
    assert cache.get(version).soort("stage").cap_for("mbo") == Decimal("350.00")


def test_rules_changed_while_they_are_read_are_not_kept(drenthe):
    cache, version = RulesCache(), in_force(drenthe)
    queries = []

    def change_the_cap_after_the_stamp_is_read(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        if len(queries) == 2:  # the version and its stamp are read; its rules not yet
            PolicyNiveauCap.objects.filter(soort__version=version, soort__code="stage", niveau="mbo").update(
                amount=Decimal("400.00")
            )
        return execute(sql, params, many, context)

    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.execute_wrapper(change_the_cap_after_the_stamp_is_read):
            rules = cache.get(version)
        assert rules.soort("stage").cap_for("mbo") == Decimal("400.00")  # the rules as read are returned
        raise RuntimeError
    # but not kept by the stamp read before the change, which is current again and means 350
    assert len(cache) == 0
    assert cache.get(version).soort("stage").cap_for("mbo") == Decimal("350.00")

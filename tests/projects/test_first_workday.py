"""Issue 23: a kandidaat's first workday, and values that don't depend on the order of entry.

Every line goes through the services, on a real project, as the opdrachtnemer enters it. The
expected values are computed by hand in each test: a WW kandidaat (12 months from the first
workday), a baan at € 2.000 per month, scholing capped at € 2.500 per kandidaat.
"""

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.models import Inzet, Project
from projects.services.valuation import inzet_value, projects_values_refresh_due
from projects.services.verantwoording import inzet_delete, inzet_save, inzet_validate, kandidaat_save
from tests.conftest import Client, login
from tests.projects.cast import brug_veenhoven, make_kandidaat, make_project

pytestmark = pytest.mark.django_db

MONTH = Decimal("2000.00")
TERMIJN_WW = "de termijn voor werkloos-werkzoekend"


@pytest.fixture
def project(olga, otto, wim):
    return brug_veenhoven(
        olga,
        otto,
        wim,
        contacts=[otto, wim],
        start_date=date(2025, 1, 1),
        end_date=date(2026, 12, 31),
    )


@pytest.fixture
def kandidaat(otto):
    return make_kandidaat(otto.organisation, doelgroep="ww", unemployed_since=date(2023, 1, 1))


def baan(start: date, end: date) -> dict:
    return {"soort": "baan", "start_date": start, "end_date": end, "amount": MONTH, "hours_per_week": Decimal(36)}


def scholing(start: date, end: date, amount: str) -> dict:
    return {"soort": "scholing", "start_date": start, "end_date": end, "amount": Decimal(amount)}


def save(project: Project, user, kandidaat, fields: dict, inzet: Inzet | None = None) -> Inzet:  # type: ignore[no-untyped-def]
    data = {"kandidaat": kandidaat, "niveau": "", "description": "", "hours_per_week": None, "amount": None, **fields}
    return inzet_save(project=project, inzet=inzet, data=data, by=user)


def value(inzet: Inzet) -> Decimal:
    return Inzet.objects.get(pk=inzet.pk).value_prognose


def sr_prognose(project: Project) -> Decimal:
    return Project.objects.get(pk=project.pk).sr_prognose


def test_scholing_before_the_start_does_not_start_the_termijn_of_the_baan(project, otto, kandidaat):
    course = save(project, otto, kandidaat, scholing(date(2024, 11, 1), date(2024, 11, 30), "1500"))
    job = save(project, otto, kandidaat, baan(date(2025, 1, 1), date(2026, 6, 30)))
    # The termijn runs from the baan: 01-01-2025 to 31-12-2025, 12 months × € 2.000. Counted
    # from the scholing it would have ended on 31-10-2025 (10 months, € 20.000).
    assert value(job) == 12 * MONTH
    assert value(course) == Decimal("1500.00")
    assert sr_prognose(project) == 12 * MONTH + Decimal("1500.00")
    reason = f"Telt maximaal 12 maanden vanaf de eerste werkdag 01-01-2025 (baan): {TERMIJN_WW}"
    assert Inzet.objects.get(pk=job.pk).reasons == [reason]


def test_begeleiding_before_the_job_does_not_start_the_termijn_either(project, otto, kandidaat):
    save(
        project,
        otto,
        kandidaat,
        {"soort": "begeleiding", "start_date": date(2024, 12, 1), "end_date": date(2025, 3, 31), "hours_per_week": 4},
    )
    job = save(project, otto, kandidaat, baan(date(2025, 2, 1), date(2026, 6, 30)))
    assert value(job) == 12 * MONTH  # 01-02-2025 to 31-01-2026


def test_the_later_line_has_its_final_value_as_soon_as_the_earlier_one_is_saved(project, otto, kandidaat):
    later = save(project, otto, kandidaat, baan(date(2025, 6, 1), date(2026, 6, 30)))
    # Alone, its own start is the first workday: 01-06-2025 to 31-05-2026, 12 months.
    assert value(later) == 12 * MONTH

    earlier = save(project, otto, kandidaat, baan(date(2025, 1, 1), date(2025, 3, 31)))
    # Now the first workday is 01-01-2025: the later line counts June to December 2025, 7 months.
    assert value(earlier) == 3 * MONTH
    assert value(later) == 7 * MONTH
    assert sr_prognose(project) == 10 * MONTH
    reason = f"Telt maximaal 12 maanden vanaf de eerste werkdag 01-01-2025 (baan): {TERMIJN_WW}"
    assert Inzet.objects.get(pk=later.pk).reasons == [reason]

    # Entered the other way round, the same figures.
    other = make_project(
        opdrachtgever=project.opdrachtgever,
        opdrachtnemer=project.opdrachtnemer,
        accountmanager=project.accountmanager,
        contacts=[otto],
        start_date=project.start_date,
        end_date=project.end_date,
    )
    first = save(other, otto, kandidaat, baan(date(2025, 1, 1), date(2025, 3, 31)))
    second = save(other, otto, kandidaat, baan(date(2025, 6, 1), date(2026, 6, 30)))
    assert (value(first), value(second), sr_prognose(other)) == (3 * MONTH, 7 * MONTH, 10 * MONTH)


def test_the_earlier_line_moved_or_deleted_again_gives_the_later_one_its_own_termijn(project, otto, kandidaat):
    later = save(project, otto, kandidaat, baan(date(2025, 6, 1), date(2026, 6, 30)))
    earlier = save(project, otto, kandidaat, baan(date(2025, 1, 1), date(2025, 3, 31)))
    assert value(later) == 7 * MONTH

    # Moved to August 2025: the first workday is the later line's 01-06-2025 again.
    earlier = save(project, otto, kandidaat, baan(date(2025, 8, 1), date(2025, 8, 31)), inzet=earlier)
    assert value(later) == 12 * MONTH
    assert value(earlier) == MONTH

    inzet_delete(inzet=earlier, by=otto)
    assert value(later) == 12 * MONTH
    assert sr_prognose(project) == 12 * MONTH


@pytest.mark.parametrize("order", ["november first", "december first"])
def test_scholing_split_over_two_lines_never_counts_more_than_2500(project, otto, kandidaat, order):
    november = scholing(date(2024, 11, 1), date(2024, 11, 30), "2000")
    december = scholing(date(2024, 12, 1), date(2024, 12, 31), "1000")
    entries = [november, december] if order == "november first" else [december, november]
    lines = {fields["start_date"].month: save(project, otto, kandidaat, fields) for fields in entries}
    # The earlier scholing counts first: € 2.000, then € 500 of the € 1.000 up to the € 2.500.
    assert value(lines[11]) == Decimal("2000.00")
    assert value(lines[12]) == Decimal("500.00")
    assert sr_prognose(project) == Decimal("2500.00")

    inzet_delete(inzet=lines[11], by=otto)
    assert value(lines[12]) == Decimal("1000.00")


def test_a_changed_kandidaat_revalues_its_lines_and_the_project_sums(project, otto, kandidaat):
    job = save(project, otto, kandidaat, baan(date(2025, 1, 1), date(2026, 6, 30)))
    assert value(job) == 12 * MONTH
    data = {
        "initials": kandidaat.initials,
        "surname": kandidaat.surname,
        "birth_date": kandidaat.birth_date,
        "doelgroep": "doelgroepenregister",  # no termijn: the whole line counts, 18 months
        "unemployed_since": None,
    }
    kandidaat_save(kandidaat=kandidaat, data=data, by=otto)
    assert value(job) == 18 * MONTH
    assert sr_prognose(project) == 18 * MONTH


def test_the_region_decides_which_soorten_are_work(project, otto, kandidaat):
    """Scholing made work in this region's policy: then it does start the termijn."""
    from policy.models import PolicySoortInzet

    PolicySoortInzet.objects.filter(version__region=project.region, code="scholing").update(is_work=True)
    save(project, otto, kandidaat, scholing(date(2024, 11, 1), date(2024, 11, 30), "1500"))
    job = save(project, otto, kandidaat, baan(date(2025, 1, 1), date(2026, 6, 30)))
    assert value(job) == 10 * MONTH  # 01-11-2024 + 12 months: January to October 2025
    reason = f"Telt maximaal 12 maanden vanaf de eerste werkdag 01-11-2024 (scholing): {TERMIJN_WW}"
    assert Inzet.objects.get(pk=job.pk).reasons == [reason]


# --- Any order of entry ------------------------------------------------------------------------

MONTHS = [date(2024 + (9 + i) // 12, (9 + i) % 12 + 1, 1) for i in range(28)]  # 01-10-2024 … 01-01-2027


def month_end(start: date, months: int) -> date:
    index = MONTHS.index(start) + months
    following = MONTHS[index] if index < len(MONTHS) else date(2027, 2, 1)
    return following - timedelta(days=1)


line_fields = st.one_of(
    st.builds(
        lambda start, months: baan(start, month_end(start, months)),
        st.sampled_from(MONTHS[3:24]),
        st.integers(1, 14),
    ),
    st.builds(
        lambda start, amount: scholing(start, month_end(start, 1), str(amount)),
        st.sampled_from(MONTHS[:12]),
        st.sampled_from([400, 1300, 2200]),
    ),
    st.builds(
        lambda start, months: {
            "soort": "begeleiding",
            "start_date": start,
            "end_date": month_end(start, months),
            "hours_per_week": Decimal(4),
        },
        st.sampled_from(MONTHS[:20]),
        st.integers(1, 6),
    ),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), line_fields),
        st.tuples(st.just("change"), st.integers(0, 5), line_fields),
        st.tuples(st.just("delete"), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=7,
)


def stored_values(project: Project) -> dict[int, tuple]:
    return {
        line.pk: (line.value_prognose, line.value_actueel, line.counts_from, line.counts_until, line.reasons)
        for line in Inzet.objects.filter(project=project)
    }


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_after_every_step_each_line_has_the_value_a_fresh_revaluation_gives(project, otto, steps):
    with transaction.atomic():
        kandidaat = make_kandidaat(otto.organisation, doelgroep="ww", unemployed_since=date(2023, 1, 1))
        for step in steps:
            lines = list(Inzet.objects.filter(project=project).order_by("pk"))
            try:
                if step[0] == "create":
                    save(project, otto, kandidaat, step[1])
                elif step[0] == "change" and lines:
                    save(project, otto, kandidaat, step[2], inzet=lines[step[1] % len(lines)])
                elif step[0] == "delete" and lines:
                    inzet_delete(inzet=lines[step[1] % len(lines)], by=otto)
            except ValidationError:
                pass  # refused, as the form would be: nothing changed

            # Every line as a fresh revaluation of all of them, in order of start, gives it.
            stored = stored_values(project)
            for line in Inzet.objects.filter(project=project).select_related("project__region", "kandidaat"):
                fresh = copy.copy(line)
                inzet_value(fresh)
                expected = (fresh.value_prognose, fresh.value_actueel, fresh.counts_from, fresh.counts_until)
                assert stored[line.pk][:4] == expected, (step, line.soort, line.start_date)
                assert stored[line.pk][4] == fresh.reasons
            totals = Inzet.objects.filter(project=project).values_list("value_prognose", flat=True)
            assert sr_prognose(project) == sum(totals, Decimal("0.00"))

        # The nightly job right after changes nothing.
        Project.objects.filter(pk=project.pk).update(values_date=date(2000, 1, 1))
        assert projects_values_refresh_due() >= 1
        assert stored_values(project) == stored
        transaction.set_rollback(True)


# --- Validated lines ---------------------------------------------------------------------------


def test_a_validated_line_keeps_its_value_and_shows_beside_it_what_the_rules_would_now_give(
    project, otto, wim, cora, kandidaat
):
    later = save(project, otto, kandidaat, baan(date(2025, 6, 1), date(2026, 6, 30)))
    inzet_validate(inzet=later, by=wim, revision=Inzet.objects.get(pk=later.pk).revision)
    save(project, otto, kandidaat, baan(date(2025, 1, 1), date(2025, 3, 31)))

    line = Inzet.objects.get(pk=later.pk)
    assert line.value_prognose == 12 * MONTH, "the value the WSP validated"
    assert line.rules_prognose == 7 * MONTH  # from the earlier first workday: June to December 2025
    assert line.rules_reasons == [f"Telt maximaal 12 maanden vanaf de eerste werkdag 01-01-2025 (baan): {TERMIJN_WW}"]
    assert sr_prognose(project) == 15 * MONTH

    # The nightly job follows the same rule.
    Project.objects.filter(pk=project.pk).update(values_date=date(2000, 1, 1))
    assert projects_values_refresh_due() == 1
    line.refresh_from_db()
    assert (line.value_prognose, line.rules_prognose) == (12 * MONTH, 7 * MONTH)

    # Beside it on the line's page for the WSP and the coördinatiepunt.
    url = reverse("projects:inzet-detail", args=[project.pk, later.pk])
    for user in (wim, cora):
        page = login(Client(), user).get(url).content.decode()
        assert "Volgens de regels nu" in page and "€ 14.000,00" in page and "€ 24.000,00" in page
    assert "Volgens de regels nu" not in login(Client(), otto).get(url).content.decode()

    # The earlier line deleted again: no difference left to show.
    inzet_delete(inzet=Inzet.objects.get(start_date=date(2025, 1, 1)), by=otto)
    line.refresh_from_db()
    assert (line.value_prognose, line.rules_prognose, line.rules_reasons) == (12 * MONTH, None, [])

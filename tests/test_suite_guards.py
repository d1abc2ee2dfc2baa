"""The suite can't stall the work (issue 22): a test that never ends fails with a stack dump, the
test database gives up on a lock or a statement instead of waiting for ever, and scripts/test
uses every core unless a part of the suite is named."""

import os
import re
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connection

PLANTED = """
import threading
import time


def test_sleeps_for_ever():
    time.sleep(10_000)


def test_waits_for_ever_on_an_event():
    threading.Event().wait()


def test_joins_a_thread_stuck_on_a_lock():
    lock = threading.Lock()
    lock.acquire()
    stuck = threading.Thread(target=lock.acquire, name="stuck-on-a-lock", daemon=True)
    stuck.start()
    stuck.join()


def test_the_run_goes_on_after_them():
    assert True
"""


@pytest.mark.slow
def test_a_never_ending_test_fails_within_the_timeout_with_a_stack_dump(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_planted=PLANTED)
    # The same timeout settings as pyproject.toml, with one second instead of two minutes.
    pytester.makeini("[pytest]\ntimeout = 1\ntimeout_method = signal\n")
    started = time.monotonic()
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider", timeout=90)
    elapsed = time.monotonic() - started

    result.assert_outcomes(failed=3, passed=1)
    assert elapsed < 60, f"the planted run took {elapsed:.0f} s"
    output = result.stdout.str()
    # One failure per planted test, each with the timeout as its error (the summary may repeat it).
    failures = re.findall(r"^E\s+Failed: Timeout \(>1\.0s\) from pytest-timeout", output, flags=re.MULTILINE)
    assert len(failures) == 3, output[-3000:]
    # The report shows where each test was stuck, and the stacks of its other threads, so the
    # hang can be found from the CI log alone.
    assert "time.sleep(10_000)" in output and "threading.Event().wait()" in output
    assert "Stack of stuck-on-a-lock" in output and "stuck.join()" in output


def test_the_suite_runs_with_a_timeout_for_every_test(pytestconfig: pytest.Config) -> None:
    assert 0 < float(pytestconfig.getini("timeout")) <= 180
    assert pytestconfig.getini("timeout_method") == "signal"


@pytest.mark.django_db
def test_the_test_database_gives_up_on_a_lock_and_on_a_long_statement() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement_timeout = cursor.fetchone()[0]
    assert lock_timeout == "20s"
    assert statement_timeout == "1min"


def _seeded_state() -> dict[str, object]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import Organisation, Region
    from policy.models import PolicyDoelgroep, PolicySoortInzet, PolicyVersion

    return {
        "regions": sorted(Region.objects.values_list("pk", "slug")),
        "organisations": sorted(Organisation.objects.values_list("pk", "kind", "region__slug")),
        "organisation events": Organisation.pgh_event_model.objects.count(),
        "versions": sorted(PolicyVersion.objects.values_list("pk", "region__slug", "valid_from", "method")),
        "soorten": sorted(PolicySoortInzet.objects.values_list("pk", "version_id", "code", "is_work")),
        "doelgroepen": PolicyDoelgroep.objects.count(),
        "content types": sorted(ContentType.objects.values_list("pk", "app_label", "model")),
        "permissions": Permission.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_the_seeded_rows_as_the_migrations_left_them() -> None:
    """Any test may run after a transactional one (work stealing): the emptying after it puts back the rows the
    migrations seeded, with their keys, without a second history event for them, and nothing of the test's own."""
    from django.test import TransactionTestCase

    from accounts.models import Organisation, Region
    from tests import seeded
    from tests.factories import UserFactory

    assert TransactionTestCase._fixture_teardown is seeded._fixture_teardown
    before = _seeded_state()
    assert len(before["regions"]) == 3 and before["versions"] and before["soorten"]  # type: ignore[arg-type]

    zeeland = Region.objects.create(slug="zeeland", name="Zeeland")
    UserFactory(organisation=Organisation.objects.create(kind="coordinatiepunt", region=zeeland, name="CP Zeeland"))
    Region.objects.filter(slug="drenthe").update(name="Veranderd")
    seeded.empty_to_snapshot("default", seeded._snapshots["default"])

    assert _seeded_state() == before
    assert not Region.objects.filter(slug="zeeland").exists()
    assert Region.objects.get(slug="drenthe").name == "Drenthe"


def workers_for(arguments: list[str], chosen: str | None = None) -> str:
    """What scripts/test passes to pytest-xdist for these arguments (and SRM_TEST_WORKERS, when `chosen`)."""
    environment = {key: value for key, value in os.environ.items() if key != "SRM_TEST_WORKERS"}
    if chosen is not None:
        environment["SRM_TEST_WORKERS"] = chosen
    answer = subprocess.run(
        ["bash", "-c", 'source scripts/lib.sh && test_workers "$@"', "test_workers", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return answer.stdout.strip()


@pytest.mark.parametrize(
    ("arguments", "workers"),
    [
        ([], "auto"),
        (["-x"], "auto"),
        (["--junitxml=/tmp/suite.xml", "-q"], "auto"),
        (["-m", "not browser"], "auto"),
        (["tests/projects", "-x"], "0"),
        (["-x", "tests/test_suite_guards.py::test_the_suite_runs_with_a_timeout_for_every_test"], "0"),
        (["-k", "walk"], "0"),
        (["-kwalk"], "0"),
    ],
)
def test_the_whole_suite_spreads_over_the_cores_and_a_part_runs_alone(arguments: list[str], workers: str) -> None:
    """scripts/test with options only (the quick lane with -x, CI with a report file) still uses every core;
    naming a part of the suite starts one process, which is sooner ready."""
    assert workers_for(arguments) == workers
    assert workers_for(arguments, chosen="3") == "3", "SRM_TEST_WORKERS decides when set"

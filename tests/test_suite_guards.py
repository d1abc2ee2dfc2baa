"""The suite can't stall the work (issue 22): a test that never ends fails with a stack dump, and
the test database gives up on a lock or a statement instead of waiting for ever."""

import re
import time

import pytest
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


def test_a_never_ending_test_fails_within_the_timeout_with_a_stack_dump(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_planted=PLANTED)
    # The same timeout settings as pyproject.toml, with two seconds instead of two minutes.
    pytester.makeini("[pytest]\ntimeout = 2\ntimeout_method = signal\n")
    started = time.monotonic()
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider", timeout=90)
    elapsed = time.monotonic() - started

    result.assert_outcomes(failed=3, passed=1)
    assert elapsed < 60, f"the planted run took {elapsed:.0f} s"
    output = result.stdout.str()
    # One failure per planted test, each with the timeout as its error (the summary may repeat it).
    failures = re.findall(r"^E\s+Failed: Timeout \(>2\.0s\) from pytest-timeout", output, flags=re.MULTILINE)
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

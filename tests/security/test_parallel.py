"""Twenty people (or one attacker with twenty connections) using one code or one link at once:
exactly one succeeds. The rows are locked, so the checks serialise in the database."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from accounts import services
from accounts.tokens import activation_tokens
from tests.conftest import current_code
from tests.factories import UserFactory, coordinatiepunt

pytestmark = pytest.mark.django_db(transaction=True)
PARALLEL = 20


def at_once(action: Callable[[], bool]) -> list[bool]:
    """Run `action` in PARALLEL threads released together; each thread has its own connection."""
    # Bounded waits and daemon threads: a locking bug fails the test, it never hangs the suite.
    barrier = threading.Barrier(PARALLEL, timeout=30)
    results: list[bool] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = action()
        except Exception:  # a refused attempt may raise; it is not a success
            outcome = False
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"{len(stuck)} threads still waiting after 60 s: a lock is never released"
    return results


def test_one_totp_code_used_twenty_times_at_once_logs_in_once():
    user = UserFactory(organisation=coordinatiepunt("drenthe"))
    code = current_code(user)
    results = at_once(lambda: services.login_code_check(user=user, token=code).result is services.CodeResult.OK)
    assert len(results) == PARALLEL and results.count(True) == 1


def test_one_activation_link_used_twenty_times_at_once_sets_one_password():
    user = UserFactory(organisation=coordinatiepunt("drenthe"), password=None)
    user.set_unusable_password()
    user.save()
    token = activation_tokens.make_token(user)

    def use() -> bool:
        services.link_use(uid=user.pk, token=token, purpose="activation", new_password="Parallel-wachtwoord-2026")
        return True

    results = at_once(use)
    assert len(results) == PARALLEL and results.count(True) == 1
    assert connection.vendor == "postgresql"

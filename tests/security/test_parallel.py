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


def at_once(action: Callable[[], bool], parallel: int = PARALLEL) -> list[bool]:
    """Run `action` in `parallel` threads released together; each thread has its own connection."""
    # Bounded waits and daemon threads: a locking bug fails the test, it never hangs the suite.
    barrier = threading.Barrier(parallel, timeout=30)
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

    threads = [threading.Thread(target=run, daemon=True) for _ in range(parallel)]
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


def test_two_overlapping_invulbestanden_committed_at_once_add_every_line_once(olga, otto, wim):
    """Issue #30: files A (rows 1, 2) and B (rows 2, 3) committed at the same moment: each line once, none lost."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.models import Inzet
    from projects.services.invulbestand import invulbestand_check, invulbestand_commit
    from tests.projects.cast import brug_veenhoven
    from tests.projects.test_invulbestand import stage, workbook_bytes

    project = brug_veenhoven(olga, otto, wim)
    one, two, three = (stage(project, surname=name) for name in ("Een", "Twee", "Drie"))
    files = iter(
        [
            invulbestand_check(project=project, upload=SimpleUploadedFile(name, workbook_bytes(rows)), by=otto)
            for name, rows in (("a.xlsx", [one, two]), ("b.xlsx", [two, three]))
        ]
    )
    handing_out = threading.Lock()

    def commit() -> bool:
        with handing_out:
            file = next(files)
        invulbestand_commit(upload=file, by=otto)
        return True

    assert at_once(commit, parallel=2) == [True, True]
    surnames = sorted(Inzet.objects.filter(project=project).values_list("kandidaat__surname", flat=True))
    assert surnames == ["Drie", "Een", "Twee"]

"""The rows the migrations seed (regions, coördinatiepunten, policy versions, content types, permissions) survive
every test, also the transactional ones.

A test in a transaction is rolled back and leaves the database as it found it. A transactional test (the browser
tests, the worker and fault tests) commits for real, and Django empties every table after it; on its own, Django
then only re-creates the content types and permissions, and counts on running such tests last. With pytest-xdist's
work stealing nothing runs "last": any test may follow a transactional one on the same worker. So the rows the
migrations left are remembered when the test database is ready, and put back, with the same keys, right after
every emptying, with the database's triggers off (putting a row back is not an event of its history).
"""

import copy

import pgtrigger
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model
from django.test import TransactionTestCase

Snapshot = list[tuple[type[Model], list[Model]]]

_snapshots: dict[str, Snapshot] = {}


def _remembered_models() -> list[type[Model]]:
    return [
        model for model in apps.get_models(include_auto_created=True) if model._meta.managed and not model._meta.proxy
    ]


def take_snapshot(alias: str) -> Snapshot:
    """Every row of the database `alias` now, as model instances, table by table."""
    snapshot: Snapshot = []
    for model in _remembered_models():
        rows = list(model._base_manager.using(alias).order_by("pk"))
        if rows:
            snapshot.append((model, rows))
    return snapshot


def empty_to_snapshot(alias: str, snapshot: Snapshot) -> None:
    """Empty every table of `alias` and put the snapshot's rows back, with their keys."""
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=alias,
        reset_sequences=False,
        allow_cascade=False,
        # The content types and permissions are in the snapshot, with the keys they had.
        inhibit_post_migrate=True,
    )
    with transaction.atomic(using=alias), pgtrigger.ignore(databases=[alias]):
        for model, rows in snapshot:
            model._base_manager.using(alias).bulk_create([copy.copy(row) for row in rows])
    ContentType.objects.clear_cache()


def remember_seeded_rows(aliases: list[str]) -> None:
    """Called once the test databases exist: from now on, every emptying puts these rows back."""
    for alias in aliases:
        _snapshots[alias] = take_snapshot(alias)


def _fixture_teardown(self: TransactionTestCase) -> None:
    for alias in self._databases_names(include_mirrors=False):  # type: ignore[attr-defined]
        if alias in _snapshots:
            empty_to_snapshot(alias, _snapshots[alias])
        else:  # a database whose rows were not remembered: Django's own emptying
            call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False)


def install() -> None:
    """TransactionTestCase (which pytest-django's transactional tests are) empties to the seeded rows."""
    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]

"""A row lock held by another connection, as a running worker or a colleague's save holds one."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, models, transaction


@contextmanager
def row_locked(model: type[models.Model], pk: int, timeout: float = 60) -> Iterator[None]:
    """While inside, another thread's transaction holds `SELECT … FOR UPDATE` on the row. Bounded waits:
    a test that goes wrong fails, it never hangs (the holder lets go after `timeout` whatever happens).
    Needs a transactional test: the other connection sees committed rows only."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                model._default_manager.select_for_update().get(pk=pk)
                holding.set()
                release.wait(timeout=timeout)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        assert holding.wait(timeout=20), "the row lock was not taken within 20 s"
        yield
    finally:
        release.set()
        holder.join(timeout=30)

"""Second databases on the test cluster, for tests that run `manage.py` against an empty portal (the region round
trip): copies of this worker's test database as its migrations left it.

A copy (CREATE DATABASE … TEMPLATE) takes a second where migrating a new database takes twenty. Postgres copies only a
database without sessions, and a test database has them all session long (a test's connection lives in the context
of the test that opened it, out of reach of the next), so the copy to copy from is made once, when the test database
is new: `migrated_copy_make` from `django_db_setup` (tests/conftest.py), only in a run that has a test asking for
`migrated_database`."""

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.db import connection

FIXTURE = "migrated_database"


def _server() -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "dbname": "postgres"}
    if settings["PASSWORD"]:
        params["password"] = settings["PASSWORD"]
    return psycopg.connect(**params, autocommit=True)


def _execute(sql: str) -> None:
    with _server() as server:
        server.execute(sql)  # type: ignore[arg-type]


def _name(suffix: str) -> str:
    return f"{connection.settings_dict['NAME']}_{suffix}"[:63]


def database_url(name: str) -> str:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = f"?host={settings['HOST']}" if str(settings["HOST"]).startswith("/") else ""
    server = "" if host else settings["HOST"]
    return f"postgres://{settings['USER']}{password}@{server}:{settings['PORT']}/{name}{host}"


def migrated_copy_make() -> None:
    """Copy the test database, which has no session now, as the template of `migrated_database`."""
    template = _name("migrated")
    _execute(f'DROP DATABASE IF EXISTS "{template}"')
    _execute(f'CREATE DATABASE "{template}" TEMPLATE "{connection.settings_dict["NAME"]}" STRATEGY FILE_COPY')


def migrated_copy_drop() -> None:
    _execute(f'DROP DATABASE IF EXISTS "{_name("migrated")}" WITH (FORCE)')


def wanted(session: pytest.Session) -> bool:
    return any(FIXTURE in getattr(item, "fixturenames", ()) for item in session.items)


@pytest.fixture
def migrated_database() -> Iterator[str]:
    """An empty portal: a new database as `manage.py migrate` leaves it, dropped afterwards. Yields its
    DATABASE_URL."""
    name = _name("empty")
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _execute(f'CREATE DATABASE "{name}" TEMPLATE "{_name("migrated")}" STRATEGY FILE_COPY')
    try:
        yield database_url(name)
    finally:
        _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

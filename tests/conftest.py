"""The fixed cast every test plays with, and helpers to log in as one of them.

Regions Drenthe and Groningen come from the data migration, each with its coördinatiepunt.
"""

import os
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client as DjangoClient
from django.test import TestCase
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SessionIdleMiddleware
from accounts.models import Organisation, OrganisationKind, Region, User

from . import databases, seeded
from .factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory

pytest_plugins = ["pytester"]

migrated_database = databases.migrated_database

TEST_DATABASE_TIMEOUTS = "-c statement_timeout=60s -c lock_timeout=20s -c idle_in_transaction_session_timeout=300s"

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class InvalidTemplateVariable(str):
    """Fail the test on any template variable that does not resolve."""

    def __mod__(self, other: object) -> str:
        raise AssertionError(f"Invalid template variable: {other!r}")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
    # Tasks run in-process when their transaction commits, and never reach the developer's Redis.
    # (tests/notifications/test_worker.py runs a real worker against a Redis of its own.)
    from srmonitor.celery import app as celery_app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Every test sees the figures of its own data, not a cached dashboard of an earlier test.
    settings.DASHBOARD_CACHE_SECONDS = 0
    celery_app.conf.task_always_eager = True
    # The live server's threads must not keep connections open, or the test database can't be dropped.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A locking bug fails the test with a traceback instead of hanging the suite: no statement runs
    # longer than a minute and no lock is waited for longer than 20 s (pytest-timeout stops the
    # test itself after two minutes, pyproject.toml).
    options = settings.DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} {TEST_DATABASE_TIMEOUTS}".strip()
    # Password hashing is not under test here, and PBKDF2 makes every login take 0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database as the migrations left it, and kept so after every transactional test (tests/seeded.py):
    no test depends on the order the tests run in. A run with a test that needs an empty portal beside it gets a copy
    of it now (tests/databases.py)."""
    from django.conf import settings
    from django.db import connections

    copy = databases.wanted(request.session)
    with django_db_blocker.unblock():
        seeded.remember_seeded_rows(list(settings.DATABASES))
        if copy:
            connections.close_all()
            databases.migrated_copy_make()
    seeded.install()
    yield
    if copy:
        with django_db_blocker.unblock():
            databases.migrated_copy_drop()
    # Before pytest-django drops the database: end the sessions still on it. A live server's request thread
    # can outlive its test by seconds (its connection closes with the thread), and DROP DATABASE refuses a
    # database in use ("being accessed by other users") at the end of whichever test the worker ran last.
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            # Only our own clients: an autovacuum worker on the database is the server's, and ending it
            # needs a superuser (the test user isn't); DROP DATABASE doesn't wait for it.
            "AND backend_type = 'client backend' AND usename = current_user"
        )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded documents go to a temporary folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def broker_trusted():  # type: ignore[no-untyped-def]
    """Every test starts with a broker the mail is handed to (notifications.mail pauses after a failure)."""
    from notifications.mail import broker_pause_end

    broker_pause_end()
    yield
    broker_pause_end()


@pytest.fixture
def drenthe(db: None) -> Region:
    return Region.objects.get(slug="drenthe")


@pytest.fixture
def groningen(db: None) -> Region:
    return Region.objects.get(slug="groningen")


@pytest.fixture
def coordinatiepunt_drenthe(drenthe: Region) -> Organisation:
    org = Organisation.objects.get(kind=OrganisationKind.COORDINATIEPUNT, region=drenthe)
    org.email = "csr@drenthe.invalid"
    org.save()
    return org


@pytest.fixture
def cora(coordinatiepunt_drenthe: Organisation) -> User:
    """Coördinatiepunt Drenthe: manages every account of Drenthe, none of Groningen."""
    return UserFactory(name="Cora Coördinator", email="cora@csr-drenthe.invalid", organisation=coordinatiepunt_drenthe)


@pytest.fixture
def gert(groningen: Region) -> User:
    """Coördinatiepunt Groningen: must get 404 on every Drenthe account."""
    org = Organisation.objects.get(kind=OrganisationKind.COORDINATIEPUNT, region=groningen)
    return UserFactory(name="Gert Groen", email="gert@csr-groningen.invalid", organisation=org)


@pytest.fixture
def wim(drenthe: Region) -> User:
    """WSP Drenthe: sees only colleagues of his WSP."""
    org = OrganisationFactory(name="WSP Drenthe", kind=OrganisationKind.WSP, region=drenthe)
    return UserFactory(name="Wim Werkgever", email="wim@wsp-drenthe.invalid", organisation=org)


@pytest.fixture
def olga(drenthe: Region) -> User:
    """Opdrachtgever in Drenthe (Gemeente Veenhoven): sees only her colleagues."""
    org = OrganisationFactory(name="Gemeente Veenhoven", kind=OrganisationKind.OPDRACHTGEVER, region=drenthe)
    return UserFactory(name="Olga Opdracht", email="olga@veenhoven.invalid", organisation=org)


@pytest.fixture
def otto(drenthe: Region) -> User:
    """Opdrachtnemer working in Drenthe: sees only his colleagues."""
    return UserFactory(
        name="Otto Nemer", email="otto@hunzebouw.invalid", organisation=OpdrachtnemerFactory(name="Hunzebouw")
    )


@pytest.fixture
def gerda(groningen: Region) -> User:
    """Opdrachtgever in Groningen: invisible to everyone in Drenthe."""
    org = OrganisationFactory(name="Gemeente Noorderdal", kind=OrganisationKind.OPDRACHTGEVER, region=groningen)
    return UserFactory(name="Gerda Noord", email="gerda@noorderdal.invalid", organisation=org)


@pytest.fixture
def admin_user(db: None) -> User:
    """Functioneel beheer: a superuser without organisation, uses the Django admin."""
    user = User.objects.create_superuser("beheer@srm.invalid", password="Beheer-wachtwoord-2026", name="Beheerder")
    TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    return user


def travel(delta: timedelta, *, tick: bool = True) -> time_machine.travel:
    """Travel `delta` from now, keeping the local time zone (Europe/Amsterdam) as it is."""
    return time_machine.travel((timezone.now() + delta).timestamp(), tick=tick)


def committed():
    """Run the on-commit callbacks (mail) of what happens inside, as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


class Client(DjangoClient):
    """A test client whose requests end like real ones: their transactions' on-commit work runs."""

    def request(self, **request):  # type: ignore[no-untyped-def]
        with committed():
            return super().request(**request)


def login(client: Client, user: User) -> Client:
    """Log in as after both factors: session with the user and the verified device."""
    client.force_login(user, backend="accounts.backends.EmailBackend")
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SessionIdleMiddleware.RESTARTED] = int(time.time())  # as the login pages' answers start the timer
    session.save()
    return client


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def app_code(user: User) -> str:
    """The code the user's authenticator app lets them log in with now: the current one, or, when that was
    just used (a code works once), the next one, as a person waits for it. Never one the portal refuses
    because the clock ticked between two logins."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now = (int(time.time()) - device.t0) // device.step
    return f"{hotp(device.bin_key, max(now, device.last_t + 1), digits=device.digits):0{device.digits}d}"


def link_from_mail(body: str) -> str:
    """The first portal link in a mail body, as path."""
    match = re.search(r"http://testserver(/\S+/)", body)
    assert match, body
    return match.group(1)

"""Faults (issue #8; SPEC §6): real processes stopped and started under a running portal.

- Postgres restarted under gunicorn, which is not restarted: twice while the users are idle
  (`pg_ctl restart -m fast`, `-m immediate`: each worker's persistent connection died with it)
  and once crashed during use (`stop -m immediate`, down a second, `start`). Every confirmed
  save is in the database afterwards; only requests made while it was away fail, and they get
  the Dutch error page at once, not a hang or a stack trace.
- Celery beat down for a day: on start it runs the missed daily job once, and the reminders,
  end signals and outbox mails that waited for it go out exactly once.

Redis down and a worker killed mid-batch are in tests/notifications/test_worker.py; the beat
test reuses its redis-server, worker and mail-file fixtures. The restart test never touches
the shared Postgres: it runs a throwaway cluster of its own.
"""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import psycopg
import pytest
from celery.beat import PersistentScheduler
from django.conf import settings
from django_otp.oath import totp

from accounts.services import password_forgotten
from notifications.models import Mail, MailStatus
from projects.services.schedule import daily_schedule_run, reminder_number
from srmonitor.celery import app as celery_app
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory, coordinatiepunt
from tests.notifications import test_worker
from tests.notifications.test_worker import (
    Worker,
    delivered,
    free_port,
    reset_broker_connections,
    stop_process,
    wait_for,
)
from tests.projects.cast import make_project

pytestmark = pytest.mark.faults
# The redis-server, Celery worker and mail folder of test_worker.py serve here too.
redis, real_broker, mail_dir, worker = (
    test_worker.redis,
    test_worker.real_broker,
    test_worker.mail_dir,
    test_worker.worker,
)

ROOT = Path(__file__).resolve().parents[2]
AMSTERDAM = ZoneInfo(settings.TIME_ZONE)


# --- A throwaway PostgreSQL cluster and the portal on it ------------------------------------------


def pg_bindir() -> Path:
    """The server binaries, found as scripts/lib.sh finds them."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
        candidates.append(Path(bindir))
    for candidate in reversed(candidates):
        if (candidate / "initdb").exists():
            return candidate
    pytest.fail("PostgreSQL server binaries not found: apt-get install postgresql")


class Postgres:
    """A cluster of this test alone in a fresh folder: socket only, trust auth, stopped at will.

    Postgres refuses to run as root; as root the cluster belongs to the OS user postgres (like
    scripts/lib.sh), so its folder is in scripts/test's scratch folder, which that user can reach."""

    PORT = 5432  # only names the socket file, in a folder of our own: no clash possible

    def __init__(self, folder: Path) -> None:
        self.bin = pg_bindir()
        self.folder = folder
        self.data = folder / "data"
        self.socket_dir = folder / "run"
        self.log = folder / "postgres.log"

    def _as_owner(self, *command: str | Path) -> list[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return [*prefix, *map(str, command)]

    def _run(self, *command: str | Path) -> None:
        # pg_ctl always gets -l: a server started without it would hold our pipe open.
        result = subprocess.run(self._as_owner(*command), capture_output=True, text=True, timeout=60, check=False)
        if result.returncode:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            pytest.fail(f"{command[0]} failed: {result.stdout}{result.stderr}\n{tail}")

    def _ctl(self, *args: str) -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", *args)

    def create(self) -> None:
        self.socket_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        for sql in ("CREATE ROLE srmonitor LOGIN", "CREATE DATABASE srmonitor OWNER srmonitor"):
            self._run(self.bin / "psql", "-h", self.socket_dir, "-p", str(self.PORT), "-U", "postgres", "-qc", sql)

    def start(self) -> None:
        # fsync off, as scripts/test runs it: the faults here kill processes, not the machine, and
        # what a committed transaction wrote is in the kernel's page cache either way.
        options = f"-p {self.PORT} -k {self.socket_dir} -c listen_addresses='' -c fsync=off"
        self._ctl("-o", options, "start")

    def restart(self, mode: str) -> None:
        self._ctl("-m", mode, "restart")  # with the options of the last start (postmaster.opts)

    def stop(self, mode: str) -> None:
        self._ctl("-m", mode, "stop")

    def is_running(self) -> bool:
        command = self._as_owner(self.bin / "pg_ctl", "-D", self.data, "status")
        status = subprocess.run(command, capture_output=True, timeout=30, check=False)
        return status.returncode == 0

    @property
    def url(self) -> str:
        return f"postgres://srmonitor@:{self.PORT}/srmonitor?host={self.socket_dir}"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host=str(self.socket_dir), port=self.PORT, user="srmonitor", dbname="srmonitor")


SETUP_SCRIPT = """
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import Organisation, OrganisationKind, User

call_command("migrate", verbosity=0)
organisation = Organisation.objects.get(kind=OrganisationKind.COORDINATIEPUNT, region__slug="drenthe")
user = User.objects.create_user("{email}", password="{password}", name="Cora Coördinator", organisation=organisation)
TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True, key="{key}")
"""


@dataclass
class Portal:
    """The portal under gunicorn on the throwaway cluster, and the coördinatiepunt who uses it."""

    port: int
    process: subprocess.Popen
    email: str = "cora@csr-drenthe.invalid"
    password: str = "Herstart-bestendig-2026"
    totp_key: str = "3132333435363738393031323334353637383930"


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    # scripts/test names a scratch folder of its own, and stops what a killed run left there.
    folder = Path(tempfile.mkdtemp(prefix="faults-", dir=os.environ.get("SRM_TEST_SCRATCH")))
    cluster = Postgres(folder)
    try:
        cluster.create()
        yield cluster
    finally:
        try:
            if cluster.is_running():
                cluster.stop("immediate")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def portal(postgres: Postgres, tmp_path: Path) -> Iterator[Portal]:
    """`manage.py migrate` on the cluster, one user with an authenticator, then gunicorn (2 workers)
    with the production database settings: persistent connections (CONN_MAX_AGE default)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_CONN_MAX_AGE"}
    env.update(
        DJANGO_SETTINGS_MODULE="srmonitor.settings",
        DATABASE_URL=postgres.url,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nothing there: mail stays in the outbox
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "srmonitor.wsgi:application", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "-"]
    with open(log, "ab") as output:  # it boots while the database is migrated
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        script = SETUP_SCRIPT.format(email=Portal.email, password=Portal.password, key=Portal.totp_key)
        shell = [sys.executable, "manage.py", "shell", "-c", script]
        setup = subprocess.run(shell, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert setup.returncode == 0, setup.stderr[-3000:]
        wait_for(lambda: answers(port, "/gezond/") == 200, "gunicorn to answer", log=log)
        yield Portal(port, process)
    finally:
        stop_process(process, signal.SIGINT)  # gunicorn's quick shutdown


def answers(port: int, path: str) -> int:
    try:
        return Browser(port).request("GET", path, timeout=2).status
    except OSError:
        return 0


@dataclass
class Response:
    status: int
    location: str
    body: str


class Browser:
    """Just enough of a browser: cookies, forms with their CSRF token, no redirects followed."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 10) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(response.status, response.headers.get("Location", ""), text)
        finally:
            connection.close()

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status == 200, (path, page.status)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, page.body[:500]
        return match.group(1)

    def submit(self, path: str, fields: dict[str, str]) -> Response:
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf_token(path), **fields})

    def log_in(self, portal: Portal) -> None:
        step = self.submit("/inloggen/", {"email": portal.email, "password": portal.password})
        assert (step.status, step.location) == (302, "/inloggen/code/"), step.body[:2000]
        code = f"{totp(bytes.fromhex(portal.totp_key)):06d}"
        done = self.submit("/inloggen/code/", {"code": code})
        assert (done.status, done.location) == (302, "/"), done.body[:2000]


# The Dutch error pages a request may get while the database is away: 500 mostly, 400 when it
# went away between the view and the session save (Django turns that into SessionInterrupted).
ERROR_PAGES = {400: "Uw verzoek kon niet worden verwerkt", 500: "Er ging iets mis"}
LEAKS = ("Traceback", "psycopg", "OperationalError", "InterfaceError", "/work/", "site-packages")


def is_error_page(response: Response) -> bool:
    """A Dutch error page (templates/500.html, 400.html), without a stack trace or database details."""
    heading = ERROR_PAGES.get(response.status)
    return (
        heading is not None
        and 'lang="nl"' in response.body
        and heading in response.body
        and not any(leak in response.body for leak in LEAKS)
    )


def test_a_request_the_portal_refuses_gets_the_dutch_400_page(client):
    """Django's own 400 page is English; a request cut off by the database (SessionInterrupted)
    or refused for its Host header gets ours."""
    response = client.get("/inloggen/", HTTP_HOST="aanvaller.invalid")
    assert is_error_page(Response(response.status_code, "", response.content.decode()))
    assert response.status_code == 400


@dataclass
class Outcome:
    kind: str  # "save" or "read"
    started: float
    ended: float
    response: Response | None
    title: str = ""
    error: str = ""

    @property
    def pk(self) -> int | None:
        """The saved news item when the save was confirmed: the redirect to its page."""
        if self.kind != "save" or self.response is None or self.response.status != 302:
            return None
        match = re.fullmatch(r"/nieuws/(\d+)/", self.response.location)
        return int(match.group(1)) if match else None

    @property
    def ok(self) -> bool:
        if self.kind == "save":
            return self.pk is not None
        return self.response is not None and self.response.status == 200


class Traffic:
    """Two users saving news items and reading the list, non-stop, in threads; they can be paused
    (both idle, each gunicorn worker keeping its open database connection) and resumed."""

    def __init__(self, portal: Portal, cookies: dict[str, str], token: str) -> None:
        self.portal, self.cookies, self.token = portal, cookies, token
        self.outcomes: list[Outcome] = []
        self.counter = 0
        self.paused = self.stopping = False
        self.parked = 0
        self.state = threading.Condition()
        self.users = [threading.Thread(target=self.user, args=(name,), daemon=True) for name in ("Cora", "Cas")]

    def __enter__(self) -> "Traffic":
        for thread in self.users:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self.state:
            self.stopping = True
            self.state.notify_all()
        for thread in self.users:
            thread.join(timeout=30)

    def pause(self) -> None:
        with self.state:
            self.paused = True
            assert self.state.wait_for(lambda: self.parked == len(self.users), timeout=30)

    def resume(self) -> None:
        with self.state:
            self.paused = False
            self.state.notify_all()

    def user(self, name: str) -> None:
        browser = Browser(self.portal.port, self.cookies)
        while True:
            with self.state:
                if self.paused and not self.stopping:
                    self.parked += 1
                    self.state.notify_all()
                    self.state.wait_for(lambda: not self.paused or self.stopping)
                    self.parked -= 1
                if self.stopping:
                    return
                self.counter += 1
                title = f"Bericht {self.counter:04d} van {name}"
            # The form stays open in the browser: its CSRF token is reused, as a user's would be.
            today = datetime.now(AMSTERDAM).date().isoformat()
            fields = {"csrfmiddlewaretoken": self.token, "title": title, "body": "Tekst.", "publish_date": today}
            saved = self.record("save", title, lambda fields=fields: browser.request("POST", "/nieuws/nieuw/", fields))
            read = self.record("read", "", lambda: browser.request("GET", "/nieuws/"))
            time.sleep(0.01 if saved.ok and read.ok else 0.1)  # a user waits a moment after an error page

    def answered(self, count: int, since: float) -> None:
        """Wait until `count` requests made after `since` have been answered."""

        def enough() -> bool:
            with self.state:
                return sum(outcome.started >= since for outcome in self.outcomes) >= count

        wait_for(enough, f"{count} answers")

    def record(self, kind: str, title: str, action) -> Outcome:  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            response, error = action(), ""
        except OSError as exc:  # no answer at all (refused, reset, timeout): never acceptable
            response, error = None, repr(exc)
        outcome = Outcome(kind, started, time.monotonic(), response, title, error)
        with self.state:
            self.outcomes.append(outcome)
        return outcome


@dataclass
class Window:
    """When the database was away: from the pg_ctl call until it answered again."""

    name: str
    began: float
    ended: float = 0.0
    down: tuple[float, float] | None = None  # stopped for sure: from `stop` returning to `start` called

    def overlaps(self, outcome: Outcome) -> bool:
        return outcome.started <= self.ended and outcome.ended >= self.began


def test_postgres_restarted_and_crashed_during_use_loses_no_confirmed_save(postgres, portal):
    browser = Browser(portal.port)
    browser.log_in(portal)
    windows: list[Window] = []
    with Traffic(portal, browser.cookies, browser.csrf_token("/nieuws/nieuw/")) as traffic:
        traffic.answered(6, since=0)
        # Restarted while nobody asks anything: each gunicorn worker holds a connection that
        # died with the server; the first requests after must not fail on it.
        for mode in ("fast", "immediate"):
            traffic.pause()
            windows.append(Window(f"restart -m {mode} (idle)", time.monotonic()))
            postgres.restart(mode)
            windows[-1].ended = time.monotonic()
            traffic.resume()
            traffic.answered(6, since=windows[-1].ended)

        # Restarted during use: requests in flight lose their connection.
        windows.append(Window("restart -m fast (in use)", time.monotonic()))
        postgres.restart("fast")
        windows[-1].ended = time.monotonic()
        traffic.answered(6, since=windows[-1].ended)

        # A crash during use: every server process killed at once, no checkpoint; it stays down
        # a second while the users go on, then the start replays the WAL.
        windows.append(Window("crash (in use)", time.monotonic()))
        postgres.stop("immediate")
        stopped = time.monotonic()
        time.sleep(1.0)
        started = time.monotonic()
        postgres.start()
        windows[-1].ended, windows[-1].down = time.monotonic(), (stopped, started)
        traffic.answered(6, since=windows[-1].ended)

    outcomes = sorted(traffic.outcomes, key=lambda outcome: outcome.started)
    failed = [outcome for outcome in outcomes if not outcome.ok]
    for outcome in failed:
        # Only what was asked while the database was away may fail, and it fails properly.
        if outcome.response is None:
            pytest.fail(f"no answer: {outcome.error}")
        answer = f"{outcome.response.status} {outcome.response.body[:300]!r}"
        assert any(window.overlaps(outcome) for window in windows), f"failed with the database up: {answer}"
        assert is_error_page(outcome.response), f"not the error page: {answer}"
    assert all(outcome.ended - outcome.started < 5 for outcome in outcomes), "a request hung"

    crash = windows[-1]
    assert crash.down is not None
    during_crash = [outcome for outcome in outcomes if crash.down[0] <= outcome.started <= crash.down[1] - 0.1]
    assert during_crash and not any(outcome.ok for outcome in during_crash), "the error path was not exercised"
    recovery = {}
    for window, following in zip(windows, [*windows[1:], None], strict=True):
        until = following.began if following else float("inf")
        after = [outcome for outcome in outcomes if window.ended <= outcome.started and outcome.ended < until]
        assert len(after) >= 6 and all(outcome.ok for outcome in after), window
        assert any(outcome.pk for outcome in after), "no save after the database came back"
        recovery[window.name] = round(after[0].ended - window.ended, 3)

    # Every confirmed save is in the database, once; a save refused while it was down is not.
    with postgres.connect() as connection:
        rows = connection.execute("SELECT id, title FROM policy_newsitem").fetchall()
    saved = dict(rows)
    titles = [title for _, title in rows]
    confirmed = {outcome.pk: outcome.title for outcome in outcomes if outcome.pk is not None}
    assert {pk: saved.get(pk) for pk in confirmed} == confirmed
    assert len(titles) == len(set(titles))
    assert not {outcome.title for outcome in during_crash if outcome.kind == "save"} & set(titles)

    assert portal.process.poll() is None, "gunicorn was never restarted"
    print(
        f"\nfaults: {len(confirmed)} confirmed saves, {len(outcomes)} requests, {len(windows)} database outages "
        f"({', '.join(window.name for window in windows)}); {len(failed)} requests failed during them "
        f"(error page), {len(during_crash)} made while it was down; outages lasted "
        f"{[round(window.ended - window.began, 2) for window in windows]} s; first answer after: {recovery} s"
    )


# --- Celery beat down for a day ---------------------------------------------------------------------


class Beat:
    """`celery beat` with a schedule file of its own (the file is what remembers the last runs)."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env = env
        self.folder = folder
        self.schedule = folder / "celerybeat-schedule"
        self.log = folder / "beat.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "srmonitor", "beat", "--loglevel=INFO"]
        command += ["--schedule", str(self.schedule), "--pidfile", str(self.folder / "beat.pid")]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        """SIGTERM: beat writes its schedule file and exits, as on a deploy or `docker compose stop`."""
        stop_process(self.process)
        self.process = None

    def count(self, text: str) -> int:
        return self.log.read_text(errors="replace").count(text) if self.log.exists() else 0


@pytest.fixture
def beat(worker: Worker, tmp_path: Path) -> Iterator[Beat]:
    folder = tmp_path / "beat"
    folder.mkdir()
    process = Beat(worker.env, folder)
    try:
        yield process
    finally:
        process.stop()


def the_daily_run_beat_missed() -> datetime:
    """The most recent 06:30 in Amsterdam, the time of the daily-schedule crontab.

    Started in the two minutes before 06:30, the test first lets 06:30 pass: otherwise beat would
    rightly run the job a second time, for today, while the test watches."""
    now = datetime.now(AMSTERDAM)
    today = datetime.combine(now.date(), clock(6, 30), tzinfo=AMSTERDAM)
    if timedelta(0) < today - now < timedelta(minutes=2):
        time.sleep((today - now).total_seconds() + 1)
        now = datetime.now(AMSTERDAM)
    return today if today <= now else today - timedelta(days=1)


@contextmanager
def schedule_file(path: Path) -> Iterator[dict]:  # type: ignore[type-arg]
    """The entries of a beat schedule file, read and written by Celery's own PersistentScheduler
    with this app's schedule, as beat itself does. (Beat's clock can't be set back in another
    process; the file that remembers its last runs can.)"""
    scheduler = PersistentScheduler(app=celery_app, schedule_filename=str(path))
    try:
        yield scheduler.schedule
    finally:
        scheduler.close()


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """This (web) process can't reach Redis for a moment; the worker still can."""
    saved = celery_app.conf.broker_url
    reset_broker_connections()
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    try:
        yield
    finally:
        reset_broker_connections()
        celery_app.conf.broker_url = saved


def a_project(name: str, *, start: date, end: date):  # type: ignore[no-untyped-def]
    """A project with its own opdrachtnemer contact (gets the reminders) and accountmanager (the
    end signal), so the mail files show per address which mail went out how often."""
    slug = name.lower().replace(" ", "-")
    gemeente = OrganisationFactory(name=f"Gemeente {name}")
    opdrachtnemer = UserFactory(email=f"{slug}@opdrachtnemer.invalid", organisation=OpdrachtnemerFactory())
    accountmanager = UserFactory(email=f"{slug}@wsp.invalid", organisation=OrganisationFactory(kind="wsp"))
    return make_project(
        name=name,
        opdrachtgever=gemeente,
        opdrachtnemer=opdrachtnemer.organisation,
        accountmanager=accountmanager,
        contacts=[opdrachtnemer],
        start_date=start,
        end_date=end,
    )


@pytest.mark.django_db(transaction=True)
def test_beat_down_for_a_day_runs_the_missed_daily_job_once_and_every_mail_goes_once(worker, beat, mail_dir, tmp_path):
    missed = the_daily_run_beat_missed()
    day = missed.date()
    went_down = missed - timedelta(days=1) + timedelta(minutes=1)  # just after the run of the day before
    coordinatiepunt("drenthe")
    worker.start(MEDIA_ROOT=str(tmp_path / "media"))  # it boots while the story is set up

    # Beat's last run before it went down, the day before, sent what was due then.
    reminded = a_project("Al herinnerd", start=day - timedelta(days=100), end=day + timedelta(days=200))
    ended_earlier = a_project("Eerder afgelopen", start=day - timedelta(days=60), end=day - timedelta(days=5))
    ends = [a_project(f"Eindigt {n}", start=day - timedelta(days=60), end=day - timedelta(days=1)) for n in (1, 2)]
    a_project("Nog niet", start=day - timedelta(days=30), end=day + timedelta(days=300))
    assert daily_schedule_run(day - timedelta(days=1)) == {"reminders": 1, "signals": 1}
    before = {f"reminder:{reminded.pk}:1", f"signal-end:{ended_earlier.pk}"}

    # While beat was down: two projects registered late (their first reminder is due), two
    # ended the day before the missed run, and two mails were saved while this process
    # couldn't reach Redis: they wait in the outbox for the sweep.
    late = [a_project(f"Laat {n}", start=day - timedelta(days=100), end=day + timedelta(days=200)) for n in (1, 2)]
    assert all(reminder_number(project, day) == 1 for project in late)
    waiting = [UserFactory(email=f"vergeten{n}@proef.invalid", organisation=OrganisationFactory()) for n in (1, 2)]
    with broker_unreachable():
        for user in waiting:
            password_forgotten(email=user.email)
    assert Mail.objects.filter(key__startswith="password-reset:", status=MailStatus.PENDING).count() == 2

    # Beat comes back. The worker takes the queue in order (one process): the day before's
    # mails first, then what beat sends on its first tick.
    with schedule_file(beat.schedule) as entries:  # as a beat leaves it that stopped then
        assert "daily-schedule" in entries
        for entry in entries.values():
            entry.last_run_at = went_down
    beat_started = datetime.now(AMSTERDAM)
    beat.start()
    expected = {f"reminder:{project.pk}:1" for project in late} | {f"signal-end:{project.pk}" for project in ends}
    wait_for(
        lambda: Mail.objects.filter(status=MailStatus.SENT).count() == 8,
        "the missed run's mails and the waiting ones to be sent",
        log=worker.log,
    )
    beat.stop()

    rows = Mail.objects.all()
    keys = {row.key for row in rows if not row.key.startswith("password-reset:")}
    assert keys == before | expected
    assert {(row.status, row.attempts) for row in rows} == {(MailStatus.SENT, 1)}
    assert max(row.sent_at for row in rows if row.key in before) < min(
        row.created_at for row in rows if row.key in expected
    )
    addresses = {f"{slug}@opdrachtnemer.invalid" for slug in ("al-herinnerd", "laat-1", "laat-2")}
    addresses |= {f"{slug}@wsp.invalid" for slug in ("eerder-afgelopen", "eindigt-1", "eindigt-2")}
    addresses |= {user.email for user in waiting}
    assert delivered(mail_dir) == dict.fromkeys(addresses, 1)

    # The daily job ran once, on beat's first tick, and sent exactly the missed day's mails.
    assert beat.count("Sending due task daily-schedule ") == 1
    assert beat.count("Sending due task sweep-outbox ") >= 1
    assert worker.log.read_text().count("{'reminders': 2, 'signals': 2}") == 1
    # Beat wrote that run into its file: started again today, it would not run the job again.
    with schedule_file(beat.schedule) as entries:
        entry = entries["daily-schedule"]
    assert entry.total_run_count == 1 and entry.last_run_at >= beat_started
    assert not entry.is_due().is_due
    print(
        f"\nfaults: beat down from {went_down:%d-%m %H:%M} over the {missed:%d-%m %H:%M} run; on start it ran "
        f"the daily job once: {len(expected)} reminders/signals and {len(waiting)} waiting mails sent, each once; "
        f"{len(before)} mails of the day before not again"
    )

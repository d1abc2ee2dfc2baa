"""The outbox against a real Redis and a real Celery worker (SPEC §6).

Every other test runs Celery tasks eagerly. Here the test starts a redis-server of its own on a
free port and `celery worker` processes that read the test database, and proves what the outbox
promises: a saved change sends its mail once; with Redis down the save still succeeds and the
mail goes out later; a worker killed in the middle of a batch loses no mail and sends none twice.

The database is transactional: the worker is another process and must see committed rows.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import pytest
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.db import connection, transaction

from accounts.services import password_forgotten
from notifications.mail import BROKER_PAUSE_SECONDS, mail_send, mail_sweep
from notifications.models import Mail, MailStatus
from notifications.tasks import sweep_outbox
from srmonitor.celery import app as celery_app
from tests.factories import OrganisationFactory, UserFactory, coordinatiepunt

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
DEADLINE = 20.0  # seconds any one thing may take before the test gives up


class SlowFileBackend(FileBackend):
    """The file backend (used by the worker only), with two hooks to catch it mid-send.

    Before a message goes out it leaves a marker in SRM_TEST_MAIL_MARKERS and waits
    SRM_TEST_MAIL_DELAY seconds: a worker killed then is one that holds a mail it has not sent."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        markers = os.environ.get("SRM_TEST_MAIL_MARKERS")
        if markers:
            for message in email_messages:
                Path(markers, uuid.uuid4().hex).write_text(",".join(message.to))
        time.sleep(float(os.environ.get("SRM_TEST_MAIL_DELAY", "0")))
        return super().send_messages(email_messages)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = DEADLINE, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}\n{tail}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


class RedisServer:
    """A redis-server of this test alone: no persistence, stopped and started at will."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        assert REDIS_SERVER
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--daemonize", "no", "--dir", str(self.folder)]
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.answers, "redis-server to answer", log=self.folder / "redis.log")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


class Worker:
    """`celery worker` (one process, solo pool) on the test database; its mail goes to files."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, **extra_env: str) -> None:
        command = [sys.executable, "-m", "celery", "-A", "srmonitor", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-heartbeat", "--without-mingle", "--without-gossip"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, env={**self.env, **extra_env}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, the database connection just drops."""
        stop_process(self.process, signal.SIGKILL)
        self.process = None

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


def worker_database_url() -> str:
    """The current DATABASE_URL with the test database's name: same host, socket, port and user."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(connection.settings_dict["NAME"])))


def reset_broker_connections() -> None:
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    if REDIS_SERVER is None:
        pytest.fail("redis-server is missing: apt-get install redis-server (the .ci/run script does)")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def real_broker(redis: RedisServer) -> Iterator[None]:
    """This process publishes to the test's Redis instead of running tasks eagerly."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    reset_broker_connections()
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis.url
    try:
        yield
    finally:
        reset_broker_connections()
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def worker(redis: RedisServer, real_broker: None, mail_dir: Path, tmp_path: Path) -> Iterator[Worker]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "srmonitor.settings",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "tests.notifications.test_worker.SlowFileBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    process = Worker(env, tmp_path / "worker.log")
    try:
        yield process
    finally:
        process.stop()


def delivered(mail_dir: Path) -> Counter[str]:
    """How many messages went to each address, read from the file backend's files."""
    counts: Counter[str] = Counter()
    for file in mail_dir.glob("*.log"):
        counts.update(re.findall(r"^To: (.+?)\r?$", file.read_text(errors="replace"), flags=re.MULTILINE))
    return counts


def mail_of(key_prefix: str) -> Mail:
    return Mail.objects.get(key__startswith=key_prefix)


def an_account(email: str):  # type: ignore[no-untyped-def]
    region = coordinatiepunt("drenthe").region
    return UserFactory(email=email, name="Piet Proef", organisation=OrganisationFactory(region=region))


def test_a_saved_change_is_mailed_once_by_the_worker(worker, mail_dir):
    user = an_account("piet@proef.invalid")
    worker.start()

    password_forgotten(email=user.email)

    mail = mail_of(f"password-reset:{user.pk}:")
    wait_for(lambda: Mail.objects.get(pk=mail.pk).status == MailStatus.SENT, "the mail to be sent", log=worker.log)
    mail.refresh_from_db()
    assert mail.attempts == 1 and mail.sent_at is not None
    assert delivered(mail_dir) == {"piet@proef.invalid": 1}


def test_with_redis_down_the_save_succeeds_and_the_sweep_sends_the_mail_later(worker, redis, mail_dir, settings):
    user = an_account("piet@proef.invalid")
    worker.start()
    redis.stop()

    started = time.monotonic()
    password_forgotten(email=user.email)
    assert time.monotonic() - started < 5, "a save must not wait for a broker that is down"

    mail = mail_of(f"password-reset:{user.pk}:")
    assert (mail.status, mail.attempts) == (MailStatus.PENDING, 0)
    assert delivered(mail_dir) == {}

    redis.start()
    # The periodic sweep, here run in this process with the worker's mail folder.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail_dir)
    assert mail_sweep() == 1
    assert mail_sweep() == 0
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert delivered(mail_dir) == {"piet@proef.invalid": 1}

    # With Redis back, this process (once its pause after the failure is over: notifications.mail) and the worker
    # reconnect: the next mail goes straight through.
    with mock.patch("notifications.mail.monotonic", return_value=time.monotonic() + BROKER_PAUSE_SECONDS):
        password_forgotten(email=user.email)
    wait_for(
        lambda: not Mail.objects.exclude(status=MailStatus.SENT).exists(),
        "the next mail via the worker",
        log=worker.log,
    )
    assert delivered(mail_dir) == {"piet@proef.invalid": 2}


def test_a_worker_killed_mid_batch_loses_no_mail_and_sends_none_twice(worker, mail_dir, tmp_path):
    region = coordinatiepunt("drenthe").region
    addresses = [f"vrager{number:02d}@proef.invalid" for number in range(20)]
    with transaction.atomic():  # the batch is queued in Redis when this commits; no worker runs yet
        for number, address in enumerate(addresses):
            mail_send(
                to=[address],
                template="hulp_nodig",
                context={"region": region, "name": f"Vrager {number}", "email": address, "phone": "", "message": "?"},
                key=f"batch:{number}",
                region_id=region.pk,
            )
    assert Mail.objects.filter(status=MailStatus.PENDING).count() == 20

    # Each send first leaves a marker, then waits a second: the 4th marker means three mails
    # are sent and committed and the worker now holds the 4th, locked and not yet sent.
    markers = tmp_path / "markers"
    markers.mkdir()
    worker.start(SRM_TEST_MAIL_MARKERS=str(markers), SRM_TEST_MAIL_DELAY="1")
    wait_for(lambda: len(list(markers.iterdir())) >= 4, "the worker to start on the 4th mail", log=worker.log)
    worker.kill()
    assert sum(delivered(mail_dir).values()) == 3
    assert Mail.objects.filter(status=MailStatus.SENT).count() == 3

    # A new worker takes the rest of the queue; what the killed one had taken from Redis
    # (unacknowledged) the periodic sweep sends.
    worker.start()
    sweep_outbox.delay()
    wait_for(lambda: not Mail.objects.exclude(status=MailStatus.SENT).exists(), "every mail to be sent", log=worker.log)
    assert delivered(mail_dir) == dict.fromkeys(addresses, 1)
    # The 4th mail's first attempt died with its transaction: every mail took exactly one attempt.
    assert set(Mail.objects.values_list("attempts", flat=True)) == {1}

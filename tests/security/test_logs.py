"""No personal data in logs or URLs (issue #8).

Login (right and wrong password, wrong code, lockout), Wachtwoord vergeten, activation, Hulp
nodig and a project flow with a kandidaat run with every logger at DEBUG; no log record may hold
an e-mail address, a password, a kandidaat's name or date of birth, or an authenticator code.
And no URL of the portal takes anything but ids and one-time tokens.
"""

import base64
import logging
import re
import traceback
from collections.abc import Iterator
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp

from accounts.models import User
from notifications.models import Mail
from projects.models import Inzet, Kandidaat
from tests.conftest import Client, current_code, link_from_mail, login, travel
from tests.factories import PASSWORD
from tests.pdfs import plain_pdf
from tests.projects.cast import make_project

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
WRONG_PASSWORD = "Geraden-wachtwoord-1"
NEW_PASSWORD = "Een-heel-nieuw-wachtwoord-7"
KANDIDAAT = {"initials": "Q.X.", "surname": "Wolkenkrabber", "birth_date": "2001-07-14"}


# Loggers of the test tooling, not of the portal (factory_boy logs the users it makes).
TEST_TOOLS = {"factory", "faker"}


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def record_text(record: logging.LogRecord) -> str:
    """All a handler could write of a record: message, arguments, exception, extra attributes."""
    parts = [record.getMessage(), repr(record.args)]
    if record.exc_info:
        parts.append("".join(traceback.format_exception(*record.exc_info)))
    parts.extend(repr(value) for key, value in vars(record).items() if key not in {"args", "exc_info", "msg"})
    return "\n".join(parts)


@pytest.fixture
def every_log() -> Iterator[list[logging.LogRecord]]:
    """Every logger at DEBUG, enabled, with our handler: also loggers that do not propagate."""
    handler = Everything()
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in list(logging.root.manager.loggerDict))]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is logging.getLogger() or not logger.propagate:
            logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger, level, disabled in saved:
            logger.setLevel(level)
            logger.disabled = disabled
            if handler in logger.handlers:
                logger.removeHandler(handler)


def secret_pattern(secret: str) -> re.Pattern[str]:
    """The secret as a whole token: not the same characters inside a longer word or number.

    A code 000000 is in "code 000000 fout" and in "'000000'", but not in a duration such as
    "succeeded in 0.0025083000000449s", a timestamp or an id: there the digits are part of a
    longer number. A decimal point between digits belongs to the number too."""
    return re.compile(rf"(?<!\w)(?<!\d\.){re.escape(secret)}(?!\w)(?!\.\d)")


def assert_clean(records: list[logging.LogRecord], secrets: set[str]) -> None:
    assert records, "the flows log something: the capture works"
    patterns = [secret_pattern(secret) for secret in secrets]
    for record in records:
        if record.name.split(".")[0] in TEST_TOOLS:
            continue
        text = record_text(record)
        where = f"{record.name}: {record.getMessage()[:200]}"
        assert not EMAIL.search(text), f"e-mail address in the log: {where}"
        for pattern in patterns:
            assert not pattern.search(text), f"{pattern.pattern!r} in the log: {where}"


def code_other_than(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_login_lockout_reset_activation_and_a_project_flow_log_no_personal_data(
    olga, otto, wim, cora, coordinatiepunt_drenthe, drenthe, settings, every_log
):
    login_url, code_url = reverse("accounts:login"), reverse("accounts:login-code")
    secrets = {PASSWORD, WRONG_PASSWORD, NEW_PASSWORD, *KANDIDAAT.values(), "14-07-2001", "Piet Vrager"}
    secrets |= {person.name for person in (olga, otto, wim, cora)}

    # Login: wrong password, unknown address, right password with a wrong and then the right code.
    Client().post(login_url, {"email": olga.email, "password": WRONG_PASSWORD})
    Client().post(login_url, {"email": "niemand@nergens.invalid", "password": WRONG_PASSWORD})
    client = Client()
    client.post(login_url, {"email": olga.email.upper(), "password": PASSWORD})
    wrong = code_other_than(current_code(olga))
    client.post(code_url, {"code": wrong})
    secrets.add(wrong)
    with travel(timedelta(seconds=40)):  # past django-otp's back-off, and a fresh code
        right = current_code(olga)
        assert client.post(code_url, {"code": right})["Location"] == reverse("home")
    secrets.add(right)

    # Lockout by django-axes: per account and per address.
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        Client(REMOTE_ADDR="10.9.9.9").post(login_url, {"email": wim.email, "password": WRONG_PASSWORD})
    assert Client().post(login_url, {"email": wim.email, "password": PASSWORD}).status_code == 429

    # Wachtwoord vergeten, known and unknown address, and the link used.
    forgotten = reverse("accounts:password-forgotten")
    Client().post(forgotten, {"email": "onbekend@nergens.invalid"})
    mail.outbox.clear()
    Client().post(forgotten, {"email": otto.email})
    browser = Client()
    browser.get(link_from_mail(mail.outbox[0].body))
    browser.post(
        reverse("accounts:set-password"),
        {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # Activation of a colleague made by Olga: welkomstmail, password, authenticator.
    colleague = login(Client(), olga)
    mail.outbox.clear()
    colleague.post(
        reverse("accounts:user-create"),
        {
            "name": "Nina Nieuw",
            "email": "nina@veenhoven.invalid",
            "phone": "0612345678",
            "organisation": olga.organisation_id,
        },
    )
    secrets |= {"Nina Nieuw", "0612345678"}
    newcomer = Client()
    newcomer.get(link_from_mail(mail.outbox[0].body))
    newcomer.post(
        reverse("accounts:set-password"),
        {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    page = newcomer.get(reverse("accounts:totp-setup")).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    setup_code = f"{totp(base64.b32decode(secret)):06d}"
    secrets |= {secret, setup_code}
    assert newcomer.post(reverse("accounts:totp-setup"), {"code": setup_code})["Location"] == login_url
    assert User.objects.get(email="nina@veenhoven.invalid").has_authenticator()

    # Hulp nodig? from the login page.
    Client().post(
        reverse("accounts:help"),
        {
            "region": drenthe.pk,
            "name": "Piet Vrager",
            "email": "piet@aannemer.invalid",
            "phone": "",
            "message": "Hulp",
            "website": "",
        },
    )

    # A project flow: a kandidaat, a line for it, returned by the WSP, a document.
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[olga, otto, wim]
    )
    otto.refresh_from_db()  # his new password (above) ended his old sessions
    nemer, wsp = login(Client(), otto), login(Client(), wim)
    nemer.post(reverse("projects:kandidaat-create"), {**KANDIDAAT, "doelgroep": "stagiair", "unemployed_since": ""})
    kandidaat = Kandidaat.objects.get(surname=KANDIDAAT["surname"])
    start = project.start_date.replace(day=1) + timedelta(days=62)
    start = start.replace(day=1)
    nemer.post(
        reverse("projects:inzet-create", args=[project.pk]) + "?soort=stage",
        {
            "kandidaat": kandidaat.pk,
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=80)).isoformat(),
            "amount": "300,00",
            "niveau": "mbo",
            "actie": "opslaan",
        },
    )
    inzet = Inzet.objects.get(project=project)
    reason = f"Stagecontract van {KANDIDAAT['surname']} ontbreekt"
    wsp.post(
        reverse("projects:inzet-return", args=[project.pk, inzet.pk]), {"reason": reason, "revision": inzet.revision}
    )
    assert Inzet.objects.get(pk=inzet.pk).return_reason == reason
    upload = SimpleUploadedFile("Plan.pdf", plain_pdf(), content_type="application/pdf")
    nemer.post(reverse("projects:document-add", args=[project.pk]), {"file": upload})
    nemer.get(reverse("projects:kandidaat-list") + "?q=Wolken")
    nemer.get(reverse("projects:kandidaat-edit", args=[kandidaat.pk + 1000]))  # 404, logged by django.request

    assert_clean(every_log, secrets)
    names = {record.name for record in every_log}
    assert {"srmonitor.auth", "axes.handlers.database", "django.request"} <= names, names


def log_record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("srmonitor.auth", logging.INFO, __file__, 1, message, args, None)


@pytest.mark.parametrize(
    "message, args",
    [
        ("Code %s geweigerd", ("482913",)),
        ("Code geweigerd: %r.", ("482913",)),
        ("token=%s", ("482913",)),
        ("%s", ({"code": "482913"},)),
    ],
)
def test_the_check_finds_a_real_code_in_a_log_record(message, args):
    with pytest.raises(AssertionError, match="in the log"):
        assert_clean([log_record(message, *args)], {"482913"})


@pytest.mark.parametrize(
    "message",
    [
        "Task notifications.tasks.send succeeded in 0.0025083482913449s: None",  # Celery's duration
        "Task succeeded in 1482913.5s",
        "Task succeeded in 0.482913s",
        "id 94829130 opgeslagen",
        "request 2026-12-06T13:48:29.1348291300",
        "Mail 7f3a482913c0 verstuurd",
    ],
)
def test_the_check_ignores_the_same_digits_inside_a_longer_number(message):
    assert_clean([log_record(message)], {"482913"})


def test_the_capture_would_see_an_address_in_an_axes_log(every_log, olga, settings):
    """The guard itself: with django-axes' own defaults the address is written to the log."""
    settings.AXES_SENSITIVE_PARAMETERS = []
    Client().post(reverse("accounts:login"), {"email": olga.email, "password": WRONG_PASSWORD})
    Client().post(reverse("accounts:login"), {"email": olga.email, "password": WRONG_PASSWORD})
    with pytest.raises(AssertionError, match="e-mail address in the log"):
        assert_clean(every_log, set())


# --- URLs -----------------------------------------------------------------------------------

# Every parameter any URL of the portal (and the admin) takes: ids, one-time tokens, admin paths.
ALLOWED_PARAMETERS = {
    "pk",
    "document_pk",
    "upload_pk",
    "inzet_pk",
    "kandidaat_pk",
    "uidb64",  # the user's id, base64
    "token",
    "object_id",  # admin
    "content_type_id",  # admin: view on site
    "id",  # admin: user password change
    "app_label",  # admin
    "url",  # admin catch-all
    "role",  # handleiding: one of the four portal roles, never a person
}


def url_patterns(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:  # type: ignore[no-untyped-def]
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def test_no_url_takes_an_email_address_or_a_name():
    routes = list(url_patterns())
    assert len(routes) > 50
    for route, entry in routes:
        parameters = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))
        assert parameters <= ALLOWED_PARAMETERS, f"{route} ({entry.name}) takes {parameters - ALLOWED_PARAMETERS}"


def test_account_links_carry_the_id_and_a_token_only(olga):
    mail.outbox.clear()
    Client().post(reverse("accounts:password-forgotten"), {"email": olga.email})
    path = link_from_mail(mail.outbox[0].body)
    uidb64, token = path.strip("/").split("/")[1:]
    assert base64.urlsafe_b64decode(uidb64 + "=" * (-len(uidb64) % 4)).decode() == str(olga.pk)
    assert "olga" not in path.lower() and olga.name.split()[0].lower() not in path.lower()
    assert re.fullmatch(r"[0-9a-z]+-[0-9a-f]+", token)


# --- Mail delivery errors -------------------------------------------------------------------


class RefusingBackend:
    """An SMTP server that refuses the recipient: its error names the address."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        import smtplib

        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 User unknown")})


def test_a_refused_recipient_is_not_written_to_the_log(olga, settings, every_log):
    settings.EMAIL_BACKEND = "tests.security.test_logs.RefusingBackend"
    Client().post(reverse("accounts:password-forgotten"), {"email": olga.email})
    mail_row = Mail.objects.get(template="wachtwoord_vergeten")
    assert mail_row.attempts >= 1 and "User unknown" in mail_row.last_error, "the failure itself is recorded"
    assert_clean(every_log, set())


def test_django_axes_keeps_the_address_only_where_the_lock_counts_it(olga):
    Client().post(reverse("accounts:login"), {"email": f" {olga.email.upper()}", "password": WRONG_PASSWORD})
    attempt = AccessAttempt.objects.get()
    assert attempt.username == olga.email, "normalised: what the per-account lock counts"
    assert olga.email.lower() not in attempt.post_data.lower() and WRONG_PASSWORD not in attempt.post_data
    assert "email=****" in attempt.post_data

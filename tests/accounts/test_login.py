"""Two-step login (manual §1.1): password, then the authenticator code."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SessionIdleMiddleware
from accounts.models import AuthEvent, AuthEventKind
from tests.conftest import Client, current_code, login, travel
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login-code")


def password_step(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password})


def test_login_takes_password_then_code_and_gives_three_session_keys(olga):
    client = Client()
    client.get(LOGIN)
    anonymous_key = client.session.session_key
    response = password_step(client, "  OLGA@veenhoven.invalid ")
    assert response.status_code == 302 and response["Location"] == CODE
    password_key = client.session.session_key
    assert client.get(reverse("home")).status_code == 302, "no access between the two steps"

    response = client.post(CODE, {"code": current_code(olga)})

    assert response.status_code == 302 and response["Location"] == reverse("home")
    code_key = client.session.session_key
    assert len({anonymous_key, password_key, code_key}) == 3
    assert client.get(reverse("home")).status_code == 200
    event = AuthEvent.objects.get(kind=AuthEventKind.LOGIN)
    assert event.user == olga and event.ip_address == "127.0.0.1"


def test_login_returns_to_the_page_asked_for(olga):
    client = Client()
    client.post(LOGIN + "?next=/gebruikers/", {"email": olga.email, "password": PASSWORD})
    assert client.post(CODE, {"code": current_code(olga)})["Location"] == "/gebruikers/"


def test_login_never_redirects_to_another_site(olga):
    client = Client()
    client.post(LOGIN + "?next=https://evil.invalid/", {"email": olga.email, "password": PASSWORD})
    assert client.post(CODE, {"code": current_code(olga)})["Location"] == reverse("home")


def test_wrong_password_is_refused_with_a_dutch_message_and_logged(olga):
    response = password_step(Client(), olga.email, "fout-wachtwoord")
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord is onjuist." in response.content.decode()
    event = AuthEvent.objects.get(kind=AuthEventKind.LOGIN_FAILED)
    assert event.email_entered == olga.email


def test_unknown_address_gets_the_same_message_as_a_wrong_password(db):
    response = password_step(Client(), "niemand@nergens.invalid")
    assert "Het e-mailadres of het wachtwoord is onjuist." in response.content.decode()


def test_code_step_without_password_step_goes_back_to_login(olga):
    response = Client().post(CODE, {"code": current_code(olga)})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_code_cannot_be_used_twice(olga):
    code = current_code(olga)
    first = Client()
    password_step(first, olga.email)
    assert first.post(CODE, {"code": code}).status_code == 302
    second = Client()
    password_step(second, olga.email)
    response = second.post(CODE, {"code": code})
    assert response.status_code == 200
    assert "onjuist, verlopen of al gebruikt" in response.content.decode()
    assert second.get(reverse("home")).status_code == 302


def test_wrong_code_is_throttled_so_an_immediate_retry_waits(olga):
    client = Client()
    password_step(client, olga.email)
    with time_machine.travel(timezone.now().timestamp(), tick=False):
        client.post(CODE, {"code": "000000" if current_code(olga) != "000000" else "111111"})
        client.post(CODE, {"code": "000000" if current_code(olga) != "000000" else "111111"})
        response = client.post(CODE, {"code": current_code(olga)})
    assert "Te veel pogingen kort na elkaar" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_wrong_codes_lock_the_account_even_across_fresh_sessions(olga):
    limit = settings.OTP_FAILURE_LIMIT
    start = timezone.now()
    wrong = "000000"
    for attempt in range(limit):
        # Wait out django-otp's back-off each time: the hard cap must hold anyway.
        with time_machine.travel((start + timedelta(minutes=attempt * 10)).timestamp(), tick=False):
            client = Client()  # a fresh session for every guess
            password_step(client, olga.email)
            if current_code(olga) == wrong:
                wrong = "111111"
            client.post(CODE, {"code": wrong})
    olga.refresh_from_db()
    assert olga.is_otp_locked(start + timedelta(minutes=limit * 10 - 9))
    assert AuthEvent.objects.filter(user=olga, kind=AuthEventKind.LOCKED).count() == 1

    with time_machine.travel((start + timedelta(minutes=(limit - 1) * 10 + 5)).timestamp(), tick=False):
        client = Client()
        response = password_step(client, olga.email)
        assert "tijdelijk geblokkeerd" in response.content.decode()
        assert response.status_code == 200

    unlocked = start + timedelta(minutes=(limit - 1) * 10 + settings.OTP_LOCKOUT_MINUTES + 1)
    with time_machine.travel(unlocked.timestamp(), tick=False):
        client = Client()
        password_step(client, olga.email)
        assert client.post(CODE, {"code": current_code(olga)}).status_code == 302
        assert client.get(reverse("home")).status_code == 200


def test_password_guessing_locks_the_account(olga):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(REMOTE_ADDR="10.0.0.1"), olga.email, "geraden-wachtwoord")
    response = password_step(Client(REMOTE_ADDR="10.0.0.2"), olga.email)  # right password, other address
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()


def test_password_guessing_from_one_address_locks_that_address(olga):
    for number in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(REMOTE_ADDR="10.0.0.9"), f"poging{number}@nergens.invalid", "x")
    assert password_step(Client(REMOTE_ADDR="10.0.0.9"), olga.email).status_code == 429
    assert password_step(Client(REMOTE_ADDR="10.0.0.10"), olga.email).status_code == 302


def test_user_without_authenticator_is_told_how_to_pair_one(db):
    user = UserFactory(authenticator=False)
    response = password_step(Client(), user.email)
    assert response.status_code == 200
    assert "geen authenticator gekoppeld" in response.content.decode()


def test_session_ends_after_inactivity(olga):
    client = login(Client(), olga)
    assert client.get(reverse("home")).status_code == 200
    with travel(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        assert client.get(reverse("home")).status_code == 302


def session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return sum(Session._meta.db_table in query["sql"] and "UPDATE" in query["sql"] for query in queries)


def test_the_idle_timer_restarts_at_most_once_a_minute_without_ending_a_session_sooner(olga):
    idle = settings.SESSION_IDLE_SECONDS
    client = login(Client(), olga)
    assert session_writes(client) == 0  # the login started the timer
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    expires = Session.objects.get(session_key=key).expire_date
    with travel(timedelta(seconds=50)):
        assert session_writes(client) == 0
    assert Session.objects.get(session_key=key).expire_date == expires
    # 50 s + idle - 1 s after the start, but idle - 1 s after the last request: still signed in, the timer restarted
    with travel(timedelta(seconds=50 + idle - 1)):
        assert session_writes(client) == 1
    assert Session.objects.get(session_key=key).expire_date > expires + timedelta(seconds=idle)
    with travel(timedelta(seconds=50 + idle - 1 + idle + settings.SESSION_TIMER_RESTART_SECONDS + 1)):
        assert client.get(reverse("home")).status_code == 302


def test_a_request_every_ten_minutes_keeps_the_session_for_hours(olga):
    client = login(Client(), olga)
    for minutes in range(10, 241, 10):
        with travel(timedelta(minutes=minutes)):
            assert client.get(reverse("home")).status_code == 200, minutes


def test_an_unknown_or_ended_session_cookie_stores_no_session(olga, rf):
    # The timer alone, on a session nothing else read (the login middleware reads each one before it today)
    request = rf.get("/")
    request.session = SessionStore(session_key="x" * 32)
    SessionIdleMiddleware(lambda request: HttpResponse())(request)
    assert request.session.is_empty() and not request.session.modified
    # and the whole portal
    client = login(Client(), olga)
    assert client.post(reverse("accounts:logout")).status_code == 302
    ended = Session.objects.count()
    for key in ("x" * 32, client.cookies[settings.SESSION_COOKIE_NAME].value):
        for name in ("accounts:login", "health"):  # the health check never asks who is signed in
            client.cookies[settings.SESSION_COOKIE_NAME] = key
            assert client.get(reverse(name)).status_code == 200
    assert Session.objects.count() == ended


def test_logout_ends_every_session_of_the_user(olga):
    laptop, phone = login(Client(), olga), login(Client(), olga)
    assert phone.get(reverse("home")).status_code == 200
    assert laptop.post(reverse("accounts:logout")).status_code == 302
    assert laptop.get(reverse("home")).status_code == 302
    assert phone.get(reverse("home")).status_code == 302
    assert AuthEvent.objects.filter(user=olga, kind=AuthEventKind.LOGOUT).exists()


def test_one_authenticator_per_user_is_guarded_by_the_database(olga):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TOTPDevice.objects.create(user=olga, name="Tweede")

"""Authentication (issue #8): the proofs tests/accounts/ and tests/security/test_parallel.py lacked.

Guessing is counted per account however the address is spelled, and per address also behind
the TLS proxy (and not fooled by a forged X-Forwarded-For); an authenticator reset and a new
password end every session of that user and every login in progress, and nobody else's; a
Wachtwoord vergeten link works once and takes the user's other outstanding links with it.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import AuthEvent, AuthEventKind
from tests.conftest import Client, committed, current_code, link_from_mail, login, travel
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login-code")
HOME = reverse("home")
SET_PASSWORD = reverse("accounts:set-password")
NEW_PASSWORD = "Een-heel-nieuw-wachtwoord-7"
PROXY = "10.0.0.1"


def password_step(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"email": email, "password": password})


def full_login(user, **headers: str) -> Client:  # type: ignore[no-untyped-def]
    """Both factors through the real pages (not force_login)."""
    client = Client(**headers)
    password_step(client, user.email)
    assert client.post(CODE, {"code": current_code(user)})["Location"] == HOME
    return client


def reset_link(user) -> str:  # type: ignore[no-untyped-def]
    mail.outbox.clear()
    Client().post(reverse("accounts:password-forgotten"), {"email": user.email})
    (message,) = mail.outbox
    return link_from_mail(message.body)


def new_password(client: Client, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(SET_PASSWORD, {"action": "new", "new_password1": password, "new_password2": password})


# --- Guessing passwords ---------------------------------------------------------------------


def test_guesses_with_other_spellings_of_the_address_count_for_one_account(olga, settings):  # type: ignore[no-untyped-def]
    spellings = [olga.email.upper(), f"  {olga.email} ", olga.email.capitalize(), olga.email.replace("olga", "OlGa")]
    for number in range(settings.AXES_FAILURE_LIMIT):
        # every guess from another address, so only the per-account count can lock
        password_step(Client(REMOTE_ADDR=f"10.1.0.{number}"), spellings[number % len(spellings)], "geraden")
    response = password_step(Client(REMOTE_ADDR="10.2.0.1"), olga.email)
    assert response.status_code == 429 and "tijdelijk geblokkeerd" in response.content.decode()


def test_a_forged_x_forwarded_for_does_not_escape_the_per_address_lock(olga, settings):  # type: ignore[no-untyped-def]
    assert settings.TRUSTED_PROXY_COUNT == 0  # no proxy in front: the header is the client's own words
    for number in range(settings.AXES_FAILURE_LIMIT):
        client = Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        password_step(client, f"poging{number}@nergens.invalid", "x")
    assert (
        password_step(Client(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="192.0.2.200"), olga.email).status_code == 429
    )


def test_behind_a_trusted_proxy_each_client_is_locked_on_its_own_address(olga, wim, settings):  # type: ignore[no-untyped-def]
    # Behind the TLS proxy every request has the proxy's REMOTE_ADDR. Before the fix every user
    # shared that one address, so ten wrong passwords from anyone locked everybody out.
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        # what the attacker writes to the left of the proxy's entry is not believed
        forged = f"192.0.2.{number}, 203.0.113.7"
        password_step(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged), f"poging{number}@nergens.invalid", "x")
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert password_step(attacker, olga.email).status_code == 429

    colleague = full_login(wim, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert colleague.get(HOME).status_code == 200, "others behind the proxy go on"
    assert AuthEvent.objects.filter(kind=AuthEventKind.LOGIN, user=wim).get().ip_address == "198.51.100.20"


def test_a_malformed_x_forwarded_for_falls_back_to_the_proxy_address(olga, settings):  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    response = password_step(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="geen-adres"), olga.email, "fout")
    assert response.status_code == 200, "a bad header is never a 500"
    assert AuthEvent.objects.get(kind=AuthEventKind.LOGIN_FAILED).ip_address == PROXY


# --- Sessions end ---------------------------------------------------------------------------


def test_an_authenticator_reset_ends_every_session_and_login_in_progress_of_that_user_only(olga, cora):  # type: ignore[no-untyped-def]
    laptop, phone = full_login(olga), login(Client(), olga)
    half_way = Client()  # password typed, code not yet
    assert password_step(half_way, olga.email)["Location"] == CODE
    colleague = login(Client(), UserFactory(organisation=olga.organisation))
    coordinator = login(Client(), cora)

    response = coordinator.post(reverse("accounts:user-reset-authenticator", args=[olga.pk]))

    assert response.status_code == 302
    for client in (laptop, phone):
        assert client.get(HOME)["Location"].startswith(LOGIN)
    assert half_way.post(CODE, {"code": "123456"})["Location"] == LOGIN
    assert colleague.get(HOME).status_code == 200 and coordinator.get(HOME).status_code == 200


def test_a_new_password_ends_every_other_session_and_login_in_progress(olga):  # type: ignore[no-untyped-def]
    laptop = full_login(olga)
    half_way = Client()
    password_step(half_way, olga.email)  # someone who knew the old password
    colleague = login(Client(), UserFactory(organisation=olga.organisation))

    browser = Client()
    browser.get(reset_link(olga))
    assert new_password(browser)["Location"] == LOGIN

    assert laptop.get(HOME)["Location"].startswith(LOGIN)
    assert half_way.post(CODE, {"code": current_code(olga)})["Location"] == LOGIN
    assert half_way.get(HOME)["Location"].startswith(LOGIN)
    assert colleague.get(HOME).status_code == 200
    assert password_step(Client(), olga.email).status_code == 200, "the old password is gone"
    assert password_step(Client(), olga.email, NEW_PASSWORD)["Location"] == CODE


# --- One-time links -------------------------------------------------------------------------


def test_a_password_reset_link_works_once_even_when_open_in_two_tabs(olga):  # type: ignore[no-untyped-def]
    link = reset_link(olga)
    first, second = Client(), Client()
    assert first.get(link)["Location"] == SET_PASSWORD
    assert second.get(link)["Location"] == SET_PASSWORD  # opened, not yet used

    assert new_password(first)["Location"] == LOGIN
    response = new_password(second, "Een-ander-nieuw-wachtwoord-8")

    assert "Deze link werkt niet meer" in response.content.decode()
    assert "Deze link werkt niet meer" in Client().get(link).content.decode()
    olga.refresh_from_db()
    assert olga.check_password(NEW_PASSWORD)


def test_using_one_reset_link_kills_the_other_outstanding_links(olga):  # type: ignore[no-untyped-def]
    older = reset_link(olga)
    with travel(timedelta(minutes=5)):  # she asked again a little later
        newer = reset_link(olga)
        assert older != newer
        browser = Client()
        browser.get(newer)
        new_password(browser)
        assert "Deze link werkt niet meer" in Client().get(older).content.decode()


def test_a_reset_link_from_before_an_authenticator_reset_no_longer_works(olga, cora):  # type: ignore[no-untyped-def]
    link = reset_link(olga)
    with committed():
        services.authenticator_reset(user=olga, by=cora)
    assert "Deze link werkt niet meer" in Client().get(link).content.decode()

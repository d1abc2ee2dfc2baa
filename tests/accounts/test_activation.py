"""Activation by the welkomstmail link, Wachtwoord vergeten and pairing the authenticator."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthEvent, AuthEventKind, User
from tests.conftest import Client, committed, current_code, link_from_mail, travel
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Een-heel-nieuw-wachtwoord-7"


def code_from_secret_on_page(html: str) -> str:
    import base64
    import re

    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    return f"{totp(base64.b32decode(secret)):06d}"


def test_invite_user_command_sends_a_welkomstmail_with_a_working_link(coordinatiepunt_drenthe):
    with committed():
        call_command(
            "invite_user", email="Nieuw@Voorbeeld.invalid", name="Nina Nieuw", organisation=coordinatiepunt_drenthe.name
        )

    user = User.objects.get(email="nieuw@voorbeeld.invalid")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@voorbeeld.invalid"]
    assert "activeer uw account" in message.subject.lower()
    html = message.alternatives[0][0]
    assert "Account activeren" in html
    path = link_from_mail(message.body)

    client = Client()
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:set-password")
    response = client.post(
        response["Location"], {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:totp-setup")
    page = client.get(reverse("accounts:totp-setup")).content.decode()
    assert "<svg" in page and "data-secret" in page
    response = client.post(reverse("accounts:totp-setup"), {"code": code_from_secret_on_page(page)})
    assert response["Location"] == reverse("accounts:login")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.has_authenticator()
    kinds = set(AuthEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {AuthEventKind.ACCOUNT_CREATED, AuthEventKind.PASSWORD_SET, AuthEventKind.AUTHENTICATOR_CONFIRMED} <= kinds


def test_activation_link_works_only_once(coordinatiepunt_drenthe):
    with committed():
        call_command(
            "invite_user", email="een@voorbeeld.invalid", name="Eén Keer", organisation=coordinatiepunt_drenthe.name
        )
    path = link_from_mail(mail.outbox[0].body)
    client = Client()
    client.get(path)
    client.post(
        reverse("accounts:set-password"),
        {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = Client().get(path)

    assert response.status_code == 200
    assert "Deze link werkt niet meer" in response.content.decode()


def test_activation_link_is_valid_seven_days(coordinatiepunt_drenthe):
    with committed():
        call_command(
            "invite_user", email="laat@voorbeeld.invalid", name="Laat", organisation=coordinatiepunt_drenthe.name
        )
    path = link_from_mail(mail.outbox[0].body)
    with travel(timedelta(days=6, hours=23)):
        assert Client().get(path).status_code == 302
    with travel(timedelta(days=7, hours=1)):
        assert "Deze link werkt niet meer" in Client().get(path).content.decode()


def test_a_mismatched_or_weak_password_is_refused_at_the_field(coordinatiepunt_drenthe):
    with committed():
        call_command(
            "invite_user", email="zwak@voorbeeld.invalid", name="Zwak", organisation=coordinatiepunt_drenthe.name
        )
    client = Client()
    client.get(link_from_mail(mail.outbox[0].body))
    url = reverse("accounts:set-password")
    response = client.post(url, {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {"action": "new", "new_password1": "kort", "new_password2": "kort"})
    assert "id_new_password2_error" in response.content.decode()
    assert not User.objects.get(email="zwak@voorbeeld.invalid").has_usable_password()


def test_password_forgotten_gives_the_same_answer_for_unknown_addresses(olga):
    url = reverse("accounts:password-forgotten")
    known = Client().post(url, {"email": olga.email}).content.decode().replace(olga.email, "ADRES")
    unknown = Client().post(url, {"email": "niemand@nergens.invalid"}).content.decode()
    unknown = unknown.replace("niemand@nergens.invalid", "ADRES")
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [message.to for message in mail.outbox] == [[olga.email]]


def test_password_forgotten_link_expires_after_a_day(olga):
    Client().post(reverse("accounts:password-forgotten"), {"email": olga.email})
    path = link_from_mail(mail.outbox[0].body)
    with travel(timedelta(hours=25)):
        assert "Deze link werkt niet meer" in Client().get(path).content.decode()


def test_password_forgotten_sets_a_new_password_and_keeps_the_authenticator(olga):
    Client().post(reverse("accounts:password-forgotten"), {"email": olga.email})
    client = Client()
    client.get(link_from_mail(mail.outbox[0].body))
    page = client.get(reverse("accounts:set-password")).content.decode()
    assert "Weet u uw wachtwoord nog?" not in page, "with an authenticator there is nothing to skip to"
    response = client.post(
        reverse("accounts:set-password"),
        {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:login")
    olga.refresh_from_db()
    assert olga.check_password(NEW_PASSWORD) and olga.has_authenticator()


def test_after_an_authenticator_reset_wachtwoord_vergeten_continues_into_pairing(olga, cora):
    from accounts import services

    with committed():
        services.authenticator_reset(user=olga, by=cora)
    mail.outbox.clear()
    Client().post(reverse("accounts:password-forgotten"), {"email": olga.email})
    client = Client()
    client.get(link_from_mail(mail.outbox[0].body))
    page = client.get(reverse("accounts:set-password")).content.decode()
    assert "Weet u uw wachtwoord nog?" in page

    # She still knows her password: skip straight to pairing (manual §1.2).
    response = client.post(reverse("accounts:set-password"), {"action": "keep", "current_password": PASSWORD})
    assert response["Location"] == reverse("accounts:totp-setup")
    page = client.get(reverse("accounts:totp-setup")).content.decode()
    client.post(reverse("accounts:totp-setup"), {"code": code_from_secret_on_page(page)})
    assert olga.has_authenticator()
    # and the link is spent
    assert "Deze link werkt niet meer" in Client().get(link_from_mail(mail.outbox[0].body)).content.decode()


def test_wrong_current_password_does_not_open_pairing(olga, cora):
    from accounts import services

    with committed():
        services.authenticator_reset(user=olga, by=cora)
    Client().post(reverse("accounts:password-forgotten"), {"email": olga.email})
    client = Client()
    client.get(link_from_mail(mail.outbox[-1].body))
    response = client.post(reverse("accounts:set-password"), {"action": "keep", "current_password": "geraden"})
    assert response.status_code == 200 and "Het wachtwoord is onjuist." in response.content.decode()
    assert client.get(reverse("accounts:totp-setup")).status_code == 302


def test_a_wrong_code_does_not_pair_the_authenticator(db):
    user = UserFactory(authenticator=False)
    Client().post(reverse("accounts:password-forgotten"), {"email": user.email})
    client = Client()
    client.get(link_from_mail(mail.outbox[0].body))
    client.post(
        reverse("accounts:set-password"),
        {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = client.post(reverse("accounts:totp-setup"), {"code": "12345"})
    assert "Vul de 6 cijfers" in response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if current_code(user) != "000000" else "111111"
    response = client.post(reverse("accounts:totp-setup"), {"code": wrong})
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

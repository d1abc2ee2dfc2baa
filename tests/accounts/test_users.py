"""Accounts of colleagues and of the region; the authenticator reset by the coördinatiepunt (§1.2)."""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthEvent, AuthEventKind, User
from tests.conftest import Client, login
from tests.factories import OpdrachtnemerFactory, UserFactory

pytestmark = pytest.mark.django_db


def names_on(response) -> str:
    return response.content.decode()


def test_coordinatiepunt_sees_the_accounts_of_its_region_only(cora, olga, wim, otto, gerda):
    page = names_on(login(Client(), cora).get(reverse("accounts:user-list")))
    for person in (cora, olga, wim, otto):
        assert person.name in page
    assert gerda.name not in page


def test_other_roles_see_only_their_colleagues(olga, wim, otto):
    colleague = UserFactory(name="Collega van Olga", organisation=olga.organisation)
    page = names_on(login(Client(), olga).get(reverse("accounts:user-list")))
    assert colleague.name in page
    assert wim.name not in page and otto.name not in page


def test_opdrachtnemer_outside_the_region_is_not_the_coordinatiepunts(cora):
    stranger = UserFactory(organisation=OpdrachtnemerFactory(regions=[]), name="Elders Werkend")
    client = login(Client(), cora)
    assert stranger.name not in names_on(client.get(reverse("accounts:user-list")))
    assert client.get(reverse("accounts:user-detail", args=[stranger.pk])).status_code == 404


def test_coordinatiepunt_resets_an_authenticator_of_its_region(cora, olga):
    victim_session = login(Client(), olga)
    client = login(Client(), cora)
    url = reverse("accounts:user-reset-authenticator", args=[olga.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200 and "resetten?" in names_on(confirmation)
    assert TOTPDevice.objects.filter(user=olga).exists(), "the confirmation page changes nothing"

    response = client.post(url)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=olga).exists()
    event = AuthEvent.objects.get(kind=AuthEventKind.AUTHENTICATOR_RESET)
    assert event.user == olga and event.actor == cora
    assert [message.to for message in mail.outbox] == [[olga.email]]
    assert "Wachtwoord vergeten" in mail.outbox[0].body
    assert victim_session.get(reverse("home")).status_code == 302, "her sessions have ended"


def test_coordinatiepunt_cannot_reset_a_user_of_another_region(gert, olga):
    client = login(Client(), gert)
    assert client.get(reverse("accounts:user-reset-authenticator", args=[olga.pk])).status_code == 404
    assert client.post(reverse("accounts:user-reset-authenticator", args=[olga.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=olga).exists()


def test_other_roles_cannot_reset_an_authenticator(wim):
    colleague = UserFactory(organisation=wim.organisation)
    client = login(Client(), wim)
    response = client.post(reverse("accounts:user-reset-authenticator", args=[colleague.pk]))
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert "Alleen het coördinatiepunt" in names_on(client.get(response["Location"]))


def test_colleague_creates_an_account_for_own_organisation(olga):
    client = login(Client(), olga)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "name": "Nieuwe Collega",
            "email": "Nieuw@Veenhoven.invalid",
            "phone": "",
            "organisation": olga.organisation_id,
        },
    )
    user = User.objects.get(email="nieuw@veenhoven.invalid")
    assert response["Location"] == reverse("accounts:user-detail", args=[user.pk])
    assert user.organisation == olga.organisation
    assert mail.outbox[0].to == ["nieuw@veenhoven.invalid"]
    assert AuthEvent.objects.get(kind=AuthEventKind.ACCOUNT_CREATED).actor == olga


def test_an_account_for_another_organisation_is_refused_at_the_field(olga, wim):
    client = login(Client(), olga)
    response = client.post(
        reverse("accounts:user-create"),
        {"name": "Indringer", "email": "x@y.invalid", "organisation": wim.organisation_id},
    )
    assert response.status_code == 200
    assert "id_organisation_error" in names_on(response)
    assert not User.objects.filter(email="x@y.invalid").exists()


def test_coordinatiepunt_creates_accounts_for_organisations_of_its_region(cora, otto, gerda):
    client = login(Client(), cora)
    data = {"name": "Nieuw", "email": "nieuw@hunzebouw.invalid", "organisation": otto.organisation_id}
    assert client.post(reverse("accounts:user-create"), data).status_code == 302
    data = {"name": "Nee", "email": "nee@noorderdal.invalid", "organisation": gerda.organisation_id}
    assert client.post(reverse("accounts:user-create"), data).status_code == 200
    assert not User.objects.filter(email="nee@noorderdal.invalid").exists()


def test_an_existing_address_is_refused_with_a_dutch_message(olga):
    client = login(Client(), olga)
    response = client.post(
        reverse("accounts:user-create"),
        {"name": "Dubbel", "email": olga.email.upper(), "organisation": olga.organisation_id},
    )
    assert "Er bestaat al een account met dit e-mailadres." in names_on(response)


def test_profile_shows_own_sign_ins(olga):
    AuthEvent.objects.create(kind=AuthEventKind.LOGIN, user=olga, ip_address="192.0.2.7")
    page = names_on(login(Client(), olga).get(reverse("accounts:profile")))
    assert "192.0.2.7" in page and olga.email in page

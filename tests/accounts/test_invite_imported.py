"""The accounts a region import brings in (issue #32) wait, inactive and without password, until the coördinatiepunt
of their region (or functioneel beheer) sends the invitations: then each gets the welkomstmail, activates, pairs an
authenticator and logs in like any account made by hand."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuthEvent, AuthEventKind, Organisation, OrganisationKind, User
from tests.accounts.test_activation import NEW_PASSWORD, code_from_secret_on_page
from tests.conftest import Client, current_code, link_from_mail, login, travel
from tests.factories import UserFactory
from tests.pages import words
from tests.reporting.test_region_import_projects import imported, with_projects

pytestmark = pytest.mark.django_db

IMPORTED = [
    "dirk@domstad.invalid",
    "gea@utrecht.invalid",
    "ursula@midden-utrecht.invalid",
    "willem@wsp-utrecht.invalid",
]
INVITE = reverse("accounts:users-invite")


@pytest.fixture
def uriel() -> User:
    """A colleague of the imported coördinatiepunt, already working in the portal."""
    imported(with_projects())
    organisation = Organisation.objects.get(kind=OrganisationKind.COORDINATIEPUNT, region__slug="midden-utrecht")
    return UserFactory(name="Uriel Utrecht", email="uriel@midden-utrecht.invalid", organisation=organisation)


def test_the_coordinatiepunt_sees_who_waits_and_invites_them_all_at_once(uriel):
    client = login(Client(), uriel)
    assert "4 accounts uit de regio-import zijn nog niet uitgenodigd." in words(
        client.get(reverse("accounts:user-list"))
    )
    page = words(client.get(INVITE))
    assert all(email in page for email in IMPORTED)

    response = client.post(INVITE)

    assert response["Location"] == reverse("accounts:user-list")
    assert sorted(message.to[0] for message in mail.outbox) == IMPORTED
    assert all("activeer uw account" in message.subject.lower() for message in mail.outbox)
    assert set(User.objects.filter(email__in=IMPORTED).values_list("is_active", flat=True)) == {True}
    assert AuthEvent.objects.filter(kind=AuthEventKind.ACCOUNT_CREATED, actor=uriel).count() == 4
    assert "nog niet uitgenodigd" not in words(client.get(reverse("accounts:user-list")))
    client.post(INVITE)
    assert len(mail.outbox) == 4  # invited once


def test_an_invited_account_activates_pairs_its_authenticator_and_logs_in(uriel):
    login(Client(), uriel).post(INVITE)
    (message,) = [message for message in mail.outbox if message.to == ["gea@utrecht.invalid"]]
    client = Client()

    response = client.get(link_from_mail(message.body))
    client.post(response["Location"], {"action": "new", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    page = client.get(reverse("accounts:totp-setup")).content.decode()
    client.post(reverse("accounts:totp-setup"), {"code": code_from_secret_on_page(page)})

    gea = User.objects.get(email="gea@utrecht.invalid")
    client = Client()
    with travel(timedelta(minutes=1)):  # the pairing code's time step is used up
        client.post(reverse("accounts:login"), {"email": gea.email, "password": NEW_PASSWORD})
        response = client.post(reverse("accounts:login-code"), {"code": current_code(gea)})
        assert response["Location"] == reverse("home")
        assert "Wegen Utrecht-Oost" in words(client.get(reverse("projects:list")))


def test_another_regions_coordinatiepunt_invites_only_those_of_its_region(uriel, cora, wim):
    """Domstad Bouw works in Drenthe too: Drenthe's coördinatiepunt manages its accounts, no one else's."""
    client = login(Client(), cora)
    assert "1 account uit de regio-import is nog niet uitgenodigd." in words(client.get(reverse("accounts:user-list")))
    page = words(client.get(INVITE))
    assert "dirk@domstad.invalid" in page and not any(email in page for email in IMPORTED[1:])

    client.post(INVITE)

    assert [message.to for message in mail.outbox] == [["dirk@domstad.invalid"]]
    assert not User.objects.filter(email__in=IMPORTED[1:], is_active=True).exists()
    assert login(Client(), wim).get(INVITE).status_code == 404


def test_a_deactivated_account_is_not_invited_again(uriel, olga):
    """Deactivated in the admin after it was made by hand: it has its account-created event."""
    login(Client(), uriel).post(INVITE)
    mail.outbox.clear()
    User.objects.filter(email="gea@utrecht.invalid").update(is_active=False)

    login(Client(), uriel).post(INVITE)

    assert mail.outbox == []

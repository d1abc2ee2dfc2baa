"""A region moves in (issue #31): functioneel beheer adds it with `manage.py add_region` or in the admin — the
region, its coördinatiepunt with contact details, the first coördinatiepunt user with the welkomstmail — and it
sees nothing of the other regions, nor they of it."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind, Region, User
from accounts.services import NewRegion, region_add
from policy.models import regions_visible_to
from projects.models import Project
from tests.conftest import Client, committed, login
from tests.pages import words
from tests.projects.cast import brug_veenhoven

pytestmark = pytest.mark.django_db

UTRECHT = {
    "name": "Midden-Utrecht",
    "slug": "midden-utrecht",
    "coordinatiepunt": "Coördinatiepunt Social Return Midden-Utrecht",
    "email": "socialreturn@midden-utrecht.invalid",
    "phone": "030 123 45 67",
    "user_email": "Ursula@Midden-Utrecht.invalid",
    "user_name": "Ursula Utrecht",
}


def test_add_region_makes_the_region_its_coordinatiepunt_and_invites_its_first_user(olga, otto, wim, cora):
    brug_veenhoven(olga, otto, wim)
    with committed():
        call_command("add_region", *[f"--{key.replace('_', '-')}={value}" for key, value in UTRECHT.items()])

    region = Region.objects.get(slug="midden-utrecht")
    coordinatiepunt = Organisation.objects.get(region=region)
    assert (coordinatiepunt.kind, coordinatiepunt.email, coordinatiepunt.phone) == (
        OrganisationKind.COORDINATIEPUNT,
        "socialreturn@midden-utrecht.invalid",
        "030 123 45 67",
    )
    ursula = User.objects.get(email="ursula@midden-utrecht.invalid")
    assert ursula.organisation == coordinatiepunt and not ursula.has_usable_password()
    (welcome,) = mail.outbox
    assert welcome.to == [ursula.email] and "activeer uw account" in welcome.subject.lower()

    # Nothing of the other regions for the new one, and nothing of it for them.
    assert list(regions_visible_to(ursula)) == [region]
    assert not Project.objects.for_user(ursula).exists()
    assert region not in regions_visible_to(cora)
    page = words(login(Client(), ursula).get(reverse("projects:list")))
    assert "Brug Veenhoven" not in page


def test_a_region_name_or_code_already_there_is_refused_and_nothing_is_made(drenthe):
    taken = UTRECHT | {"slug": drenthe.slug}
    with pytest.raises(
        CommandError, match=f"Er bestaat al een regio met de naam Midden-Utrecht of de code {drenthe.slug}"
    ):
        call_command("add_region", *[f"--{key.replace('_', '-')}={value}" for key, value in taken.items()])
    bad_code = UTRECHT | {"slug": "Midden Utrecht!"}
    with pytest.raises(CommandError, match="een code van kleine letters"):
        call_command("add_region", *[f"--{key.replace('_', '-')}={value}" for key, value in bad_code.items()])
    assert not Region.objects.filter(name="Midden-Utrecht").exists()
    assert not User.objects.filter(email__startswith="ursula").exists() and not mail.outbox


def test_a_bad_contact_address_is_named_and_nothing_is_made():
    bad = UTRECHT | {"email": "geen-adres"}
    with pytest.raises(CommandError, match="Het coördinatiepunt: e-mailadres"):
        call_command("add_region", *[f"--{key.replace('_', '-')}={value}" for key, value in bad.items()])
    assert not Region.objects.filter(slug="midden-utrecht").exists()


def test_functioneel_beheer_adds_a_region_in_the_admin(admin_user):
    client = login(Client(), admin_user)
    add = reverse("admin:accounts_region_add")
    form = words(client.get(add))
    assert "Eerste medewerker van het coördinatiepunt" in form and "Naam van het coördinatiepunt" in form

    response = client.post(add, UTRECHT | {"_save": "Opslaan"})

    assert response.status_code == 302, words(response)[:2000]
    region = Region.objects.get(slug="midden-utrecht")
    assert User.objects.get(email="ursula@midden-utrecht.invalid").organisation.region == region
    assert len(mail.outbox) == 1
    again = client.post(add, UTRECHT | {"name": "Utrecht-West", "slug": "utrecht-west"})
    assert "Er bestaat al een account met dit e-mailadres." in words(again)
    assert not Region.objects.filter(slug="utrecht-west").exists()


def without_arguments(case) -> bool:  # type: ignore[no-untyped-def]
    try:
        return not case.kwargs({})
    except (KeyError, AttributeError):  # the case takes an object of the cast
        return False


def test_a_new_region_without_policy_yet_has_every_page_working(otto):
    """Before its Menukaart is published: the coördinatiepunt and an opdrachtnemer that serves only the new region
    open every page without arguments (Beleid, rekenhulp, reports, the project form …) and get no error."""
    from tests.test_authorization_walk import EXPECTATIONS

    region, ursula = region_add(NewRegion(**UTRECHT))
    User.objects.filter(pk=ursula.pk).update(is_active=True)  # as after her activation
    otto.organisation.regions.set([region])
    pages = [reverse(name) for name, cases in EXPECTATIONS.items() for case in cases if without_arguments(case)]
    assert len(pages) > 30
    for person in (ursula, otto):
        client = login(Client(), person)
        answers = {url: client.get(url).status_code for url in pages}
        assert {url for url, status in answers.items() if status >= 500} == set(), person
        assert answers[reverse("policy:rekenhulp")] == answers[reverse("policy:beleid")] == 200
    assert "Voor deze regio is nog geen beleid gepubliceerd." in words(
        login(Client(), ursula).get(reverse("policy:beleid"))
    )

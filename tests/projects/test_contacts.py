"""Contactpersoon toevoegen (manual §3.4): a colleague or employee from the list, or a new person."""

import lxml.html
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind, User
from notifications.models import Mail
from projects.models import Contact, Project, ProjectStatus
from projects.services.contacts import contact_add, contact_ensure
from tests.conftest import Client, committed, login
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory
from tests.pages import detail, text
from tests.projects.cast import projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def add_url(project: Project) -> str:
    return reverse("projects:contact-add", args=[project.pk])


def invite_url(project: Project) -> str:
    return reverse("projects:contact-invite", args=[project.pk])


def contacts_of(project: Project) -> set[str]:
    return set(Contact.objects.filter(project=project).values_list("user__name", flat=True))


def test_opdrachtgever_picks_from_own_colleagues_and_the_opdrachtnemers_people(cast, olga, otto, wim):
    colleague = UserFactory(name="Carla Collega", organisation=olga.organisation)
    employee = UserFactory(name="Erik Uitvoerder", organisation=otto.organisation)
    UserFactory(name="Inactieve Ingrid", organisation=olga.organisation, is_active=False)
    UserFactory(name="Walter Wsp", organisation=wim.organisation)

    page = text(login(Client(), olga).get(add_url(cast["project"])))

    assert "Carla Collega" in page and "Erik Uitvoerder" in page
    assert f'value="{colleague.pk}"' in page and f'value="{employee.pk}"' in page
    assert "Inactieve Ingrid" not in page  # not active
    assert "Walter Wsp" not in page  # another organisation than hers or the opdrachtnemer's
    assert "Otto Nemer" not in page  # already contactpersoon
    assert "Nieuwe contactpersoon toevoegen" in page


def test_adding_a_colleague_makes_a_contact_who_gets_a_mail(cast, olga):
    project = cast["project"]
    colleague = UserFactory(name="Carla Collega", email="carla@veenhoven.invalid", organisation=olga.organisation)

    client = login(Client(), olga)
    response = client.post(add_url(project), {"user": colleague.pk})

    assert response.status_code == 302 and response["Location"].startswith(detail(project))
    contact = Contact.objects.get(project=project, user=colleague)
    assert contact.added_by == olga
    assert [message.to for message in mail.outbox] == [["carla@veenhoven.invalid"]]
    assert "toegevoegd aan project Brug Veenhoven" in mail.outbox[0].subject
    page = text(client.get(detail(project)))
    assert "Carla Collega is toegevoegd als contactpersoon" in page


def test_a_user_of_another_organisation_in_a_tampered_post_is_refused(cast, olga, wim):
    project = cast["project"]
    outsider = UserFactory(name="Walter Wsp", organisation=wim.organisation)

    response = login(Client(), olga).post(add_url(project), {"user": outsider.pk})

    assert response.status_code == 200
    assert "is geen beschikbare keuze" in text(response)
    assert not Contact.objects.filter(user=outsider).exists()
    assert mail.outbox == []


def test_a_user_of_another_region_in_a_tampered_post_is_refused(cast, cora, gerda):
    project = cast["project"]
    groningen_wsp = OrganisationFactory(name="WSP Groningen Noord", kind=OrganisationKind.WSP, region=gerda.region)
    outsider = UserFactory(name="Gijs Groningen", organisation=groningen_wsp)
    client = login(Client(), cora)
    assert "Gijs Groningen" not in text(client.get(add_url(project)))

    for person in (outsider, gerda):
        response = client.post(add_url(project), {"user": person.pk})
        assert response.status_code == 200 and "is geen beschikbare keuze" in text(response)
    assert contacts_of(project) == {"Olga Opdracht", "Otto Nemer", "Wim Werkgever"}


def test_coordinatiepunt_may_add_people_of_every_party_of_the_project(cast, cora, olga, otto, wim):
    project = cast["project"]
    people = [UserFactory(organisation=org) for org in (olga.organisation, otto.organisation, wim.organisation)]
    client = login(Client(), cora)
    for person in people:
        assert client.post(add_url(project), {"user": person.pk}).status_code == 302
    assert {person.name for person in people} <= contacts_of(project)


def test_opdrachtnemer_adds_only_his_colleagues(cast, otto, olga):
    project = cast["project"]
    colleague = UserFactory(name="Erik Uitvoerder", organisation=otto.organisation)
    municipal = UserFactory(name="Carla Collega", organisation=olga.organisation)
    client = login(Client(), otto)
    page = text(client.get(add_url(project)))
    assert "Erik Uitvoerder" in page and "Carla Collega" not in page

    assert client.post(add_url(project), {"user": municipal.pk}).status_code == 200
    assert client.post(add_url(project), {"user": colleague.pk}).status_code == 302
    assert "Erik Uitvoerder" in contacts_of(project) and "Carla Collega" not in contacts_of(project)


def test_choosing_nieuwe_contactpersoon_leads_to_the_form_for_a_new_person(cast, olga):
    project = cast["project"]
    response = login(Client(), olga).post(add_url(project), {"user": "nieuw"})
    assert response["Location"] == invite_url(project)


def test_new_contactpersoon_gets_an_account_a_welkomstmail_and_the_added_mail(cast, olga, otto):
    project = cast["project"]
    client = login(Client(), olga)
    page = text(client.get(invite_url(project)))
    assert "Gemeente Veenhoven" in page and "Hunzebouw" in page and "WSP Drenthe" not in page

    response = client.post(
        invite_url(project),
        {"organisation": otto.organisation.pk, "name": "Nieuwe Nelleke", "email": "Nelleke@Hunzebouw.invalid"},
    )

    assert response.status_code == 302 and response["Location"].startswith(detail(project))
    person = User.objects.get(email="nelleke@hunzebouw.invalid")
    assert person.organisation == otto.organisation and not person.has_usable_password()
    assert Contact.objects.filter(project=project, user=person, added_by=olga).exists()
    subjects = sorted(message.subject for message in mail.outbox)
    assert all(message.to == ["nelleke@hunzebouw.invalid"] for message in mail.outbox)
    assert len(subjects) == 2
    assert any("activeer uw account" in subject for subject in subjects)
    assert any("toegevoegd aan project Brug Veenhoven" in subject for subject in subjects)


def test_new_contactpersoon_of_an_organisation_outside_the_allowed_ones_is_refused(cast, otto, olga, gerda):
    project = cast["project"]
    data = {"name": "Nieuwe Nelleke", "email": "nelleke@voorbeeld.invalid"}
    client = login(Client(), otto)
    for organisation in (olga.organisation, gerda.organisation):
        response = client.post(invite_url(project), {**data, "organisation": organisation.pk})
        assert response.status_code == 200 and "Selecteer een geldige keuze" in text(response)
    assert not User.objects.filter(email="nelleke@voorbeeld.invalid").exists()
    assert mail.outbox == []


def test_new_contactpersoon_with_an_existing_email_address_is_refused(cast, olga):
    project = cast["project"]
    response = login(Client(), olga).post(
        invite_url(project),
        {"organisation": olga.organisation.pk, "name": "Otto Dubbel", "email": "OTTO@hunzebouw.invalid"},
    )
    assert response.status_code == 200
    assert "Er bestaat al een account met dit e-mailadres" in text(response)
    assert User.objects.filter(email__iexact="otto@hunzebouw.invalid").count() == 1
    assert mail.outbox == []


def test_nobody_adds_contactpersonen_to_an_afgerond_project(cast, olga, cora):
    project = cast["project"]
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.AFGEROND)
    colleague = UserFactory(organisation=olga.organisation)
    for person in (olga, cora):
        client = login(Client(), person)
        for url in (add_url(project), invite_url(project)):
            response = client.get(url)
            assert response["Location"] == detail(project)
        client.post(add_url(project), {"user": colleague.pk})
        client.post(
            invite_url(project), {"organisation": olga.organisation.pk, "name": "Nieuw", "email": "n@voorbeeld.invalid"}
        )
        page = text(client.get(detail(project)))
        assert "Contactpersoon toevoegen" not in page
        assert "afgerond" in page
    assert contacts_of(project) == {"Olga Opdracht", "Otto Nemer", "Wim Werkgever"}
    assert not Organisation.objects.filter(users__email="n@voorbeeld.invalid").exists()
    assert mail.outbox == []


def test_superuser_without_organisation_is_sent_back_with_the_reason(cast, admin_user):
    response = login(Client(), admin_user).get(add_url(cast["project"]), follow=True)
    assert "U kunt geen contactpersonen toevoegen." in text(response)


def test_opdrachtnemer_of_another_project_gets_404(cast):
    stranger = UserFactory(organisation=OpdrachtnemerFactory())
    client = login(Client(), stranger)
    assert client.get(add_url(cast["project"])).status_code == 404
    assert client.get(invite_url(cast["project"])).status_code == 404


def test_coordinatiepunt_adding_herself_gets_no_mail_about_it(cast, cora):
    project = cast["project"]

    response = login(Client(), cora).post(add_url(project), {"user": cora.pk})

    assert response.status_code == 302
    assert Contact.objects.filter(project=project, user=cora, added_by=cora).exists()
    assert mail.outbox == []


def test_adding_someone_who_already_is_contactpersoon_changes_nothing_and_mails_nothing(cast, olga, otto):
    project = cast["project"]
    contact = Contact.objects.get(project=project, user=otto)

    with committed():
        again, created = contact_ensure(project=project, user=otto, by=olga)
        with pytest.raises(ValidationError, match="Otto Nemer is al contactpersoon van dit project"):
            contact_add(project=project, user=otto, by=olga)

    assert (again, created) == (contact, False)
    assert Contact.objects.filter(project=project).count() == 3
    assert mail.outbox == [] and not Mail.objects.exists()


def test_a_deactivated_account_made_contactpersoon_gets_no_mail(cast, olga):
    project = cast["project"]
    former = UserFactory(organisation=olga.organisation, is_active=False)

    with committed():
        _, created = contact_ensure(project=project, user=former, by=olga)

    assert created and mail.outbox == []


def test_a_contactpersoon_added_in_the_admin_gets_the_mail_like_anywhere_else(cast, admin_user, olga):
    project = cast["project"]
    colleague = UserFactory(name="Carla Collega", email="carla@veenhoven.invalid", organisation=olga.organisation)
    client = login(Client(), admin_user)
    url = reverse("admin:projects_project_change", args=[project.pk])
    form = lxml.html.fromstring(client.get(url).content).get_element_by_id("project_form")
    data = dict(form.form_values())
    # One more contactpersoon row, filled in as the admin's "add another" fills it (its empty form).
    row = data["contacts-TOTAL_FORMS"]
    data |= {name.replace("__prefix__", row): value for name, value in data.items() if "__prefix__" in name}
    data |= {"contacts-TOTAL_FORMS": str(int(row) + 1), f"contacts-{row}-user": str(colleague.pk), "_save": "Opslaan"}

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Contact.objects.get(project=project, user=colleague).added_by == admin_user
    assert [message.to for message in mail.outbox] == [["carla@veenhoven.invalid"]]
    assert "toegevoegd aan project Brug Veenhoven" in mail.outbox[0].subject

"""Projectgegevens made and edited (SPEC §2, §4): by an opdrachtgever for itself, the coördinatiepunt in its region."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind
from notifications.models import Mail
from projects.models import Contact, ContractType, Project, ProjectStatus
from tests.conftest import Client, login
from tests.factories import OrganisationFactory, UserFactory
from tests.pages import detail

pytestmark = pytest.mark.django_db

CREATE = reverse("projects:create")
CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


def edit(project: Project) -> str:
    return reverse("projects:edit", args=[project.pk])


def form_data(*, opdrachtgever, opdrachtnemer, accountmanager, **overrides: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "name": "Fietspad Zuidlaren",
        "kenmerk": "AB-2026-014",
        "description": "Aanleg van een fietspad.",
        "opdrachtgever": opdrachtgever.pk,
        "opdrachtnemer": opdrachtnemer.pk,
        "new_opdrachtnemer_name": "",
        "new_opdrachtnemer_kvk_number": "",
        "new_opdrachtnemer_address": "",
        "start_date": "2026-03-01",
        "end_date": "2027-02-28",
        "contract_type": ContractType.SR_VERPLICHTING,
        "opdrachtsom": "",
        "sr_percentage": "",
        "verplichting": "25.000,00",
        "verplichting_vastgesteld": "",
        "accountmanager": accountmanager.pk,
        **overrides,
    }


@pytest.fixture
def data(olga, otto, wim):
    """The form as Olga fills it in: her organisation, Hunzebouw, Wim as accountmanager."""

    def fill(**overrides: object) -> dict[str, object]:
        own = form_data(opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim)
        return {**own, **overrides}

    return fill


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors.get(field, [])


def test_opdrachtgever_creates_a_project_for_its_own_organisation(olga, otto, wim, data):
    response = login(Client(), olga).post(CREATE, data())

    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(project)
    assert (project.name, project.kenmerk, project.opdrachtgever, project.opdrachtnemer) == (
        "Fietspad Zuidlaren",
        "AB-2026-014",
        olga.organisation,
        otto.organisation,
    )
    assert (project.region, project.verplichting, project.created_by) == (olga.region, Decimal("25000.00"), olga)
    assert set(project.contacts.values_list("user__name", flat=True)) == {olga.name, wim.name}
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Het project Fietspad Zuidlaren is aangemaakt."]


def test_opdrachtgever_form_offers_only_its_own_organisation(olga, data):
    page = login(Client(), olga).get(CREATE).content.decode()
    neighbour = OrganisationFactory(name="Gemeente Brinkerveld", kind=OrganisationKind.OPDRACHTGEVER)
    assert f'<option value="{olga.organisation.pk}" selected>Gemeente Veenhoven</option>' in page
    assert neighbour.name not in page


def test_coordinatiepunt_creates_a_project_for_an_opdrachtgever_of_its_region(cora, olga, otto, wim, gerda):
    client = login(Client(), cora)
    page = client.get(CREATE).content.decode()
    assert olga.organisation.name in page and gerda.organisation.name not in page

    response = client.post(
        CREATE, form_data(opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim)
    )

    project = Project.objects.get()
    assert response["Location"] == detail(project)
    assert (project.opdrachtgever, project.region, project.created_by) == (olga.organisation, olga.region, cora)
    # The coördinatiepunt sees the project through its region; only the accountmanager is added.
    assert list(project.contacts.values_list("user__name", flat=True)) == [wim.name]


ADDED = "toegevoegd aan project"


def test_the_accountmanager_named_at_creation_gets_the_added_mail_once_and_the_creator_none(olga, wim, data):
    response = login(Client(), olga).post(CREATE, data())

    project = Project.objects.get()
    assert response.status_code == 302
    # Olga made the project and added herself: she is not told she was added.
    [message] = mail.outbox
    assert message.to == [wim.email]
    assert f"{ADDED} Fietspad Zuidlaren" in message.subject
    assert "Olga Opdracht (Gemeente Veenhoven) heeft u als contactpersoon toegevoegd" in message.body
    assert f"http://testserver{detail(project)}" in message.body
    assert Mail.objects.filter(template="toegevoegd_aan_project").count() == 1
    assert Contact.objects.get(project=project, user=wim).added_by == olga


def test_the_accountmanager_of_a_project_the_coordinatiepunt_creates_is_mailed(cora, olga, otto, wim):
    login(Client(), cora).post(
        CREATE, form_data(opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim)
    )

    assert [message.to for message in mail.outbox] == [[wim.email]]
    assert "Cora Coördinator" in mail.outbox[0].body


def test_a_new_accountmanager_is_mailed_and_one_who_stays_is_not(olga, wim, project, data):
    successor = UserFactory(name="Willem Opvolger", email="willem@wsp-drenthe.invalid", organisation=wim.organisation)
    client = login(Client(), olga)

    assert client.post(edit(project), data(name="Brug Veenhoven-Noord", revision=1)).status_code == 302
    assert mail.outbox == []  # Wim stays accountmanager and contactpersoon: nothing new to tell

    assert client.post(edit(project), data(accountmanager=successor.pk, revision=2)).status_code == 302

    [message] = mail.outbox
    assert message.to == [successor.email] and f"{ADDED} Fietspad Zuidlaren" in message.subject
    assert Contact.objects.filter(project=project, user=successor, added_by=olga).exists()
    assert Contact.objects.filter(project=project, user=wim).exists()  # the former one stays contactpersoon


def test_coordinatiepunt_cannot_pick_an_opdrachtgever_or_accountmanager_of_another_region(cora, otto, gerda, wim):
    groningen_wsp = UserFactory(
        organisation=OrganisationFactory(name="WSP Groningen", kind=OrganisationKind.WSP, region=gerda.region)
    )
    response = login(Client(), cora).post(
        CREATE,
        form_data(opdrachtgever=gerda.organisation, opdrachtnemer=otto.organisation, accountmanager=groningen_wsp),
    )
    assert field_errors(response, "opdrachtgever") and field_errors(response, "accountmanager")
    assert not Project.objects.exists()


def test_verplichting_is_opdrachtsom_times_percentage_when_left_empty(olga, data):
    response = login(Client(), olga).post(
        CREATE, data(opdrachtsom="€ 1.250.000,00", sr_percentage="5,5", verplichting="")
    )

    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.opdrachtsom, project.sr_percentage, project.verplichting) == (
        Decimal("1250000.00"),
        Decimal("5.50"),
        Decimal("68750.00"),
    )


def test_an_entered_verplichting_wins_over_the_product(olga, data):
    login(Client(), olga).post(CREATE, data(opdrachtsom="100000", sr_percentage="5", verplichting="4000"))
    assert Project.objects.get().verplichting == Decimal("4000.00")


def test_without_verplichting_or_both_opdrachtsom_and_percentage_the_form_asks_for_it(olga, data):
    response = login(Client(), olga).post(CREATE, data(opdrachtsom="100000", verplichting=""))
    assert field_errors(response, "verplichting") == [
        "Vul de SR verplichting in, of de opdrachtsom en het SR-percentage."
    ]
    assert not Project.objects.exists()


def test_raamovereenkomst_keeps_the_estimate_and_the_vastgesteld_amount(olga, data):
    client = login(Client(), olga)
    client.post(CREATE, data(contract_type=ContractType.RAAMOVEREENKOMST, verplichting="50.000"))
    project = Project.objects.get()
    assert (project.verplichting, project.verplichting_vastgesteld) == (Decimal("50000.00"), None)
    assert "(geschat)" in client.get(reverse("projects:list")).content.decode()

    response = client.post(
        edit(project),
        data(
            contract_type=ContractType.RAAMOVEREENKOMST,
            verplichting="50000,00",
            verplichting_vastgesteld="42.500,00",
            revision=project.revision,
        ),
    )

    assert response["Location"] == detail(project)
    project.refresh_from_db()
    assert (project.verplichting, project.verplichting_vastgesteld) == (Decimal("50000.00"), Decimal("42500.00"))
    assert project.verplichting_current == Decimal("42500.00")
    page = client.get(reverse("projects:list")).content.decode()
    assert "€ 42.500,00" in page and "(vastgesteld)" in page


def test_a_vastgesteld_amount_is_refused_for_another_contract_type(olga, data):
    response = login(Client(), olga).post(CREATE, data(verplichting_vastgesteld="1000"))
    assert field_errors(response, "verplichting_vastgesteld") == [
        "Een vastgestelde verplichting hoort alleen bij een raamovereenkomst."
    ]
    assert not Project.objects.exists()


def test_an_einddatum_before_the_startdatum_is_refused_at_the_field(olga, data):
    response = login(Client(), olga).post(CREATE, data(start_date="2026-06-01", end_date="2026-05-31"))
    assert field_errors(response, "end_date") == ["De einddatum ligt vóór de startdatum."]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'href="#id_end_date"' in page
    assert not Project.objects.exists()


def test_opdrachtgever_cannot_create_a_project_for_another_organisation_by_a_crafted_post(olga, data):
    neighbour = OrganisationFactory(name="Gemeente Brinkerveld", kind=OrganisationKind.OPDRACHTGEVER)
    response = login(Client(), olga).post(CREATE, data(opdrachtgever=neighbour.pk))
    assert field_errors(response, "opdrachtgever")
    assert not Project.objects.exists()


def test_a_new_opdrachtnemer_is_created_with_the_project(olga, data):
    response = login(Client(), olga).post(
        CREATE,
        data(
            opdrachtnemer="",
            new_opdrachtnemer_name="Drentse Groenwerken B.V.",
            new_opdrachtnemer_kvk_number="1234 5678",
            new_opdrachtnemer_address="Stationsweg 1, Assen",
        ),
    )

    assert response.status_code == 302
    created = Organisation.objects.get(kvk_number="12345678")
    assert (created.name, created.kind, created.region, created.address) == (
        "Drentse Groenwerken B.V.",
        OrganisationKind.OPDRACHTNEMER,
        None,
        "Stationsweg 1, Assen",
    )
    assert Project.objects.get().opdrachtnemer == created
    assert list(created.regions.all()) == [olga.region]


def test_a_duplicate_kvk_nummer_is_refused_at_the_field(olga, otto, data):
    before = Organisation.objects.count()
    response = login(Client(), olga).post(
        CREATE,
        data(
            opdrachtnemer="",
            new_opdrachtnemer_name="Hunzebouw (dubbel)",
            new_opdrachtnemer_kvk_number=otto.organisation.kvk_number,
            new_opdrachtnemer_address="Ergens 2",
        ),
    )
    assert field_errors(response, "new_opdrachtnemer_kvk_number") == [
        f"Er is al een opdrachtnemer met KvK-nummer {otto.organisation.kvk_number}: Hunzebouw. Kies die in de lijst."
    ]
    assert not Project.objects.exists() and Organisation.objects.count() == before


def test_a_kvk_nummer_must_have_8_digits(olga, data):
    response = login(Client(), olga).post(
        CREATE,
        data(
            opdrachtnemer="",
            new_opdrachtnemer_name="Klein B.V.",
            new_opdrachtnemer_kvk_number="1234",
            new_opdrachtnemer_address="Ergens 3",
        ),
    )
    assert field_errors(response, "new_opdrachtnemer_kvk_number") == ["Een KvK-nummer bestaat uit 8 cijfers."]
    assert not Organisation.objects.filter(name="Klein B.V.").exists()


def test_choose_an_opdrachtnemer_or_type_a_new_one_not_both_nor_neither(olga, data):
    client = login(Client(), olga)
    neither = client.post(CREATE, data(opdrachtnemer=""))
    assert field_errors(neither, "opdrachtnemer") == ["Kies een opdrachtnemer, of vul hieronder een nieuwe in."]
    both = client.post(CREATE, data(new_opdrachtnemer_name="Nog een B.V."))
    assert field_errors(both, "opdrachtnemer") == [
        "Kies een opdrachtnemer uit de lijst óf vul een nieuwe in, niet allebei."
    ]
    half = client.post(CREATE, data(opdrachtnemer="", new_opdrachtnemer_name="Half B.V."))
    assert field_errors(half, "new_opdrachtnemer_kvk_number") == ["Vul dit in voor de nieuwe opdrachtnemer."]
    assert not Project.objects.exists()


def test_the_new_opdrachtnemer_is_not_kept_when_the_project_is_refused(olga, data, monkeypatch):
    def refuse(**kwargs: object) -> Project:
        raise ValidationError({"name": "Deze naam is al in gebruik."})

    monkeypatch.setattr("projects.views.projects.create_project", refuse)
    response = login(Client(), olga).post(
        CREATE,
        data(
            opdrachtnemer="",
            new_opdrachtnemer_name="Tijdelijk B.V.",
            new_opdrachtnemer_kvk_number="87654321",
            new_opdrachtnemer_address="Ergens 4",
        ),
    )
    assert field_errors(response, "name") == ["Deze naam is al in gebruik."]
    assert not Organisation.objects.filter(kvk_number="87654321").exists()


@pytest.mark.parametrize("who", ["otto", "wim"])
def test_opdrachtnemer_and_wsp_get_404_on_create(who, request, data):
    client = login(Client(), request.getfixturevalue(who))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, data()).status_code == 404
    assert not Project.objects.exists()


def test_edit_form_saves_projectgegevens(olga, project, data):
    client = login(Client(), olga)
    page = client.get(edit(project)).content.decode()
    assert 'name="revision" value="1"' in page and 'value="Brug Veenhoven"' in page

    response = client.post(edit(project), data(name="Brug Veenhoven-Noord", revision=1))

    assert response["Location"] == detail(project)
    project.refresh_from_db()
    assert (project.name, project.revision, project.verplichting) == ("Brug Veenhoven-Noord", 2, Decimal("25000.00"))


def test_a_computed_verplichting_follows_a_new_opdrachtsom(olga, data):
    client = login(Client(), olga)
    client.post(CREATE, data(opdrachtsom="100000", sr_percentage="5", verplichting=""))
    project = Project.objects.get()
    assert project.verplichting == Decimal("5000.00")
    form = client.get(edit(project)).context["form"]
    assert form["verplichting"].value() is None

    client.post(edit(project), data(opdrachtsom="200000", sr_percentage="5", verplichting="", revision=1))

    project.refresh_from_db()
    assert project.verplichting == Decimal("10000.00")


def test_two_concurrent_edits_one_saves_the_other_gets_a_conflict(olga, cora, project, data):
    olga_client, cora_client = login(Client(), olga), login(Client(), cora)
    assert olga_client.get(edit(project)).status_code == cora_client.get(edit(project)).status_code == 200

    first = olga_client.post(edit(project), data(name="Van Olga", revision=1))
    second = cora_client.post(edit(project), data(name="Van Cora", revision=1))

    assert first.status_code == 302
    assert second.status_code == 200 and CONFLICT in second.content.decode()
    project.refresh_from_db()
    assert (project.name, project.revision) == ("Van Olga", 2)


def test_who_sees_but_may_not_edit_is_sent_back_with_the_reason(wim, otto, project, data):
    for person in (wim, otto):
        client = login(Client(), person)
        response = client.get(edit(project))
        assert response.status_code == 302 and response["Location"] == detail(project)
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "Alleen de opdrachtgever en het coördinatiepunt wijzigen de projectgegevens."
        ]
        assert client.post(edit(project), data(name="Gekaapt", revision=1)).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.revision) == ("Brug Veenhoven", 1)


def test_an_afgerond_project_cannot_be_edited(olga, project, data):
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.AFGEROND)
    response = login(Client(), olga).post(edit(project), data(name="Te laat", revision=1))
    assert response["Location"] == detail(project)
    assert Project.objects.get().name == "Brug Veenhoven"


def test_a_project_outside_the_users_view_is_404(gerda, project, data):
    client = login(Client(), gerda)
    assert client.get(edit(project)).status_code == 404
    assert client.post(edit(project), data(name="Gekaapt", revision=1)).status_code == 404

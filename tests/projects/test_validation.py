"""Validation by the WSP (manual §3.2): gevalideerd locks a line; terugsturen needs a reason and sends a mail."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import OrganisationKind
from projects.models import Inzet, InzetStatus
from projects.services import ConcurrentEditError
from projects.services.verantwoording import inzet_validate
from tests.conftest import Client, login
from tests.factories import OrganisationFactory, UserFactory
from tests.pages import messages_of, text
from tests.projects.cast import make_inzet, make_kandidaat

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft deze regel intussen gewijzigd, gevalideerd of teruggestuurd."
NOT_VALIDATOR = "Alleen het werkgeversservicepunt en het coördinatiepunt valideren de verantwoording."


@pytest.fixture
def inzet(project, otto) -> Inzet:
    return make_inzet(project, make_kandidaat(otto.organisation))


@pytest.fixture
def wim_colleague(wim, project):
    """A second accountmanager of WSP Drenthe on the same project."""
    colleague = UserFactory(name="Wendy Werkgever", organisation=wim.organisation)
    project.contacts.create(user=colleague)
    return colleague


def detail_url(inzet: Inzet) -> str:
    return reverse("projects:inzet-detail", args=[inzet.project_id, inzet.pk])


def validate_url(inzet: Inzet) -> str:
    return reverse("projects:inzet-validate", args=[inzet.project_id, inzet.pk])


def return_url(inzet: Inzet) -> str:
    return reverse("projects:inzet-return", args=[inzet.project_id, inzet.pk])


def test_wsp_validates_a_line_which_then_counts_as_validated(project, inzet, wim):
    client = login(Client(), wim)
    page = text(client.get(detail_url(inzet)))
    assert "Gevalideerd door WSP</button>" in page and f'name="revision" value="{inzet.revision}"' in page
    response = client.post(validate_url(inzet), {"revision": inzet.revision})
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert messages_of(response) == ["De regel is gevalideerd. De opdrachtnemer kan hem niet meer wijzigen."]
    inzet.refresh_from_db()
    assert (inzet.status, inzet.validated_by) == (InzetStatus.GEVALIDEERD, wim)
    project.refresh_from_db()
    assert project.sr_prognose_gevalideerd == inzet.value_prognose > Decimal(0)


def test_coordinatiepunt_of_the_region_validates_too(inzet, cora):
    login(Client(), cora).post(validate_url(inzet), {"revision": inzet.revision})
    inzet.refresh_from_db()
    assert (inzet.status, inzet.validated_by) == (InzetStatus.GEVALIDEERD, cora)


def test_validation_is_only_offered_to_validators(inzet, otto, olga):
    for user in (otto, olga):
        page = text(login(Client(), user).get(detail_url(inzet)))
        assert "Gevalideerd door WSP</button>" not in page and return_url(inzet) not in page


def test_opdrachtgever_cannot_validate(project, inzet, olga):
    response = login(Client(), olga).post(validate_url(inzet), {"revision": inzet.revision})
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert messages_of(response) == [NOT_VALIDATOR]
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.INGEVOERD and inzet.validated_by is None


def test_wsp_of_another_region_cannot_validate_even_as_contactpersoon(project, inzet, groningen):
    wsp_groningen = OrganisationFactory(name="WSP Groningen", kind=OrganisationKind.WSP, region=groningen)
    outsider = UserFactory(organisation=wsp_groningen)
    project.contacts.create(user=outsider)
    client = login(Client(), outsider)
    response = client.post(validate_url(inzet), {"revision": inzet.revision})
    assert messages_of(response) == [NOT_VALIDATOR]
    response = client.post(return_url(inzet), {"reason": "Klopt niet", "revision": inzet.revision})
    assert messages_of(response)[-1] == NOT_VALIDATOR
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.INGEVOERD and inzet.return_reason == ""
    assert mail.outbox == []


def test_wsp_of_another_region_without_the_project_gets_404(inzet, groningen):
    wsp_groningen = OrganisationFactory(name="WSP Groningen", kind=OrganisationKind.WSP, region=groningen)
    client = login(Client(), UserFactory(organisation=wsp_groningen))
    assert client.post(validate_url(inzet), {"revision": inzet.revision}).status_code == 404
    assert client.get(detail_url(inzet)).status_code == 404
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.INGEVOERD


def test_returning_requires_a_reason(inzet, wim):
    response = login(Client(), wim).post(return_url(inzet), {"reason": "   ", "revision": inzet.revision})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'id="id_reason_error"' in text(response)
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.INGEVOERD
    assert mail.outbox == []


def test_returning_mails_the_opdrachtnemer_contacts_who_correct_the_line(project, inzet, wim, otto, olga):
    colleague = UserFactory(name="Oscar Nemer", organisation=otto.organisation)
    project.contacts.create(user=colleague)
    UserFactory(organisation=otto.organisation)  # a colleague who is not on the project gets nothing
    reason = "De stagevergoeding klopt niet met de stageovereenkomst."
    response = login(Client(), wim).post(return_url(inzet), {"reason": reason, "revision": inzet.revision})
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    inzet.refresh_from_db()
    assert (inzet.status, inzet.return_reason) == (InzetStatus.TERUGGESTUURD, reason)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([otto.email, colleague.email])
    assert reason in mail.outbox[0].body

    client = login(Client(), otto)
    assert reason in text(client.get(detail_url(inzet)))
    edit = reverse("projects:inzet-edit", args=[project.pk, inzet.pk]) + "?soort=stage"
    assert reason in text(client.get(edit))
    data = {
        "kandidaat": inzet.kandidaat_id,
        "start_date": inzet.start_date.isoformat(),
        "end_date": inzet.end_date.isoformat(),
        "amount": "350",
        "niveau": "mbo",
        "revision": inzet.revision,
        "actie": "opslaan",
    }
    response = client.post(edit, data)
    assert messages_of(response) == [
        "De regel is opgeslagen en staat weer op ingevoerd: het WSP beoordeelt hem opnieuw."
    ]
    inzet.refresh_from_db()
    assert (inzet.status, inzet.amount) == (InzetStatus.INGEVOERD, Decimal("350.00"))
    # … and the WSP can judge it again.
    login(Client(), wim).post(validate_url(inzet), {"revision": inzet.revision})
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.GEVALIDEERD


def test_a_validated_line_cannot_be_returned(project, inzet, wim):
    client = login(Client(), wim)
    client.post(validate_url(inzet), {"revision": inzet.revision})
    inzet.refresh_from_db()
    response = client.post(return_url(inzet), {"reason": "Toch niet", "revision": inzet.revision})
    assert messages_of(response)[-1] == "Alleen ingevoerde regels kunnen worden gevalideerd of teruggestuurd."
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.GEVALIDEERD


def test_two_wsp_users_validating_at_once_one_wins_the_other_is_told(inzet, wim, wim_colleague):
    seen = inzet.revision  # both opened the line's page
    first = login(Client(), wim).post(validate_url(inzet), {"revision": seen})
    second = login(Client(), wim_colleague).post(validate_url(inzet), {"revision": seen})
    assert messages_of(first) == ["De regel is gevalideerd. De opdrachtnemer kan hem niet meer wijzigen."]
    assert messages_of(second)[0].startswith(CONFLICT)
    assert second["Location"] == detail_url(inzet)
    inzet.refresh_from_db()
    assert (inzet.status, inzet.validated_by, inzet.revision) == (InzetStatus.GEVALIDEERD, wim, seen + 1)


def test_returning_a_line_another_wsp_user_just_validated_is_a_conflict(inzet, wim, wim_colleague):
    seen = inzet.revision
    returner = login(Client(), wim_colleague)
    assert returner.get(return_url(inzet)).status_code == 200  # form opened …
    login(Client(), wim).post(validate_url(inzet), {"revision": seen})  # … meanwhile validated
    response = returner.post(return_url(inzet), {"reason": "Klopt niet", "revision": seen})
    assert messages_of(response)[0].startswith(CONFLICT)
    inzet.refresh_from_db()
    assert (inzet.status, inzet.return_reason) == (InzetStatus.GEVALIDEERD, "")
    assert mail.outbox == []


def test_the_service_lets_only_one_of_two_simultaneous_validations_through(inzet, wim, wim_colleague):
    # Both requests fetched the line before either saved: the revision decides under the row lock.
    one, two = Inzet.objects.get(pk=inzet.pk), Inzet.objects.get(pk=inzet.pk)
    inzet_validate(inzet=one, by=wim, revision=inzet.revision)
    with pytest.raises(ConcurrentEditError):
        inzet_validate(inzet=two, by=wim_colleague, revision=inzet.revision)
    inzet.refresh_from_db()
    assert inzet.validated_by == wim


def test_opdrachtnemer_saving_a_line_the_wsp_just_validated_is_refused(project, inzet, wim, otto):
    edit = reverse("projects:inzet-edit", args=[project.pk, inzet.pk]) + "?soort=stage"
    client = login(Client(), otto)
    assert client.get(edit).status_code == 200  # form opened …
    login(Client(), wim).post(validate_url(inzet), {"revision": inzet.revision})  # … meanwhile validated
    data = {
        "kandidaat": inzet.kandidaat_id,
        "start_date": inzet.start_date.isoformat(),
        "end_date": inzet.end_date.isoformat(),
        "amount": "999",
        "niveau": "mbo",
        "revision": inzet.revision,
        "actie": "opslaan",
    }
    response = client.post(edit, data)
    assert messages_of(response) == ["Deze regel is al gevalideerd door het WSP en kan niet meer worden gewijzigd."]
    inzet.refresh_from_db()
    assert (inzet.status, inzet.amount) == (InzetStatus.GEVALIDEERD, Decimal("400.00"))


def test_wsp_validating_a_line_the_opdrachtnemer_just_changed_is_a_conflict(project, inzet, wim, otto):
    seen = inzet.revision  # the WSP opened the line …
    data = {
        "kandidaat": inzet.kandidaat_id,
        "start_date": inzet.start_date.isoformat(),
        "end_date": inzet.end_date.isoformat(),
        "amount": "300",
        "niveau": "mbo",
        "revision": seen,
        "actie": "opslaan",
    }
    edit = reverse("projects:inzet-edit", args=[project.pk, inzet.pk]) + "?soort=stage"
    assert login(Client(), otto).post(edit, data).status_code == 302  # … the opdrachtnemer changed it
    response = login(Client(), wim).post(validate_url(inzet), {"revision": seen})
    assert messages_of(response)[0].startswith(CONFLICT)
    inzet.refresh_from_db()
    assert (inzet.status, inzet.amount) == (InzetStatus.INGEVOERD, Decimal("300.00"))


def test_validating_without_a_revision_changes_nothing(inzet, wim):
    response = login(Client(), wim).post(validate_url(inzet), {})
    assert messages_of(response) == ["Het formulier is onvolledig verstuurd. Open de pagina opnieuw."]
    inzet.refresh_from_db()
    assert inzet.status == InzetStatus.INGEVOERD


def test_validate_answers_only_post(inzet, wim):
    assert login(Client(), wim).get(validate_url(inzet)).status_code == 405

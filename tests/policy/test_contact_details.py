"""Contactgegevens (SPEC §8): every coördinatiepunt's details for everyone; each edits its own."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

# Fictional: Dutch subscriber numbers never start with 0, .invalid never resolves.
DETAILS = {
    "contact_name": "Team Social Return",
    "email": "sr@csr-drenthe.invalid",
    "phone": "0592 000 000",
    "opening_hours": "maandag t/m donderdag van 9.00 tot 12.00 uur",
    "website": "https://csr-drenthe.invalid/social-return",
}


def test_every_user_sees_every_coordinatiepunt(olga, gerda, otto):
    for person in (olga, gerda, otto):
        page = text(login(Client(), person).get(reverse("policy:contact-details")))
        assert "Coördinatiepunt Social Return Drenthe" in page
        assert "Coördinatiepunt Social Return Groningen" in page
        assert "Contactgegevens bewerken" not in page


def test_coordinatiepunt_edits_its_details_and_everyone_sees_them(cora, gerda):
    response = login(Client(), cora).post(
        reverse("policy:contact-details-edit"), {**DETAILS, "revision": 1}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("policy:contact-details")
    assert "De contactgegevens zijn opgeslagen." in text(response)
    page = text(login(Client(), gerda).get(reverse("policy:contact-details")))
    assert "Team Social Return" in page
    assert 'href="mailto:sr@csr-drenthe.invalid"' in page
    assert 'href="tel:0592000000"' in page
    assert "maandag t/m donderdag van 9.00 tot 12.00 uur" in page
    assert 'href="https://csr-drenthe.invalid/social-return"' in page


def test_empty_details_are_left_out(cora, groningen):
    Organisation.objects.filter(region=groningen, kind="coordinatiepunt").update(email="", phone="", website="")
    login(Client(), cora).post(reverse("policy:contact-details-edit"), {**DETAILS, "website": "", "revision": 1})
    page = text(login(Client(), cora).get(reverse("policy:contact-details")))
    assert page.count("<dt>Telefoonnummer</dt>") == 1
    assert page.count("<dt>Contactpersoon</dt>") == 1
    assert "<dt>Website</dt>" not in page
    assert page.count("nog geen contactgegevens ingevuld") == 2, "Groningen and Fryslân"


def test_each_coordinatiepunt_gets_the_edit_link_for_its_own_details_only(cora, gert):
    for person in (cora, gert):
        page = text(login(Client(), person).get(reverse("policy:contact-details")))
        assert page.count("Contactgegevens bewerken") == 1
        assert page.index(person.organisation.name) < page.index("Contactgegevens bewerken")
    form = text(login(Client(), gert).get(reverse("policy:contact-details-edit")))
    assert "Coördinatiepunt Social Return Groningen" in form


def test_other_roles_get_404_and_change_nothing(olga, wim, otto, coordinatiepunt_drenthe):
    for person in (olga, wim, otto):
        client = login(Client(), person)
        assert client.get(reverse("policy:contact-details-edit")).status_code == 404
        assert client.post(reverse("policy:contact-details-edit"), {**DETAILS, "revision": 1}).status_code == 404
    coordinatiepunt_drenthe.refresh_from_db()
    assert (coordinatiepunt_drenthe.contact_name, coordinatiepunt_drenthe.revision) == ("", 1)


def test_the_email_address_is_required_and_checked_in_dutch(cora, coordinatiepunt_drenthe):
    client = login(Client(), cora)
    missing = text(client.post(reverse("policy:contact-details-edit"), {**DETAILS, "email": "", "revision": 1}))
    assert "Dit veld is verplicht." in missing and 'id="id_email_error"' in missing
    wrong = text(client.post(reverse("policy:contact-details-edit"), {**DETAILS, "email": "geen-adres", "revision": 1}))
    assert "Voer een geldig e-mailadres in." in wrong
    coordinatiepunt_drenthe.refresh_from_db()
    assert coordinatiepunt_drenthe.email == "csr@drenthe.invalid"


def test_a_website_without_scheme_gets_https(cora, coordinatiepunt_drenthe):
    login(Client(), cora).post(
        reverse("policy:contact-details-edit"), {**DETAILS, "website": "csr-drenthe.invalid", "revision": 1}
    )
    coordinatiepunt_drenthe.refresh_from_db()
    assert coordinatiepunt_drenthe.website == "https://csr-drenthe.invalid"


def test_a_stale_revision_shows_the_conflict_and_saves_nothing(cora, coordinatiepunt_drenthe):
    colleague = login(Client(), UserFactory(organisation=coordinatiepunt_drenthe))
    assert colleague.post(reverse("policy:contact-details-edit"), {**DETAILS, "revision": 1}).status_code == 302

    response = login(Client(), cora).post(
        reverse("policy:contact-details-edit"), {**DETAILS, "contact_name": "Iemand anders", "revision": 1}
    )

    assert "Iemand anders heeft dit intussen gewijzigd" in text(response)
    coordinatiepunt_drenthe.refresh_from_db()
    assert (coordinatiepunt_drenthe.contact_name, coordinatiepunt_drenthe.revision) == ("Team Social Return", 2)


def test_the_change_is_in_the_audit_trail_with_the_user(cora, coordinatiepunt_drenthe):
    login(Client(), cora).post(reverse("policy:contact-details-edit"), {**DETAILS, "revision": 1})
    event = Organisation.pgh_event_model.objects.filter(pgh_obj=coordinatiepunt_drenthe).latest("pgh_id")
    assert (event.pgh_label, event.contact_name) == ("update", "Team Social Return")
    assert event.pgh_context.metadata["user"] == cora.pk
    assert event.pgh_context.metadata["url"] == reverse("policy:contact-details-edit")

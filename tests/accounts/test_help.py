import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import Client

pytestmark = pytest.mark.django_db


def form(region, **extra):
    return {
        "region": region.pk,
        "name": "Piet Vrager",
        "email": "piet@aannemer.invalid",
        "phone": "",
        "message": "Nieuwe telefoon",
        **extra,
    }


def test_help_request_goes_to_the_coordinatiepunt_of_the_chosen_region(coordinatiepunt_drenthe, drenthe):
    response = Client().post(reverse("accounts:help"), form(drenthe))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["csr@drenthe.invalid"]
    assert message.reply_to == ["piet@aannemer.invalid"]
    assert "Nieuwe telefoon" in message.body and "Piet Vrager" in message.subject


def test_region_without_mailbox_gets_a_clear_message(groningen):
    response = Client().post(reverse("accounts:help"), form(groningen))
    assert response.status_code == 200
    assert "id_region_error" in response.content.decode()
    assert mail.outbox == []


def test_bots_filling_the_hidden_field_send_nothing(coordinatiepunt_drenthe, drenthe):
    response = Client().post(reverse("accounts:help"), form(drenthe, website="http://spam.invalid"))
    assert response.status_code == 302
    assert mail.outbox == []


def test_missing_fields_are_named_in_dutch(db):
    response = Client().post(reverse("accounts:help"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in page and "id_message_error" in page

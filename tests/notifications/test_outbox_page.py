"""E-mail: the coördinatiepunt's view of the outbox of its region, and resending failed mail."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Mail, MailStatus
from tests.conftest import Client, login

pytestmark = pytest.mark.django_db

SECRET_LINK = "http://testserver/activeren/MQ/geheim-token-123/"


def make_mail(region, key: str, *, status: str = MailStatus.SENT, minutes_ago: int = 0, **fields) -> Mail:  # type: ignore[no-untyped-def]
    created = timezone.now() - timedelta(minutes=minutes_ago)
    values = {
        "template": "welkomstmail",
        "to": [f"{key}@voorbeeld.invalid"],
        "subject": f"Onderwerp {key}",
        "text": f"Activeer uw account: {SECRET_LINK}",
        "html": f'<a href="{SECRET_LINK}">Account activeren</a>',
        "region_id": region.pk if region else None,
        "status": status,
        "created_at": created,
        "sent_at": created if status == MailStatus.SENT else None,
        "attempts": 1 if status == MailStatus.SENT else 0,
        **fields,
    }
    return Mail.objects.create(key=key, **values)


def failed_mail(region, key: str = "mislukt") -> Mail:  # type: ignore[no-untyped-def]
    return make_mail(
        region,
        key,
        status=MailStatus.FAILED,
        template="kwartaalherinnering",
        attempts=8,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )


def test_coordinatiepunt_sees_the_mails_of_its_own_region_newest_first(cora, drenthe, groningen):
    make_mail(drenthe, "oud", minutes_ago=60, template="welkomstmail")
    make_mail(drenthe, "nieuw", minutes_ago=1, template="sr_goedgekeurd")
    make_mail(groningen, "groningen")
    make_mail(None, "zonder-regio")

    response = login(Client(), cora).get(reverse("notifications:outbox"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Onderwerp nieuw" in page and "Onderwerp oud" in page
    assert page.index("Onderwerp nieuw") < page.index("Onderwerp oud")
    assert "Onderwerp groningen" not in page and "Onderwerp zonder-regio" not in page
    assert "SR goedgekeurd" in page and "Welkomstmail" in page
    assert "nieuw@voorbeeld.invalid" in page


def test_the_list_never_shows_a_mail_body(cora, drenthe):
    make_mail(drenthe, "welkom")

    page = login(Client(), cora).get(reverse("notifications:outbox")).content.decode()

    assert "Onderwerp welkom" in page
    assert "geheim-token-123" not in page


def test_the_list_filters_on_status(cora, drenthe):
    make_mail(drenthe, "verzonden")
    make_mail(drenthe, "wacht", status=MailStatus.PENDING)
    failed_mail(drenthe)
    client = login(Client(), cora)

    page = client.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
    assert "Onderwerp mislukt" in page
    assert "Onderwerp verzonden" not in page and "Onderwerp wacht" not in page
    assert "SMTPRecipientsRefused: 550 mailbox unavailable" in page
    assert "Opnieuw versturen" in page

    page = client.get(reverse("notifications:outbox"), {"status": "pending"}).content.decode()
    assert "Onderwerp wacht" in page and "Onderwerp mislukt" not in page
    assert "Opnieuw versturen" not in page

    # An unknown status filters nothing.
    page = client.get(reverse("notifications:outbox"), {"status": "onzin"}).content.decode()
    assert all(f"Onderwerp {key}" in page for key in ("verzonden", "wacht", "mislukt"))


def test_the_list_shows_fifty_mails_a_page_and_keeps_the_filter(cora, drenthe):
    for number in range(51):
        make_mail(drenthe, f"mail-{number:02d}", minutes_ago=number)
    client = login(Client(), cora)

    first = client.get(reverse("notifications:outbox"), {"status": "sent"})
    assert len(first.context["page"]) == 50
    assert "?status=sent&amp;pagina=2" in first.content.decode()
    second = client.get(reverse("notifications:outbox"), {"status": "sent", "pagina": 2}).content.decode()
    assert "Onderwerp mail-50" in second and "Onderwerp mail-00" not in second


def test_functioneel_beheer_sees_the_mails_of_every_region(admin_user, drenthe, groningen):
    make_mail(drenthe, "drenthe")
    make_mail(groningen, "groningen")

    page = login(Client(), admin_user).get(reverse("notifications:outbox")).content.decode()

    assert "Onderwerp drenthe" in page and "Onderwerp groningen" in page


@pytest.mark.parametrize("role", ["olga", "otto", "wim"])
def test_other_roles_have_no_email_page(role, request, drenthe):
    make_mail(drenthe, "welkom")
    client = login(Client(), request.getfixturevalue(role))

    assert client.get(reverse("notifications:outbox")).status_code == 404


def test_resending_a_failed_mail_sends_it_and_says_so(cora, drenthe):
    mail = failed_mail(drenthe)
    client = login(Client(), cora)

    response = client.post(reverse("notifications:resend", args=[mail.pk]), follow=True)

    assert response.redirect_chain == [(reverse("notifications:outbox"), 302)]
    assert "wordt opnieuw verstuurd" in response.content.decode()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 1, "")
    assert [message.to for message in django_mail.outbox] == [["mislukt@voorbeeld.invalid"]]


def test_a_mail_that_has_not_failed_is_not_resent(cora, drenthe):
    mail = make_mail(drenthe, "verzonden")

    response = login(Client(), cora).post(reverse("notifications:resend", args=[mail.pk]), follow=True)

    assert "Alleen een mislukte e-mail" in response.content.decode()
    mail.refresh_from_db()
    assert mail.attempts == 1
    assert django_mail.outbox == []


def test_a_mail_of_another_region_cannot_be_resent(gert, drenthe):
    mail = failed_mail(drenthe)

    response = login(Client(), gert).post(reverse("notifications:resend", args=[mail.pk]))

    assert response.status_code == 404
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert django_mail.outbox == []


def test_other_roles_cannot_resend(olga, drenthe):
    mail = failed_mail(drenthe)

    assert login(Client(), olga).post(reverse("notifications:resend", args=[mail.pk])).status_code == 404
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED


def test_resending_needs_a_post(cora, drenthe):
    mail = failed_mail(drenthe)

    assert login(Client(), cora).get(reverse("notifications:resend", args=[mail.pk])).status_code == 405
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED


def test_the_menu_offers_email_to_the_coordinatiepunt_only(cora, olga):
    outbox = reverse("notifications:outbox")

    assert f'href="{outbox}"' in login(Client(), cora).get(reverse("home")).content.decode()
    assert f'href="{outbox}"' not in login(Client(), olga).get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("role", "receives", "not_receives"),
    [
        ("otto", ["Kwartaalherinnering", "Regel teruggestuurd", "Verwijtbaarheid"], ["Hulp nodig", "Signaal einde"]),
        ("wim", ["Signaal einde project"], ["Kwartaalherinnering", "Verwijtbaarheid", "Hulp nodig"]),
        ("olga", ["SR verantwoording goedgekeurd", "Verwijtbaarheid"], ["Kwartaalherinnering", "Signaal einde"]),
        ("cora", ["Hulp nodig", "csr@drenthe.invalid"], ["Kwartaalherinnering", "Signaal einde", "Verwijtbaarheid"]),
    ],
)
def test_the_profile_says_which_mail_the_user_receives(role, receives, not_receives, request):
    page = login(Client(), request.getfixturevalue(role)).get(reverse("accounts:profile")).content.decode()

    assert "E-mail die u van de monitor krijgt" in page
    for everyone in ("Welkomstmail", "Wachtwoord vergeten", "Authenticator gereset", "Toegevoegd aan project"):
        assert everyone in page
    for label in receives:
        assert label in page
    for label in not_receives:
        assert label not in page


def test_the_admin_lists_the_outbox_read_only_without_bodies(admin_user, drenthe):
    mail = make_mail(drenthe, "welkom")
    client = login(Client(), admin_user)

    listing = client.get(reverse("admin:notifications_mail_changelist"), {"q": "welkom@voorbeeld"})
    assert listing.status_code == 200
    assert "welkom@voorbeeld.invalid" in listing.content.decode()
    assert "geheim-token-123" not in listing.content.decode()
    detail = client.get(reverse("admin:notifications_mail_change", args=[mail.pk]))
    assert detail.status_code == 200
    assert "geheim-token-123" not in detail.content.decode()
    assert client.get(reverse("admin:notifications_mail_add")).status_code == 403
    assert client.post(reverse("admin:notifications_mail_delete", args=[mail.pk]), {"post": "yes"}).status_code == 403
    assert Mail.objects.filter(pk=mail.pk).exists()

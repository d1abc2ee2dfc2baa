"""Wachtwoord wijzigen while logged in (issue 24): the current password, the new one twice by the
same rules as at activation; the other sessions end, this one stays; a notice mail; wrong current
passwords lock the account as wrong passwords at login do. And Mijn account, whose texts fit the role."""

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core import mail
from django.urls import reverse

from accounts.models import AuthEvent, AuthEventKind, User
from accounts.tokens import reset_tokens
from notifications.mail import mail_render
from notifications.models import Mail
from tests.conftest import Client, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
CHANGE = reverse("accounts:password-change")
PROFILE = reverse("accounts:profile")
HOME = reverse("home")
NEW_PASSWORD = "Een-ander-wachtwoord-2027"


def change(client: Client, current: str = PASSWORD, new1: str = NEW_PASSWORD, new2: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        CHANGE, {"current_password": current, "new_password1": new1, "new_password2": new1 if new2 is None else new2}
    )


def errors_at(response, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The field's errors, as the page shows them at the field (the element its input names)."""
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    element = page.get_element_by_id(f"id_{field}_error", None)
    if element is None:
        return []
    described = page.get_element_by_id(f"id_{field}").get("aria-describedby", "").split()
    assert f"id_{field}_error" in described
    return [p.text_content().strip() for p in element.findall("p")]


def unchanged(user: User) -> bool:
    return User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_anonymous_is_sent_to_the_login_page(db):
    for response in (Client().get(CHANGE), change(Client())):
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={CHANGE}"


def test_mijn_account_leads_to_wachtwoord_wijzigen_not_to_wachtwoord_vergeten(olga):
    client = login(Client(), olga)
    page = client.get(PROFILE).content.decode()
    assert f'href="{CHANGE}">Wachtwoord wijzigen</a>' in page
    assert "Wachtwoord wijzigen? Gebruik" not in page

    form_page = client.get(CHANGE).content.decode()
    for label in ("Huidig wachtwoord", "Nieuw wachtwoord", "Herhaal het nieuwe wachtwoord"):
        assert label in form_page
    assert 'autocomplete="current-password"' in form_page and 'autocomplete="new-password"' in form_page


def test_a_wrong_current_password_is_refused_at_its_field_and_audited(olga):
    client = login(Client(), olga)

    response = change(client, current="Niet-mijn-wachtwoord-1")

    assert errors_at(response, "current_password") == ["Het huidige wachtwoord is onjuist."]
    assert errors_at(response, "new_password1") == errors_at(response, "new_password2") == []
    assert unchanged(olga)
    assert AuthEvent.objects.filter(user=olga, kind=AuthEventKind.PASSWORD_CHANGE_FAILED).count() == 1
    assert not AuthEvent.objects.filter(user=olga, kind=AuthEventKind.PASSWORD_CHANGED).exists()
    assert mail.outbox == []
    assert client.get(HOME).status_code == 200  # one mistake: still logged in


def test_the_two_new_passwords_must_be_the_same(olga):
    response = change(login(Client(), olga), new2="Een-ander-wachtwoord-2028")

    assert errors_at(response, "new_password2") == ["De twee wachtwoorden zijn niet gelijk."]
    assert errors_at(response, "current_password") == []
    assert unchanged(olga) and mail.outbox == []


@pytest.mark.parametrize(
    "weak",
    ["kort-1", "12345678901234567", "olga@veenhoven", "qwerty123456"],
    ids=["too short", "only digits", "like the e-mail address", "common"],
)
def test_a_weak_new_password_is_refused_by_the_rules_of_activation_and_reset(olga, weak):
    with pytest.raises(password_validation.ValidationError) as rules:
        password_validation.validate_password(weak, olga)

    response = change(login(Client(), olga), new1=weak)

    assert errors_at(response, "new_password2") == rules.value.messages
    assert all("wachtwoord" in message.lower() for message in rules.value.messages)  # Dutch
    assert unchanged(olga) and mail.outbox == []


def test_the_current_password_again_is_refused(olga):
    response = change(login(Client(), olga), new1=PASSWORD)

    assert errors_at(response, "new_password1") == [
        "Het nieuwe wachtwoord is gelijk aan het huidige. Kies een ander wachtwoord."
    ]
    assert mail.outbox == []


def test_the_change_ends_every_other_session_and_keeps_this_one(olga):
    laptop, phone = login(Client(), olga), login(Client(), olga)
    assert phone.get(HOME).status_code == 200
    key_before = laptop.session.session_key

    response = change(laptop)

    assert response.status_code == 302 and response["Location"] == PROFILE
    page = laptop.get(PROFILE).content.decode()
    assert "Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u uitgelogd." in page
    assert laptop.session.session_key != key_before  # a new key for the session that stays
    assert laptop.get(HOME).status_code == 200
    assert phone.get(HOME).status_code == 302
    olga.refresh_from_db()
    assert olga.check_password(NEW_PASSWORD)
    assert AuthEvent.objects.filter(user=olga, kind=AuthEventKind.PASSWORD_CHANGED).count() == 1


def test_the_new_password_logs_in_and_the_old_one_not(olga):
    change(login(Client(), olga))

    login_url = reverse("accounts:login")
    old = Client().post(login_url, {"email": olga.email, "password": PASSWORD})
    new = Client().post(login_url, {"email": olga.email, "password": NEW_PASSWORD})

    assert old.status_code == 200 and "Het e-mailadres of het wachtwoord is onjuist." in old.content.decode()
    assert new.status_code == 302 and new["Location"] == reverse("accounts:login-code")


def test_an_open_wachtwoord_vergeten_link_dies_with_the_change(olga):
    token = reset_tokens.make_token(olga)

    change(login(Client(), olga))

    assert not reset_tokens.check_token(User.objects.get(pk=olga.pk), token)


def test_one_notice_mail_goes_to_the_user(olga):
    client = login(Client(), olga)
    change(client)
    change(client, current=NEW_PASSWORD, new1="Nog-een-ander-wachtwoord-9")  # a second change: a second notice

    assert Mail.objects.filter(template="wachtwoord_gewijzigd").count() == 2
    first = mail.outbox[0]
    assert [message.to for message in mail.outbox] == [[olga.email], [olga.email]]
    assert first.subject == "Social Return Monitor: uw wachtwoord is gewijzigd"
    assert f"Het wachtwoord van uw account {olga.email} is op" in first.body
    assert f"http://testserver{reverse('accounts:password-forgotten')}" in first.body
    assert "het coördinatiepunt Social Return van uw regio" in first.body
    assert NEW_PASSWORD not in first.body + first.alternatives[0][0]


def test_a_refused_change_sends_no_mail_and_a_repeated_post_no_second(olga):
    client = login(Client(), olga)
    change(client, current="fout-wachtwoord")
    assert mail.outbox == []
    change(client)
    change(client)  # the same data again: the current password is no longer right
    assert len(mail.outbox) == 1


def test_repeated_wrong_current_passwords_lock_the_account_as_failed_logins_do(olga):
    client, other_device = login(Client(), olga), login(Client(REMOTE_ADDR="10.0.0.7"), olga)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert change(client, current="geraden-wachtwoord").status_code == 200

    response = change(client, current="geraden-wachtwoord")

    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(HOME).status_code == 302  # the guessing session has ended
    assert AuthEvent.objects.filter(user=olga, kind=AuthEventKind.LOCKED).count() == 1
    # The lock is the login's: the right password is refused, at login and at Wachtwoord wijzigen.
    at_login = Client(REMOTE_ADDR="10.0.0.8").post(
        reverse("accounts:login"), {"email": olga.email, "password": PASSWORD}
    )
    assert at_login.status_code == 429
    assert change(other_device).status_code == 429
    assert unchanged(olga)
    assert not Mail.objects.filter(template="wachtwoord_gewijzigd").exists()


def test_a_few_wrong_current_passwords_do_not_lock(olga):
    client = login(Client(), olga)
    for _ in range(3):
        change(client, current="bijna-goed")

    assert change(client).status_code == 302
    assert AuthEvent.objects.filter(user=olga, kind=AuthEventKind.PASSWORD_CHANGE_FAILED).count() == 3


# --- Mijn account: texts that fit the role ---------------------------------------------------------

ASK_COORDINATIEPUNT = "Vraag het coördinatiepunt van uw regio om uw authenticator te resetten."
ASK_COLLEAGUE = "Vraag een collega van het coördinatiepunt of functioneel beheer om uw authenticator te resetten"
ASK_BEHEER = "Vraag een andere beheerder (functioneel beheer) om uw authenticator te resetten"
ASK_PROJECT_REGION = "Vraag het coördinatiepunt van de regio waar uw project loopt"


@pytest.mark.parametrize(
    ("role", "says", "never"),
    [
        ("olga", [ASK_COORDINATIEPUNT], [ASK_COLLEAGUE, ASK_BEHEER]),
        ("wim", [ASK_COORDINATIEPUNT], [ASK_COLLEAGUE, ASK_BEHEER]),
        ("otto", [ASK_PROJECT_REGION], [ASK_COORDINATIEPUNT, ASK_COLLEAGUE, ASK_BEHEER]),
        (
            "cora",
            [ASK_COLLEAGUE, "een collega van het coördinatiepunt of functioneel beheer de koppeling"],
            [ASK_COORDINATIEPUNT],
        ),
        ("admin_user", [ASK_BEHEER, "als een andere beheerder de koppeling"], [ASK_COORDINATIEPUNT, ASK_COLLEAGUE]),
    ],
)
def test_mijn_account_says_who_resets_the_authenticator_as_fits_the_role(role, says, never, request):
    page = login(Client(), request.getfixturevalue(role)).get(PROFILE).content.decode()

    for text in says:
        assert text in page
    for text in never:
        assert text not in page
    assert "Wachtwoord gewijzigd" in page  # the notice is among the mails everyone receives
    if role in ("cora", "admin_user"):
        assert "Vraag het coördinatiepunt" not in page and "als het coördinatiepunt" not in page


@pytest.mark.parametrize(
    ("role", "report_to"),
    [
        ("olga", "het coördinatiepunt Social Return van uw regio"),
        ("cora", "een collega van het coördinatiepunt of aan functioneel beheer"),
        ("admin_user", "een andere beheerder (functioneel beheer)"),
    ],
)
def test_the_notice_mail_says_whom_to_tell_as_fits_the_role(role, report_to, request):
    from django.utils import timezone

    user = request.getfixturevalue(role)
    context = {"user": user, "at": timezone.now(), "forgot_url": "http://testserver/wachtwoord-vergeten/"}

    _, text, html = mail_render(template="wachtwoord_gewijzigd", context=context)

    assert f"meld het aan {report_to}." in " ".join(text.split())
    assert f"meld het aan {report_to}." in " ".join(html.split())

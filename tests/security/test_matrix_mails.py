"""No mail names what its recipient may not see; nor does the akkoordverklaring (PDF) of an approved project.

Over the authorization walk's cast (`tests.test_authorization_walk.cast`, every object with a
distinctive name and the readers who may see it, `NAMES`) this plays everything that sends mail,
as the people who do it: the daily job (kwartaalherinnering while the project runs, the signal
after its end), adding and inviting contactpersonen, returning a line, adding a file of lines,
approving, the judgement on verwijtbaarheid, an authenticator reset, Wachtwoord wijzigen, Hulp nodig,
Wachtwoord vergeten and a new account. Then every Mail in the outbox: its subject, text and HTML must
hold no name outside the scope of each of its recipients.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from notifications.mail import TEMPLATE_LABELS
from notifications.models import Mail
from projects.models import Invulbestand, Inzet, InzetStatus
from projects.services.schedule import daily_schedule_run
from tests.conftest import Client, login
from tests.factories import PASSWORD
from tests.projects.test_invulbestand import stage, upload, workbook_bytes
from tests.test_authorization_walk import (
    ANTON,
    CP,
    GRONINGEN,
    NINA,
    OG,
    ON,
    ROLES,
    UTRECHT,
    WSP,
    Walk,
    cast,  # noqa: F401 - the fixture (used by name)
    forbidden_for,
)

NEW_CONTACT = "nieuwe.contactpersoon@example.invalid"  # invited by Olga onto Brug Veenhoven
NEW_COLLEAGUE = "nieuwe.collega@example.invalid"  # a new account of the coördinatiepunt

# Whose scope a recipient reads in: by the token in the cast's addresses, or the address itself.
READERS = {
    "usrolgazq": OG,
    "usrcologzq": OG,  # Olga's colleague, made contactpersoon on Brug Veenhoven below
    "usrottozq": ON,
    "usrwimzq": WSP,
    "usrcorazq": CP,
    "usrninazq": NINA,
    "usram2zq": ANTON,
    "usram3zq": GRONINGEN,
    "usrgerdazq": GRONINGEN,
    "usram4zq": UTRECHT,
    "usrurszq": UTRECHT,
    "ursula@midden-utrecht.invalid": UTRECHT,  # her welkomstmail, before the cast gets its names
    NEW_CONTACT: OG,
    NEW_COLLEAGUE: CP,
    "csr@drenthe.invalid": CP,  # the coördinatiepunt's mailbox (Hulp nodig)
}


def reader_of(address: str) -> str | None:
    return READERS.get(address) or READERS.get(address.split("@")[0])


def play_everything_that_sends_mail(cast: dict, coordinatiepunt_drenthe) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    project, other, groningen = cast["project"], cast["project_other_org"], cast["project_groningen"]
    olga, wim, cora = (login(Client(), cast[role]) for role in ("opdrachtgever", "wsp", "coordinatiepunt"))

    def ok(response, status: int = 302) -> None:  # type: ignore[no-untyped-def]
        assert response.status_code == status, response.content.decode()[:2000]

    # The daily job while Brug Veenhoven runs (kwartaalherinnering), and the day after its end (signal).
    assert daily_schedule_run(today=project.end_date - timedelta(days=5))["reminders"] >= 1
    assert daily_schedule_run(today=project.end_date + timedelta(days=1))["signals"] >= 1
    detail = {"pk": project.pk}
    ok(olga.post(reverse("projects:contact-add", kwargs=detail), {"user": cast["colleagues"][OG].pk}))
    organisation = cast[OG].organisation.pk
    invite = {"organisation": organisation, "name": "Nieuwe Contactpersoon", "email": NEW_CONTACT}
    ok(olga.post(reverse("projects:contact-invite", kwargs=detail), invite))
    line = {"pk": project.pk, "inzet_pk": cast["inzet_open"].pk}
    ok(wim.post(reverse("projects:inzet-return", kwargs=line), {"reason": "Loonstrook ontbreekt", "revision": 1}))
    otto = login(Client(), cast[ON])  # a file of lines: one mail to the WSP for all of them
    ok(upload(otto, project, "regels.xlsx", workbook_bytes([stage(project)])), 200)
    added = Invulbestand.objects.filter(project=project).latest("pk")
    ok(otto.post(reverse("projects:invulbestand-commit", kwargs={"pk": project.pk, "upload_pk": added.pk})))
    assert Invulbestand.objects.get(pk=added.pk).added == 1
    Inzet.objects.filter(project=project).update(status=InzetStatus.GEVALIDEERD)  # corrected and validated
    ok(wim.post(reverse("projects:approve", kwargs=detail), {"approve-confirmed": "on"}))
    judgement = {"oordeel": "verwijtbaar", "argument": "De opdrachtnemer heeft te weinig kandidaten ingezet."}
    ok(cora.post(reverse("projects:verwijtbaarheid", kwargs=detail), judgement))
    ok(cora.post(reverse("accounts:user-reset-authenticator", kwargs={"pk": cast["neighbour"].pk})))
    changed = {
        "current_password": PASSWORD,
        "new_password1": "Nieuw-wachtwoord-2027",
        "new_password2": "Nieuw-wachtwoord-2027",
    }
    ok(olga.post(reverse("accounts:password-change"), changed))
    new = {"name": "Nieuwe Collega", "email": NEW_COLLEAGUE, "organisation": coordinatiepunt_drenthe.pk}
    ok(cora.post(reverse("accounts:user-create"), new))
    anonymous = Client()
    question = {"region": project.region_id, "name": "Iemand", "email": "iemand@example.invalid", "message": "Help"}
    ok(anonymous.post(reverse("accounts:help"), question))
    ok(anonymous.post(reverse("accounts:password-forgotten"), {"email": cast["gerda"].email}), 200)
    # The signals after the end of the other projects, to their accountmanagers.
    assert daily_schedule_run(today=max(other.end_date, groningen.end_date) + timedelta(days=1))["signals"] >= 2


def mail_leaks(mails: list[Mail]) -> tuple[list[str], int]:
    """What each mail names outside the scope of each recipient; and how many recipients were read."""
    failures, recipients = [], 0
    for mail in mails:
        text = f"{mail.subject}\n{mail.text}\n{mail.html}".lower()
        for address in mail.to:
            recipients += 1
            reader = reader_of(address)
            if reader is None:
                failures.append(f"{mail.template} to {address}: whose scope is this? (add the address to READERS)")
                continue
            leaked = sorted(name for name in forbidden_for(reader) if name.lower() in text)
            if leaked:
                failures.append(f"{mail.template} “{mail.subject}” to {address} ({reader}) names {leaked}")
    return failures, recipients


@pytest.mark.django_db
def test_no_mail_names_what_its_recipient_may_not_see(cast, coordinatiepunt_drenthe):  # noqa: F811
    play_everything_that_sends_mail(cast, coordinatiepunt_drenthe)
    mails = list(Mail.objects.order_by("pk"))
    assert {mail.template for mail in mails} == set(TEMPLATE_LABELS), "every kind of mail is sent and read"
    failures, recipients = mail_leaks(mails)
    print(f"mails: {len(mails)}, recipients: {recipients}, templates: {len({mail.template for mail in mails})}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_akkoordverklaring_and_detailoverzicht_of_an_approved_project_name_nothing_foreign(cast):  # noqa: F811
    project = cast["project"]
    Inzet.objects.filter(project=project).update(status=InzetStatus.GEVALIDEERD)
    wim = login(Client(), cast[WSP])
    assert (
        wim.post(reverse("projects:approve", kwargs={"pk": project.pk}), {"approve-confirmed": "on"}).status_code == 302
    )
    failures, read = [], 0
    for role in ROLES:
        walk = Walk(role, cast)
        for name in ("reporting:project-akkoord", "reporting:project-overview"):
            url = reverse(name, kwargs={"pk": project.pk})
            response, _ = walk.request("GET", url)
            if response is not None:
                walk.check(f"GET {name}", url, response, 302 if role == "anonymous" else 200)
        failures += walk.failures
        read += walk.figures["pdf"]
    assert read == len(ROLES) - 1, "every logged-in role read the PDF"
    assert not failures, "\n".join(failures)

"""The project mails (SPEC §6): Dutch, HTML + text, why you get it, and a direct link into the portal.

Interne notities never leave the portal by mail: the opdrachtnemer may not read them (SPEC §2).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.mail import mail_render
from policy.templatetags.policy_format import format_euro
from projects.models import Inzet, Note, Project
from projects.services import contacts as contact_services
from projects.services import projects as project_services
from projects.services import verantwoording as verantwoording_services
from tests.conftest import committed
from tests.factories import UserFactory
from tests.projects.cast import brug_veenhoven, ended, make_inzet, make_kandidaat

pytestmark = pytest.mark.django_db

NOTE = "Interne notitie: de aannemer is lastig"


@pytest.fixture
def project(olga, otto, wim):
    project = brug_veenhoven(olga, otto, wim, **ended(kenmerk="AB-2025-17"))
    Note.objects.create(project=project, text=NOTE, author=olga)
    return project


@pytest.fixture
def inzet(project, otto):
    return make_inzet(project, make_kandidaat(otto.organisation))


def link_to(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def examples(project: Project, inzet: Inzet, olga, otto, wim, cora) -> dict[str, dict]:
    """Each mail template with the context its service gives it."""
    project.approved_at, project.approved_by = timezone.now(), wim
    project.verwijtbaar, project.verwijtbaarheid_argument = False, "De markt voor stageplaatsen was leeg."
    return {
        "toegevoegd_aan_project": {"project": project, "user": otto, "by": olga, "link": link_to(project)},
        "regel_teruggestuurd": {
            "project": project,
            "inzet": inzet,
            "reason": "De loonstrook van maart ontbreekt.",
            "by": wim,
            "link": reverse("projects:inzet-edit", args=[project.pk, inzet.pk]),
        },
        "sr_goedgekeurd": {"project": project, "by": wim, "link": link_to(project)},
        "verwijtbaarheid": {"project": project, "by": cora, "link": link_to(project)},
        "invulbestand_toegevoegd": {
            "project": project,
            "by": otto,
            "file_name": "regels.xlsx",
            "added": 2,
            "updated": 1,
            "at": timezone.now(),
            "link": link_to(project),
        },
    }


@pytest.mark.parametrize(
    "template",
    ["toegevoegd_aan_project", "regel_teruggestuurd", "sr_goedgekeurd", "verwijtbaarheid", "invulbestand_toegevoegd"],
)
def test_each_project_mail_renders_subject_text_and_html_with_a_full_link(
    template, project, inzet, olga, otto, wim, cora
):
    context = examples(project, inzet, olga, otto, wim, cora)[template]

    subject, text, html = mail_render(template=template, context=context)

    full_link = f"{settings.SITE_URL}{context['link']}"
    assert full_link.startswith("http://testserver/projecten/")
    assert project.name in subject
    assert "\n" not in subject
    assert full_link in text
    assert f'href="{full_link}"' in html
    for body in (text, html):
        assert "U ontvangt deze e-mail omdat" in body
        assert NOTE not in body
    assert "<p>" not in text


def test_verwijtbaarheid_mail_states_judgement_argument_and_unfulfilled_amount(project, inzet, olga, otto, wim, cora):
    context = examples(project, inzet, olga, otto, wim, cora)["verwijtbaarheid"]

    _, text, html = mail_render(template="verwijtbaarheid", context=context)

    shortfall = format_euro(project.shortfall)
    assert project.shortfall > 0
    for body in (text, html):
        assert "niet verwijtbaar" in body.lower()
        assert "De markt voor stageplaatsen was leeg." in body
        assert f"Niet gerealiseerd: {shortfall}" in text
        assert shortfall in html


def test_user_text_is_escaped_in_the_html_mail(project, inzet, olga, otto, wim, cora):
    context = {**examples(project, inzet, olga, otto, wim, cora)["regel_teruggestuurd"], "reason": "<b>fout</b>"}

    _, text, html = mail_render(template="regel_teruggestuurd", context=context)

    assert "&lt;b&gt;fout&lt;/b&gt;" in html
    assert "<b>fout</b>" in text


def test_added_contact_gets_a_mail_saying_who_added_them_to_which_project(project, olga):
    colleague = UserFactory(name="Oscar Opdracht", organisation=olga.organisation)

    with committed():
        contact_services.contact_add(project=project, user=colleague, by=olga)

    [message] = mail.outbox
    assert message.to == [colleague.email]
    assert "Brug Veenhoven" in message.subject
    assert "Olga Opdracht (Gemeente Veenhoven) heeft u als contactpersoon toegevoegd" in message.body
    assert f"http://testserver{link_to(project)}" in message.body
    assert NOTE not in message.body


def test_a_contactpersoon_named_at_project_creation_gets_the_added_mail_exactly_once(olga, otto, wim):
    today = timezone.localdate()
    data = {
        "name": "Fietspad Zuidlaren",
        "opdrachtgever": olga.organisation,
        "opdrachtnemer": otto.organisation,
        "start_date": today,
        "end_date": today + timedelta(days=365),
        "contract_type": "sr_verplichting",
        "verplichting": Decimal("25000.00"),
        "accountmanager": wim,
    }
    with committed():
        project = project_services.project_create(data=data, by=olga)
    # Saved again unchanged, and added again: Wim already is contactpersoon, so nothing more is sent.
    with committed():
        project_services.project_update(project=project, data=data, revision=1, by=olga)
    with committed():
        contact_services.contact_ensure(project=project, user=wim, by=olga)

    [message] = mail.outbox
    assert message.to == [wim.email]
    assert "Fietspad Zuidlaren" in message.subject
    assert "Olga Opdracht (Gemeente Veenhoven) heeft u als contactpersoon toegevoegd" in message.body
    assert f"http://testserver{link_to(project)}" in message.body
    assert "U ontvangt deze e-mail omdat Olga Opdracht u" in message.alternatives[0][0]


def test_returned_line_mails_the_opdrachtnemer_contacts_the_reason_and_where_to_correct_it(project, inzet, otto, wim):
    with committed():
        verantwoording_services.inzet_return(inzet=inzet, reason="De loonstrook van maart ontbreekt.", by=wim)

    [message] = mail.outbox
    assert message.to == [otto.email]
    assert "De loonstrook van maart ontbreekt." in message.body
    assert f"http://testserver{reverse('projects:inzet-edit', args=[project.pk, inzet.pk])}" in message.body
    html = message.alternatives[0][0]
    assert "De loonstrook van maart ontbreekt." in html
    assert NOTE not in message.body + html


def test_approval_and_verwijtbaarheid_mails_never_carry_interne_notities(project, olga, otto, wim, cora):
    with committed():
        project_services.project_approve(project=project, by=wim)
    with committed():
        project_services.verwijtbaarheid_record(project=project, verwijtbaar=True, argument="Niets gedaan.", by=cora)

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert NOTE not in message.body
        assert NOTE not in message.alternatives[0][0]
    approval = next(message for message in mail.outbox if "afronden" in message.subject)
    assert approval.to == [olga.email]
    assert "Project afronden" in approval.alternatives[0][0]
    judgement = next(message for message in mail.outbox if "verwijtbaarheid" in message.subject)
    assert sorted(judgement.to) == sorted([olga.email, otto.email])
    assert "Niets gedaan." in judgement.body

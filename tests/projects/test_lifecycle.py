"""The end of a project (manual §3.3): approval after the einddatum, afgerond, verwijtbaarheid.

Wim is the accountmanager of `project` (Drenthe), which ended ten days ago; Olga its opdrachtgever,
Otto its opdrachtnemer, Cora the coördinatiepunt of Drenthe. Gert (coördinatiepunt Groningen)
doesn't see it: 404.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from projects.services import ProjectError
from projects.services import contacts as contact_services
from projects.services import projects as project_services
from projects.services import verantwoording as verantwoording_services
from projects.views.lifecycle import lifecycle_context
from tests.conftest import Client, committed, login, travel
from tests.factories import UserFactory
from tests.pdfs import plain_pdf
from tests.projects.cast import brug_veenhoven, ended, make_inzet, make_kandidaat

pytestmark = pytest.mark.django_db

CONFIRMED = {"approve-confirmed": "on"}


@pytest.fixture
def project(olga, otto, wim):
    return brug_veenhoven(olga, otto, wim, **ended())


@pytest.fixture
def running(olga, otto, wim):
    today = timezone.localdate()
    return brug_veenhoven(
        olga,
        otto,
        wim,
        name="Kade Veenhoven",
        contacts=[olga, otto, wim],
        start_date=today - timedelta(days=100),
        end_date=today + timedelta(days=30),
    )


def afronding(user, project: Project) -> str:
    """The section Afronding as the detail page includes it for `user`."""
    request = RequestFactory().get(reverse("projects:detail", args=[project.pk]))
    request.user = user
    project.refresh_from_db()
    context = {"project": project, **lifecycle_context(request, project)}
    return render_to_string("projects/_lifecycle.html", context, request=request)


def post(user, name: str, project: Project, data: dict | None = None):
    return login(Client(), user).post(reverse(f"projects:{name}", args=[project.pk]), data or {})


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def status_of(project: Project) -> str:
    project.refresh_from_db()
    return project.status


def assert_refused_back_to_detail(response, project: Project, reason: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert any(reason in text for text in message_texts(response)), message_texts(response)


def approved(project: Project, by) -> Project:
    with committed():
        project_services.project_approve(project=project, by=by)
    mail.outbox.clear()
    project.refresh_from_db()
    return project


# Approve: SR verantwoording goedgekeurd


def test_approve_switch_is_absent_before_the_einddatum_and_says_when_it_comes(running, wim):
    section = afronding(wim, running)

    assert reverse("projects:approve", args=[running.pk]) not in section
    assert f"Beschikbaar na de einddatum {running.end_date:%d-%m-%Y}" in section


def test_crafted_approve_before_the_einddatum_is_refused(running, wim):
    response = post(wim, "approve", running, CONFIRMED)

    assert_refused_back_to_detail(response, running, f"pas na de einddatum ({running.end_date:%d-%m-%Y})")
    assert status_of(running) == ProjectStatus.ACTIEF
    assert running.approved_at is None
    assert mail.outbox == []


def test_approve_becomes_possible_the_day_after_the_einddatum(running, wim):
    with travel(timedelta(days=31)):
        assert reverse("projects:approve", args=[running.pk]) in afronding(wim, running)
        post(wim, "approve", running, CONFIRMED)

    assert status_of(running) == ProjectStatus.GOEDGEKEURD


def test_approve_waits_until_every_line_is_validated(project, otto, wim):
    kandidaat = make_kandidaat(otto.organisation)
    make_inzet(project, kandidaat)
    returned = make_inzet(
        project,
        kandidaat,
        start_date=project.start_date + timedelta(days=120),
        end_date=project.start_date + timedelta(days=200),
    )
    Inzet.objects.filter(pk=returned.pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook ontbreekt")

    section = afronding(wim, project)
    response = post(wim, "approve", project, CONFIRMED)

    assert "Er zijn nog 2 regels die niet zijn gevalideerd" in section
    assert reverse("projects:approve", args=[project.pk]) not in section
    assert_refused_back_to_detail(response, project, "Er zijn nog 2 regels die niet zijn gevalideerd")
    assert status_of(project) == ProjectStatus.ACTIEF


def test_opdrachtgever_cannot_approve(project, olga):
    response = post(olga, "approve", project, CONFIRMED)

    assert_refused_back_to_detail(response, project, "Alleen de accountmanager van het project of het coördinatiepunt")
    assert status_of(project) == ProjectStatus.ACTIEF
    assert reverse("projects:approve", args=[project.pk]) not in afronding(olga, project)


def test_coordinatiepunt_of_another_region_does_not_even_see_the_project(project, gert):
    response = post(gert, "approve", project, CONFIRMED)

    assert response.status_code == 404
    assert status_of(project) == ProjectStatus.ACTIEF


def test_approve_needs_the_confirmation_checkbox_and_says_so_at_the_field(project, wim):
    response = post(wim, "approve", project, {})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        'id="id_approve-confirmed_error"' in page and "Ik heb beoordeeld of aan de SR verplichting is voldaan" in page
    )
    assert 'aria-invalid="true"' in page
    assert status_of(project) == ProjectStatus.ACTIEF


def test_detail_page_shows_the_afronding_section_with_the_switch(project, wim):
    page = login(Client(), wim).get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert '<h2 class="utrecht-heading-2" id="afronding-titel">Afronding</h2>' in page
    assert f'action="{reverse("projects:approve", args=[project.pk])}"' in page


def test_approve_is_post_only(project, wim):
    assert login(Client(), wim).get(reverse("projects:approve", args=[project.pk])).status_code == 405


def test_accountmanager_approves_after_einddatum_and_opdrachtgever_contacts_get_the_mail_once(project, olga, wim):
    colleague = UserFactory(name="Oscar Opdracht", organisation=olga.organisation)
    project.contacts.create(user=colleague)
    assert "Ik heb beoordeeld of aan de SR verplichting is voldaan" in afronding(wim, project)

    response = post(wim, "approve", project, CONFIRMED)
    post(wim, "approve", project, CONFIRMED)  # a second click changes and sends nothing

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.approved_by) == (ProjectStatus.GOEDGEKEURD, wim)
    assert project.approved_at is not None
    recipients = [address for message in mail.outbox for address in message.to]
    assert sorted(recipients) == sorted([olga.email, colleague.email])
    assert "afronden" in mail.outbox[0].subject
    assert f"http://testserver/projecten/{project.pk}/" in mail.outbox[0].body


def test_coordinatiepunt_of_the_region_may_approve(project, cora):
    post(cora, "approve", project, CONFIRMED)

    assert status_of(project) == ProjectStatus.GOEDGEKEURD


# Close: Project afgerond


def test_close_is_explained_but_not_offered_before_approval(project, olga):
    section = afronding(olga, project)
    response = post(olga, "close", project)

    assert "Beschikbaar nadat de SR verantwoording is goedgekeurd" in section
    assert reverse("projects:close", args=[project.pk]) not in section
    assert_refused_back_to_detail(response, project, "nadat de verantwoording is goedgekeurd")
    assert status_of(project) == ProjectStatus.ACTIEF


def test_opdrachtnemer_cannot_close(project, otto, wim):
    approved(project, wim)

    response = post(otto, "close", project)

    assert reverse("projects:close", args=[project.pk]) not in afronding(otto, project)
    assert_refused_back_to_detail(response, project, "Alleen de opdrachtgever of het coördinatiepunt")
    assert status_of(project) == ProjectStatus.GOEDGEKEURD


def test_opdrachtgever_closes_the_approved_project_and_it_moves_to_the_finished_list(project, olga, wim):
    approved(project, wim)
    assert reverse("projects:close", args=[project.pk]) in afronding(olga, project)

    response = post(olga, "close", project)

    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert (project.status, project.closed_by) == (ProjectStatus.AFGEROND, olga)
    assert project in Project.objects.finished()
    assert project not in Project.objects.active()
    section = afronding(olga, project)
    assert f"Ja, door {wim.name} op {timezone.localtime(project.approved_at):%d-%m-%Y}" in section
    assert f"Ja, door {olga.name} op {timezone.localtime(project.closed_at):%d-%m-%Y}" in section
    assert "<form" not in section


def test_nothing_in_an_afgerond_project_can_change(project, olga, otto, wim, cora):
    kandidaat = make_kandidaat(otto.organisation)
    inzet = make_inzet(project, kandidaat)
    Inzet.objects.filter(pk=inzet.pk).update(status=InzetStatus.GEVALIDEERD)
    approved(project, wim)
    post(olga, "close", project)
    project.refresh_from_db()
    Inzet.objects.filter(pk=inzet.pk).update(status=InzetStatus.INGEVOERD)  # as if it had been left open
    inzet.refresh_from_db()
    line = {"kandidaat": kandidaat, "soort": "werk", "start_date": project.start_date, "end_date": project.end_date}
    pdf = SimpleUploadedFile("plan.pdf", plain_pdf(), content_type="application/pdf")

    attempts = {
        "edit": lambda: project_services.project_update(
            project=project, data={"name": "Anders"}, revision=project.revision, by=olga
        ),
        "add line": lambda: verantwoording_services.inzet_save(
            project=project, inzet=None, data={**line, "amount": Decimal("100")}, by=otto
        ),
        "validate line": lambda: verantwoording_services.inzet_validate(inzet=inzet, by=wim),
        "add document": lambda: contact_services.document_add(project=project, upload=pdf, by=olga, max_bytes=10**6),
        "add note": lambda: contact_services.note_add(project=project, text="Nog iets", by=cora),
    }
    for label, attempt in attempts.items():
        with pytest.raises(ProjectError):
            attempt()
            pytest.fail(f"{label} was allowed on an afgerond project")

    project.refresh_from_db()
    inzet.refresh_from_db()
    assert project.name == "Brug Veenhoven"
    assert (project.inzet.count(), project.documents.count(), project.notes.count()) == (1, 0, 0)
    assert inzet.status == InzetStatus.INGEVOERD


def test_crafted_approve_or_close_of_an_afgerond_project_is_refused(project, olga, wim):
    approved(project, wim)
    post(olga, "close", project)

    assert_refused_back_to_detail(post(wim, "approve", project, CONFIRMED), project, "al goedgekeurd")
    assert_refused_back_to_detail(post(olga, "close", project), project, "nadat de verantwoording is goedgekeurd")
    assert status_of(project) == ProjectStatus.AFGEROND


# Verwijtbaarheid of a shortfall


def judgement(**overrides: str) -> dict[str, str]:
    return {"oordeel": "verwijtbaar", "argument": "Er is geen enkele kandidaat ingezet.", **overrides}


def test_shortfall_and_judge_link_show_once_the_verantwoording_is_approved(project, cora, otto, wim):
    assert "Niet gerealiseerd" not in afronding(cora, project)
    approved(project, wim)

    for_cora, for_otto = afronding(cora, project), afronding(otto, project)

    assert "€ 50.000,00" in for_otto
    assert "mogelijke inhouding" in for_otto
    assert "Nog niet beoordeeld" in for_otto
    assert reverse("projects:verwijtbaarheid", args=[project.pk]) in for_cora
    assert reverse("projects:verwijtbaarheid", args=[project.pk]) not in for_otto


def test_coordinatiepunt_records_verwijtbaarheid_and_both_parties_get_it(project, olga, otto, wim, cora):
    approved(project, wim)
    client = login(Client(), cora)
    url = reverse("projects:verwijtbaarheid", args=[project.pk])
    page = client.get(url)

    response = client.post(url, judgement())

    assert page.status_code == 200
    assert "€ 50.000,00" in page.content.decode()
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert project.verwijtbaar is True
    assert project.verwijtbaarheid_argument == "Er is geen enkele kandidaat ingezet."
    assert project.verwijtbaarheid_by == cora
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([olga.email, otto.email])
    body = mail.outbox[0].body
    assert "Er is geen enkele kandidaat ingezet." in body
    assert "€ 50.000,00" in body
    section = afronding(otto, project)
    assert "Verwijtbaar" in section
    assert "Er is geen enkele kandidaat ingezet." in section


def test_verwijtbaarheid_needs_a_written_argument(project, wim, cora):
    approved(project, wim)

    response = post(cora, "verwijtbaarheid", project, judgement(argument="   "))

    assert response.status_code == 200
    assert "Onderbouw uw oordeel" in response.content.decode()
    project.refresh_from_db()
    assert project.verwijtbaar is None
    assert mail.outbox == []


@pytest.mark.parametrize("judge", ["olga", "otto", "wim"])
def test_only_the_coordinatiepunt_judges_verwijtbaarheid(project, wim, judge, request):
    approved(project, wim)
    user = request.getfixturevalue(judge)

    opened = login(Client(), user).get(reverse("projects:verwijtbaarheid", args=[project.pk]))
    response = post(user, "verwijtbaarheid", project, judgement())

    assert_refused_back_to_detail(opened, project, "Alleen het coördinatiepunt van de regio")
    assert_refused_back_to_detail(response, project, "Alleen het coördinatiepunt van de regio")
    project.refresh_from_db()
    assert project.verwijtbaar is None
    assert mail.outbox == []


def test_coordinatiepunt_of_another_region_gets_404_on_verwijtbaarheid(project, wim, gert):
    approved(project, wim)

    assert post(gert, "verwijtbaarheid", project, judgement()).status_code == 404


def test_verwijtbaarheid_waits_for_approval_and_needs_a_shortfall(project, wim, cora):
    response = post(cora, "verwijtbaarheid", project, judgement())
    assert_refused_back_to_detail(response, project, "nadat de verantwoording is goedgekeurd")

    Project.objects.filter(pk=project.pk).update(verplichting=Decimal("0.00"))
    approved(project, wim)
    response = post(cora, "verwijtbaarheid", project, judgement())
    assert_refused_back_to_detail(response, project, "De verplichting is gehaald")
    project.refresh_from_db()
    assert project.verwijtbaar is None

"""The project detail page (manual §3.1) and its Historie from the audit trail."""

import re
from datetime import timedelta
from decimal import Decimal

import pghistory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Contact, ContractType, Document, Inzet, InzetStatus, Note, Project, ProjectStatus
from projects.services.valuation import project_values_refresh
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.pages import detail, text
from tests.pdfs import plain_pdf
from tests.projects.cast import make_inzet, make_kandidaat, make_project, projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def test_detail_shows_the_sections_in_the_order_of_the_manual(cast, olga):
    page = text(login(Client(), olga).get(detail(cast["project"])))

    assert page.count("<h1") == 1 and ">Brug Veenhoven</h1>" in page
    headings = ["Projectgegevens", "Verantwoording", "Contactpersonen", "Interne notities", "Documenten", "Historie"]
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    assert 'include "projects/_verantwoording.html"' not in page  # the fragment is rendered, not shown


def test_projectgegevens_show_every_field(olga, otto, wim):
    project = make_project(
        name="Rotonde Zuid",
        kenmerk="AB-2026-17",
        description="Aanleg van een rotonde",
        opdrachtgever=olga.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=wim,
        contacts=[olga],
        opdrachtsom=Decimal("1000000.00"),
        sr_percentage=Decimal("5.00"),
        verplichting=Decimal("50000.00"),
    )
    page = text(login(Client(), olga).get(detail(project)))

    for shown in (
        "AB-2026-17",
        "Aanleg van een rotonde",
        "Gemeente Veenhoven",
        "Hunzebouw",
        "Drenthe",
        f"{project.start_date:%d-%m-%Y}",
        f"{project.end_date:%d-%m-%Y}",
        "SR verplichting",
        "€ 1.000.000,00",
        "5 %",
        "€ 50.000,00",
        "Wim Werkgever",
        "Actief",
    ):
        assert shown in page, shown
    assert "geschat" not in page


def test_raamovereenkomst_shows_the_estimate_and_the_final_amount(olga, otto, wim):
    project = make_project(
        opdrachtgever=olga.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=wim,
        contacts=[olga],
        contract_type=ContractType.RAAMOVEREENKOMST,
        verplichting=Decimal("40000.00"),
    )
    client = login(Client(), olga)
    page = text(client.get(detail(project)))
    assert "SR verplichting (geschat)" in page and "€ 40.000,00" in page
    assert "Nog niet vastgesteld" in page

    Project.objects.filter(pk=project.pk).update(verplichting_vastgesteld=Decimal("45000.00"))
    page = text(client.get(detail(project)))
    assert "SR verplichting (vastgesteld)" in page and "€ 45.000,00" in page
    assert "Nog niet vastgesteld" not in page


def test_sr_actueel_and_prognose_show_how_much_is_validated(cast, olga):
    project = cast["project"]
    project_values_refresh(project)  # the cast validated its second line behind the services' back
    project.refresh_from_db()
    assert 0 < project.sr_prognose_gevalideerd < project.sr_prognose
    page = text(login(Client(), olga).get(detail(project)))
    from policy.templatetags.policy_format import euro

    assert f"waarvan {euro(project.sr_actueel_gevalideerd)} gevalideerd" in page
    assert f"waarvan {euro(project.sr_prognose_gevalideerd)} gevalideerd" in page


def test_shortfall_is_shown_once_the_total_is_judged(cast, olga):
    project = cast["project"]
    client = login(Client(), olga)
    assert "Niet gerealiseerd" not in text(client.get(detail(project)))  # still active: being realised

    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.GOEDGEKEURD)
    project.refresh_from_db()
    assert project.sr_actueel < project.verplichting
    page = text(client.get(detail(project)))
    from policy.templatetags.policy_format import euro

    assert "Niet gerealiseerd" in page and euro(project.shortfall) in page


def test_edit_button_only_for_who_may_edit_the_projectgegevens(cast, olga, otto, wim, cora):
    edit = reverse("projects:edit", args=[cast["project"].pk])
    for person in (olga, cora):
        assert f'href="{edit}"' in text(login(Client(), person).get(detail(cast["project"])))
    for person in (otto, wim):
        assert f'href="{edit}"' not in text(login(Client(), person).get(detail(cast["project"])))


def test_opdrachtnemer_sees_no_interne_notities_not_even_in_the_historie(cast, otto, olga):
    response = login(Client(), otto).get(detail(cast["project"]))
    page = text(response)
    assert "Interne notities" not in page and "Interne notitie over de aannemer" not in page
    assert reverse("projects:note-add", args=[cast["project"].pk]) not in page
    whats = [row[2] for row in history_rows(response.content.decode())]
    assert "Regel toegevoegd" in whats and not any("Notitie" in what for what in whats)
    olgas = [row[2] for row in history_rows(login(Client(), olga).get(detail(cast["project"])).content.decode())]
    assert "Notitie toegevoegd" in olgas


def test_project_of_another_region_is_404(cast, gerda, olga):
    assert login(Client(), olga).get(detail(cast["project_groningen"])).status_code == 404
    assert login(Client(), gerda).get(detail(cast["project"])).status_code == 404


def test_contacts_show_name_organisation_role_and_email(cast, olga):
    page = text(login(Client(), olga).get(detail(cast["project"])))
    for shown in ("Otto Nemer", "Hunzebouw", "Opdrachtnemer", "otto@hunzebouw.invalid", "Werkgeversservicepunt"):
        assert shown in page, shown


def _add_rows(project: Project, count: int, author) -> None:  # type: ignore[no-untyped-def]
    for number in range(count):
        person = UserFactory(organisation=author.organisation)
        Contact.objects.create(project=project, user=person)
        Note.objects.create(project=project, text=f"Notitie {number}", author=person)
        Document.objects.create(
            project=project, file=f"documenten/{number}.pdf", original_name=f"{number}.pdf", size=10, uploaded_by=person
        )


def test_query_count_does_not_grow_with_contacts_notes_documents_and_history(olga, otto, wim):
    def project_with(count: int) -> Project:
        project = make_project(
            opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[olga]
        )
        _add_rows(project, count, olga)
        return project

    small, large = project_with(2), project_with(20)
    client = login(Client(), olga)
    client.get(detail(small))  # session and other one-time work out of the way
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail(small)).status_code == 200
    with CaptureQueriesContext(connection) as more:
        page = text(client.get(detail(large)))
    assert "Notitie 19" in page and "19.pdf" in page
    assert len(more) == len(queries), [query["sql"] for query in more]


def history_rows(page: str) -> list[list[str]]:
    """The Historie table as rows of cell texts: Tijdstip, Door, Wijziging, Betreft."""
    section = page[page.index('id="historie"') :]
    body = section[section.index("<tbody") : section.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        for row in rows
    ]


def age_history() -> None:
    """Move what happened so far a minute back.

    The triggers stamp events with the transaction's start, and a test runs in one transaction, so
    without this every step of a test would carry the same time (real requests each have their own)."""
    for model in (Project, Contact, Note, Document, Inzet):
        model.pgh_event_model.objects.update(pgh_created_at=F("pgh_created_at") - timedelta(minutes=1))


def test_validating_a_line_appears_in_the_historie_with_the_validators_name(cast, wim, olga):
    project, inzet = cast["project"], cast["inzet_open"]
    age_history()
    response = login(Client(), wim).post(
        reverse("projects:inzet-validate", args=[project.pk, inzet.pk]), {"revision": inzet.revision}
    )
    assert response["Location"] == detail(project)
    assert Inzet.objects.get(pk=inzet.pk).status == InzetStatus.GEVALIDEERD

    rows = history_rows(text(login(Client(), olga).get(detail(project))))
    _, who, what, subject = rows[0]
    assert (who, what) == ("Wim Werkgever", "Regel gewijzigd: status ingevoerd → gevalideerd")
    assert subject == f"Stage vanaf {inzet.start_date:%d-%m-%Y}"


def test_historie_names_who_added_contacts_notes_and_documents_newest_first(cast, olga, cora, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = cast["project"]
    colleague = UserFactory(name="Carla Collega", organisation=olga.organisation)
    client = login(Client(), olga)
    age_history()
    client.post(reverse("projects:contact-add", args=[project.pk]), {"user": colleague.pk})
    age_history()
    client.post(reverse("projects:note-add", args=[project.pk]), {"notitie-text": "Bellen over de planning"})
    age_history()
    upload = SimpleUploadedFile("Planning.pdf", plain_pdf("Planning"), content_type="application/pdf")
    login(Client(), cora).post(reverse("projects:document-add", args=[project.pk]), {"file": upload})

    rows = history_rows(text(login(Client(), cora).get(detail(project))))
    assert [row[1:] for row in rows[:3]] == [
        ["Cora Coördinator", "Document toegevoegd", "Planning.pdf"],
        ["Olga Opdracht", "Notitie toegevoegd", "Bellen over de planning"],
        ["Olga Opdracht", "Contactpersoon toegevoegd", "Carla Collega"],
    ]


def test_historie_leaves_out_recalculated_values(olga, otto, wim):
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[olga]
    )
    make_inzet(project, make_kandidaat(otto.organisation))
    with pghistory.context(user=olga.pk):
        Project.objects.filter(pk=project.pk).update(sr_actueel=Decimal("1.00"))
        project_values_refresh(project)

    whats = {row[2] for row in history_rows(text(login(Client(), olga).get(detail(project))))}
    assert whats == {"Project aangemaakt", "Regel toegevoegd", "Contactpersoon toegevoegd"}


def test_historie_says_what_changed_in_the_projectgegevens(olga, otto, wim):
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[olga]
    )
    with pghistory.context(user=olga.pk):
        Project.objects.filter(pk=project.pk).update(verplichting=Decimal("60000.00"), status=ProjectStatus.GOEDGEKEURD)

    rows = history_rows(text(login(Client(), olga).get(detail(project))))
    assert [
        "Olga Opdracht",
        "Status gewijzigd: Actief → SR verantwoording goedgekeurd; Projectgegevens gewijzigd: SR verplichting",
    ] in [row[1:3] for row in rows]


def test_historie_shows_at_most_the_latest_50_changes(olga, otto, wim):
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[olga]
    )
    for number in range(55):
        Note.objects.create(project=project, text=f"Notitie nummer {number}", author=olga)

    page = text(login(Client(), olga).get(detail(project)))
    assert len(history_rows(page)) == 50
    assert "De laatste 50 wijzigingen." in page

"""Per project: the Detailoverzicht (Excel, manual §3.6) and the Akkoordverklaring Social Return (PDF).

The cast's `project` (Drenthe) ended ten days ago: Olga is its opdrachtgever, Otto its opdrachtnemer,
Wim its accountmanager; it has an interne notitie, a document and two lines (one validated).
"""

import csv
import logging
import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from weasyprint.urls import FatalURLFetchingError

from policy.templatetags.policy_format import euro
from projects.models import Contact, Document, Inzet, InzetStatus, Note, Project, ProjectStatus
from projects.services import projects as project_services
from projects.services import verantwoording as verantwoording_services
from reporting.pdf import pdf_from_html
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.pages import pdf_text
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project, projects_cast
from tests.reporting.spreadsheet import CSV_ALL_SHEETS, libreoffice_to_csv, needs_libreoffice

pytestmark = pytest.mark.django_db

NOTE = "Interne notitie over de aannemer"


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def overview_url(project: Project) -> str:
    return reverse("reporting:project-overview", args=[project.pk])


def akkoord_url(project: Project) -> str:
    return reverse("reporting:project-akkoord", args=[project.pk])


def approve(project: Project, wim) -> Project:  # type: ignore[no-untyped-def]
    """Validate the open lines and approve the verantwoording, as Wim would."""
    for line in Inzet.objects.filter(project=project).exclude(status=InzetStatus.GEVALIDEERD):
        verantwoording_services.inzet_validate(inzet=line, by=wim)
    project_services.project_approve(project=project, by=wim)
    project.refresh_from_db()
    return project


def workbook_of(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def every_cell(workbook) -> list:  # type: ignore[no-untyped-def]
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def facts(workbook) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    """Projectgegevens: gegeven → (tekst, datum, bedrag, percentage) cells."""
    sheet = workbook["Projectgegevens"]
    rows = list(sheet.iter_rows(min_row=4))
    return {row[0].value: tuple(row[1:5]) for row in rows if row[0].value and len(row) >= 5}


# --- Detailoverzicht project -------------------------------------------------------------------


def test_detailoverzicht_has_one_sheet_per_table_of_the_detail_screen(cast, olga):
    response = login(Client(), olga).get(overview_url(cast["project"]))
    workbook = workbook_of(response)

    assert workbook.sheetnames == [
        "Projectgegevens",
        "Verantwoording",
        "Contactpersonen",
        "Documenten",
        "Interne notities",
    ]
    assert 'filename="detailoverzicht-project-' in response["Content-Disposition"]
    contacts = [row[0].value for row in workbook["Contactpersonen"].iter_rows(min_row=4)]
    assert {"Olga Opdracht", "Otto Nemer", "Wim Werkgever"} <= set(contacts)
    documents = workbook["Documenten"]
    assert documents["A4"].value == "plan.pdf" and documents["C4"].value == "Olga Opdracht"
    assert documents["D4"].is_date


def test_projectgegevens_are_typed_dates_as_dates_and_money_as_numbers(cast, olga):
    project = cast["project"]
    project.refresh_from_db()  # values kept by the services
    rows = facts(workbook_of(login(Client(), olga).get(overview_url(project))))

    text, day, _, _ = rows["Projectnaam"]
    assert text.value == "Brug Veenhoven"
    _, day, _, _ = rows["Einddatum"]
    assert day.is_date and day.value.date() == project.end_date and day.number_format == "DD-MM-YYYY"
    _, _, amount, _ = rows["SR verplichting"]
    assert amount.data_type == "n" and amount.value == 50000 and "€" in amount.number_format
    _, _, actueel, _ = rows["SR actueel"]
    assert actueel.value == pytest.approx(float(project.sr_actueel))
    assert rows["Opdrachtnemer"][0].value == "Hunzebouw" and rows["Accountmanager"][0].value == "Wim Werkgever"


def test_verantwoording_lines_carry_their_values_and_validation_state(cast, olga, wim):
    project = cast["project"]
    Inzet.objects.filter(pk=cast["inzet_validated"].pk).update(
        validated_at=timezone.make_aware(datetime(2025, 3, 4, 10, 30))
    )
    sheet = workbook_of(login(Client(), olga).get(overview_url(project)))["Verantwoording"]

    header = [cell.value for cell in sheet[3]]
    assert header[:4] == ["Kandidaat", "Soort inzet", "Startdatum", "Einddatum"]
    rows = {row[0].row: row for row in sheet.iter_rows(min_row=4, max_row=5)}
    first, second = rows[4], rows[5]
    column = {label: index for index, label in enumerate(header)}
    assert first[column["Kandidaat"]].value == "J. Jansen" and first[column["Soort inzet"]].value == "Stage"
    assert first[column["Startdatum"]].is_date
    assert first[column["Startdatum"]].value.date() == cast["inzet_open"].start_date
    assert first[column["Waarde (prognose)"]].value == pytest.approx(float(cast["inzet_open"].value_prognose))
    assert first[column["Status"]].value == "Ingevoerd" and first[column["Gevalideerd door"]].value is None
    assert second[column["Status"]].value == "Gevalideerd door WSP"
    assert second[column["Gevalideerd door"]].value == "Wim Werkgever"
    assert second[column["Gevalideerd op"]].value == datetime(2025, 3, 4, 10, 30)


def test_returned_line_shows_its_reason(cast, olga):
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(
        status=InzetStatus.TERUGGESTUURD, return_reason="Stuur de stageovereenkomst mee"
    )
    cells = every_cell(workbook_of(login(Client(), olga).get(overview_url(cast["project"]))))
    assert "Stuur de stageovereenkomst mee" in [cell.value for cell in cells]


def test_opdrachtnemer_detailoverzicht_never_contains_an_interne_notitie(cast, otto, olga):
    Note.objects.create(project=cast["project"], text="Tweede notitie: boete overwegen", author=olga)
    workbook = workbook_of(login(Client(), otto).get(overview_url(cast["project"])))

    assert "Interne notities" not in workbook.sheetnames
    texts = [str(cell.value) for cell in every_cell(workbook) if cell.value is not None]
    assert texts, "the workbook is empty"
    assert not [text for text in texts if NOTE in text or "boete overwegen" in text]


def test_opdrachtgever_detailoverzicht_contains_the_interne_notities(cast, olga):
    sheet = workbook_of(login(Client(), olga).get(overview_url(cast["project"])))["Interne notities"]
    row = [cell.value for cell in sheet[4]]
    assert row[0] == "Olga Opdracht" and row[2] == NOTE and isinstance(row[1], datetime)


def test_formula_in_a_project_name_or_kandidaat_stays_a_string_cell(cast, olga, otto):
    project = cast["project"]
    Project.objects.filter(pk=project.pk).update(name='=HYPERLINK("http://x","y")')
    kandidaat = cast["kandidaat"]
    kandidaat.initials = "+1+1"
    kandidaat.save()
    note = cast["note"]
    note.text = '=HYPERLINK("http://x","notitie")'
    note.save()
    workbook = workbook_of(login(Client(), olga).get(overview_url(project)))

    name, *_ = facts(workbook)["Projectnaam"]
    assert name.data_type == "s" and name.value == '\'=HYPERLINK("http://x","y")'
    kandidaat_cell = workbook["Verantwoording"]["A4"]
    assert kandidaat_cell.data_type == "s" and kandidaat_cell.value == "'+1+1 Jansen"
    note_cells = [
        cell for cell in every_cell(workbook) if "notitie" in str(cell.value) and "HYPERLINK" in str(cell.value)
    ]
    assert [(cell.data_type, cell.value) for cell in note_cells] == [("s", '\'=HYPERLINK("http://x","notitie")')]
    assert not [cell for cell in every_cell(workbook) if cell.data_type == "f"]


def test_user_who_does_not_see_the_project_gets_404_on_both(cast, gerda, wim):
    project = approve(cast["project"], wim)
    client = login(Client(), gerda)
    assert client.get(overview_url(project)).status_code == 404
    assert client.get(akkoord_url(project)).status_code == 404
    # The other way round: Drenthe doesn't see Groningen.
    assert login(Client(), wim).get(overview_url(cast["project_groningen"])).status_code == 404


def test_query_count_does_not_grow_with_lines_contacts_documents_and_notes(olga, otto, wim):
    def project_with(count: int) -> Project:
        project = make_project(
            opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[olga]
        )
        for number in range(count):
            make_inzet(project, make_kandidaat(otto.organisation, surname=f"Kandidaat {number}"))
            person = UserFactory(organisation=olga.organisation)
            Contact.objects.create(project=project, user=person)
            Note.objects.create(project=project, text=f"Notitie {number}", author=person)
            Document.objects.create(
                project=project,
                file=f"documenten/{number}.pdf",
                original_name=f"{number}.pdf",
                size=10,
                uploaded_by=person,
            )
        Inzet.objects.filter(project=project).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)
        return project

    small, large = project_with(2), project_with(20)
    client = login(Client(), olga)
    workbook_of(client.get(overview_url(small)))  # session and other one-time work out of the way
    with CaptureQueriesContext(connection) as queries:
        workbook_of(client.get(overview_url(small)))
    with CaptureQueriesContext(connection) as more:
        workbook = workbook_of(client.get(overview_url(large)))
    assert workbook["Verantwoording"].max_row >= 3 + 20 and "Notitie 19" in [c.value for c in every_cell(workbook)]
    assert len(more) == len(queries), [query["sql"] for query in more]


def _amount(text: str) -> Decimal:
    """`€ 1.234,56` or `€ 1,234.56` (the converter's locale) as a Decimal."""
    digits = re.sub(r"[^\d,.-]", "", text)
    if re.search(r",\d{2}$", digits):
        digits = digits.replace(".", "").replace(",", ".")
    return Decimal(digits.replace(",", ""))


def _page_lines(page: str) -> list[list[str]]:
    """The Verantwoording table of the detail page: the cell texts of each line."""
    section = page[page.index('id="verantwoording"') :]
    body = section[section.index("<tbody") : section.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) for row in rows]
    strip = re.compile(r'<span class="srm-visually-hidden">.*?</span>|<[^>]+>')
    return [[strip.sub("", cell).strip() for cell in row] for row in cells]


@needs_libreoffice
def test_libreoffice_opens_the_detailoverzicht_and_its_lines_match_the_detail_page(cast, olga, tmp_path):
    project = cast["project"]
    client = login(Client(), olga)
    path = tmp_path / "detailoverzicht.xlsx"
    path.write_bytes(b"".join(client.get(overview_url(project)).streaming_content))
    libreoffice_to_csv([path], tmp_path, filter_options=CSV_ALL_SHEETS)
    with (tmp_path / "detailoverzicht-Verantwoording.csv").open(encoding="utf-8") as handle:
        data = list(csv.reader(handle))
    header, lines = data[2], [row for row in data[3:] if row and row[0] and not row[0].startswith("Geëxporteerd")]
    column = {label: index for index, label in enumerate(header)}
    page = _page_lines(client.get(reverse("projects:detail", args=[project.pk])).content.decode())

    assert len(lines) == len(page) == 2
    for sheet_row, page_row in zip(lines, page, strict=True):
        kandidaat, soort, periode, _, prognose, actueel, status = page_row
        assert sheet_row[column["Kandidaat"]] == kandidaat and sheet_row[column["Soort inzet"]] == soort
        assert f"{sheet_row[column['Startdatum']]} – {sheet_row[column['Einddatum']]}" == periode
        assert _amount(sheet_row[column["Waarde (prognose)"]]) == _amount(prognose)
        assert _amount(sheet_row[column["Waarde (actueel)"]]) == _amount(actueel)
        assert sheet_row[column["Status"]] == status
    with (tmp_path / "detailoverzicht-Projectgegevens.csv").open(encoding="utf-8") as handle:
        facts_rows = {row[0]: row for row in csv.reader(handle) if row}
    assert _amount(facts_rows["SR verplichting"][3]) == Decimal("50000.00")
    assert facts_rows["Einddatum"][2] == f"{project.end_date:%d-%m-%Y}"


# --- Akkoordverklaring Social Return -----------------------------------------------------------


def test_akkoordverklaring_renders_the_project_and_the_amounts_in_dutch(cast, olga, wim, caplog):
    project = approve(cast["project"], wim)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    response = login(Client(), olga).get(akkoord_url(project))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="akkoordverklaring-{project.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert not [record for record in caplog.records if record.name.startswith("weasyprint")]
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "Akkoordverklaring Social Return" in flat and "Brug Veenhoven" in flat
    assert "Gemeente Veenhoven" in flat and "Hunzebouw" in flat
    assert "€ 50.000,00" in flat
    assert euro(project.sr_actueel) in flat and euro(project.shortfall) in flat
    assert f"door Wim Werkgever (WSP Drenthe) op {timezone.localtime(project.approved_at):%d-%m-%Y}" in flat
    assert "Stage" in flat  # the table per soort inzet
    assert "Hierbij verklaart het werkgeversservicepunt WSP Drenthe dat de social return verantwoording" in flat
    pages = re.findall(r"Pagina (\d+) van (\d+)", flat)
    assert pages and pages == [(str(number), str(len(pages))) for number in range(1, len(pages) + 1)]
    assert NOTE not in flat


def test_akkoordverklaring_shows_the_closing_and_the_verwijtbaarheid_judgement(cast, olga, wim, cora):
    project = approve(cast["project"], wim)
    project_services.verwijtbaarheid_record(
        project=project, verwijtbaar=False, argument="Geen kandidaten beschikbaar in de regio", by=cora
    )
    project_services.project_close(project=project, by=olga)
    flat = " ".join(pdf_text(login(Client(), olga).get(akkoord_url(project)).content).split())

    assert "Niet verwijtbaar" in flat and "Geen kandidaten beschikbaar in de regio" in flat
    assert "Project afgerond door Olga Opdracht (Gemeente Veenhoven)" in flat


def test_akkoordverklaring_per_soort_counts_the_lines_and_their_value(cast, olga, wim, otto):
    project = cast["project"]
    make_inzet(project, make_kandidaat(otto.organisation, surname="Bakker"))
    project = approve(project, wim)
    stage_value = sum(line.value_actueel for line in Inzet.objects.filter(project=project))
    flat = " ".join(pdf_text(login(Client(), otto).get(akkoord_url(project)).content).split())
    assert f"Stage 3 {euro(stage_value)}" in flat
    assert f"Totaal 3 {euro(stage_value)}" in flat
    assert NOTE not in flat  # the opdrachtnemer gets it too, without interne notities


def test_akkoordverklaring_is_not_available_before_approval(cast, olga):
    response = login(Client(), olga).get(akkoord_url(cast["project"]))

    assert response.status_code == 302 and response["Location"] == reverse("projects:detail", args=[cast["project"].pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "De akkoordverklaring is beschikbaar nadat de SR verantwoording van het project is goedgekeurd."
    ]


def test_detail_page_offers_the_akkoordverklaring_only_after_approval(cast, otto, wim):
    project = cast["project"]
    client = login(Client(), otto)
    detail = reverse("projects:detail", args=[project.pk])
    page = client.get(detail).content.decode()
    assert f'href="{overview_url(project)}"' in page and "Detailoverzicht project" in page
    assert akkoord_url(project) not in page

    approve(project, wim)
    assert f'href="{akkoord_url(project)}"' in client.get(detail).content.decode()
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.AFGEROND)
    assert f'href="{akkoord_url(project)}"' in client.get(detail).content.decode()


@pytest.mark.parametrize(
    "reference",
    [
        '<link rel="stylesheet" href="http://127.0.0.1:9/print.css">',
        '<img src="https://example.invalid/logo.png" alt="">',
        '<img src="file:///etc/hostname" alt="">',
        '<link rel="stylesheet" href="../templates/base.html">',
    ],
)
def test_the_pdf_renderer_fetches_nothing_but_our_static_files(reference):
    with pytest.raises(FatalURLFetchingError):
        pdf_from_html(f'<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body>{reference}</body></html>')


def test_the_pdf_renderer_reads_our_stylesheet_from_disk():
    pdf = pdf_from_html(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title><link rel="stylesheet" href="css/print.css"></head>'
        "<body><p>Tekst</p></body></html>"
    )
    assert pdf.startswith(b"%PDF-")


def test_projectgegevens_of_a_raamovereenkomst_keep_both_amounts(olga, otto, wim):
    project = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Raam",
        contacts=[olga],
        contract_type="raamovereenkomst",
        verplichting=Decimal("10000.00"),
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
    )
    rows = facts(workbook_of(login(Client(), olga).get(overview_url(project))))
    assert rows["SR verplichting (geschat)"][2].value == 10000
    assert rows["SR verplichting (vastgesteld)"][0].value == "Nog niet vastgesteld"

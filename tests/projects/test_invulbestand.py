"""The invulbestand (issue #29): a project's template, its upload and the check of every row, saving nothing."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from projects.invulbestand import COLUMNS, kandidaat_label
from projects.models import Contact, Invulbestand, Inzet, Kandidaat
from projects.services.verantwoording import KANDIDAAT_FROZEN
from projects.tasks import cleanup_invulbestanden
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.pages import messages_of, words
from tests.projects.cast import make_inzet, projects_cast
from tests.reporting.spreadsheet import libreoffice_to_csv, needs_libreoffice

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def template(client: Client, project) -> "Workbook":  # type: ignore[no-untyped-def]
    response = client.get(reverse("projects:invulbestand-template", args=[project.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def upload(client: Client, project, name: str, content: bytes):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("projects:invulbestand-upload", args=[project.pk]), {"file": file}, follow=True)


def workbook_bytes(rows: list[list[object]], headers: list[str] = HEADERS, title: str = "Regels") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(**values: object) -> list[object]:
    keys = [c.key for c in COLUMNS]
    return [values.get(key) for key in keys]


def stage(project, **values: object) -> list[object]:  # type: ignore[no-untyped-def]
    start = project.start_date + timedelta(days=40)
    fields = {
        "initials": "P.",
        "surname": "de Vries",
        "birth_date": date(2003, 3, 3),
        "doelgroep": "Stagiair",
        "soort": "stage",
        "start_date": start,
        "end_date": start + timedelta(days=59),
        "amount": Decimal("300"),
        "niveau": "mbo",
        **values,
    }
    return row(**fields)


def problems_of(project) -> list[tuple[int | None, str | None, str]]:  # type: ignore[no-untyped-def]
    checked = Invulbestand.objects.filter(project=project).latest("uploaded_at")
    return [(p["row"], p["column"], p["message"]) for p in checked.problems]


# --- The template -------------------------------------------------------------------------------


def test_the_template_has_the_lines_sheet_lists_from_the_policy_and_the_lines_that_may_change(cast, otto):
    project = cast["project"]
    book = template(login(Client(), otto), project)
    assert book.sheetnames == ["Regels", "Toelichting", "Lijsten"]
    assert book["Lijsten"].sheet_state == "hidden" and book["Regels"].sheet_state == "visible"
    sheet = book["Regels"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    lists = {
        c.value: [r[i].value for r in book["Lijsten"].iter_rows(min_row=2) if r[i].value]
        for i, c in enumerate(book["Lijsten"][1])
    }
    assert "Stage" in " ".join(lists["Soort inzet"]) and len(lists["Soort inzet"]) >= 5
    assert "Stagiair" in " ".join(lists["Doelgroep"])
    assert lists["Kandidaat"] == [kandidaat_label(cast["kandidaat"])], "only the opdrachtnemer's own kandidaten"
    validations = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert validations["H2:H5001"].startswith("Lijsten!$A$2"), "Soort inzet picks from the list"
    assert any(formula.startswith("Lijsten!$B$2") for formula in validations.values())
    # The open line, with its number; the validated one can't change by a file, so it is not there.
    refs = [r[0].value for r in sheet.iter_rows(min_row=2) if r[0].value]
    assert refs == [cast["inzet_open"].pk]
    first = [c.value for c in sheet[2]]
    assert first[1] == kandidaat_label(cast["kandidaat"]) and first[8].date() == cast["inzet_open"].start_date


def test_the_coordinatiepunt_downloads_the_template_on_behalf_others_do_not(cast, cora, wim, olga, gerda):
    project = cast["project"]
    assert template(login(Client(), cora), project).sheetnames[0] == "Regels"
    for user in (wim, olga):
        client = login(Client(), user)
        response = client.get(reverse("projects:invulbestand-template", args=[project.pk]))
        assert response.status_code == 302 and "opdrachtnemer" in " ".join(messages_of(response))
    outside = login(Client(), gerda).get(reverse("projects:invulbestand-template", args=[project.pk]))
    assert outside.status_code == 404


# --- The check ----------------------------------------------------------------------------------


def test_a_filled_template_is_checked_row_by_row_and_nothing_is_saved(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    book = template(client, project)
    sheet = book["Regels"]
    good = stage(project)
    sheet.append(good)
    sheet.append(
        stage(
            project,
            surname="Bakker",
            start_date=project.start_date + timedelta(days=90),
            end_date=project.start_date + timedelta(days=10),
        )
    )
    sheet.append(stage(project, soort="Vliegles"))
    sheet.append(stage(project, surname="Smit", amount="veel"))
    out = io.BytesIO()
    book.save(out)
    lines, kandidaten = Inzet.objects.count(), Kandidaat.objects.count()

    page = words(upload(client, project, "ingevuld.xlsx", out.getvalue()))

    assert "3 van de 5 rijen hebben fouten" in page, problems_of(project)
    assert Inzet.objects.count() == lines and Kandidaat.objects.count() == kandidaten, "nothing saved"
    problems = problems_of(project)
    assert (4, "Einddatum", "De einddatum ligt voor de startdatum.") in problems
    assert any(r == 5 and c == "Soort inzet" and "Onbekende soort inzet ‘Vliegles’" in m for r, c, m in problems)
    assert any(r == 6 and c == "Bedrag" for r, c, m in problems)
    assert not any(r in (2, 3) for r, c, m in problems), "the open line and the good row pass"
    assert "Rij" in page and "Onbekende soort inzet" in page


def test_the_error_workbook_marks_the_bad_cells_and_has_a_column_of_errors(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    content = workbook_bytes(
        [stage(project), stage(project, soort="Vliegles"), stage(project, surname="=HYPERLINK(1)")]
    )
    upload(client, project, "regels.xlsx", content)
    checked = Invulbestand.objects.get(project=project)
    response = client.get(reverse("projects:invulbestand-errors", args=[project.pk, checked.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Regels"]
    errors = len(HEADERS) + 1
    assert sheet.cell(row=1, column=errors).value == "Fouten"
    assert sheet.cell(row=2, column=errors).value is None
    assert "Soort inzet: Onbekende soort inzet" in sheet.cell(row=3, column=errors).value
    soort = sheet.cell(row=3, column=HEADERS.index("Soort inzet") + 1)
    assert soort.fill.fgColor.rgb.endswith("FFC7CE") and "Onbekende soort" in soort.comment.text
    name = sheet.cell(row=4, column=HEADERS.index("Achternaam") + 1)
    assert name.value == "=HYPERLINK(1)" and name.data_type == "s", "user text stays text, never a formula"
    assert [c.value for c in book["Foutenlijst"][2]][:2] == [3, "Soort inzet"]


def test_a_csv_in_windows_1252_with_semicolons_dutch_amounts_and_dates_passes(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    start = project.start_date + timedelta(days=40)
    csv = (
        "Achternaam;Voorletters;Geboortedatum;Doelgroep;Soort inzet;Startdatum;Einddatum;Bedrag;Niveau;Eigen kolom\r\n"
        f"Çelik;A.;03-03-2003;Stagiair;Stage;{start:%d-%m-%Y};{start + timedelta(days=59):%d-%m-%Y};1.250,50;mbo;x\r\n"
        "\r\n"
        f"Bakker;B.;2003-04-04;stagiair;stage;{start:%Y-%m-%d};{start + timedelta(days=59):%Y-%m-%d};300;MBO;\r\n"
    ).encode("cp1252")
    page = words(upload(client, project, "export.csv", csv))
    assert problems_of(project) == []
    assert "Alle 2 rijen zijn in orde: 2 nieuwe regels en 0 gewijzigde regels" in page, problems_of(project)


def test_columns_in_another_order_extra_columns_hidden_sheets_and_a_title_row(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    book = Workbook()
    hidden = book.active
    hidden.title = "Oud"
    hidden.sheet_state = "hidden"
    hidden.append(["Soort inzet", "Startdatum"])
    sheet = book.create_sheet("Mijn planning")
    sheet.append(["Planning Q3 van Hunzebouw"])
    order = [*reversed(HEADERS), "Opmerking"]
    sheet.append(order)
    values = dict(zip(HEADERS, stage(project), strict=True))
    sheet.append([values.get(header) for header in order[:-1]] + ["bellen"])
    out = io.BytesIO()
    book.save(out)
    page = words(upload(client, project, "planning.xlsx", out.getvalue()))
    assert problems_of(project) == [] and "Alle 1 rijen zijn in orde" in page


def test_line_references_of_this_project_only_and_never_a_validated_line(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    other = make_inzet(cast["project_other_org"], cast["other_kandidaat"])
    rows = [
        stage(project, ref=cast["inzet_open"].pk),
        stage(project, ref=cast["inzet_validated"].pk),
        stage(project, ref=other.pk),
        stage(project, ref=cast["inzet_open"].pk),
        stage(project, ref="abc"),
    ]
    upload(client, project, "regels.xlsx", workbook_bytes(rows))
    problems = {row: message for row, column, message in problems_of(project) if column == "Regelnummer"}
    assert 2 not in problems
    assert "al gevalideerd door het WSP" in problems[3]
    assert (
        problems[4] == f"Regelnummer {other.pk} is geen regel van dit project. Laat de cel leeg voor een nieuwe regel."
    )
    assert problems[5] == f"Regelnummer {cast['inzet_open'].pk} staat ook in rij 2."
    assert "geen regel van dit project" in problems[6]


def test_another_organisations_kandidaat_is_unknown_here(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    foreign = kandidaat_label(cast["other_kandidaat"])
    upload(
        client,
        project,
        "regels.xlsx",
        workbook_bytes(
            [
                row(
                    kandidaat=foreign,
                    soort="stage",
                    start_date=project.start_date,
                    end_date=project.start_date + timedelta(days=30),
                    amount=300,
                    niveau="mbo",
                )
            ]
        ),
    )
    assert [(c, m.split(":")[0]) for r, c, m in problems_of(project)] == [("Kandidaat", "Onbekende kandidaat")]


def test_one_person_with_two_doelgroepen_in_one_file_is_an_error(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    upload(
        client,
        project,
        "regels.xlsx",
        workbook_bytes([stage(project), stage(project, doelgroep="Doelgroepenregister UWV (afspraakbaan)")]),
    )
    problems = problems_of(project)
    assert any(r == 3 and "ook in rij 2" in m for r, c, m in problems), problems


def test_a_file_that_cannot_be_read_is_refused_at_the_field_and_not_kept(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    response = upload(client, project, "oud.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "oude Excel-formaat (.xls)" in page
    response = upload(client, project, "oud.xls", b"x")
    assert "Kies een Excel-werkmap (.xlsx) of een CSV-bestand" in response.content.decode()
    assert not Invulbestand.objects.filter(project=project).exists(), "a file that can't be read is not kept"


def test_only_the_opdrachtnemer_uploads_and_sees_its_own_checks(cast, otto, cora, wim, gerda):
    project, client = cast["project"], login(Client(), otto)
    upload(client, project, "regels.xlsx", workbook_bytes([stage(project)]))
    checked = Invulbestand.objects.get(project=project)
    result = reverse("projects:invulbestand-result", args=[project.pk, checked.pk])
    assert client.get(result).status_code == 200
    for user in (cora, wim):
        other = login(Client(), user)
        assert other.get(reverse("projects:invulbestand-upload", args=[project.pk])).status_code == 302
        assert other.get(result).status_code == 404
    assert login(Client(), gerda).get(result).status_code == 404
    colleague = UserFactory(organisation=otto.organisation)
    Contact.objects.create(project=project, user=colleague)
    assert login(Client(), colleague).get(reverse("projects:invulbestand-upload", args=[project.pk])).status_code == 200
    assert login(Client(), colleague).get(result).status_code == 404, "a check is the uploader's own"


@needs_libreoffice
def test_libreoffice_opens_the_template_and_keeps_its_drop_down_lists(cast, otto, tmp_path):
    project, client = cast["project"], login(Client(), otto)
    response = client.get(reverse("projects:invulbestand-template", args=[project.pk]))
    source = tmp_path / "invulbestand.xlsx"
    source.write_bytes(b"".join(response.streaming_content))
    (tmp_path / "lo-out").mkdir()
    # Opened and saved again by LibreOffice Calc: what it understood of the file is what it writes back.
    libreoffice_to_csv([source], tmp_path / "lo-out", filter_options="xlsx:Calc MS Excel 2007 XML")
    book = load_workbook(tmp_path / "lo-out" / "invulbestand.xlsx")
    assert book.sheetnames == ["Regels", "Toelichting", "Lijsten"] and book["Lijsten"].sheet_state == "hidden"
    lists = {str(dv.sqref).split(":")[0]: dv for dv in book["Regels"].data_validations.dataValidation}
    soort = lists["H2"]
    assert soort.type == "list" and "Lijsten" in soort.formula1 and "$A$2" in soort.formula1
    assert {"B2", "F2", "M2"} <= set(lists), "kandidaat, doelgroep and niveau pick from lists too"
    assert book["Lijsten"]["A1"].value == "Soort inzet" and book["Lijsten"]["A2"].value
    assert [c.value for c in book["Regels"][1]][: len(HEADERS)] == HEADERS


def test_a_checked_file_is_removed_after_the_days_it_is_kept(cast, otto, settings):
    settings.INVULBESTAND_KEEP_DAYS = 7
    project, client = cast["project"], login(Client(), otto)
    upload(client, project, "regels.xlsx", workbook_bytes([stage(project)]))
    upload(client, project, "later.xlsx", workbook_bytes([stage(project)]))
    old, recent = Invulbestand.objects.order_by("pk")
    Invulbestand.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=7, minutes=1))
    Invulbestand.objects.filter(pk=recent.pk).update(uploaded_at=timezone.now() - timedelta(days=6, hours=23))

    assert cleanup_invulbestanden() == 1
    assert list(Invulbestand.objects.values_list("pk", flat=True)) == [recent.pk]
    result = reverse("projects:invulbestand-result", args=[project.pk, old.pk])
    assert client.get(result).status_code == 404


def test_of_an_added_file_only_the_record_is_kept_after_the_days(cast, otto, settings):
    """The Historie keeps who added which file (name and hash) and what it did; the kandidaten's data goes."""
    settings.INVULBESTAND_KEEP_DAYS = 7
    project, client = cast["project"], login(Client(), otto)
    upload(client, project, "regels.xlsx", workbook_bytes([stage(project)]))
    added = Invulbestand.objects.get()
    client.post(reverse("projects:invulbestand-commit", args=[project.pk, added.pk]))
    Invulbestand.objects.update(uploaded_at=timezone.now() - timedelta(days=8))

    assert cleanup_invulbestanden() == 1
    assert cleanup_invulbestanden() == 0
    kept = Invulbestand.objects.get()
    assert (bytes(kept.content), kept.preview, kept.added, kept.file_name) == (b"", {}, 1, "regels.xlsx")
    assert len(kept.sha256) == 64 and kept.committed_at is not None
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, kept.pk])))
    assert "Toegevoegd op" in page and "de Vries" not in page


def test_a_kandidaat_with_validated_lines_keeps_its_doelgroep_in_a_file_too(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    jansen = cast["kandidaat"]  # with a validated line on the project
    person = {"initials": jansen.initials, "surname": jansen.surname, "birth_date": jansen.birth_date}
    other = stage(project, **person, doelgroep="Doelgroepenregister UWV (afspraakbaan)")
    upload(client, project, "regels.xlsx", workbook_bytes([other]))
    assert problems_of(project) == [(2, "Doelgroep", KANDIDAAT_FROZEN)]
    upload(client, project, "regels.xlsx", workbook_bytes([stage(project, **person)]))
    assert problems_of(project) == [], "the same doelgroep passes"

"""The region export (issue #32): a whole region in one workbook — every organisation, user, policy version with its
rules, project, contactpersoon, interne notitie, kandidaat and inzet line with its status, value and reasons — with
keys the sheets refer to each other by, nothing of another region and no secrets; the README documents the format."""

import io
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from accounts.models import OrganisationKind, Region, User
from policy.models import PolicyVersion
from projects.models import InzetStatus, Note
from reporting.excel import workbook_write
from reporting.models import Export, ExportStatus
from reporting.region_export import SHEETS, format_markdown, region_export, region_sheets
from tests.conftest import Client, login
from tests.factories import OrganisationFactory, UserFactory
from tests.pages import words
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db


def exported(region) -> dict[str, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    """Per sheet its rows as {header: value}, read back from the written workbook."""
    _, sheets = region_sheets(region)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        workbook_write(sheets, file.name)
        book = load_workbook(file.name)
    found = {}
    for spec, sheet in zip(SHEETS, book.worksheets, strict=True):
        assert sheet.title == spec.title
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header_at = next(
            n for n, row in enumerate(rows) if row[: len(spec.columns)] == [c.header for c in spec.columns]
        )
        body = [row for row in rows[header_at + 1 :] if any(value is not None for value in row)][:-1]  # the date line
        found[spec.title] = [dict(zip([c.header for c in spec.columns], row, strict=False)) for row in body]
    return found


@pytest.fixture
def drenthe_data(olga, otto, wim, cora, gerda):  # type: ignore[no-untyped-def]
    project = brug_veenhoven(olga, otto, wim)
    kandidaat = make_kandidaat(otto.organisation, surname="Jansen")
    open_line = make_inzet(project, kandidaat)
    validated = make_inzet(
        project,
        kandidaat,
        start_date=project.start_date + timedelta(days=120),
        end_date=project.start_date + timedelta(days=200),
    )
    validated_at = timezone.now()
    type(validated).objects.filter(pk=validated.pk).update(
        status=InzetStatus.GEVALIDEERD, validated_by=wim, validated_at=validated_at
    )
    Note.objects.create(project=project, text="=1+1 is een formule", author=olga)
    groningen_project = make_project(
        name="Haven Noorderdal",
        opdrachtgever=gerda.organisation,
        opdrachtnemer=otto.organisation,  # Hunzebouw works in Groningen too
        accountmanager=UserFactory(
            name="Greet Groningen",
            organisation=OrganisationFactory(name="WSP Groningen", kind=OrganisationKind.WSP, region=gerda.region),
        ),
        contacts=[gerda, UserFactory(name="Hanna Hunze", organisation=otto.organisation)],
    )
    make_inzet(groningen_project, make_kandidaat(otto.organisation, surname="Noorderling"))
    return {"project": project, "open": open_line, "validated": validated, "kandidaat": kandidaat}


def test_a_region_exports_every_kind_of_thing_with_keys_that_refer_to_each_other(
    drenthe_data, drenthe, olga, otto, wim
):
    project, validated = drenthe_data["project"], drenthe_data["validated"]
    validated.refresh_from_db()

    book = exported(drenthe)

    assert book["Regio"] == [{"Code": "drenthe", "Naam": "Drenthe"}]
    organisations = {row["Sleutel"]: row for row in book["Organisaties"]}
    assert organisations[f"O{olga.organisation_id}"]["Soort"] == "opdrachtgever"
    assert organisations[f"O{otto.organisation_id}"]["Werkregio's"] is None or "drenthe" in str(
        organisations[f"O{otto.organisation_id}"]["Werkregio's"]
    )
    (row,) = book["Projecten"]
    assert (row["Sleutel"], row["Projectnaam"], row["Opdrachtgever"], row["Opdrachtnemer"], row["Accountmanager"]) == (
        f"P{project.pk}",
        "Brug Veenhoven",
        f"O{olga.organisation_id}",
        f"O{otto.organisation_id}",
        wim.email,
    )
    assert {(c["Project"], c["Gebruiker"]) for c in book["Contactpersonen"]} == {
        (f"P{project.pk}", person.email) for person in (olga, otto, wim)
    }
    lines = {line["Sleutel"]: line for line in book["Inzet"]}
    line = lines[f"I{validated.pk}"]
    assert (line["Status"], line["Gevalideerd door"], line["Kandidaat"]) == (
        "gevalideerd",
        wim.email,
        f"K{drenthe_data['kandidaat'].pk}",
    )
    assert line["Waarde prognose"] == float(validated.value_prognose) and line["Redenen"] == "\n".join(
        validated.reasons
    )
    assert line["Beleidsversie"] == f"V{validated.policy_version_id}"
    assert {k["Sleutel"] for k in book["Kandidaten"]} == {f"K{drenthe_data['kandidaat'].pk}"}
    (note,) = book["Interne notities"]
    assert note["Notitie"] == "'=1+1 is een formule", "a formula stays text"
    users = {user["E-mailadres"] for user in book["Gebruikers"]}
    assert {olga.email, otto.email, wim.email} <= users

    version = PolicyVersion.objects.with_rules().get(region=drenthe)
    assert [v["Sleutel"] for v in book["Beleidsversies"]] == [f"V{version.pk}"]
    rules = version.to_rules()
    assert [s["Code"] for s in book["Beleid - Soorten inzet"]] == [soort.code for soort in rules.soorten]
    assert {s["Versie"] for s in book["Beleid - Doelgroepen"]} == {f"V{version.pk}"}


def test_nothing_of_another_region_and_no_secrets_leave(drenthe_data, drenthe, gerda):
    book = exported(drenthe)
    text = "\n".join(str(value) for rows in book.values() for row in rows for value in row.values())

    for foreign in ("Haven Noorderdal", "Noorderling", "Greet Groningen", "Hanna Hunze", gerda.email, "WSP Groningen"):
        assert foreign not in text
    for user in User.objects.all():
        assert user.password[-20:] not in text and user.security_stamp not in text
    for device in TOTPDevice.objects.all():
        assert device.key not in text


def test_the_readme_documents_every_sheet_and_column():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert format_markdown() in readme, "run: python -c 'from reporting.region_export import format_markdown…'"


def test_the_coordinatiepunt_exports_its_region_in_the_background_and_downloads_it(drenthe_data, cora, groningen):
    client = login(Client(), cora)
    assert "Regio exporteren" in words(client.get(reverse("reporting:index")))
    start = reverse("reporting:region-export-start")
    assert "Kies een regio uit de lijst." in words(client.post(start, {"region": groningen.pk}))

    response = client.post(start, {"region": cora.region.pk})

    export = Export.objects.get(user=cora)
    assert response["Location"] == reverse("reporting:export-detail", args=[export.pk])
    assert (export.status, export.rows_done) == (ExportStatus.DONE, export.rows_total) and export.rows_total > 20
    download = client.get(reverse("reporting:export-download", args=[export.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert "Brug Veenhoven" in [value for row in book["Projecten"].iter_rows(values_only=True) for value in row]


def test_only_beheer_and_the_regions_coordinatiepunt_export_it(drenthe_data, olga, wim, otto, admin_user, groningen):
    for person in (olga, wim, otto):
        client = login(Client(), person)
        assert client.get(reverse("reporting:region-export-start")).status_code == 404
        assert "Regio exporteren" not in words(client.get(reverse("reporting:index")))
    beheer = login(Client(), admin_user)
    beheer.post(reverse("reporting:region-export-start"), {"region": groningen.pk})
    assert Export.objects.get(user=admin_user).status == ExportStatus.DONE
    with pytest.raises(Region.DoesNotExist):  # the task checks again, for whoever asked
        region_export(olga, {"region": olga.region.pk})

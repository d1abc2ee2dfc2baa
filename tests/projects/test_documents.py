"""Documenten (manual §3.5): PDF only, checked by content, at most 1 MB; seen by every contactpersoon."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Document, Project, ProjectStatus
from tests.conftest import Client, login
from tests.pages import detail, text
from tests.pdfs import padded_pdf
from tests.projects.cast import projects_cast

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PDF_SIZE = 2000


@pytest.fixture
def media(settings) -> Path:  # type: ignore[no-untyped-def]
    return Path(settings.MEDIA_ROOT)  # a temporary folder per test (tests/conftest.py)


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def pdf(name: str = "Plan van aanpak.pdf", size: int = PDF_SIZE) -> SimpleUploadedFile:
    """A real PDF (pypdf) of exactly `size` bytes."""
    return SimpleUploadedFile(name, padded_pdf(size), content_type="application/pdf")


def add_url(project: Project) -> str:
    return reverse("projects:document-add", args=[project.pk])


def download_url(document: Document) -> str:
    return reverse("projects:document-download", args=[document.project_id, document.pk])


def delete_url(document: Document) -> str:
    return reverse("projects:document-delete", args=[document.project_id, document.pk])


def test_add_page_warns_against_candidate_data_and_takes_only_pdf(cast, otto):
    page = text(login(Client(), otto).get(add_url(cast["project"])))
    assert "Voeg geen documenten met gegevens van kandidaten toe (AVG)" in page
    assert 'accept="application/pdf"' in page and 'enctype="multipart/form-data"' in page
    assert "maximaal 1 MB" in page


def test_a_pdf_is_stored_under_a_server_name_and_every_contact_downloads_it(cast, otto, olga, wim, media):
    project = cast["project"]
    client = login(Client(), otto)

    response = client.post(add_url(project), {"file": pdf("../Plan van aanpak.pdf")})

    assert response["Location"] == detail(project) + "#documenten"
    document = Document.objects.get(original_name="Plan van aanpak.pdf")
    assert (document.uploaded_by, document.size) == (otto, PDF_SIZE)
    assert "aanpak" not in document.file.name and document.file.name.startswith(f"documenten/{project.pk}/")
    assert (media / document.file.name).read_bytes() == padded_pdf(PDF_SIZE)
    assert "Het document Plan van aanpak.pdf is toegevoegd." in text(client.get(detail(project)))

    for person in (olga, wim):
        reader = login(Client(), person)
        assert download_url(document) in text(reader.get(detail(project)))
        response = reader.get(download_url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Plan%20van%20aanpak.pdf" in response["Content-Disposition"] or (
            'filename="Plan van aanpak.pdf"' in response["Content-Disposition"]
        )
        assert b"".join(response.streaming_content) == padded_pdf(PDF_SIZE)


def test_an_html_file_named_pdf_is_refused_with_a_clear_message(cast, olga, media):
    fake = SimpleUploadedFile("rapport.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")

    response = login(Client(), olga).post(add_url(cast["project"]), {"file": fake})

    assert response.status_code == 200
    assert "Dit bestand is geen PDF. Alleen PDF-bestanden kunnen worden toegevoegd." in text(response)
    assert not Document.objects.filter(original_name="rapport.pdf").exists()
    assert sorted(media.rglob("*.pdf")) == [media / cast["document"].file.name], "only the cast's own document"


def test_exactly_1_mb_is_accepted_and_one_byte_more_is_refused(cast, olga):
    project = cast["project"]
    client = login(Client(), olga)

    too_big = client.post(add_url(project), {"file": pdf("groot.pdf", MB + 1)})
    assert too_big.status_code == 200 and "Het bestand is groter dan 1 MB." in text(too_big)
    assert not Document.objects.filter(original_name="groot.pdf").exists()

    assert client.post(add_url(project), {"file": pdf("precies.pdf", MB)}).status_code == 302
    assert Document.objects.get(original_name="precies.pdf").size == MB


def test_sending_no_file_is_refused_at_the_field(cast, olga):
    response = login(Client(), olga).post(add_url(cast["project"]), {})
    assert response.status_code == 200 and "Kies een PDF-bestand." in text(response)


def test_a_user_of_another_project_gets_404_on_the_download(cast, olga, gerda):
    document = cast["document"]
    assert login(Client(), gerda).get(download_url(document)).status_code == 404
    # The document under another project's address is not found either, also for a contact.
    other = reverse("projects:document-download", args=[cast["project_other_org"].pk, document.pk])
    assert login(Client(), olga).get(other).status_code == 404


def test_a_missing_file_sends_the_user_back_with_the_reason(cast, olga):
    client = login(Client(), olga)
    cast["document"].file.storage.delete(cast["document"].file.name)
    response = client.get(download_url(cast["document"]))
    assert response["Location"] == detail(cast["project"])
    assert "Het bestand van plan.pdf is niet gevonden." in text(client.get(detail(cast["project"])))


def test_delete_asks_for_confirmation_then_removes_document_and_file(cast, wim, media):
    project = cast["project"]
    client = login(Client(), wim)
    client.post(add_url(project), {"file": pdf("weg.pdf")})
    document = Document.objects.get(original_name="weg.pdf")
    stored = media / document.file.name

    page = text(client.get(delete_url(document)))
    assert "Document weg.pdf verwijderen?" in page and Document.objects.filter(pk=document.pk).exists()

    response = client.post(delete_url(document))
    assert response["Location"] == detail(project) + "#documenten"
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not stored.exists()


def test_nothing_is_added_or_deleted_on_an_afgerond_project(cast, olga, cora, media):
    project = cast["project"]
    login(Client(), olga).post(add_url(project), {"file": pdf("blijft.pdf")})
    document = Document.objects.get(original_name="blijft.pdf")
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.AFGEROND)

    for person in (olga, cora):
        client = login(Client(), person)
        assert client.get(add_url(project))["Location"] == detail(project)
        assert client.post(add_url(project), {"file": pdf("nieuw.pdf")})["Location"] == detail(project)
        assert client.get(delete_url(document))["Location"] == detail(project)
        assert client.post(delete_url(document))["Location"] == detail(project)
        page = text(client.get(detail(project)))
        assert "Dit project is goedgekeurd of afgerond" in page
        assert "Document toevoegen" not in page and delete_url(document) not in page
        download = client.get(download_url(document))  # still readable
        assert b"".join(download.streaming_content) == padded_pdf(PDF_SIZE)
    assert set(Document.objects.filter(project=project).values_list("original_name", flat=True)) == {
        "plan.pdf",
        "blijft.pdf",
    }
    assert (media / document.file.name).exists()

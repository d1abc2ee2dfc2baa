"""Contactpersonen, interne notities and documents of a project (manual §3.4, §3.5).

A visible project whose action the user may not do sends the user back to the project with the
reason; a project (or document) outside the user's projects is 404.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.services import AccountError

from ..access import project_view, refuse
from ..forms.contacts import NEW_CONTACT, ContactAddForm, ContactInviteForm, DocumentForm, NoteForm
from ..models import Project
from ..permissions import can_add_contact, can_add_note, can_manage_documents
from ..selectors import get_document_for
from ..services import ProjectError
from ..services import contacts as services
from .detail import render_detail


def _back(project: Project, section: str = "") -> HttpResponseBase:
    return redirect(reverse("projects:detail", args=[project.pk]) + (f"#{section}" if section else ""))


@require_http_methods(["GET", "POST"])
@project_view(can_add_contact)
def contact_add(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    """Pick a colleague or employee as contactpersoon; or go on to create a new person."""
    form = ContactAddForm(request.user, project, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["user"]
        if person == NEW_CONTACT:
            return redirect("projects:contact-invite", pk=project.pk)
        try:
            services.contact_add(project=project, user=person, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except ProjectError as error:
            return refuse(request, project, str(error))
        else:
            messages.success(request, f"{person.name} is toegevoegd als contactpersoon en krijgt hierover een e-mail.")
            return _back(project, "contactpersonen")
    return render(request, "projects/contact_form.html", {"project": project, "form": form})


@require_http_methods(["GET", "POST"])
@project_view(can_add_contact)
def contact_invite(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    """Nieuwe contactpersoon: an account with welkomstmail, added to the project at once."""
    form = ContactInviteForm(request.user, project, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_invite(project=project, **form.cleaned_data, by=request.user)
        except AccountError as error:
            form.add_error("email", str(error))
        except ValidationError as error:
            form.add_error(None, error)
        except ProjectError as error:
            return refuse(request, project, str(error))
        else:
            person = contact.user
            messages.success(
                request,
                f"Het account van {person.name} is aangemaakt en toegevoegd als contactpersoon. "
                f"Er is een welkomstmail verstuurd naar {person.email}.",
            )
            return _back(project, "contactpersonen")
    return render(request, "projects/contact_invite_form.html", {"project": project, "form": form})


@require_POST
@project_view(can_add_note)
def note_add(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(project=project, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        except ProjectError as error:
            return refuse(request, project, str(error))
        else:
            messages.success(request, "De notitie is toegevoegd.")
            return _back(project, "interne-notities")
    return render_detail(request, project, note_form=form)


@require_http_methods(["GET", "POST"])
@project_view(can_manage_documents)
def document_add(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    """PDF only, checked by its content; at most `DOCUMENT_MAX_BYTES`."""
    posted = request.method == "POST"
    form = DocumentForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            document = services.document_add(
                project=project,
                upload=form.cleaned_data["file"],
                by=request.user,
                max_bytes=settings.DOCUMENT_MAX_BYTES,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ProjectError as error:
            return refuse(request, project, str(error))
        else:
            messages.success(request, f"Het document {document.original_name} is toegevoegd.")
            return _back(project, "documenten")
    max_mb = settings.DOCUMENT_MAX_BYTES // 1024 // 1024
    return render(request, "projects/document_form.html", {"project": project, "form": form, "max_mb": max_mb})


@project_view()
def document_download(request: AuthenticatedHttpRequest, project: Project, document_pk: int) -> HttpResponseBase:
    document = get_document_for(request.user, project, document_pk)
    try:
        # At most DOCUMENT_MAX_BYTES (a database constraint): read it and let the file go at once,
        # rather than hold it open for as long as a slow client takes to download.
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return refuse(
            request, project, f"Het bestand van {document.original_name} is niet gevonden. Voeg het opnieuw toe."
        )
    filename = document.original_name
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@project_view()
def document_delete(request: AuthenticatedHttpRequest, project: Project, document_pk: int) -> HttpResponseBase:
    """Confirmation page, then the document and its file are removed."""
    document = get_document_for(request.user, project, document_pk)  # a document outside is 404 first
    if not (answer := can_manage_documents(request.user, project)):
        return refuse(request, project, answer.reason)
    if request.method == "POST":
        try:
            services.document_delete(document=document, by=request.user)
        except ProjectError as error:
            return refuse(request, project, str(error))
        messages.success(request, f"Het document {document.original_name} is verwijderd.")
        return _back(project, "documenten")
    return render(request, "projects/document_confirm_delete.html", {"project": project, "document": document})

"""Contactpersonen, interne notities and documents of a project."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.services import user_invite
from notifications.mail import mail_send

from ..models import Contact, Document, Note, Project
from ..pdf_safety import pdf_refusal
from ..permissions import can_add_contact, can_add_note, can_manage_documents
from . import require


@transaction.atomic
def contact_ensure(*, project: Project, user: User, by: User) -> tuple[Contact, bool]:
    """The one way a person becomes contactpersoon, whatever adds them; returns (contact, created).

    Idempotent: someone who already is contactpersoon is left as they are and gets no mail. A new
    contactpersoon gets the 'toegevoegd aan project' mail, unless they added themself (the
    opdrachtgever who creates a project) or their account is no longer active. The history of the
    project records the new row (the pghistory triggers, with the request's user)."""
    contact, created = Contact.objects.get_or_create(project=project, user=user, defaults={"added_by": by})
    if created and user != by and user.is_active:
        mail_send(
            to=[user.email],
            template="toegevoegd_aan_project",
            context={
                "project": project,
                "user": user,
                "by": by,
                "link": reverse("projects:detail", args=[project.pk]),
            },
            key=f"contact-added:{project.pk}:{user.pk}",
            region_id=project.region_id,
        )
    return contact, created


@transaction.atomic
def contact_add(*, project: Project, user: User, by: User) -> Contact:
    """Contactpersoon toevoegen: an existing person of an organisation `by` may add; they get a mail."""
    require(can_add_contact(by, project, user.organisation))
    contact, created = contact_ensure(project=project, user=user, by=by)
    if not created:
        raise ValidationError({"user": f"{user.name} is al contactpersoon van dit project."})
    return contact


@transaction.atomic
def contact_invite(
    *, project: Project, organisation: Organisation, name: str, email: str, phone: str, by: User
) -> Contact:
    """Nieuwe contactpersoon: a new account (welkomstmail) that is added to the project at once."""
    require(can_add_contact(by, project, organisation))
    user = user_invite(email=email, name=name, phone=phone, organisation=organisation)
    return contact_add(project=project, user=user, by=by)


@transaction.atomic
def note_add(*, project: Project, text: str, by: User) -> Note:
    require(can_add_note(by, project))
    note = Note(project=project, text=text.strip(), author=by)
    note.full_clean()
    note.save()
    return note


PDF_MAGIC = b"%PDF-"


def pdf_problem(upload: UploadedFile, max_bytes: int) -> str | None:
    """Why an upload is not an acceptable PDF (checked by content, not by name), or None."""
    if upload.size is None or upload.size > max_bytes:
        return f"Het bestand is groter dan {max_bytes // 1024 // 1024} MB."
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf")[:5] != PDF_MAGIC:
        return "Dit bestand is geen PDF. Alleen PDF-bestanden kunnen worden toegevoegd."
    # Parsed, not just sniffed: unreadable, encrypted or active content (JavaScript …) is refused.
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    return pdf_refusal(data)


@transaction.atomic
def document_add(*, project: Project, upload: UploadedFile, by: User, max_bytes: int) -> Document:
    require(can_manage_documents(by, project))
    problem = pdf_problem(upload, max_bytes)
    if problem:
        raise ValidationError({"file": problem})
    document = Document(
        project=project, original_name=(upload.name or "document.pdf")[:255], size=upload.size or 0, uploaded_by=by
    )
    document.file.save("document.pdf", upload, save=False)
    document.save()
    return document


@transaction.atomic
def document_delete(*, document: Document, by: User) -> None:
    require(can_manage_documents(by, document.project))
    storage, name = document.file.storage, document.file.name
    document.delete()
    # The file goes only once the row is gone for good: a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(name))

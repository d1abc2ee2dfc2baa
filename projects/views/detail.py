"""The project detail page (manual §3.1), with its Historie (`projects.history`).

The sections Verantwoording and Afronding are built by `verantwoording.verantwoording_context` and
`lifecycle.lifecycle_context`; this page merges their context and includes their fragments.
"""

from django.http import HttpResponseBase
from django.shortcuts import render

from accounts.http import AuthenticatedHttpRequest

from ..access import project_view
from ..forms.contacts import NoteForm
from ..history import HISTORY_LIMIT, project_history
from ..models import Contact, ContractType, Document, Note, Project, ProjectStatus
from ..permissions import can_add_contact, can_add_note, can_edit_project, can_manage_documents, can_read_notes
from . import lifecycle, verantwoording


def render_detail(
    request: AuthenticatedHttpRequest,
    project: Project,
    *,
    note_form: NoteForm | None = None,
    approve_form: "lifecycle.ApproveForm | None" = None,
) -> HttpResponseBase:
    """The detail page; `note_form` and `approve_form` carry a refused form back to its field."""
    user = request.user
    may_read_notes = can_read_notes(user)
    may_add_note = may_read_notes and can_add_note(user, project).allowed
    decided = project.status != ProjectStatus.ACTIEF
    context = {
        "project": project,
        "is_raamovereenkomst": project.contract_type == ContractType.RAAMOVEREENKOMST,
        "shows_shortfall": decided and project.shortfall > 0,
        "actueel_percentage": project.percentage(project.sr_actueel),
        "prognose_percentage": project.percentage(project.sr_prognose),
        "may_edit": can_edit_project(user, project).allowed,
        "may_add_contact": can_add_contact(user, project).allowed,
        "may_manage_documents": can_manage_documents(user, project).allowed,
        "contacts": Contact.objects.for_user(user).filter(project=project).select_related("user__organisation"),
        "documents": Document.objects.for_user(user).filter(project=project).select_related("uploaded_by"),
        "may_read_notes": may_read_notes,
        "notes": Note.objects.for_user(user).filter(project=project).select_related("author") if may_read_notes else [],
        "note_form": (note_form or NoteForm()) if may_add_note else None,
        "history": project_history(project, notes=bool(may_read_notes)),
        "history_limit": HISTORY_LIMIT,
        **verantwoording.verantwoording_context(request, project),
        **lifecycle.lifecycle_context(request, project, approve_form=approve_form),
    }
    return render(request, "projects/project_detail.html", context)


@project_view()
def project_detail(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    return render_detail(request, project)

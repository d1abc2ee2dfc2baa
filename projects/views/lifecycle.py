"""The end of a project (manual §3.3): SR verantwoording goedgekeurd, Project afgerond, verwijtbaarheid.

The detail page shows the section *Afronding* (`projects/_lifecycle.html`) with `lifecycle_context`;
the actions here ask the same permission checks again.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest

from ..access import project_view
from ..forms.lifecycle import ApproveForm, VerwijtbaarheidForm
from ..models import Project, ProjectStatus
from ..permissions import can_approve, can_close, can_judge_verwijtbaarheid, is_approver, is_closer
from ..services import ProjectError
from ..services import projects as services


def lifecycle_context(
    request: AuthenticatedHttpRequest, project: Project, *, approve_form: ApproveForm | None = None
) -> dict[str, Any]:
    """What the section Afronding of the detail page shows this user: facts, switches and why not yet.

    `approve_form` carries a refused approval (checkbox not ticked) back to its field."""
    user = request.user
    may_approve = can_approve(user, project)
    may_close = can_close(user, project)
    may_judge = can_judge_verwijtbaarheid(user, project)
    approve_hint = ""
    if not may_approve and project.status == ProjectStatus.ACTIEF and is_approver(user, project):
        ended = project.is_ended()
        approve_hint = may_approve.reason if ended else f"Beschikbaar na de einddatum {project.end_date:%d-%m-%Y}."
    close_hint = ""
    if project.status == ProjectStatus.ACTIEF and is_closer(user, project):
        close_hint = "Beschikbaar nadat de SR verantwoording is goedgekeurd."
    decided = project.status != ProjectStatus.ACTIEF
    return {
        "lifecycle": {
            "may_approve": may_approve,
            "approve_form": (approve_form or ApproveForm()) if may_approve else None,
            "approve_hint": approve_hint,
            "may_close": may_close,
            "close_hint": close_hint,
            "may_judge": may_judge,
            # The unfulfilled amount matters once the total is judged; before that it is still being realised.
            "show_shortfall": decided and (project.shortfall > 0 or project.verwijtbaar is not None),
        }
    }


def _back(project: Project) -> HttpResponseBase:
    return redirect("projects:detail", pk=project.pk)


@require_POST
@project_view(can_approve)
def project_approve(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        from .detail import render_detail  # the detail page includes this section: import at use

        return render_detail(request, project, approve_form=form)
    try:
        services.project_approve(project=project, by=request.user)
    except ProjectError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "De SR verantwoording is goedgekeurd. De contactpersonen van de opdrachtgever krijgen een e-mail "
            "met het verzoek het project af te ronden.",
        )
    return _back(project)


@require_POST
@project_view(can_close)
def project_close(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    try:
        services.project_close(project=project, by=request.user)
    except ProjectError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Het project is afgerond. U vindt het bij de afgeronde projecten; het kan niet meer worden gewijzigd.",
        )
    return _back(project)


@require_http_methods(["GET", "POST"])
@project_view(can_judge_verwijtbaarheid)
def verwijtbaarheid(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    """The coördinatiepunt's judgement on a shortfall, with a written argument."""
    form = VerwijtbaarheidForm.for_project(project, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verwijtbaarheid_record(
                project=project, verwijtbaar=form.verwijtbaar, argument=form.cleaned_data["argument"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ProjectError as error:
            messages.error(request, str(error))
            return _back(project)
        else:
            messages.success(
                request,
                "Uw oordeel over de verwijtbaarheid is vastgelegd. De contactpersonen van opdrachtgever en "
                "opdrachtnemer krijgen het per e-mail.",
            )
            return _back(project)
    return render(request, "projects/verwijtbaarheid_form.html", {"project": project, "form": form})

"""The Projecten list (active and afgerond) and the projectgegevens form (SPEC §4, manual §3)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation, OrganisationKind, User

from ..access import project_view
from ..filters import ProjectFilterForm
from ..forms.projects import ProjectEditForm, ProjectForm, new_opdrachtnemer_error
from ..models import ContractType, InzetStatus, Project, ProjectQuerySet, ProjectStatus
from ..permissions import (
    can_create_project,
    can_edit_project,
    is_approver,
    is_closer,
    is_opdrachtnemer_of,
    is_validator,
)
from ..selectors import TAKEN, count_lines, taak_projects, taken_for
from ..services import ConcurrentEditError, ProjectError
from ..services.organisations import opdrachtnemer_create
from ..services.projects import project_create as create_project
from ..services.projects import project_update

PAGE_SIZE = 25
K = OrganisationKind


@dataclass
class Bar:
    """The percentage bar of a row: dark green actueel, light green prognose, relative to the verplichting."""

    actueel: int
    prognose: int

    @staticmethod
    def width(percentage: int) -> int:
        """The width class, in steps of 5 %: CSP allows no inline style."""
        return min(100, max(0, 5 * round(percentage / 5)))

    @property
    def actueel_width(self) -> int:
        return self.width(self.actueel)

    @property
    def prognose_width(self) -> int:
        return self.width(self.prognose)


def _whole(percentage: Decimal) -> int:
    return int(percentage.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _bar(project: Project) -> Bar | None:
    if not project.verplichting_current:
        return None
    return Bar(_whole(project.percentage(project.sr_actueel)), _whole(project.percentage(project.sr_prognose)))


def _waiting(project: Any, user: User, today: date) -> list[tuple[str, str]]:
    """What on this project waits for this user, as (badge text, status modifier); from the annotated counts."""
    badges = []
    active = project.status == ProjectStatus.ACTIEF
    if active and project.te_valideren and is_validator(user, project):
        badges.append((f"{project.te_valideren} te valideren", "warning"))
    if project.teruggestuurd and is_opdrachtnemer_of(user, project):
        badges.append((f"{project.teruggestuurd} teruggestuurd", "danger"))
    if active and project.end_date < today and is_approver(user, project):
        badges.append(("Goedkeuring nodig", "warning"))
    if project.status == ProjectStatus.GOEDGEKEURD and is_closer(user, project):
        badges.append(("Afronden nodig", "neutral"))
    return badges


def _list(request: AuthenticatedHttpRequest, projects: ProjectQuerySet, *, finished: bool) -> HttpResponseBase:
    """One page of projects, sorted and searched; the number of queries does not grow with the rows."""
    form = ProjectFilterForm(request.GET)
    today = timezone.localdate()
    user = request.user
    taak = TAKEN.get(form.cleaned_data.get("taak") or "")
    if taak is not None and not finished and taak in taken_for(user):
        projects = taak_projects(user, taak, today, projects)
    else:
        taak = None
    projects = form.apply(
        projects.select_related("opdrachtgever", "opdrachtnemer").annotate(
            te_valideren=count_lines(InzetStatus.INGEVOERD),
            teruggestuurd=count_lines(InzetStatus.TERUGGESTUURD),
        )
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("pagina"))
    if user.organisation_id:
        for project in page:
            project.bar = _bar(project)
            project.waiting = _waiting(project, user, today)
    else:
        for project in page:
            project.bar, project.waiting = _bar(project), []
    context = {
        "page": page,
        "form": form,
        "columns": form.columns(),
        "finished": finished,
        "taak": taak,
        "heading": "Afgeronde projecten" if finished else "Projecten",
        "may_create": can_create_project(user),
        "raamovereenkomst": ContractType.RAAMOVEREENKOMST,
    }
    return render(request, "projects/project_list.html", context)


def project_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    return _list(request, Project.objects.for_user(request.user).active(), finished=False)


def project_list_finished(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    return _list(request, Project.objects.for_user(request.user).finished(), finished=True)


def _opdrachtnemer(form: ProjectForm, by: User) -> Organisation:
    """The chosen opdrachtnemer, or the one typed under Nieuwe opdrachtnemer, made now."""
    new = form.new_opdrachtnemer()
    if new is None:
        return form.cleaned_data["opdrachtnemer"]
    try:
        return opdrachtnemer_create(**new, by=by)
    except ValidationError as error:
        raise new_opdrachtnemer_error(error) from error


@require_http_methods(["GET", "POST"])
def project_create(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not can_create_project(request.user):
        raise Http404
    form = ProjectForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            # The new opdrachtnemer and the project are made together, or neither.
            with transaction.atomic():
                data = {**form.project_data(), "opdrachtnemer": _opdrachtnemer(form, request.user)}
                project = create_project(data=data, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except ProjectError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Het project {project.name} is aangemaakt.")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@require_http_methods(["GET", "POST"])
@project_view(can_edit_project)
def project_edit(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    name = project.name  # the form writes the typed values onto the instance
    form = ProjectEditForm(request.user, request.POST if request.method == "POST" else None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = {**form.project_data(), "opdrachtnemer": _opdrachtnemer(form, request.user)}
                project_update(project=project, data=data, revision=form.cleaned_data["revision"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except (ProjectError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De projectgegevens zijn opgeslagen.")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project, "name": name})

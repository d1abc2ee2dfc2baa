"""How every view on a project opens (issue 27), so that each starts the same way.

`project_view(check)`: the project for the user (404 outside `Project.objects.for_user`), then the permission
`check` (`projects.permissions`); denied, the user goes back to the project with the reason. The view gets the
project in place of its pk. `line_view(check)` does the same for a line (inzet) of the project. Both mark the
view `opens_project`: tests/test_layering.py checks that every URL of a project opens this way.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from core.permissions import Answer

from .models import Inzet, Project
from .selectors import get_inzet_for, get_project_for

P = ParamSpec("P")
ProjectView = Callable[Concatenate[AuthenticatedHttpRequest, Project, P], HttpResponseBase]
LineView = Callable[Concatenate[AuthenticatedHttpRequest, Project, Inzet, P], HttpResponseBase]


def refuse(request: AuthenticatedHttpRequest, project: Project, reason: str) -> HttpResponse:
    """A visible project, an action this user may not do: back to the project with the reason."""
    messages.error(request, reason)
    return redirect("projects:detail", pk=project.pk)


def project_view(
    check: Callable[[User, Project], Answer] | None = None,
) -> Callable[[ProjectView[P]], Callable[..., HttpResponseBase]]:
    def decorate(view: ProjectView[P]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def opened(request: AuthenticatedHttpRequest, pk: int, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            project = get_project_for(request.user, pk)
            if check is not None and not (answer := check(request.user, project)):
                return refuse(request, project, answer.reason)
            return view(request, project, *args, **kwargs)

        opened.opens_project = True  # type: ignore[attr-defined]
        return opened

    return decorate


def line_view(
    check: Callable[[User, Inzet], Answer] | None = None,
) -> Callable[[LineView[P]], Callable[..., HttpResponseBase]]:
    def decorate(view: LineView[P]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def opened(
            request: AuthenticatedHttpRequest, pk: int, inzet_pk: int, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponseBase:
            project = get_project_for(request.user, pk)
            inzet = get_inzet_for(request.user, project, inzet_pk)
            if check is not None and not (answer := check(request.user, inzet)):
                return refuse(request, project, answer.reason)
            return view(request, project, inzet, *args, **kwargs)

        opened.opens_project = True  # type: ignore[attr-defined]
        return opened

    return decorate

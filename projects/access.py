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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import User
from core.permissions import Answer

from .models import Inzet, Project
from .selectors import get_inzet_for, get_project_for

P = ParamSpec("P")
ProjectView = Callable[Concatenate[HttpRequest, Project, P], HttpResponse]
LineView = Callable[Concatenate[HttpRequest, Project, Inzet, P], HttpResponse]


def refuse(request: HttpRequest, project: Project, reason: str) -> HttpResponse:
    """A visible project, an action this user may not do: back to the project with the reason."""
    messages.error(request, reason)
    return redirect("projects:detail", pk=project.pk)


def project_view(
    check: Callable[[User, Project], Answer] | None = None,
) -> Callable[[ProjectView[P]], Callable[..., HttpResponse]]:
    def decorate(view: ProjectView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def opened(request: HttpRequest, pk: int, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            project = get_project_for(request.user, pk)
            if check is not None and not (answer := check(request.user, project)):
                return refuse(request, project, answer.reason)
            return view(request, project, *args, **kwargs)

        opened.opens_project = True  # type: ignore[attr-defined]
        return opened

    return decorate


def line_view(
    check: Callable[[User, Inzet], Answer] | None = None,
) -> Callable[[LineView[P]], Callable[..., HttpResponse]]:
    def decorate(view: LineView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def opened(request: HttpRequest, pk: int, inzet_pk: int, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            project = get_project_for(request.user, pk)
            inzet = get_inzet_for(request.user, project, inzet_pk)
            if check is not None and not (answer := check(request.user, inzet)):
                return refuse(request, project, answer.reason)
            return view(request, project, inzet, *args, **kwargs)

        opened.opens_project = True  # type: ignore[attr-defined]
        return opened

    return decorate

"""What every view that acts on a project does when the user may see it but not do this."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ..models import Project


def refuse(request: HttpRequest, project: Project, reason: str) -> HttpResponse:
    """A visible project, an action this user may not do: back to the project with the reason."""
    messages.error(request, reason)
    return redirect("projects:detail", pk=project.pk)

"""Fetching objects for a view: through `for_user`, 404 when outside it (also when it doesn't exist)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from ..models import Document, Inzet, Kandidaat, Project


def get_project_for(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.for_user(request.user).select_related(
            "opdrachtgever", "opdrachtnemer", "region", "accountmanager"
        ),
        pk=pk,
    )


def get_inzet_for(request: HttpRequest, project: Project, pk: int) -> Inzet:
    return get_object_or_404(
        Inzet.objects.for_user(request.user).select_related("project__region", "kandidaat", "policy_version"),
        project=project,
        pk=pk,
    )


def get_document_for(request: HttpRequest, project: Project, pk: int) -> Document:
    return get_object_or_404(Document.objects.for_user(request.user), project=project, pk=pk)


def get_kandidaat_for(request: HttpRequest, pk: int) -> Kandidaat:
    return get_object_or_404(Kandidaat.objects.for_user(request.user), pk=pk)


def refuse(request: HttpRequest, project: Project, reason: str) -> HttpResponse:
    """A visible project, an action this user may not do: back to the project with the reason."""
    messages.error(request, reason)
    return redirect("projects:detail", pk=project.pk)

"""Reading one object for a user: through `for_user`, 404 when outside it (also when it doesn't exist).

Views and exports of every app fetch a project (and what hangs under it) here, so an object the
user may not see answers the same way everywhere."""

from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import Document, Inzet, Kandidaat, Project


def get_project_for(user: User, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.for_user(user).select_related("opdrachtgever", "opdrachtnemer", "region", "accountmanager"),
        pk=pk,
    )


def get_inzet_for(user: User, project: Project, pk: int) -> Inzet:
    return get_object_or_404(
        Inzet.objects.for_user(user).select_related("project__region", "kandidaat", "policy_version"),
        project=project,
        pk=pk,
    )


def get_document_for(user: User, project: Project, pk: int) -> Document:
    return get_object_or_404(Document.objects.for_user(user), project=project, pk=pk)


def get_kandidaat_for(user: User, pk: int) -> Kandidaat:
    return get_object_or_404(Kandidaat.objects.for_user(user), pk=pk)

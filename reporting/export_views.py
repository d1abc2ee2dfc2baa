"""The progress page and the download of a background export."""

from django.contrib import messages
from django.http import FileResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from accounts.http import AuthenticatedHttpRequest

from .excel import XLSX
from .models import Export, ExportStatus


def get_export_for(request: AuthenticatedHttpRequest, pk: int) -> Export:
    return get_object_or_404(Export.objects.for_user(request.user), pk=pk)


def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Progress of a large export; the page reloads itself until the file is ready."""
    export = get_export_for(request, pk)
    running = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return render(request, "reporting/export_detail.html", {"export": export, "running": running})


def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    export = get_export_for(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        messages.error(request, "Dit bestand is (nog) niet beschikbaar.")
        return redirect("reporting:export-detail", pk=export.pk)
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename, content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""The progress page and the download of a background export."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest

from .excel import XLSX
from .exports import export_queue
from .forms import RegionExportForm
from .models import Export, ExportStatus
from .region_export import regions_for_export


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


@require_http_methods(["GET", "POST"])
def region_export_start(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """A whole region as one workbook (issue #32), built in the background: for its coördinatiepunt and beheer."""
    if not regions_for_export(request.user).exists():
        raise Http404
    posted = request.method == "POST"
    own = request.user.region if not request.user.is_superuser else None
    form = RegionExportForm(request.user, request.POST if posted else None, initial={"region": own})
    if posted and form.is_valid():
        region = form.cleaned_data["region"]
        export = export_queue(
            user=request.user,
            report="regio",
            params={"region": region.pk},
            title=f"Regio {region.name}",
            filename=f"regio-{region.slug}-{timezone.localdate():%Y%m%d}.xlsx",
            rows=0,
        )
        return redirect("reporting:export-detail", pk=export.pk)
    return render(request, "reporting/region_export.html", {"form": form})

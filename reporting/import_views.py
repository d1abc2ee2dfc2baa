"""Regio importeren (issue #32): functioneel beheer uploads a region workbook, reads what a trial run would do and
imports it. Each upload is a `RegionImport`, seen by beheer only (404 for anyone else)."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest

from .forms import RegionImportForm
from .models import RegionImport, RegionImportStatus
from .region_export import SHEETS
from .region_upload import RegionImportError, region_import_queue, region_upload

SHOWN = 200  # problems and differences on the page


def _beheer(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_superuser:
        raise Http404


@require_http_methods(["GET", "POST"])
def region_import_upload(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _beheer(request)
    posted = request.method == "POST"
    form = RegionImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        run = region_upload(upload=form.cleaned_data["file"], by=request.user)
        return redirect("reporting:region-import-result", pk=run.pk)
    earlier = RegionImport.objects.for_user(request.user).select_related("region", "by").defer("content")[:10]
    return render(request, "reporting/region_import.html", {"form": form, "earlier": earlier})


@require_GET
def region_import_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    _beheer(request)
    run = get_object_or_404(RegionImport.objects.for_user(request.user).defer("content"), pk=pk)
    differences = [
        item | {"recorded": Decimal(item["recorded"]), "engine": Decimal(item["engine"])}
        for item in run.differences[:SHOWN]
    ]
    counts = [
        (spec.title, run.created.get(spec.title, 0), run.existing.get(spec.title, 0))
        for spec in SHEETS
        if spec.title in run.created or spec.title in run.existing
    ]
    context = {
        "run": run,
        "running": run.status in (RegionImportStatus.CHECKING, RegionImportStatus.IMPORTING),
        "problems": run.problems[:SHOWN],
        "hidden_problems": max(len(run.problems) - SHOWN, 0),
        "counts": counts,
        "differences": differences,
        "hidden_differences": max(len(run.differences) - SHOWN, 0),
    }
    return render(request, "reporting/region_import_result.html", context)


@require_POST
def region_import_commit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    _beheer(request)
    run = get_object_or_404(RegionImport.objects.for_user(request.user).defer("content"), pk=pk)
    try:
        region_import_queue(run=run, by=request.user)
    except RegionImportError as error:
        messages.error(request, str(error))
    return redirect("reporting:region-import-result", pk=run.pk)

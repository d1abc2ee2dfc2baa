"""The Rapportage pages and their Excel exports (SPEC §7, manual §4): one view each, for every report."""

from django.core.paginator import Paginator
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest

from .excel import filename_for, workbook_response
from .exports import export_queue, sync_limit
from .reports import PAGE_SIZE, Report


@require_GET
def report_page(request: AuthenticatedHttpRequest, report: Report) -> HttpResponseBase:
    """One page of a report, filtered and sorted; the number of queries does not grow with the rows."""
    form = report.form(request.user, request.GET)
    page = Paginator(report.results(request.user, form), PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "report": report,
        "form": form,
        "headers": report.headers(form),
        "page": page,
        "rows": [report.cells(result) for result in page],
    }
    return render(request, "reporting/report.html", context)


@require_GET
def report_export(request: AuthenticatedHttpRequest, report: Report) -> HttpResponseBase:
    """Every row of the report for these filters and this sort (all pages), as an Excel file.

    Above EXPORT_SYNC_MAX_ROWS rows the file is built by Celery: the user is sent to its progress page."""
    rows = report.count(request.user, request.GET)
    if rows > sync_limit():
        export = export_queue(
            user=request.user,
            report=report.slug,
            params=request.GET.dict(),
            title=report.title,
            filename=filename_for(report.filename),
            rows=rows,
        )
        return redirect("reporting:export-detail", pk=export.pk)
    return workbook_response([report.sheet(request.user, request.GET)], filename_for(report.filename))

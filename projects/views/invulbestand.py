"""The invulbestand (issue #29): the template of a project, its upload and the check of every row."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from core.sheets import Problem, problems_workbook
from core.text import counted

from ..access import project_view, refuse
from ..forms.verantwoording import InvulbestandForm
from ..invulbestand import MAX_ROWS, read_invulbestand, template_workbook
from ..models import Invulbestand, InvulbestandStatus, Project
from ..permissions import can_download_invulbestand, can_edit_verantwoording
from ..services import ProjectError
from ..services.invulbestand import invulbestand_check, invulbestand_commit_queue
from ..services.invulbestand import invulbestand_commit as invulbestand_commit_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Problems shown on the page; all of them are in the error workbook.
SHOWN = 200


def _xlsx(content: bytes, filename: str) -> FileResponse:
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _slug(text: str) -> str:
    return slugify(text)[:60] or "project"


@require_GET
@project_view(can_download_invulbestand)
def invulbestand_template(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    try:
        content = template_workbook(project, request.user)
    except ValueError:
        return refuse(request, project, "Voor de regio van dit project is geen beleid gepubliceerd.")
    return _xlsx(content, f"invulbestand-{_slug(project.name)}-{timezone.localdate():%Y%m%d}.xlsx")


@require_http_methods(["GET", "POST"])
@project_view(can_edit_verantwoording)
def invulbestand_upload(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    posted = request.method == "POST"
    form = InvulbestandForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            checked = invulbestand_check(project=project, upload=form.cleaned_data["file"], by=request.user)
        except ProjectError as error:
            return refuse(request, project, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("projects:invulbestand-result", pk=project.pk, upload_pk=checked.pk)
    earlier = Invulbestand.objects.for_user(request.user).filter(project=project).defer("content", "preview")[:10]
    keep_days = settings.INVULBESTAND_KEEP_DAYS
    context = {"project": project, "form": form, "max_rows": MAX_ROWS, "earlier": earlier, "keep_days": keep_days}
    return render(request, "projects/invulbestand_upload.html", context)


def _upload_for(request: AuthenticatedHttpRequest, project: Project, upload_pk: int) -> Invulbestand | None:
    """The user's own check on this project (404 for anyone else's, as for one that doesn't exist); None when
    the user may no longer fill the project in (the reason goes back with the user)."""
    upload = get_object_or_404(Invulbestand.objects.for_user(request.user), project=project, pk=upload_pk)
    return upload if can_edit_verantwoording(request.user, project) else None


@require_GET
@project_view()
def invulbestand_result(request: AuthenticatedHttpRequest, project: Project, upload_pk: int) -> HttpResponseBase:
    if (upload := _upload_for(request, project, upload_pk)) is None:
        return refuse(request, project, can_edit_verantwoording(request.user, project).reason)
    problems = upload.problems
    context = {
        "project": project,
        "upload": upload,
        "problems": problems[:SHOWN],
        "hidden_problems": max(len(problems) - SHOWN, 0),
        "problem_rows": len({p["row"] for p in problems if p["row"]}),
        "form": InvulbestandForm(),
        "preview": _preview_shown(upload.preview) if upload.status == InvulbestandStatus.CHECKED else None,
        "running": upload.status in (InvulbestandStatus.CHECKING, InvulbestandStatus.ADDING),
    }
    return render(request, "projects/invulbestand_result.html", context)


def _preview_shown(preview: dict[str, Any]) -> dict[str, Any] | None:
    """The stored preview with its dates and amounts as dates and amounts again (for the template's filters)."""
    if not preview:
        return None
    rows = [
        row
        | {
            "start": date.fromisoformat(row["start"]),
            "end": date.fromisoformat(row["end"]),
            "prognose": Decimal(row["prognose"]),
            "actueel": Decimal(row["actueel"]),
        }
        for row in preview["rows"][:SHOWN]
    ]
    before, after = (Decimal(value) for value in preview["sr_prognose"])
    actueel_before, actueel_after = (Decimal(value) for value in preview["sr_actueel"])
    return {
        "rows": rows,
        "left": preview.get("left", []),
        "hidden": max(len(preview["rows"]) - SHOWN, 0),
        "sr_prognose": (before, after),
        "sr_actueel": (actueel_before, actueel_after),
    }


@require_POST
@project_view()
def invulbestand_commit(request: AuthenticatedHttpRequest, project: Project, upload_pk: int) -> HttpResponseBase:
    """Regels toevoegen: every row of a checked file, in one transaction; back to the file's page with the outcome."""
    if (upload := _upload_for(request, project, upload_pk)) is None:
        return refuse(request, project, can_edit_verantwoording(request.user, project).reason)
    if upload.problems or upload.rows == 0:
        messages.error(request, "Dit bestand heeft fouten: verbeter ze en upload het opnieuw.")
        return redirect("projects:invulbestand-result", pk=project.pk, upload_pk=upload.pk)
    try:
        if upload.rows > settings.INVULBESTAND_IN_REQUEST_ROWS:  # Celery adds it; the page follows
            invulbestand_commit_queue(upload=upload, by=request.user)
            return redirect("projects:invulbestand-result", pk=project.pk, upload_pk=upload.pk)
        done = invulbestand_commit_service(upload=upload, by=request.user)
    except ProjectError as error:
        messages.error(request, str(error))
        return redirect("projects:invulbestand-result", pk=project.pk, upload_pk=upload.pk)
    left = len(done.report)
    messages.success(
        request,
        f"{counted('regels_toegevoegd', done.added)}, {counted('regels_gewijzigd', done.updated)}"
        + (f"; {counted('rijen_niet_opgeslagen', left)} (zie hieronder)." if left else "."),
    )
    return redirect("projects:invulbestand-result", pk=project.pk, upload_pk=upload.pk)


@require_GET
@project_view()
def invulbestand_errors(request: AuthenticatedHttpRequest, project: Project, upload_pk: int) -> HttpResponseBase:
    if (upload := _upload_for(request, project, upload_pk)) is None:
        return refuse(request, project, can_edit_verantwoording(request.user, project).reason)
    read = read_invulbestand(bytes(upload.content), upload.file_name)
    if isinstance(read, str) or not upload.problems:
        raise Http404
    _, table = read
    problems = [
        Problem(p["message"], row=p["row"], column=p["column"], sheet=table.sheet.name) for p in upload.problems
    ]
    stem = upload.file_name.rsplit(".", 1)[0]
    return _xlsx(problems_workbook(table, problems), f"{_slug(stem)}-fouten.xlsx")

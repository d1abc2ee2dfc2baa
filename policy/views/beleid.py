"""Beleid: the region's uitvoeringsvoorwaarden and the Menukaart, rendered from the rules the engine uses."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Region

from ..forms.beleid import XLSX, PolicyPublishForm, PolicyTextForm, PolicyUploadPublishForm, PolicyWorkbookForm
from ..models import PolicyUpload, PolicyVersion
from ..permissions import can_edit_region_content
from ..selectors import newest_version
from ..services import ConcurrentEditError
from ..services.rules import policy_text_update, policy_upload_keep, policy_upload_publish, policy_version_publish
from ..workbook import examples, policy_workbook, read_policy_workbook
from ._region import region_context


def get_version_for(request: AuthenticatedHttpRequest, pk: int) -> PolicyVersion:
    """A policy version of a region the user reads, with its rules, or 404."""
    return get_object_or_404(PolicyVersion.objects.for_user(request.user).with_rules().select_related("region"), pk=pk)


def _page(request: AuthenticatedHttpRequest, version: PolicyVersion | None, context: dict) -> HttpResponseBase:
    region = context["region"]
    versions = PolicyVersion.objects.for_user(request.user).filter(region=region).select_related("created_by")
    return render(
        request,
        "policy/beleid.html",
        {
            **context,
            "version": version,
            "rules": version.to_rules() if version else None,
            "versions": versions.order_by("-valid_from"),
            "today": timezone.localdate(),
            "can_edit": can_edit_region_content(request.user, region),
        },
    )


def beleid(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The version in force today for the user's (or chosen) region."""
    context = region_context(request)
    version = (
        PolicyVersion.objects.for_user(request.user)
        .with_rules()
        .in_force(region=context["region"], day=timezone.localdate())
    )
    return _page(request, version, context)


def version_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Any version, older or upcoming, of a region the user reads."""
    version = get_version_for(request, pk)
    context = region_context(request)
    context["region"] = version.region
    return _page(request, version, context)


@require_http_methods(["GET", "POST"])
def text_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    version = get_version_for(request, pk)
    if not can_edit_region_content(request.user, version.region):
        raise Http404
    initial = {"text": version.text, "revision": version.revision}
    form = PolicyTextForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy_text_update(
                version=version, text=form.cleaned_data["text"], revision=form.cleaned_data["revision"], by=request.user
            )
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De tekst van de uitvoeringsvoorwaarden is opgeslagen.")
            return redirect("policy:beleid-version", pk=version.pk)
    return render(request, "policy/beleid_text_form.html", {"version": version, "form": form})


@require_http_methods(["GET", "POST"])
def version_publish(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Publish a new version for the coördinatiepunt's own region, starting from the newest one."""
    region = request.user.region
    if region is None or not can_edit_region_content(request.user, region):
        raise Http404
    base = newest_version(region)
    if base is None:
        raise Http404
    initial = {"title": base.title, "text": base.text}
    form = PolicyPublishForm(base.to_rules(), request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = policy_version_publish(
                region=region,
                valid_from=form.cleaned_data["valid_from"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                rules=form.new_rules(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"De nieuwe versie is gepubliceerd en geldt vanaf {version.valid_from:%d-%m-%Y}.")
            return redirect("policy:beleid-version", pk=version.pk)
    return render(request, "policy/beleid_publish.html", {"form": form, "base": base})


# --- The policy workbook (issue #31) ------------------------------------------------------------


def _own_region(request: AuthenticatedHttpRequest) -> Region:
    """The coördinatiepunt's own region; anyone else finds no such page."""
    region = request.user.region
    if region is None or not can_edit_region_content(request.user, region):
        raise Http404
    return region


@require_GET
def workbook_download(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The newest version of the region's rules as a workbook; `?leeg=1` (or no version yet): an empty one."""
    region = _own_region(request)
    base = None if request.GET.get("leeg") else newest_version(region)
    content = policy_workbook(base.to_rules() if base else None)
    name = f"beleid-{region.slug}-{'leeg' if base is None else f'{base.valid_from:%Y%m%d}'}.xlsx"
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def workbook_upload(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Upload a filled-in workbook: every problem per sheet, row and column, or on to the preview."""
    region = _own_region(request)
    posted = request.method == "POST"
    form = PolicyWorkbookForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list = []
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        read = read_policy_workbook(content, upload.name)
        problems = read.problems
        if read.rules is not None:
            kept = policy_upload_keep(region=region, name=upload.name, content=content, by=request.user)
            return redirect("policy:beleid-workbook-preview", pk=kept.pk)
    context = {"region": region, "form": form, "problems": problems, "has_version": newest_version(region) is not None}
    return render(request, "policy/beleid_workbook.html", context)


@require_http_methods(["GET", "POST"])
def workbook_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The Beleid page as the uploaded rules would make it, example placements now and then, and Publiceren."""
    region = _own_region(request)
    upload = get_object_or_404(PolicyUpload.objects.for_user(request.user), pk=pk)
    rules = read_policy_workbook(bytes(upload.content), upload.file_name).rules
    if rules is None:  # read without problems on upload: only a changed reader gets here
        raise Http404
    base = newest_version(region)
    current = (
        PolicyVersion.objects.for_user(request.user).with_rules().in_force(region=region, day=timezone.localdate())
    )
    initial = {"title": rules.title, "text": base.text if base else ""}
    form = PolicyUploadPublishForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = policy_upload_publish(
                upload=upload,
                rules=rules,
                valid_from=form.cleaned_data["valid_from"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"De nieuwe versie is gepubliceerd en geldt vanaf {version.valid_from:%d-%m-%Y}.")
            return redirect("policy:beleid-version", pk=version.pk)
    context = {
        "region": region,
        "upload": upload,
        "rules": rules,
        "form": form,
        "examples": examples(rules, current.to_rules() if current else None, timezone.localdate()),
    }
    return render(request, "policy/beleid_workbook_preview.html", context)

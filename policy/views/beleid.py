"""Beleid: the region's uitvoeringsvoorwaarden and the Menukaart, rendered from the rules the engine uses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest

from ..forms.beleid import PolicyPublishForm, PolicyTextForm
from ..models import PolicyVersion
from ..permissions import can_edit_region_content
from ..selectors import newest_version
from ..services import ConcurrentEditError
from ..services.rules import policy_text_update, policy_version_publish
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

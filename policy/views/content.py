"""Nieuwsberichten, Algemene informatie and Contactgegevens of a region (SPEC §8).

Everyone reads the pages of the regions they see; only the region's coördinatiepunt writes,
and to everyone else the write pages don't exist (404).
"""

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation, Region

from ..forms.content import ContactDetailsForm, InfoPageEditForm, InfoPageForm, NewsItemEditForm, NewsItemForm
from ..handleiding import handleidingen_for
from ..models import InfoPage, InfoPageKind, NewsItem
from ..permissions import can_edit_region_content
from ..services import ConcurrentEditError
from ..services import content as services
from ._region import region_context

# The region's own handleidingen follow the portal's handleiding per role, in the section "Handleidingen".
INFO_GROUPS = [
    (InfoPageKind.FAQ, "Veelgestelde vragen"),
    (InfoPageKind.OTHER, "Overige informatie"),
]
_MARKUP_SIGNS = re.compile(r"^\s*(#{1,4}|[-*]|\d{1,3}\.)\s+|\*\*|(?<![*\w])\*(?!\s)|(?<!\s)\*(?![*\w])", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|/)[^\s)]*\)")


def excerpt(body: str, words: int = 30) -> str:
    """The start of a text as plain words, without the signs of its markup."""
    text = _MARKUP_SIGNS.sub("", _LINK.sub(r"\1", body))
    return Truncator(" ".join(text.split())).words(words)


def get_news_for(request: AuthenticatedHttpRequest, pk: int) -> NewsItem:
    """A news item the user may read (published, of a region they see), or 404."""
    return get_object_or_404(NewsItem.objects.for_user(request.user).select_related("region"), pk=pk)


def get_info_for(request: AuthenticatedHttpRequest, pk: int) -> InfoPage:
    """An information page of a region the user sees, or 404."""
    return get_object_or_404(InfoPage.objects.for_user(request.user).select_related("region"), pk=pk)


def _own_region_or_404(request: AuthenticatedHttpRequest) -> Region:
    """The coördinatiepunt's region to create content in; nobody else has these pages."""
    region = request.user.region
    if region is None or not can_edit_region_content(request.user, region):
        raise Http404
    return region


def news_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    context = region_context(request)
    items = NewsItem.objects.for_user(request.user).filter(region=context["region"]).order_by("-publish_date", "-pk")
    page = Paginator(items, 20).get_page(request.GET.get("pagina"))
    for item in page:
        item.excerpt = excerpt(item.body)
    may_edit = can_edit_region_content(request.user, context["region"])
    return render(request, "policy/news_list.html", {**context, "page": page, "may_edit": may_edit, "query": ""})


def news_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    item = get_news_for(request, pk)
    may_edit = can_edit_region_content(request.user, item.region)
    return render(request, "policy/news_detail.html", {"item": item, "may_edit": may_edit})


@require_http_methods(["GET", "POST"])
def news_create(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    region = _own_region_or_404(request)
    form = NewsItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        item = services.news_create(region=region, **form.cleaned_data, by=request.user)
        if item.is_published():
            messages.success(request, "Het nieuwsbericht is gepubliceerd.")
        else:
            messages.success(
                request, f"Het nieuwsbericht is opgeslagen en wordt op {item.publish_date:%d-%m-%Y} gepubliceerd."
            )
        return redirect("policy:news-detail", pk=item.pk)
    return render(request, "policy/news_form.html", {"form": form, "region": region, "item": None})


@require_http_methods(["GET", "POST"])
def news_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    item = get_news_for(request, pk)
    if not can_edit_region_content(request.user, item.region):
        raise Http404
    title = item.title  # the form writes the typed values onto the instance
    form = NewsItemEditForm(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(item=item, **form.cleaned_data, by=request.user)
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Het nieuwsbericht is opgeslagen.")
            return redirect("policy:news-detail", pk=item.pk)
    return render(request, "policy/news_form.html", {"form": form, "region": item.region, "item": item, "title": title})


def info_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    context = region_context(request)
    pages = list(InfoPage.objects.for_user(request.user).filter(region=context["region"]).order_by("order", "title"))
    groups = [(label, [page for page in pages if page.kind == kind]) for kind, label in INFO_GROUPS]
    context |= {
        "handleidingen": handleidingen_for(request.user),
        "region_handleidingen": [page for page in pages if page.kind == InfoPageKind.HANDLEIDING],
        "groups": [group for group in groups if group[1]],
        "may_edit": can_edit_region_content(request.user, context["region"]),
    }
    return render(request, "policy/info_list.html", context)


def info_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    page = get_info_for(request, pk)
    may_edit = can_edit_region_content(request.user, page.region)
    return render(request, "policy/info_detail.html", {"page": page, "may_edit": may_edit})


@require_http_methods(["GET", "POST"])
def info_create(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    region = _own_region_or_404(request)
    form = InfoPageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        page = services.info_create(region=region, **form.cleaned_data, by=request.user)
        messages.success(request, "De informatiepagina is gepubliceerd.")
        return redirect("policy:info-detail", pk=page.pk)
    return render(request, "policy/info_form.html", {"form": form, "region": region, "page": None})


@require_http_methods(["GET", "POST"])
def info_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    page = get_info_for(request, pk)
    if not can_edit_region_content(request.user, page.region):
        raise Http404
    title = page.title
    form = InfoPageEditForm(request.POST if request.method == "POST" else None, instance=page)
    if request.method == "POST" and form.is_valid():
        try:
            services.info_update(page=page, **form.cleaned_data, by=request.user)
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De informatiepagina is opgeslagen.")
            return redirect("policy:info-detail", pk=page.pk)
    return render(request, "policy/info_form.html", {"form": form, "region": page.region, "page": page, "title": title})


def contact_details(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The contact details of every coördinatiepunt: they are public, whichever region the user is in."""
    own = request.user.organisation if request.user.is_coordinatiepunt else None
    context = {"organisations": Organisation.objects.coordinatiepunten(), "own": own}
    return render(request, "policy/contact_details.html", context)


@require_http_methods(["GET", "POST"])
def contact_details_edit(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The coördinatiepunt edits its own contact details."""
    organisation = get_object_or_404(Organisation.objects.coordinatiepunten(), pk=request.user.organisation_id)
    if organisation.region is None or not can_edit_region_content(request.user, organisation.region):
        raise Http404
    form = ContactDetailsForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_details_update(organisation=organisation, **form.cleaned_data, by=request.user)
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De contactgegevens zijn opgeslagen.")
            return redirect("policy:contact-details")
    return render(request, "policy/contact_details_form.html", {"form": form, "organisation": organisation})

"""The handleiding of a role as PDF: the page of Algemene informatie (policy) printed with our PDF machinery."""

import re
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from policy.handleiding import get_handleiding, picture_path

from .pdf import pdf_download, pdf_from_html

_PORTAL_LINK = re.compile(r'href="/(?![/\\])')


@require_GET
def handleiding_pdf(request: AuthenticatedHttpRequest, role: str) -> HttpResponseBase:
    guide = get_handleiding(role)
    # The PDF resolves relative addresses against static/ on disk: a link to a page of the portal
    # would become a file:// address of the server. Like a mail, the document leaves the portal, so its
    # links are full addresses of the portal. Its pictures are read from static/ on disk.
    body = _PORTAL_LINK.sub(f'href="{settings.SITE_URL}/', guide.html(picture_path))
    return pdf_download(_guide_pdf(guide.role, body, timezone.localdate()), f"handleiding-{guide.role}.pdf")


@lru_cache(maxsize=8)
def _guide_pdf(role: str, body: str, day: date) -> bytes:
    """The same guide on the same day is the same document: printed once (about a second) per process."""
    context = {
        "guide": get_handleiding(role),
        "body": mark_safe(body),  # noqa: S308 - markup's own HTML, only the start of its links changed
        "portal": settings.SITE_URL,
        "generated_at": day,
    }
    return pdf_from_html(render_to_string("reporting/handleiding.html", context))

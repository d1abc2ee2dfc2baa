"""Reading what the portal answered, shared by the tests: a page's text, its flash messages, the
text of a PDF, and the URL of a project's page."""

import re
import subprocess
from html import unescape

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.urls import reverse

from projects.models import Project


def text(response: HttpResponse) -> str:
    """The body of an answer as text, also of a streamed one (an export)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[attr-defined]
    return response.content.decode()


def words(response: HttpResponse) -> str:
    """The text of a page as a reader sees it: no tags, whitespace as single spaces, no space before , . or :
    where a tag ended (`<strong>in orde</strong>: 2` reads `in orde: 2`)."""
    plain = " ".join(unescape(re.sub(r"<[^>]+>", " ", text(response))).split())
    return re.sub(r" ([,.:])", r"\1", plain)


def messages_of(response: HttpResponse) -> list[str]:
    """The flash messages the request left (shown on the next page)."""
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def pdf_text(content: bytes) -> str:
    """The text of a PDF as a reader sees it (poppler's pdftotext, in reading order; ten times as fast as pypdf)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=60)
    return done.stdout.decode()


def detail(project: Project) -> str:
    """The URL of the project's page."""
    return reverse("projects:detail", args=[project.pk])

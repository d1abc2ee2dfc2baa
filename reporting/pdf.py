"""PDF documents from our own HTML with WeasyPrint: the akkoordverklaring and the handleidingen.

The CSS and images of a document come from `static/` on disk, never over HTTP from our own server.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    """Our own static files, read from disk. Anything else — HTTP, another folder — stops the rendering."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"Alleen eigen bestanden: {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Geen bestand in {self.root}: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def pdf_from_html(html: str) -> bytes:
    """A PDF from our HTML; its CSS and images resolve against `static/` on disk."""
    root = Path(settings.BASE_DIR) / "static"
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=StaticFilesFetcher(root))
    return document.write_pdf(pdf_tags=True)


def pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF as a download named `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

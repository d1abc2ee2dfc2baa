"""Uploads (issue #8): a document is a plain PDF of at most 1 MB, judged by its content.

Exactly 1 MB is accepted and one byte more refused; HTML, EXE and ZIP files named `.pdf` are
refused; a PDF with active content (JavaScript, actions, embedded files, XFA …), an encrypted or
unreadable one is refused with a Dutch message at the field. Hostile files (deep nesting,
loops, dangling references, decompression bombs) get a verdict within bounded time and memory.
The download is always an attachment with nosniff.
"""

import io
import re
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from projects import pdf_safety
from projects.models import Document
from projects.pdf_safety import ACTIVE_CONTENT, ENCRYPTED, NOT_READABLE, pdf_refusal, pdf_verdict
from tests.conftest import Client, login
from tests.pdfs import (
    action,
    first_page,
    js,
    link_annotation,
    object_stream_pdf,
    padded_pdf,
    pdf_with,
    plain_pdf,
    raw_page_objects,
    raw_pdf,
    root,
)
from tests.projects.cast import projects_cast

MB = 1024 * 1024
NOT_A_PDF = "Dit bestand is geen PDF. Alleen PDF-bestanden kunnen worden toegevoegd."


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def upload(client: Client, project, name: str, content: bytes):  # type: ignore[no-untyped-def]
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("projects:document-add", args=[project.pk]), {"file": file})


def field_error(response) -> str:  # type: ignore[no-untyped-def]
    """The error text tied to the file input (id_file_error), as the field template renders it."""
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "id_file_error" in html, "the error is tied to the field"
    return html


# --- Size and type, through the page --------------------------------------------------------


@pytest.mark.django_db
def test_exactly_one_mb_of_real_pdf_is_accepted_and_one_byte_more_is_refused(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    exact, over = padded_pdf(MB), padded_pdf(MB + 1)
    assert (len(exact), len(over)) == (MB, MB + 1)
    assert len(PdfReader(io.BytesIO(exact)).pages) == 1, "still a readable PDF"

    refused = upload(client, project, "te-groot.pdf", over)
    assert refused.status_code == 200 and "Het bestand is groter dan 1 MB." in field_error(refused)
    assert upload(client, project, "precies.pdf", exact).status_code == 302

    stored = Document.objects.get(project=project, original_name="precies.pdf")
    with stored.file.open("rb") as handle:
        assert stored.size == MB and handle.read() == exact
    assert not Document.objects.filter(original_name="te-groot.pdf").exists()


NOT_PDF_FILES = {
    "html": b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"evil.js",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "empty-ish": b"\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NOT_PDF_FILES)
def test_a_file_that_is_not_a_pdf_but_named_pdf_is_refused_at_the_field(cast, olga, kind):
    response = upload(login(Client(), olga), cast["project"], f"{kind}.pdf", NOT_PDF_FILES[kind])
    assert response.status_code == 200 and NOT_A_PDF in field_error(response)
    assert not Document.objects.filter(original_name=f"{kind}.pdf").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("html-met-pdf-kop.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", NOT_READABLE),
        (
            "javascript.pdf",
            pdf_with(lambda w: root(w).update({NameObject("/OpenAction"): action("/JavaScript", JS=js())})),
            ACTIVE_CONTENT,
        ),
        ("beveiligd.pdf", pdf_with(lambda w: w.encrypt("geheim")), ENCRYPTED),
    ],
)
def test_a_pdf_that_is_unreadable_active_or_encrypted_is_refused_with_its_reason(cast, wim, name, content, message):
    before = Document.objects.count()
    response = upload(login(Client(), wim), cast["project"], name, content)
    assert response.status_code == 200 and message in field_error(response)
    assert Document.objects.count() == before, "nothing stored"


@pytest.mark.django_db
def test_the_download_is_an_attachment_with_nosniff_whatever_the_name(cast, olga, otto):
    project = cast["project"]
    content = plain_pdf("Rapport")
    assert upload(login(Client(), otto), project, 'rapport".html', content).status_code == 302
    document = Document.objects.get(project=project, original_name='rapport".html')

    response = login(Client(), olga).get(reverse("projects:document-download", args=[project.pk, document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".html.pdf" in disposition and '"rapport"' not in disposition
    assert b"".join(response.streaming_content) == content


# --- Active content: every way we know to make a PDF do something when opened ----------------


def _rendition_with_js(writer) -> None:  # type: ignore[no-untyped-def]
    # /S /Rendition is harmless by name; its /JS entry is not.
    root(writer)[NameObject("/OpenAction")] = action("/Rendition", JS=js())


def _xfa_form(writer) -> None:  # type: ignore[no-untyped-def]
    root(writer)[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")}
    )


def _rich_media(writer) -> None:  # type: ignore[no-untyped-def]
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]),
        }
    )
    first_page(writer)[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


ACTIVE_BUILT = {
    "open action javascript": lambda w: root(w).update({NameObject("/OpenAction"): action("/JavaScript", JS=js())}),
    "document javascript (names tree)": lambda w: root(w).update(
        {
            NameObject("/Names"): DictionaryObject(
                {
                    NameObject("/JavaScript"): DictionaryObject(
                        {NameObject("/Names"): ArrayObject([TextStringObject("a"), action("/JavaScript", JS=js())])}
                    )
                }
            )
        }
    ),
    "link annotation running javascript": lambda w: link_annotation(w, action("/JavaScript", JS=js())),
    "launch action": lambda w: link_annotation(w, action("/Launch", F=TextStringObject("cmd.exe"))),
    "submit form": lambda w: link_annotation(w, action("/SubmitForm", F=TextStringObject("https://evil.invalid/"))),
    "import data": lambda w: link_annotation(w, action("/ImportData", F=TextStringObject("data.fdf"))),
    "go to embedded": lambda w: link_annotation(w, action("/GoToE", D=TextStringObject("x"))),
    "embedded file": lambda w: w.add_attachment("factuur.exe", b"MZ\x90\x00"),
    "page additional actions": lambda w: first_page(w).update(
        {
            NameObject("/AA"): DictionaryObject(
                {NameObject("/O"): action("/URI", URI=TextStringObject("https://x.invalid"))}
            )
        }
    ),
    "catalog additional actions": lambda w: root(w).update(
        {NameObject("/AA"): DictionaryObject({NameObject("/WC"): action("/GoTo", D=ArrayObject())})}
    ),
    "open action opening a web page": lambda w: root(w).update(
        {NameObject("/OpenAction"): action("/URI", URI=TextStringObject("https://evil.invalid/"))}
    ),
    "rendition with javascript": _rendition_with_js,
    "xfa form": _xfa_form,
    "rich media (flash)": _rich_media,
}

# Each of these is seen by only one of the two looks: the parser's walk or the byte scan.
ACTIVE_RAW = {
    # Names may be written with #xx escapes; the parser decodes them, a byte scan would not.
    "escaped /J#61vaScript": raw_pdf(raw_page_objects(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")),
    "escaped /L#61unch": raw_pdf(raw_page_objects(b"/OpenAction << /S /L#61unch /F (calc.exe) >>")),
    # Compressed inside an object stream: only a parser sees it.
    "javascript in an object stream": object_stream_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    "embedded files in an object stream": object_stream_pdf(b"/Names << /EmbeddedF#69les << /Names [] >> >>"),
    # Not reachable from the catalog, but a lenient viewer may still find it.
    "javascript in an object left out of the xref table": raw_pdf(
        raw_page_objects(), unlisted=b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    ),
    "javascript in an unreferenced object": raw_pdf([*raw_page_objects(), b"<< /S /JavaScript /JS (x) >>"]),
    "javascript as an indirect stream": raw_pdf(
        [
            *raw_page_objects(b"/OpenAction << /S /JavaScr#69pt /JS 5 0 R >>"),
            b"<< /Length 10 >>\nstream\napp.alert(1)\nendstream",
        ]
    ),
    "open action in an indirect object": raw_pdf([*raw_page_objects(b"/OpenAction 5 0 R"), b"<< /S /URI /URI (x) >>"]),
}


@pytest.mark.parametrize("case", ACTIVE_BUILT)
def test_a_pdf_with_active_content_is_refused(case):
    assert pdf_refusal(pdf_with(ACTIVE_BUILT[case])) == ACTIVE_CONTENT


@pytest.mark.parametrize("case", ACTIVE_RAW)
def test_active_content_hidden_from_the_byte_scan_or_from_the_parser_is_found(case):
    assert pdf_refusal(ACTIVE_RAW[case]) == ACTIVE_CONTENT


def test_the_parser_finds_active_content_without_the_byte_scan(monkeypatch):
    """The two looks are independent: with the byte scan off, the walk alone still refuses."""
    monkeypatch.setattr(pdf_safety, "ACTIVE_BYTES", re.compile(rb"(?!)"))
    for build in ACTIVE_BUILT.values():
        assert pdf_verdict(pdf_with(build)) == "active"


# --- What an honest user uploads is accepted ------------------------------------------------

ACCEPTED = {
    "one page": plain_pdf(),
    "twenty pages": plain_pdf(pages=20),
    "exactly 1 MB": padded_pdf(MB),
    "open at a page (destination)": raw_pdf(raw_page_objects(b"/OpenAction [3 0 R /Fit]")),
    "open at a page (go-to action)": pdf_with(
        lambda w: root(w).update(
            {NameObject("/OpenAction"): action("/GoTo", D=ArrayObject([NumberObject(0), NameObject("/Fit")]))}
        )
    ),
    "hyperlink to a web page": pdf_with(
        lambda w: link_annotation(w, action("/URI", URI=TextStringObject("https://www.rijksoverheid.nl/")))
    ),
    "metadata": pdf_with(lambda w: w.add_metadata({"/Title": "Plan van aanpak", "/Author": "Gemeente"})),
    "empty additional actions": pdf_with(lambda w: first_page(w).update({NameObject("/AA"): DictionaryObject()})),
    "objects in an object stream (PDF 1.5)": object_stream_pdf(b""),
    "text mentioning JavaScript in a string": pdf_with(lambda w: w.add_metadata({"/Subject": "over JavaScript"})),
}


@pytest.mark.parametrize("case", ACCEPTED)
def test_an_ordinary_pdf_is_accepted(case):
    assert pdf_refusal(ACCEPTED[case]) is None


# --- Unreadable and encrypted ---------------------------------------------------------------

UNREADABLE = {
    "random bytes after the header": b"%PDF-1.4\n" + bytes(range(256)) * 200,
    "cut off halfway": plain_pdf()[:300],
    "no pages": raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]),
    "no catalog": raw_pdf([b"<< /Foo /Bar >>"]),
    "page tree that loops": raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>",
        ]
    ),
    "stream claiming a length of a terabyte": raw_pdf(
        [*raw_page_objects(b"/X 5 0 R"), b"<< /Length 999999999999 >>\nstream\nabc\nendstream"]
    ),
    "array nested 100,000 deep": raw_pdf(raw_page_objects(b"/Deep " + b"[" * 100_000 + b"]" * 100_000)),
    # 150 MB of spaces in 150 kB: pypdf stops inflating at our 20 MB limit.
    "decompression bomb in an object stream": object_stream_pdf(b"", padding=150_000_000),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_an_unreadable_pdf_is_refused_in_bounded_time(case):
    started = time.monotonic()
    assert pdf_refusal(UNREADABLE[case]) == NOT_READABLE
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "content",
    [
        pdf_with(lambda w: w.encrypt("geheim")),
        pdf_with(lambda w: w.encrypt("", "eigenaar")),  # opens without a password, still encrypted
        pdf_with(lambda w: w.encrypt("geheim", use_128bit=False)),
        # AES-256 (revision 6): refused before any decryption is tried.
        raw_pdf(
            [
                *raw_page_objects(),
                b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /O <%s> /U <%s> /OE <%s> /UE <%s> /Perms <%s> >>"
                % (b"ab" * 48, b"cd" * 48, b"ef" * 32, b"01" * 32, b"23" * 16),
            ],
            trailer=b"/Encrypt 5 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
        ),
    ],
    ids=["rc4 with password", "rc4 owner only", "rc4 40 bit", "aes 256"],
)
def test_an_encrypted_pdf_is_refused(content):
    assert pdf_refusal(content) == ENCRYPTED


# --- Bounds ---------------------------------------------------------------------------------


def test_a_file_of_loops_and_self_references_ends_with_a_verdict():
    objects = [*raw_page_objects(b"/Loop 5 0 R"), b"[5 0 R 1 0 R << /Self 5 0 R /Up 2 0 R >>]"]
    assert pdf_refusal(raw_pdf(objects)) is None, "no active content: loops alone are harmless"


def test_thousands_of_dangling_references_hit_the_time_budget(monkeypatch):
    # Each reference to a missing object makes pypdf search the whole file: 40,000 of them take
    # many seconds. The walk's own clock stops it (5 s in production; 0.2 s here to stay fast).
    monkeypatch.setattr(pdf_safety, "MAX_SECONDS", 0.2)
    refs = b" ".join(b"%d 0 R" % number for number in range(10, 40_010))
    started = time.monotonic()
    assert pdf_verdict(raw_pdf(raw_page_objects(b"/Many [" + refs + b"]"))) == "unreadable"
    assert time.monotonic() - started < 3


def test_more_objects_than_the_budget_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_safety, "MAX_OBJECTS", 100)
    assert pdf_verdict(raw_pdf(raw_page_objects() + [b"[%d]" % n for n in range(200)])) == "unreadable"
    assert pdf_verdict(raw_pdf(raw_page_objects() + [b"[%d]" % n for n in range(50)])) == "ok"


def test_a_child_that_runs_out_of_time_is_killed_and_the_file_refused(monkeypatch):
    monkeypatch.setattr(pdf_safety, "CHILD_WALL_SECONDS", 0.001)
    started = time.monotonic()
    assert pdf_refusal(plain_pdf()) == NOT_READABLE
    assert time.monotonic() - started < 5


def test_the_child_runs_with_cpu_and_memory_limits():
    """The limits are set in the child itself, before it reads a byte of the file."""
    code = (
        "import importlib.util, resource;"
        f"spec = importlib.util.spec_from_file_location('pdf_safety', {pdf_safety.__file__!r});"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module);"
        "module._child_main(); print();"
        "print(resource.getrlimit(resource.RLIMIT_CPU)[0], resource.getrlimit(resource.RLIMIT_AS)[0])"
    )
    probe = subprocess.run(
        [sys.executable, "-I", "-c", code], input=b"%PDF-1.4 x", capture_output=True, timeout=20, check=True
    )
    verdict, limits = probe.stdout.decode().splitlines()
    assert verdict == "unreadable"
    assert limits.split() == [str(pdf_safety.CHILD_CPU_SECONDS), str(pdf_safety.CHILD_MEMORY_BYTES)]

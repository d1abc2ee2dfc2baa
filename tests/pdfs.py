"""Real PDF files for the document tests, built with pypdf; and hand-made hostile ones.

`plain_pdf()` is what an honest user uploads; `padded_pdf(size)` is a valid PDF of exactly `size`
bytes; `pdf_with(...)` adds active content (JavaScript, actions, attachments, XFA) the way a
PDF tool would; `raw_pdf(...)` writes objects byte for byte with a correct xref table, for
files no tool would make.
"""

import io
import zlib
from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

A4 = (595, 842)


def _page_text(text: str, padding: int = 0) -> bytes:
    # A comment in the content stream pads the file without changing what the page shows.
    body = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET\n".encode()
    return body + (b"%" + b"x" * (padding - 2) + b"\n" if padding >= 2 else b"")


def _writer(text: str = "Plan van aanpak", pages: int = 1, padding: int = 0) -> PdfWriter:
    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(*A4)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(_page_text(f"{text} {number + 1}", padding if number == 0 else 0))
        page[NameObject("/Contents")] = writer._add_object(stream)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_pdf(text: str = "Plan van aanpak", pages: int = 1) -> bytes:
    return _bytes(_writer(text, pages))


def padded_pdf(size: int, text: str = "Plan van aanpak") -> bytes:
    """A valid one-page PDF of exactly `size` bytes (padded with a comment in the page)."""
    padding = 0
    for _ in range(10):
        data = _bytes(_writer(text, padding=padding))
        if len(data) == size:
            return data
        padding += size - len(data)
    raise AssertionError(f"could not make a PDF of exactly {size} bytes")


def action(kind: str, **entries: object) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject(kind),
            **{NameObject(f"/{key}"): value for key, value in entries.items()},  # type: ignore[misc]
        }
    )


def pdf_with(change: Callable[[PdfWriter], None], text: str = "Plan van aanpak") -> bytes:
    """A plain PDF, changed by `change(writer)` before it is written."""
    writer = _writer(text)
    change(writer)
    return _bytes(writer)


def root(writer: PdfWriter) -> DictionaryObject:
    return writer._root_object


def first_page(writer: PdfWriter) -> DictionaryObject:
    return writer.pages[0]


def link_annotation(writer: PdfWriter, link_action: DictionaryObject) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 700, 300, 720)]),
            NameObject("/A"): link_action,
        }
    )
    first_page(writer)[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def js(code: str = "app.alert('hallo')") -> TextStringObject:
    return TextStringObject(code)


def raw_pdf(
    objects: list[bytes],
    *,
    root_number: int = 1,
    trailer: bytes = b"",
    header: bytes = b"%PDF-1.7\n",
    unlisted: bytes = b"",
) -> bytes:
    """Objects 1..n as given (the body between `n 0 obj` and `endobj`), a correct xref table and trailer.

    `unlisted` is written after the objects but left out of the xref table.
    """
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += unlisted
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root_number,
        trailer,
        xref,
    )
    return bytes(out)


def raw_page_objects(extra_catalog: bytes = b"", extra_page: bytes = b"") -> list[bytes]:
    """Catalog (1), pages (2), one page (3) with an empty content stream (4)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + extra_page + b" >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]


def object_stream_pdf(hidden: bytes, padding: int = 0) -> bytes:
    """A PDF whose catalog lives compressed inside an object stream (xref stream, PDF 1.5+).

    `hidden` is added to the catalog: what a byte scan cannot see, only a parser can. `padding`
    spaces after the objects make the stream inflate to that much more (a decompression bomb).
    """
    inner = [
        b"<< /Type /Catalog /Pages 2 0 R " + hidden + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    offsets, body = [], b""
    for item in inner:
        offsets.append(len(body))
        body += item + b"\n"
    index = b" ".join(b"%d %d" % (number, offset) for number, offset in zip((1, 2, 3), offsets, strict=True)) + b"\n"
    packed = zlib.compress(index + body + b" " * padding, 9)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    objstm_offset = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(index),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    # Rows of /W [1 4 2]: type, field 2, field 3. Object 0 free; 1-3 in stream 4; 4 and 5 in the file.
    rows = [(0, 0, 65535)] + [(2, 4, i) for i in range(3)] + [(1, objstm_offset, 0), (1, xref_offset, 0)]
    table = b"".join(
        bytes([kind]) + first.to_bytes(4, "big") + second.to_bytes(2, "big") for kind, first, second in rows
    )
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)

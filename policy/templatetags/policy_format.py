"""Dutch money notation and the small, safe text markup of Beleid, news and information pages."""

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from policy.valuation import format_euro

register = template.Library()


@register.filter
def euro(value: object) -> str:
    """`€ 1.234,56`; empty for no value."""
    if value is None or value == "":
        return ""
    try:
        return format_euro(Decimal(str(value)))
    except InvalidOperation:
        return ""


_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(line: str) -> str:
    html = escape(line)
    html = _LINK.sub(r'<a class="utrecht-link" href="\2" rel="noopener noreferrer">\1</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


@register.filter
def markup(text: str) -> SafeString:
    """Render text written by coördinatiepunt staff: `#` headings, `-` lists, paragraphs, **bold**, *italic*, links.

    Everything is escaped first; only these constructs become HTML, so no markup of the author's
    own can reach the page."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(f'<p class="utrecht-paragraph">{"<br>".join(paragraph)}</p>')
            paragraph.clear()
        if items:
            blocks.append(
                '<ul class="utrecht-unordered-list">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
            )
            items.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if not line:
            flush()
        elif heading:
            flush()
            # Page titles are h1; headings in the text start one level down.
            level = min(len(heading.group(1)) + 1, 5)
            title = _inline(heading.group(2).strip("*").strip())
            blocks.append(f'<h{level} class="utrecht-heading-{level}">{title}</h{level}>')
        elif line.startswith(("- ", "* ")):
            if paragraph:
                blocks.append(f'<p class="utrecht-paragraph">{"<br>".join(paragraph)}</p>')
                paragraph.clear()
            items.append(_inline(line[2:]))
        else:
            if items:
                flush()
            paragraph.append(_inline(line))
    flush()
    return mark_safe("\n".join(blocks))  # noqa: S308 - built from escaped text only

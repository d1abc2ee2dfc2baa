"""Dutch money notation and the small, safe text markup of Beleid, news and information pages."""

import re
from collections.abc import Callable
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
# A page of the portal itself: one slash, then path characters only (`//host` and `/\host` leave the site).
_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\((/(?![/\\])[\w\-.~/?#=%;&]*)\)")
_NUMBERED = re.compile(r"^\d{1,3}\.\s+(.*)$")
# A picture on a line of its own, only where the caller knows where pictures live (the handleidingen):
# `![alt text](afbeelding:name)`.
PICTURE = re.compile(r"^!\[([^\]]+)\]\(afbeelding:([a-z0-9][a-z0-9-]*)\)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def _inline(line: str) -> str:
    html: str = escape(line)
    html = _LINK.sub(r'<a class="utrecht-link" href="\2" rel="noopener noreferrer">\1</a>', html)
    html = _LOCAL_LINK.sub(r'<a class="utrecht-link" href="\2">\1</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


@register.filter
def markup(text: str, pictures: Callable[[str], str] | None = None) -> SafeString:
    """Render text written by coördinatiepunt staff: `#` headings, `-` and `1.` lists, paragraphs, **bold**,
    *italic*, links to the web and to pages of the portal (`[tekst](/beleid/)`). With `pictures` (a name to
    its address), a line `![alt](afbeelding:name)` is a figure; without, it stays text.

    Everything is escaped first; only these constructs become HTML, so no markup of the author's
    own can reach the page."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_kind = "ul"

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(f'<p class="utrecht-paragraph">{"<br>".join(paragraph)}</p>')
            paragraph.clear()

    def flush_list() -> None:
        if items:
            css = "utrecht-unordered-list" if list_kind == "ul" else "utrecht-ordered-list"
            entries = "".join(f"<li>{item}</li>" for item in items)
            blocks.append(f'<{list_kind} class="{css}">{entries}</{list_kind}>')
            items.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        numbered = _NUMBERED.match(line)
        picture = PICTURE.match(line) if pictures else None
        if not line:
            flush_paragraph()
            flush_list()
        elif heading:
            flush_paragraph()
            flush_list()
            # Page titles are h1; headings in the text start one level down.
            level = min(len(heading.group(1)) + 1, 5)
            title = _inline(heading.group(2).strip("*").strip())
            blocks.append(f'<h{level} class="utrecht-heading-{level}">{title}</h{level}>')
        elif picture and pictures:
            flush_paragraph()
            flush_list()
            alt, src = escape(picture.group(1)), escape(pictures(picture.group(2)))
            blocks.append(f'<figure class="srm-figure"><img src="{src}" alt="{alt}"></figure>')
        elif line.startswith(("- ", "* ")) or numbered:
            flush_paragraph()
            kind = "ol" if numbered else "ul"
            if kind != list_kind:
                flush_list()
                list_kind = kind
            items.append(_inline(numbered.group(1) if numbered else line[2:]))
        else:
            flush_list()
            paragraph.append(_inline(line))
    flush_paragraph()
    flush_list()
    return mark_safe("\n".join(blocks))  # noqa: S308 - built from escaped text only

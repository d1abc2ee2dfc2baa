"""Server-rendered SVG charts for the dashboard: no scripts, no inline styles (CSP).

Each builder takes plain rows and returns the `<svg>` markup, built with `format_html` so every
label is escaped. Colours come from classes in portal.css. The SVG is a picture (`role="img"`
with a `<title>` and `<desc>`); the page puts a table with the same numbers beside it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_CHARS = 60  # longer names are cut in the picture; the table has them in full


@dataclass(frozen=True)
class TargetBar:
    """One row of realisation against obligation."""

    label: str
    target: Decimal
    actueel: Decimal
    prognose: Decimal
    note: str  # shown at the right, e.g. "82 % / 104 %"


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    value_text: str
    code: str  # the modifier of its colour class, srm-chart__segment--<code>


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
    value_text: str


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal
    value_text: str


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _n(number: float) -> str:
    """A coordinate: one decimal is plenty at this size."""
    return f"{number:.1f}"


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _svg(*, chart_id: str, title: str, description: str, height: float, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="srm-chart__svg" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=_n(height),
        title=title,
        description=description,
        body=body,
    )


def _text(x: float, y: float, text: str, css: str = "srm-chart__label", anchor: str = "start") -> SafeString:
    return format_html('<text class="{}" x="{}" y="{}" text-anchor="{}">{}</text>', css, _n(x), _n(y), anchor, text)


def _rect(x: float, y: float, width: float, height: float, css: str) -> SafeString:
    return format_html(
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>', css, _n(x), _n(y), _n(width), _n(height)
    )


def _line(x1: float, y1: float, x2: float, y2: float, css: str) -> SafeString:
    return format_html('<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>', css, _n(x1), _n(y1), _n(x2), _n(y2))


def _scale(values: Iterable[Decimal | int], length: float) -> float:
    """User units per unit of value, so that the largest value spans `length`."""
    largest = max((float(value) for value in values), default=0.0)
    return length / largest if largest > 0 else 0.0


def target_bars(rows: Sequence[TargetBar], *, chart_id: str, title: str, description: str) -> SafeString:
    """Per row a track as long as the target (with a stripe at its end), prognose and actueel drawn over it."""
    if not rows:
        return SafeString("")
    scale = _scale([value for row in rows for value in (row.target, row.prognose, row.actueel)], WIDTH - 2)
    legend = [
        _rect(0, 4, 14, 14, "srm-chart__actueel"),
        _text(20, 16, "SR actueel"),
        _rect(130, 4, 14, 14, "srm-chart__prognose"),
        _text(150, 16, "SR prognose"),
        _line(270, 2, 270, 20, "srm-chart__target"),
        _text(278, 16, "SR verplichting"),
    ]
    parts = []
    for index, row in enumerate(rows):
        top = 36 + index * 52
        target_x = 1 + float(row.target) * scale
        parts += [
            _text(0, top + 14, _cut(row.label)),
            _text(WIDTH, top + 14, row.note, "srm-chart__value", "end"),
            _rect(1, top + 22, float(row.target) * scale, 20, "srm-chart__track"),
            _rect(1, top + 22, float(row.prognose) * scale, 20, "srm-chart__prognose"),
            _rect(1, top + 22, float(row.actueel) * scale, 20, "srm-chart__actueel"),
            _line(target_x, top + 17, target_x, top + 47, "srm-chart__target"),
        ]
    height = 36 + len(rows) * 52
    return _svg(chart_id=chart_id, title=title, description=description, height=height, body=_join(legend + parts))


def stacked_bar(segments: Sequence[Segment], *, chart_id: str, title: str, description: str) -> SafeString:
    """One bar split into the segments, with a legend line per segment that carries its number."""
    total = sum(segment.value for segment in segments)
    parts = [_rect(1, 1, WIDTH - 2, 30, "srm-chart__track")]
    x = 1.0
    for segment in segments:
        if total and segment.value:
            width = (WIDTH - 2) * segment.value / total
            parts.append(_rect(x, 1, width, 30, f"srm-chart__segment srm-chart__segment--{segment.code}"))
            x += width
    for index, segment in enumerate(segments):
        top = 44 + index * 24
        parts += [
            _rect(0, top, 14, 14, f"srm-chart__segment srm-chart__segment--{segment.code}"),
            _text(22, top + 12, f"{segment.label}: {segment.value_text}"),
        ]
    height = 44 + len(segments) * 24
    return _svg(chart_id=chart_id, title=title, description=description, height=height, body=_join(parts))


def bars(items: Sequence[Bar], *, chart_id: str, title: str, description: str) -> SafeString:
    """Horizontal bars, the label above each bar and its number at the right."""
    if not items:
        return SafeString("")
    scale = _scale([item.value for item in items], WIDTH - 2)
    parts = []
    for index, item in enumerate(items):
        top = index * 44
        parts += [
            _text(0, top + 14, _cut(item.label)),
            _text(WIDTH, top + 14, item.value_text, "srm-chart__value", "end"),
            _rect(1, top + 20, float(item.value) * scale, 16, "srm-chart__bar"),
        ]
    return _svg(chart_id=chart_id, title=title, description=description, height=len(items) * 44, body=_join(parts))


def trend_line(points: Sequence[Point], *, chart_id: str, title: str, description: str) -> SafeString:
    """A line through the points, each with its value above and its label below."""
    if not points:
        return SafeString("")
    margin, top, bottom = 56, 34, 176
    step = (WIDTH - 2 * margin) / max(1, len(points) - 1)
    scale = _scale([point.value for point in points], bottom - top)
    xy = [(margin + index * step, bottom - float(point.value) * scale) for index, point in enumerate(points)]
    parts = [
        _line(0, bottom, WIDTH, bottom, "srm-chart__axis"),
        format_html('<polyline class="srm-chart__line" points="{}"/>', " ".join(f"{_n(x)},{_n(y)}" for x, y in xy)),
    ]
    for (x, y), point in zip(xy, points, strict=True):
        parts += [
            format_html('<circle class="srm-chart__point" cx="{}" cy="{}" r="5"/>', _n(x), _n(y)),
            _text(x, y - 12, point.value_text, "srm-chart__value", "middle"),
            _text(x, bottom + 24, point.label, "srm-chart__label", "middle"),
        ]
    return _svg(chart_id=chart_id, title=title, description=description, height=bottom + 34, body=_join(parts))

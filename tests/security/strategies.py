"""Bad input as Hypothesis strategies: what a careless user, a broken client or an attacker sends.

A form is described as {field name: kind}; `submission` starts from data the form accepts and
spoils some fields with values of their kind (or of any kind), leaves some out, and swaps date
pairs so the end lies before the start.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hypothesis import strategies as st

# Every code point except lone surrogates (they can't travel as UTF-8): control characters and NUL included.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
LONG = "x" * 10_000

# The most different first: every run takes the first three, a deep run all (tests/lanes.py).
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[klik](javascript:alert(1))",
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "'><iframe srcdoc='<script>alert(1)</script>'>",
    "{{ 7*7 }}",
    "{% debug %}",
    '<a href="javascript:alert(1)">x</a>',
]

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "\u202e\u0644\u0627",  # right-to-left override and Arabic
    "\ufeff",
    "𝕏🏳️‍🌈",
    "e\u0301",  # combining accent
    "NULL",
    "None",
    "[]",
    "' OR 1=1 --",
    "%00%0d%0a",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    LONG,
    "é" * 10_000,
    "1" * 10_000,
    *XSS_PAYLOADS,
]

texts = st.one_of(st.text(ANY_CHAR, max_size=40), st.sampled_from(NASTY_TEXT))

amounts = st.one_of(
    st.sampled_from(
        [
            "-1",
            "-0,01",
            "-1.000,00",
            "€ -5",
            "0",
            "1e400",
            "1E5",
            "NaN",
            "nan",
            "sNaN",
            "Infinity",
            "-Infinity",
            "9" * 30,
            "99999999999999,99",
            "9999999999,99",
            "1,999",
            "0,001",
            "1.2.3",
            "1,2,3",
            "1.000.000.000.000.000,00",
            "€",
            "12abc",
            "0x10",
            "١٢٣",  # Arabic-Indic digits
            "½",
            "1_000",
            "+5",
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(lambda d: str(d).replace(".", ",")),
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(str),
)

integers = st.one_of(
    st.sampled_from(["-1", "0", "2147483648", "9" * 30, "1.5", "1,5", "abc", "", "1e3", " 7 ", "٣"]),
    st.integers(-(10**12), 10**12).map(str),
)


# (start, end) pairs at the first and last day a date can have.
CALENDAR_ENDS = [
    ("31-12-9999", "31-12-9999"),
    ("01-01-0001", "01-01-0001"),
    ("01-01-0001", "31-12-9999"),
    ("15-12-9999", "31-12-9999"),
]


def _dutch(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


dates = st.one_of(
    st.sampled_from(
        [
            "31-02-2026",
            "29-02-2025",
            "00-00-0000",
            "0001-01-01",
            "01-01-0001",
            "9999-12-31",
            "31-12-9999",
            "2026-13-01",
            "2026-02-30",
            "32-01-2026",
            "1-1-1",
            "10000-01-01",
            "-2026-01-01",
            "2026/01/01",
            "morgen",
            "0",
        ]
    ),
    st.dates().map(_dutch),
    st.dates().map(date.isoformat),
)

ids = st.one_of(
    st.sampled_from(["0", "-1", "99999999", "9" * 25, "abc", "1.0", " 1", "1 OR 1=1", "nieuw", "None"]),
    st.integers(-(10**6), 10**19).map(str),
)

checkboxes = st.sampled_from(["on", "off", "false", "0", "", "true", "yes", "1"])

# Values of one kind of field; any other kind's values are also drawn, as a confused client would send.
BY_KIND = {
    "text": texts,
    "email": st.one_of(
        texts,
        st.sampled_from(["a@b", "@example.nl", "a@@b.nl", "a b@c.nl", "x" * 250 + "@b.nl", "é@é.nl", "a@b.nl\x00"]),
    ),
    "amount": amounts,
    "int": integers,
    "date": dates,
    "id": ids,
    "choice": texts,
    "bool": checkboxes,
    "revision": integers,
}
anything = st.one_of(*BY_KIND.values())


@dataclass
class Spec:
    """The fields of one form: their kinds, ids outside the user's scope, and date pairs."""

    kinds: Mapping[str, str]
    foreign: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    pairs: Sequence[tuple[str, str]] = ()


DROP = object()


@st.composite
def submission(draw: st.DrawFn, spec: Spec, valid: Mapping[str, Any]) -> dict[str, Any]:
    """`valid` with some fields spoiled: a bad value of its kind, a foreign id, any value, or left out."""
    data = dict(valid)
    for name, kind in spec.kinds.items():
        choices = ["keep", "keep", "bad", "any", "drop"]
        if spec.foreign.get(name):
            choices += ["foreign", "foreign"]
        action = draw(st.sampled_from(choices), label=f"{name}: action")
        if action == "bad":
            data[name] = draw(BY_KIND[kind], label=name)
        elif action == "any":
            data[name] = draw(anything, label=name)
        elif action == "foreign":
            data[name] = str(draw(st.sampled_from(list(spec.foreign[name])), label=name))
        elif action == "drop":
            data[name] = DROP
    for start, end in spec.pairs:
        if start not in valid or end not in valid:
            continue
        action = draw(st.sampled_from(["keep", "end before start", "calendar ends"]), label=f"{start}, {end}")
        if action == "end before start":  # both well-formed dates
            first = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), label=start)
            gap = draw(st.integers(1, 4000), label="days between")
            data[start] = _dutch(first)
            data[end] = _dutch(date.fromordinal(max(1, first.toordinal() - gap)))
        elif action == "calendar ends":  # a valid order, but months added or taken overflow the calendar
            data[start], data[end] = draw(st.sampled_from(CALENDAR_ENDS), label=f"{start}, {end}")
    return {name: value for name, value in data.items() if value is not DROP}

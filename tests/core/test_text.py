"""Counted phrases and sentences ending in a name (issue 24).

Every phrase is rendered at 0, 1 and 2: Dutch takes the singular only at 1. A scan of the
templates and the code keeps new counts on this machinery instead of `|pluralize` or
`== 1` branches."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils.translation import trans_real

from core.text import PHRASES, counted, format_count, sentence

ROOT = Path(settings.BASE_DIR)
DJANGO = engines["django"]

# What the singular of each phrase must contain at 1 (and the plural must not).
SINGULAR = {
    "regels": "1 regel",
    "regels_te_valideren": "1 regel te valideren",
    "regels_teruggestuurd": "1 teruggestuurde regel ",
    "regels_teruggestuurd_kort": "1 teruggestuurde regel",
    "regels_niet_gevalideerd": "Er is nog 1 regel die niet is gevalideerd.",
    "regels_gevalideerd_van": "van 1 regel gevalideerd",
    "regels_toegevoegd": "1 regel toegevoegd",
    "regels_gewijzigd": "1 regel gewijzigd",
    "rijen_niet_opgeslagen": "1 rij niet opgeslagen",
    "projecten": "1 project",
    "projecten_actief": "1 actief project",
    "projecten_goed_te_keuren": "1 project waarvan",
    "projecten_af_te_ronden": "1 goedgekeurd project ",
    "projecten_andere": "op een ander project.",
    "kandidaten": "1 kandidaat",
    "rijen": "1 rij",
    "emails": "1 e-mail",
    "wijzigingen_laatste": "De laatste wijziging.",
    "dagen": "1 dag",
    "seconden": "1 seconde",
}


def test_every_phrase_has_a_checked_singular():
    assert set(SINGULAR) == set(PHRASES)


@pytest.mark.parametrize("phrase", sorted(PHRASES))
def test_singular_only_at_one(phrase):
    needle = SINGULAR[phrase] if not SINGULAR[phrase][-1].isalnum() else SINGULAR[phrase] + " "
    assert needle in counted(phrase, 1) + " "
    for n in (0, 2):
        many = counted(phrase, n) + " "
        # "0 regels", not "0 regel": the singular with the other number is not in the plural.
        assert needle.replace("1", str(n), 1) not in many, many
        assert str(n) in many


def test_counts_have_thousands_separators():
    assert counted("regels", 12345) == "12.345 regels"
    assert format_count(1234567) == "1.234.567"


def test_known_plurals():
    assert counted("regels_te_valideren", 1) == "1 regel te valideren"
    assert counted("regels_te_valideren", 2) == "2 regels te valideren"
    assert counted("projecten_af_te_ronden", 1) == "1 goedgekeurd project om af te ronden"
    assert counted("projecten_af_te_ronden", 3) == "3 goedgekeurde projecten om af te ronden"
    assert counted("projecten_goed_te_keuren", 1).startswith("1 project waarvan")
    assert counted("regels_niet_gevalideerd", 2) == "Er zijn nog 2 regels die niet zijn gevalideerd."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("namens Bouwbedrijf Hunzebouw B.V.", "namens Bouwbedrijf Hunzebouw B.V."),
        ("namens Gemeente Assen", "namens Gemeente Assen."),
        ("Klaar!", "Klaar!"),
        ("Wat nu?", "Wat nu?"),
        ("regio Drenthe e.o.  ", "regio Drenthe e.o."),
        ("", ""),
    ],
)
def test_sentence_ends_in_one_full_stop(text, expected):
    assert sentence(text) == expected


def test_template_tags():
    template = DJANGO.from_string(
        '{% load core_text %}{{ n|counted:"regels_te_valideren" }} | {% sentence %}namens {{ name }}{% endsentence %}'
    )
    assert template.render({"n": 1, "name": "Hunzebouw B.V."}) == "1 regel te valideren | namens Hunzebouw B.V."
    assert template.render({"n": 2, "name": "Hunzebouw"}) == "2 regels te valideren | namens Hunzebouw."
    # The name is escaped before the full stop is added.
    assert "&lt;b&gt;." in template.render({"n": 0, "name": "<b>"})


# --- the scan: no count outside this machinery -------------------------------------------------

TEMPLATE_HACKS = re.compile(r"\|pluralize|\b(count|projects|total|n) == 1 %\}|== 1 %\}1 ")
PYTHON_HACKS = re.compile(r"""["'][^"']*\b1 [a-z]+["'] if [a-z_.()]+ == 1 else|if [a-z_.]*(count|hidden|\bn) == 1:""")


def _files(pattern: str) -> list[Path]:
    skip = {".venv", "node_modules", ".git", "tests"}
    return [path for path in ROOT.rglob(pattern) if not skip & set(path.relative_to(ROOT).parts)]


def test_no_template_counts_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files("*.html") + _files("*.txt")
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), 1)
        if TEMPLATE_HACKS.search(line)
    ]
    assert offenders == [], "use {{ n|counted:'…' }} (core.text.PHRASES) for counts"


def test_no_python_plurals_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PYTHON_HACKS.search(line)
    ]
    assert offenders == [], "use core.text.counted() for counts"


# --- The nl catalogue (locale/nl/LC_MESSAGES/django.po, compiled by the scripts) -----------------

CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
# What makemessages reads: the code and templates of the portal (scripts/messages ignores the rest).
SOURCES = ("accounts", "core", "demo", "notifications", "policy", "projects", "reporting", "srmonitor", "templates")


def forms(phrase) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The singular and plural msgid of an ngettext_lazy phrase (Django keeps them on the proxy)."""
    return phrase._kw["singular"], phrase._kw["plural"]


def catalogue_entries(path: Path) -> set[tuple[str, str]]:
    """(msgid, msgid_plural or "") of every entry but the header."""
    text = path.read_text(encoding="utf-8")
    entries = re.findall(r'^msgid "(.*)"\n(?:msgid_plural "(.*)"\n)?', text, flags=re.M)
    return {entry for entry in entries if entry[0]}


def test_the_catalogue_holds_every_marked_phrase_and_nothing_else(tmp_path):
    """makemessages over a copy of the sources gives exactly the entries of the committed catalogue:
    a phrase marked for translation but not in the catalogue, or left behind there, fails here."""
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale").mkdir()
    environment = {**os.environ, "SECRET_KEY": "messages-check", "DEBUG": "false", "PYTHONPATH": str(tmp_path)}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "nl", "--no-location", "--no-obsolete", "--no-wrap"],
        cwd=tmp_path,
        env=environment,
        check=True,
        capture_output=True,
        timeout=60,
    )
    extracted = catalogue_entries(tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    committed = catalogue_entries(CATALOGUE)
    assert {forms(phrase) for phrase in PHRASES.values()} <= extracted
    assert extracted - committed == set(), "marked but not in the catalogue: run scripts/messages"
    assert committed - extracted == set(), "in the catalogue but no longer marked: run scripts/messages"


def test_the_compiled_catalogue_gives_the_dutch_forms():
    """The .mo that the scripts compile is what Django reads: its plural rule and every phrase's forms."""
    catalogue = trans_real.translation("nl")
    assert CATALOGUE.with_suffix(".mo").exists(), "not compiled: scripts/test and scripts/run run msgfmt"
    assert [catalogue.plural(n) for n in (0, 1, 2)] == [1, 0, 1]
    for phrase in PHRASES.values():
        singular, plural = forms(phrase)
        assert catalogue._catalog[(singular, 0)] == singular
        assert catalogue._catalog[(singular, 1)] == plural

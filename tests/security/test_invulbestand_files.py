"""Hostile and sloppy invulbestanden through the upload page (issue #29): never a server error, a Dutch
message for every problem, and not a line or kandidaat saved.

Files are drawn from a valid one: columns shuffled, dropped or added, empty rows, merged cells,
formulas, 10,000-character cells, control characters, numbers and dates in odd shapes, another
project's line numbers, another organisation's kandidaten; written as .xlsx or as CSV in several
encodings and delimiters. Beside them the hostile files every run tries: a million rows, macros, a
password, a zip bomb, XML entities. SRM_FUZZ_EXAMPLES sets the number of drawn files."""

import csv
import io
import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from projects.invulbestand import COLUMNS, kandidaat_label
from projects.models import Invulbestand, Inzet, Kandidaat
from tests import lanes
from tests.conftest import Client, login
from tests.projects.cast import make_inzet, projects_cast
from tests.security.strategies import NASTY_TEXT, texts
from tests.workbooks import OLE, entity_workbook, macro_workbook, million_rows, zip_bomb

pytestmark = pytest.mark.django_db
EXAMPLES = lanes.examples(15)
HEADERS = [c.header for c in COLUMNS]
# What Django says in English when the language is wrong: none of it may reach the user.
ENGLISH = re.compile(r"\b(Enter a|This field|Ensure this|Select a valid|is required|is invalid|not a valid)\b")


@pytest.fixture
def world(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    w = projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)
    w["otto"] = otto
    w["other_line"] = make_inzet(w["project_other_org"], w["other_kandidaat"])
    return w


def valid_row(w: dict, n: int) -> dict[str, object]:
    start = w["project"].start_date + timedelta(days=30 + n)
    return {
        "Voorletters": "P.",
        "Achternaam": f"Puk{n}",
        "Geboortedatum": "01-01-2003",
        "Doelgroep": "Stagiair",
        "Soort inzet": "Stage",
        "Startdatum": start,
        "Einddatum": start + timedelta(days=59),
        "Bedrag": Decimal("300"),
        "Niveau": "mbo",
    }


def odd_values(w: dict) -> st.SearchStrategy[object]:
    return st.one_of(
        texts,
        st.sampled_from(NASTY_TEXT),
        st.sampled_from(
            [
                "=1+1",
                '=WEBSERVICE("http://example.invalid")',
                "31-02-2026",
                "2026-13-01",
                "1.234,56",
                "1,234.56",
                "-5",
                "1e309",
                "NaN",
                "∞",
                str(w["other_line"].pk),
                str(w["inzet_validated"].pk),
                kandidaat_label(w["other_kandidaat"]),
                "Vliegles",
                "HBO",
                True,
            ]
        ),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.integers(min_value=-(2**63), max_value=2**63),
        st.dates(),
    )


@st.composite
def sloppy_files(draw: st.DrawFn, w: dict) -> tuple[str, bytes]:
    rows = [valid_row(w, n) for n in range(draw(st.integers(1, 4)))]
    for row in rows:  # spoil some cells
        for header in draw(st.lists(st.sampled_from(HEADERS), max_size=3)):
            row[header] = draw(odd_values(w))
    headers = draw(st.permutations(HEADERS))
    headers = [h for h in headers if not draw(st.booleans()) or h not in ("Voorletters", "Niveau", "Bedrag")]
    extra = draw(st.lists(st.text(max_size=12).filter(lambda t: t.strip() and "\x00" not in t), max_size=2))
    table = [[*headers, *extra]]
    for row in rows:
        table.append([row.get(h) for h in headers] + ["eigen"] * len(extra))
        if draw(st.booleans()):
            table.append([])  # an empty row
    kind = draw(st.sampled_from(["xlsx", "csv-utf8", "csv-bom", "csv-1252", "csv-utf16"]))
    if kind == "xlsx":
        return "regels.xlsx", _xlsx(table, merge=draw(st.booleans()))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    return "regels.csv", _csv(table, kind, delimiter)


def _xlsx(table: list[list[object]], merge: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Regels"
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c)
            try:
                cell.value = value  # a text starting with = becomes a formula without a cached value
            except Exception:
                cell.value = repr(value)[:100].replace("\\", "/")
                cell.value = re.sub(r"[\x00-\x1f]", "?", cell.value)
    if merge and len(table) > 2:
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(table: list[list[object]], kind: str, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in table:
        writer.writerow(["" if v is None else f"{v:%d-%m-%Y}" if hasattr(v, "strftime") else str(v) for v in row])
    text = out.getvalue()
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-1252": "cp1252", "csv-utf16": "utf-16"}[kind]
    return text.encode(encoding, errors="replace")


HOSTILE = {
    "a million rows": lambda: million_rows(),
    "a million empty rows": lambda: million_rows(empty=True),
    "macros": macro_workbook,
    "password or .xls": lambda: OLE + b"\0" * 4096,
    "zip bomb": zip_bomb,
    "billion laughs": entity_workbook,
}


def check_upload(client: Client, w: dict, name: str, content: bytes) -> None:
    project = w["project"]
    lines, kandidaten = Inzet.objects.count(), Kandidaat.objects.count()
    before = set(Invulbestand.objects.values_list("pk", flat=True))
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client.post(reverse("projects:invulbestand-upload", args=[project.pk]), {"file": file})
    assert response.status_code in (200, 302), f"status {response.status_code}"
    assert (Inzet.objects.count(), Kandidaat.objects.count()) == (lines, kandidaten), (
        "nothing of the verantwoording saved"
    )
    if response.status_code == 200:  # the file as a whole refused, at its field
        form = response.context["form"]
        assert form.errors, "shown again without a reason"
        messages = [str(m) for errors in form.errors.values() for m in errors]
        assert all(m and not ENGLISH.search(m) for m in messages), messages
        assert set(Invulbestand.objects.values_list("pk", flat=True)) == before, "a refused file is not kept"
        return
    checked = Invulbestand.objects.exclude(pk__in=before).get()
    page = client.get(response["Location"])
    assert page.status_code == 200
    for problem in checked.problems:
        assert problem["message"] and not ENGLISH.search(problem["message"]), problem
        assert problem["message"] in page.content.decode() or len(checked.problems) > 200
    if checked.problems:
        errors = client.get(reverse("projects:invulbestand-errors", args=[project.pk, checked.pk]))
        assert errors.status_code == 200
        load_workbook(io.BytesIO(b"".join(errors.streaming_content)))


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=pytest.mark.slow) if "million" in name else name for name in HOSTILE]
)
def test_a_hostile_file_is_refused_in_dutch_and_nothing_is_kept(world, name):
    client = login(Client(), world["otto"])
    check_upload(client, world, "regels.xlsx", HOSTILE[name]())


def test_sloppy_files_never_break_the_check_and_save_nothing(world):
    client = login(Client(), world["otto"])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("SRM_FUZZ_RANDOM"),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(file=sloppy_files(world))
    def examples(file: tuple[str, bytes]) -> None:
        with transaction.atomic():
            try:
                check_upload(client, world, *file)
            finally:
                transaction.set_rollback(True)

    examples()

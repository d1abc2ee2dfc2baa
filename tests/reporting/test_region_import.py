"""Reading a region workbook (issue #32): the export of a region reads back without a problem, with a row for every
thing exported; a sloppy or hostile workbook gives every problem by sheet, row and column in Dutch."""

import io
import tempfile
from datetime import date

import pytest
from openpyxl import load_workbook

from core.spreadsheets import MESSAGES
from policy.models import PolicyVersion
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
from projects.models import Inzet
from reporting.excel import workbook_write
from reporting.region_export import region_sheets
from reporting.region_read import policy_versions_read, read_region_workbook
from tests.factories import UserFactory, policy_version
from tests.reporting.test_region_export import drenthe_data  # noqa: F401 - the fixture (used by name)
from tests.workbooks import OLE, zip_bomb

pytestmark = pytest.mark.django_db


def exported_bytes(region) -> bytes:  # type: ignore[no-untyped-def]
    _, sheets = region_sheets(region)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        workbook_write(sheets, file.name)
        return file.read()


def edited(content: bytes, sheet: str, header: str, value: object, row: int = 1) -> bytes:
    """The workbook with the cell of `header` in the `row`-th data row of `sheet` set to `value`."""
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet]
    header_row = next(r for r in ws.iter_rows() if header in [c.value for c in r])
    column = next(c.column for c in header_row if c.value == header)
    ws.cell(row=header_row[0].row + row, column=column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(content: bytes) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.sheet, p.row, p.column, p.message) for p in read_region_workbook(content, "regio.xlsx").problems]


def test_the_export_of_a_region_reads_back_without_problems_and_with_every_row(drenthe_data, drenthe):  # noqa: F811
    content = exported_bytes(drenthe)
    count, _ = region_sheets(drenthe)

    read = read_region_workbook(content, "regio.xlsx")

    assert read.problems == []
    assert sum(read.counts().values()) == count
    (project,) = read.rows["Projecten"]
    assert project["Projectnaam"] == "Brug Veenhoven" and project["Sleutel"] == f"P{drenthe_data['project'].pk}"
    (note,) = read.rows["Interne notities"]
    assert note["Notitie"] == "=1+1 is een formule", "the export's apostrophe is not part of the text"
    line = next(i for i in read.rows["Inzet"] if i["Sleutel"] == f"I{drenthe_data['validated'].pk}")
    drenthe_data["validated"].refresh_from_db()
    assert line["Waarde prognose"] == drenthe_data["validated"].value_prognose
    assert line["Redenen"].split("\n") == drenthe_data["validated"].reasons


def test_sloppy_cells_and_broken_references_are_named_by_sheet_row_and_column(drenthe_data, drenthe):  # noqa: F811
    content = exported_bytes(drenthe)
    cases = [
        (("Projecten", "Startdatum", "volgende week"), "Vul een datum in (dd-mm-jjjj)."),
        (("Projecten", "SR verplichting", "veel"), "Vul een getal in."),
        (("Projecten", "Projectnaam", None), "Vul deze cel in."),
        (("Projecten", "Opdrachtgever", "O999999"), "O999999 staat niet op het blad ‘Organisaties’."),
        (("Inzet", "Beleidsversie", "V999999"), "V999999 staat niet op het blad ‘Beleidsversies’."),
        (("Contactpersonen", "Gebruiker", "niemand@elders.invalid"), "staat niet op het blad ‘Gebruikers’."),
        (("Kandidaten", "Geboortedatum", "=TODAY()"), "formule zonder berekende waarde"),
    ]
    for (sheet, header, value), message in cases:
        found = problems(edited(content, sheet, header, value))
        assert [(s, c) for s, r, c, m in found if message in m] == [(sheet, header)], (header, found)
        assert all(r is not None for s, r, c, m in found if message in m)


def test_a_key_twice_is_named_with_the_row_it_repeats(drenthe_data, drenthe):  # noqa: F811
    content = exported_bytes(drenthe)
    book = load_workbook(io.BytesIO(content))
    ws = book["Inzet"]
    header = next(r for r in ws.iter_rows() if "Sleutel" in [c.value for c in r])[0].row
    first = ws.cell(row=header + 1, column=1).value
    ws.cell(row=header + 2, column=1).value = first
    out = io.BytesIO()
    book.save(out)

    found = problems(out.getvalue())

    assert ("Inzet", header + 2, "Sleutel", f"De sleutel {first} staat ook in rij {header + 1}.") in found


def test_a_missing_sheet_and_hostile_files_are_refused_with_their_reason(drenthe_data, drenthe):  # noqa: F811
    book = load_workbook(io.BytesIO(exported_bytes(drenthe)))
    del book["Kandidaten"]
    out = io.BytesIO()
    book.save(out)
    assert ("Kandidaten", None, None, "Het blad ‘Kandidaten’ ontbreekt.") in problems(out.getvalue())
    assert problems(zip_bomb()) == [("", None, None, MESSAGES["bomb"])]
    assert problems(OLE + b"\0" * 2048)[0][3] == MESSAGES["ole"]


def test_every_policy_version_reads_back_into_the_same_rules(drenthe_data, drenthe, cora):  # noqa: F811
    policy_version(drenthe, EXAMPLE_BOUWBLOKKEN_RULES, date(2030, 1, 1), by=cora)
    read = read_region_workbook(exported_bytes(drenthe), "regio.xlsx")

    rules = policy_versions_read(read)

    assert read.problems == []
    expected = {f"V{p.pk}": p.to_rules() for p in PolicyVersion.objects.with_rules().filter(region=drenthe)}
    assert rules == expected and len(expected) == 2


def test_a_policy_problem_is_named_at_the_row_of_the_region_workbook(drenthe_data, drenthe):  # noqa: F811
    content = edited(exported_bytes(drenthe), "Beleid - Soorten inzet", "Max. per kandidaat", -5, row=3)
    read = read_region_workbook(content, "regio.xlsx")

    assert policy_versions_read(read) == {}
    ((sheet, row, column, message),) = [(p.sheet, p.row, p.column, p.message) for p in read.problems]
    header = next(
        r for r in load_workbook(io.BytesIO(content))["Beleid - Soorten inzet"].iter_rows() if r[0].value == "Versie"
    )[0].row
    assert (sheet, row, column) == ("Beleid - Soorten inzet", header + 3, "Max. per kandidaat")
    assert message == "Een bedrag of aantal kan niet negatief zijn."


def test_everyone_the_data_names_is_exported_so_it_reads_back_but_not_functioneel_beheer(
    drenthe_data,  # noqa: F811
    drenthe,
    otto,
    admin_user,
):
    """A line made by a colleague of Otto who is no contactpersoon, and a policy version published by beheer."""
    colleague = UserFactory(name="Onno Oud", organisation=otto.organisation)
    Inzet.objects.filter(pk=drenthe_data["open"].pk).update(created_by=colleague)
    PolicyVersion.objects.filter(region=drenthe).update(created_by=admin_user)

    read = read_region_workbook(exported_bytes(drenthe), "regio.xlsx")

    assert read.problems == []
    assert colleague.email in {user["E-mailadres"] for user in read.rows["Gebruikers"]}
    assert admin_user.email not in str(read.rows)
    (version,) = read.rows["Beleidsversies"]
    assert version["Gepubliceerd door"] is None

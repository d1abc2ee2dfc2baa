"""The policy workbook (issue #31): a region's Menukaart written to a workbook and read back into the same rules;
a sloppy or hostile workbook gives every problem per sheet, row and column in Dutch, and no rules."""

import io

import pytest
from openpyxl import load_workbook

from policy import valuation as v
from policy.models import PolicyVersion
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
from policy.workbook import policy_workbook, read_policy_workbook
from tests.workbooks import OLE, rezip

pytestmark = pytest.mark.django_db


def edited(rules: v.PolicyRules | None, sheet: str, row: int, header: str, value: object) -> bytes:
    """The workbook of `rules` with one cell changed (row 1 is the header)."""
    book = load_workbook(io.BytesIO(policy_workbook(rules)))
    columns = {cell.value: cell.column for cell in book[sheet][1]}
    book[sheet].cell(row=row, column=columns[header]).value = value  # cell(value=None) would leave it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems(content: bytes) -> list[tuple[str, int | None, str | None, str]]:
    read = read_policy_workbook(content, "beleid.xlsx")
    assert read.rules is None
    return [(p.sheet, p.row, p.column, p.message) for p in read.problems]


@pytest.mark.parametrize("slug", ["drenthe", "fryslan", "groningen"])
def test_a_regions_workbook_read_back_gives_the_same_rules(slug):
    version = PolicyVersion.objects.with_rules().filter(region__slug=slug).latest("valid_from")
    rules = version.to_rules()

    read = read_policy_workbook(policy_workbook(rules), "beleid.xlsx")

    assert read.problems == []
    assert read.rules == rules


def test_the_bouwblokken_rules_survive_the_round_trip_too():
    rules = EXAMPLE_BOUWBLOKKEN_RULES
    assert rules.bouwblokken and rules.bonuses
    assert read_policy_workbook(policy_workbook(rules), "beleid.xlsx").rules == rules


def test_the_empty_workbook_explains_itself_and_says_what_is_missing():
    content = policy_workbook(None)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Toelichting", "Beleid", "Soorten inzet", "Doelgroepen", "Bouwblokken", "Bonussen"]
    assert "Toegestane waarden" in [cell.value for cell in book["Toelichting"]["A"]]
    assert ("Beleid", None, None, "Het blad ‘Beleid’ heeft precies één regel onder de kopregel.") in problems(content)


def test_sloppy_cells_are_named_per_sheet_row_and_column():
    rules = PolicyVersion.objects.with_rules().filter(region__slug="drenthe").latest("valid_from").to_rules()
    stage = next(n for n, soort in enumerate(rules.soorten, start=2) if soort.niveau_caps)
    cases = [
        (("Soorten inzet", stage, "Max. per maand mbo", -350), "Een bedrag of aantal kan niet negatief zijn."),
        (("Soorten inzet", 2, "Telt als werk", "misschien"), "Vul ja of nee in."),
        (("Soorten inzet", 2, "Berekening", "per_jaar"), "Onbekende waarde ‘per_jaar’: kies uit per_maand,"),
        (("Beleid", 2, "Methode", "gevoel"), "Onbekende waarde ‘gevoel’: kies uit kosten, bouwblokken."),
        (("Doelgroepen", 2, "Termijn", None), "Vul deze cel in."),
        (("Soorten inzet", 3, "Code", rules.soorten[0].code), f"De code {rules.soorten[0].code} staat ook in rij 2."),
        (("Soorten inzet", 2, "Uurtarief", "=A1*2"), "formule zonder berekende waarde"),
    ]
    for (sheet, row, header, value), message in cases:
        found = problems(edited(rules, sheet, row, header, value))
        assert [(s, r, c) for s, r, c, m in found if message in m] == [(sheet, row, header)], (header, found)


def test_a_doelgroep_counted_in_months_needs_its_months():
    rules = PolicyVersion.objects.with_rules().filter(region__slug="drenthe").latest("valid_from").to_rules()
    row = next(n for n, d in enumerate(rules.doelgroepen, start=2) if d.termijn is v.Termijn.MONTHS)
    found = problems(edited(rules, "Doelgroepen", row, "Termijn maanden", None))
    assert found == [("Doelgroepen", row, "Termijn maanden", "Vul het aantal maanden van de termijn in.")]


def test_a_bouwblok_naming_an_unknown_soort_is_refused():
    rules = EXAMPLE_BOUWBLOKKEN_RULES
    found = problems(edited(rules, "Bouwblokken", 2, "Soorten inzet", "bbl, vliegles"))
    assert found == [("Bouwblokken", 2, "Soorten inzet", "Onbekende soort inzet: vliegles.")]


def test_hostile_files_are_refused_with_the_readers_dutch_reason():
    assert problems(OLE + b"\x00" * 600)[0][3].startswith("Dit bestand")
    macros = rezip(policy_workbook(None), add={"xl/vbaProject.bin": b"\x00" * 64})
    assert "macro" in problems(macros)[0][3].lower()
    assert problems(b"x" * (6 * 1024 * 1024))[0][3]

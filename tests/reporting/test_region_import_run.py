"""Importing a region workbook (issue #32), first part: the region, its organisations, its people (inactive, without
password or authenticator, until the coördinatiepunt invites them) and its policy versions with their rules — all of
it or nothing, and a second run of the same file changes nothing."""

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from accounts.models import Organisation, OrganisationKind, Region, User
from policy.models import PolicyVersion
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
from policy.workbook import SHEETS as POLICY_SHEETS
from policy.workbook import cell_value, rule_rows
from reporting.models import ImportedKey
from reporting.region_export import SHEETS
from reporting.region_import import ImportRefused, region_import
from reporting.region_read import read_region_workbook
from tests.factories import policy_version

pytestmark = pytest.mark.django_db


def region_workbook(rows: dict[str, list[dict[str, object]]]) -> bytes:
    """A region workbook as a region fills it: every sheet with its header row, and the given rows."""
    book = Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        sheet = book.create_sheet(spec.title)
        headers = [column.header for column in spec.columns]
        sheet.append(headers)
        for row in rows.get(spec.title, []):
            sheet.append([row.get(header) for header in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def utrecht(**changes: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    rules = rule_rows(EXAMPLE_BOUWBLOKKEN_RULES)
    policy = {
        f"Beleid - {title}": [
            {"Versie": "V-2025", **{f.header: cell_value(f, values.get(f.name)) for f in fields}}
            for values in rules[title]
        ]
        for title, fields in POLICY_SHEETS.items()
        if title != "Beleid"
    }
    return {
        "Regio": [{"Code": "midden-utrecht", "Naam": "Midden-Utrecht"}],
        "Organisaties": [
            {"Sleutel": "O-CP", "Naam": "Coördinatiepunt Midden-Utrecht", "Soort": "coordinatiepunt",
             "E-mailadres": "sr@midden-utrecht.invalid"},
            {"Sleutel": "O-DOM", "Naam": "Domstad Bouw", "Soort": "opdrachtnemer", "KvK-nummer": "87654321",
             "Werkregio's": "midden-utrecht, drenthe"},
        ],
        "Gebruikers": [
            {"E-mailadres": "Ursula@Midden-Utrecht.invalid", "Naam": "Ursula Utrecht", "Organisatie": "O-CP",
             "Actief": "ja"},
            {"E-mailadres": "dirk@domstad.invalid", "Naam": "Dirk Dom", "Organisatie": "O-DOM", "Actief": "ja"},
        ],
        "Beleidsversies": [
            {"Sleutel": "V-2025", "Geldig vanaf": date(2025, 1, 1), "Titel": "Menukaart Midden-Utrecht",
             "Methode": "bouwblokken", "Uren voltijd per week": 36, "Uitvoeringsvoorwaarden": "Tekst",
             "Gepubliceerd door": "ursula@midden-utrecht.invalid"},
        ],
        **policy,
        **changes,
    }  # fmt: skip


def imported(rows: dict[str, list[dict[str, object]]]):  # type: ignore[no-untyped-def]
    read = read_region_workbook(region_workbook(rows), "regio.xlsx")
    return region_import(read)


def test_a_region_comes_in_with_its_organisations_inactive_people_and_policy():
    report = imported(utrecht())

    region = Region.objects.get(slug="midden-utrecht")
    assert report.created == {"Organisaties": 2, "Gebruikers": 2, "Beleidsversies": 1}
    coordinatiepunt = Organisation.objects.get(name="Coördinatiepunt Midden-Utrecht")
    assert (coordinatiepunt.kind, coordinatiepunt.region, coordinatiepunt.email) == (
        OrganisationKind.COORDINATIEPUNT,
        region,
        "sr@midden-utrecht.invalid",
    )
    domstad = Organisation.objects.get(kvk_number="87654321")
    assert domstad.region is None and {r.slug for r in domstad.regions.all()} == {"midden-utrecht", "drenthe"}
    for user in User.objects.filter(email__in=["ursula@midden-utrecht.invalid", "dirk@domstad.invalid"]):
        assert not user.is_active and not user.has_usable_password()
        assert not TOTPDevice.objects.filter(user=user).exists()
    version = PolicyVersion.objects.with_rules().get(region=region)
    assert version.to_rules() == replace(EXAMPLE_BOUWBLOKKEN_RULES, title="Menukaart Midden-Utrecht")
    assert version.created_by == User.objects.get(email="ursula@midden-utrecht.invalid")


def test_the_same_file_again_changes_nothing():
    imported(utrecht())
    counts = (Organisation.objects.count(), User.objects.count(), PolicyVersion.objects.count())

    report = imported(utrecht())

    assert report.created == {} and report.existing == {"Organisaties": 2, "Gebruikers": 2, "Beleidsversies": 1}
    assert (Organisation.objects.count(), User.objects.count(), PolicyVersion.objects.count()) == counts
    assert ImportedKey.objects.count() == 5


def test_one_problem_and_nothing_is_written(olga):
    rows = utrecht()
    rows["Gebruikers"][1]["E-mailadres"] = olga.email  # an account that exists, in Drenthe

    with pytest.raises(ImportRefused) as refused:
        imported(rows)

    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [("Gebruikers", 3, "E-mailadres")]
    assert not Region.objects.filter(slug="midden-utrecht").exists()
    assert not Organisation.objects.filter(kvk_number="87654321").exists() and not ImportedKey.objects.exists()


def test_a_workbook_with_problems_is_refused_before_anything_is_written():
    rows = utrecht()
    rows["Gebruikers"][0]["Organisatie"] = "O-ONBEKEND"

    with pytest.raises(ImportRefused) as refused:
        imported(rows)

    assert refused.value.problems[0].message == "O-ONBEKEND staat niet op het blad ‘Organisaties’."
    assert not Region.objects.filter(slug="midden-utrecht").exists()


def test_dates_and_numbers_typed_as_text_read_as_the_portals_fields_read_them():
    rows = utrecht()
    rows["Beleidsversies"][0] |= {"Geldig vanaf": "01-01-2025", "Uren voltijd per week": "36,0"}

    imported(rows)

    version = PolicyVersion.objects.get(region__slug="midden-utrecht")
    assert version.valid_from == date(2025, 1, 1) and version.fulltime_hours == 36


def test_a_region_set_up_before_the_import_keeps_its_coordinatiepunt_first_account_and_policy():
    """As issue #31 brings a region in: beheer adds it with its coördinatiepunt and first account, the coördinatiepunt
    publishes its Menukaart; then its history is imported. What is there is found, not made twice."""
    region = Region.objects.create(slug="midden-utrecht", name="Midden-Utrecht")
    coordinatiepunt = Organisation.objects.create(
        name="Coördinatiepunt Midden-Utrecht", kind=OrganisationKind.COORDINATIEPUNT, region=region
    )
    ursula = User.objects.create_user("ursula@midden-utrecht.invalid", name="Ursula", organisation=coordinatiepunt)
    version = policy_version(region, EXAMPLE_BOUWBLOKKEN_RULES, date(2025, 1, 1), by=ursula)

    report = imported(utrecht())

    assert report.existing == {"Organisaties": 1, "Gebruikers": 1, "Beleidsversies": 1}
    assert report.created == {"Organisaties": 1, "Gebruikers": 1}
    assert PolicyVersion.objects.filter(region=region).get() == version
    assert ImportedKey.objects.get(sheet="Gebruikers", key="ursula@midden-utrecht.invalid").object_id == ursula.pk


def test_another_version_on_the_same_day_is_a_problem():
    region = Region.objects.create(slug="midden-utrecht", name="Midden-Utrecht")
    policy_version(region, replace(EXAMPLE_BOUWBLOKKEN_RULES, fulltime_hours=Decimal(38)), date(2025, 1, 1))

    with pytest.raises(ImportRefused) as refused:
        imported(utrecht())

    assert [(p.sheet, p.row, p.column, p.message) for p in refused.value.problems] == [
        ("Beleidsversies", 2, "Geldig vanaf", "De regio heeft al een andere versie met deze ingangsdatum.")
    ]

"""Importing a region workbook (issue #32), second part: its projects with their contactpersonen, interne notities,
kandidaten and lines. Lines keep what was recorded where it was validated or approved, the engine's value beside it;
every difference is in the report, and each project's Historie says which import brought it in."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from projects.history import project_history
from projects.models import Contact, Inzet, InzetStatus, Kandidaat, Note, Project, ProjectStatus
from reporting.models import ImportedKey, RegionImport
from reporting.region_import import ImportRefused, region_import
from reporting.region_read import read_region_workbook
from tests.factories import OpdrachtnemerFactory

from .test_region_import_run import region_workbook, utrecht

pytestmark = pytest.mark.django_db

# By hand, with the example bouwblokken (Participatiewet € 40.000 a year for a baan of a Participatiewet/NUO
# kandidaat): a full-time baan of six whole months is € 40.000 × 6/12 = € 20.000.
SIX_MONTHS_FULL_TIME = Decimal("20000.00")


def baan(key: str, project: str, **changes: object) -> dict[str, object]:
    return {
        "Sleutel": key, "Project": project, "Kandidaat": "K-PIET", "Soort inzet": "baan",
        "Startdatum": date(2025, 1, 1), "Einddatum": date(2025, 6, 30), "Uren per week": 36, "Status": "ingevoerd",
        "Beleidsversie": "V-2025", "Waarde prognose": SIX_MONTHS_FULL_TIME, "Waarde actueel": SIX_MONTHS_FULL_TIME,
        **changes,
    }  # fmt: skip


def project(key: str, name: str, **changes: object) -> dict[str, object]:
    return {
        "Sleutel": key, "Projectnaam": name, "Opdrachtgever": "O-GEM", "Opdrachtnemer": "O-DOM",
        "Accountmanager": "willem@wsp-utrecht.invalid", "Startdatum": date(2025, 1, 1),
        "Einddatum": date(2025, 12, 31), "Contractafspraak": "sr_verplichting", "SR verplichting": 50000,
        "Status": "actief", "Waarden berekend op": date(2025, 12, 31), **changes,
    }  # fmt: skip


def with_projects(**changes: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """Midden-Utrecht with a gemeente, a WSP, two projects (one approved), a kandidaat and three lines."""
    rows = utrecht()
    rows["Organisaties"] += [
        {"Sleutel": "O-GEM", "Naam": "Gemeente Utrecht", "Soort": "opdrachtgever"},
        {"Sleutel": "O-WSP", "Naam": "WSP Midden-Utrecht", "Soort": "wsp"},
    ]
    rows["Gebruikers"] += [
        {"E-mailadres": "gea@utrecht.invalid", "Naam": "Gea Gemeente", "Organisatie": "O-GEM", "Actief": "ja"},
        {"E-mailadres": "willem@wsp-utrecht.invalid", "Naam": "Willem WSP", "Organisatie": "O-WSP", "Actief": "ja"},
    ]
    rows |= {
        "Projecten": [
            project("P-1", "Wegen Utrecht-Oost"),
            project(
                "P-2", "Bruggen Vleuten", Status="goedgekeurd", **{"Goedgekeurd op": datetime(2026, 1, 5, 14, 30),
                "Goedgekeurd door": "willem@wsp-utrecht.invalid"},
            ),
        ],
        "Contactpersonen": [
            {"Project": "P-1", "Gebruiker": "dirk@domstad.invalid"},
            {"Project": "P-1", "Gebruiker": "gea@utrecht.invalid", "Toegevoegd door": "willem@wsp-utrecht.invalid"},
        ],
        "Interne notities": [
            {"Sleutel": "N-1", "Project": "P-1", "Auteur": "gea@utrecht.invalid", "Notitie": "Let op de planning.",
             "Geschreven op": datetime(2025, 3, 1, 9, 0)},
        ],
        "Kandidaten": [
            {"Sleutel": "K-PIET", "Opdrachtnemer": "O-DOM", "Voorletters": "P.", "Achternaam": "de Vries",
             "Geboortedatum": date(1990, 5, 17), "Doelgroep": "participatiewet_nuo",
             "Werkloos-werkzoekend sinds": date(2023, 1, 1)},
        ],
        "Inzet": [
            baan("I-1", "P-1"),
            # Validated at € 18.000 in the old system: kept, the engine's € 20.000 beside it.
            baan("I-2", "P-2", Status="gevalideerd", **{"Waarde prognose": Decimal(18000),
                 "Waarde actueel": Decimal(18000), "Gevalideerd door": "willem@wsp-utrecht.invalid",
                 "Gevalideerd op": datetime(2025, 7, 1, 10, 0)}),
            # Entered at € 5.000: not validated, so the portal counts the engine's value.
            baan("I-3", "P-1", Startdatum=date(2025, 7, 1), Einddatum=date(2025, 12, 31),
                 **{"Waarde prognose": Decimal(5000), "Waarde actueel": Decimal(5000)}),
        ],
        **changes,
    }  # fmt: skip
    return rows


def midden_utrecht_workbook() -> bytes:
    """The workbook of `with_projects`, for the pages' tests (authorization walk, form fuzzing)."""
    return region_workbook(with_projects())


def line(project_name: str, start: date) -> Inzet:
    return Inzet.objects.get(project__name=project_name, start_date=start)


def imported(rows: dict[str, list[dict[str, object]]], by: User | None = None):  # type: ignore[no-untyped-def]
    return region_import(read_region_workbook(region_workbook(rows), "midden-utrecht.xlsx"), by=by)


def test_projects_with_their_people_notes_kandidaten_and_lines_come_in(admin_user):
    report = imported(with_projects(), by=admin_user)

    assert report.created == {
        "Organisaties": 4, "Gebruikers": 4, "Beleidsversies": 1, "Projecten": 2, "Contactpersonen": 2,
        "Interne notities": 1, "Kandidaten": 1, "Inzet": 3,
    }  # fmt: skip
    oost = Project.objects.get(name="Wegen Utrecht-Oost")
    assert (oost.region.slug, oost.opdrachtgever.name, oost.opdrachtnemer.kvk_number) == (
        "midden-utrecht",
        "Gemeente Utrecht",
        "87654321",
    )
    assert oost.accountmanager.email == "willem@wsp-utrecht.invalid"
    assert sorted(Contact.objects.filter(project=oost).values_list("user__email", flat=True)) == [
        "dirk@domstad.invalid",
        "gea@utrecht.invalid",
    ]
    note = Note.objects.get(project=oost)
    written = timezone.localtime(note.created_at)
    assert (note.author.email, note.text, written) == (
        "gea@utrecht.invalid",
        "Let op de planning.",
        written.replace(year=2025, month=3, day=1, hour=9, minute=0),
    )
    piet = Kandidaat.objects.get(surname="de Vries")
    assert piet.match_key == "devries|p|1990-05-17" and piet.opdrachtnemer == oost.opdrachtnemer
    vleuten = Project.objects.get(name="Bruggen Vleuten")
    assert vleuten.status == ProjectStatus.GOEDGEKEURD and vleuten.approved_by.email == "willem@wsp-utrecht.invalid"


def test_validated_lines_keep_their_recorded_value_and_every_difference_is_reported():
    report = imported(with_projects())

    first, validated, entered = (line(name, start) for name, start in (
        ("Wegen Utrecht-Oost", date(2025, 1, 1)), ("Bruggen Vleuten", date(2025, 1, 1)),
        ("Wegen Utrecht-Oost", date(2025, 7, 1)),
    ))  # fmt: skip
    assert first.value_prognose == SIX_MONTHS_FULL_TIME and first.rules_prognose is None
    assert validated.status == InzetStatus.GEVALIDEERD
    assert (validated.value_prognose, validated.value_actueel) == (Decimal(18000), Decimal(18000))
    assert validated.rules_prognose == SIX_MONTHS_FULL_TIME  # beside it, never in its place
    assert validated.validated_by.email == "willem@wsp-utrecht.invalid"
    assert entered.value_prognose == SIX_MONTHS_FULL_TIME
    assert [(d.sheet, d.key, d.recorded, d.engine, d.kept) for d in report.differences] == [
        ("Inzet", "I-2", Decimal(18000), SIX_MONTHS_FULL_TIME, True),
        ("Inzet", "I-3", Decimal(5000), SIX_MONTHS_FULL_TIME, False),
    ]
    assert report.differences[0].message == (
        "Vastgelegd € 18.000,00, berekend € 20.000,00: de vastgelegde waarde blijft staan."
    )
    oost, vleuten = Project.objects.get(name="Wegen Utrecht-Oost"), Project.objects.get(name="Bruggen Vleuten")
    assert oost.sr_prognose == 2 * SIX_MONTHS_FULL_TIME and oost.values_date == date(2025, 12, 31)
    assert (vleuten.sr_prognose, vleuten.sr_prognose_gevalideerd) == (Decimal(18000), Decimal(18000))
    run = RegionImport.objects.get()
    assert run.differences[1] == {
        "sheet": "Inzet", "key": "I-3", "row": 4, "recorded": "5000.00", "engine": "20000.00", "kept": False,
        "objections": [],
    }  # fmt: skip


def test_a_recorded_project_total_that_is_not_the_sum_of_its_lines_is_reported():
    rows = with_projects()
    rows["Projecten"][0]["SR prognose"] = Decimal(12345)

    report = imported(rows)

    assert ("Projecten", "P-1", Decimal(12345), 2 * SIX_MONTHS_FULL_TIME) in [
        (d.sheet, d.key, d.recorded, d.engine) for d in report.differences
    ]
    assert Project.objects.get(name="Wegen Utrecht-Oost").sr_prognose == 2 * SIX_MONTHS_FULL_TIME


def test_the_historie_names_the_import_and_who_ran_it(admin_user):
    imported(with_projects(), by=admin_user)

    oost = Project.objects.get(name="Wegen Utrecht-Oost")
    entries = project_history(oost, notes=True)
    brought_in = [entry for entry in entries if entry.what.startswith("Project overgenomen met de regio-import")]
    assert len(brought_in) == 1
    assert brought_in[0].who == "Beheerder" and brought_in[0].subject.startswith("midden-utrecht.xlsx (SHA-256 ")
    assert not [entry for entry in entries if entry.what == "Project aangemaakt"]
    lines_added = [entry for entry in entries if entry.what == "Regel toegevoegd"]
    assert len(lines_added) == 2 and {entry.who for entry in lines_added} == {"Beheerder"}


def test_the_whole_file_again_changes_nothing(admin_user):
    rows = with_projects()
    imported(rows, by=admin_user)
    counts = [model.objects.count() for model in (Project, Contact, Note, Kandidaat, Inzet, ImportedKey)]
    values = list(Inzet.objects.order_by("pk").values_list("value_prognose", "rules_prognose"))

    report = imported(rows, by=admin_user)

    assert report.created == {} and report.differences == []
    assert report.run is not None and report.run.created == {} and report.run.by == admin_user
    assert report.existing["Inzet"] == 3 and report.existing["Contactpersonen"] == 2
    assert [model.objects.count() for model in (Project, Contact, Note, Kandidaat, Inzet, ImportedKey)] == counts
    assert list(Inzet.objects.order_by("pk").values_list("value_prognose", "rules_prognose")) == values
    assert ImportedKey.objects.filter(run=report.run).count() == 0  # the Historie keeps naming the first run


def test_a_kandidaat_the_opdrachtnemer_has_already_is_found_not_made_twice(drenthe):
    domstad = OpdrachtnemerFactory(name="Domstad Bouw", kvk_number="87654321", regions=[drenthe])
    piet = Kandidaat.objects.create(
        opdrachtnemer=domstad, initials="P", surname="De Vries", birth_date=date(1990, 5, 17), doelgroep="wajong"
    )

    report = imported(with_projects())

    assert Kandidaat.objects.count() == 1 and report.existing["Kandidaten"] == 1
    assert set(Inzet.objects.values_list("kandidaat", flat=True)) == {piet.pk}


@pytest.mark.parametrize(
    ("sheet", "index", "changes", "where", "message"),
    [
        ("Projecten", 0, {"Opdrachtgever": "O-WSP"}, ("Projecten", 2, "Opdrachtgever"), "Dit is geen opdrachtgever."),
        ("Projecten", 0, {"Accountmanager": "gea@utrecht.invalid"}, ("Projecten", 2, "Accountmanager"),
         "De accountmanager is een medewerker van het WSP."),
        ("Projecten", 1, {"Einddatum": date(2024, 1, 1)}, ("Projecten", 3, "Einddatum"),
         "De einddatum ligt voor de startdatum."),
        ("Projecten", 0, {"Status": "gesloten"}, ("Projecten", 2, "Status"),
         "Waarde 'gesloten' is geen geldige keuze."),
        ("Projecten", 0, {"Verwijtbaar": "misschien"}, ("Projecten", 2, "Verwijtbaar"),
         "Vul ja of nee in, of laat de cel leeg."),
        ("Contactpersonen", 1, {"Gebruiker": "dirk@domstad.invalid"}, ("Contactpersonen", 3, "Gebruiker"),
         "Deze contactpersoon staat ook in rij 2."),
        ("Inzet", 0, {"Uren per week": 200}, ("Inzet", 2, "Uren per week"),
         "Vul een aantal uren tussen 0 en 168 in."),
        ("Inzet", 2, {"Status": "teruggestuurd"}, ("Inzet", 4, "Reden van terugsturen"),
         "Een teruggestuurde regel heeft een reden."),
        ("Kandidaten", 0, {"Opdrachtnemer": "O-GEM"}, ("Kandidaten", 2, "Opdrachtnemer"),
         "Dit is geen opdrachtnemer."),
        ("Organisaties", 1, {"Werkregio's": "midden-utrecht, atlantis"}, ("Organisaties", 3, "Werkregio's"),
         "Geen regio met de code atlantis."),
    ],
)  # fmt: skip
def test_a_row_the_portal_cant_take_is_a_problem_at_its_cell_and_nothing_is_written(
    sheet, index, changes, where, message
):
    rows = with_projects()
    rows[sheet][index] |= changes

    with pytest.raises(ImportRefused) as refused:
        imported(rows)

    assert [((p.sheet, p.row, p.column), p.message) for p in refused.value.problems][:1] == [(where, message)]
    assert not Project.objects.exists() and not Kandidaat.objects.exists() and not ImportedKey.objects.exists()
    assert not User.objects.filter(email="willem@wsp-utrecht.invalid").exists()


def test_a_line_with_a_kandidaat_of_another_opdrachtnemer_is_refused():
    rows = with_projects()
    rows["Organisaties"].append({"Sleutel": "O-ANDER", "Naam": "Ander Bouw", "Soort": "opdrachtnemer"})
    rows["Kandidaten"][0]["Opdrachtnemer"] = "O-ANDER"

    with pytest.raises(ImportRefused) as refused:
        imported(rows)

    assert {(p.sheet, p.column, p.message) for p in refused.value.problems} == {
        ("Inzet", "Kandidaat", "Deze kandidaat is van een andere opdrachtnemer dan het project.")
    }
    assert not Inzet.objects.exists()


def test_an_empty_value_cell_records_nothing_and_the_engines_value_stands_there():
    rows = with_projects()
    rows["Inzet"][1] |= {"Waarde actueel": None, "Redenen": None}

    imported(rows)

    validated = line("Bruggen Vleuten", date(2025, 1, 1))
    assert (validated.value_prognose, validated.value_actueel) == (Decimal(18000), SIX_MONTHS_FULL_TIME)
    assert validated.reasons and validated.reasons == validated.rules_reasons  # the engine's

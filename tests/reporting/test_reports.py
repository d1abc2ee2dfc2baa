"""Rapportage (SPEC §7, manual §4): four reports, each scoped to what the user may see.

The world (`build_world`): in Drenthe, Olga's Brug Veenhoven (active) and Kade Veenhoven
(afgerond), both carried out by Otto's Hunzebouw with Olga, Otto and Wim as contactpersonen; Kade
Brinkerveld of another opdrachtgever and opdrachtnemer, without any of them as contact; in
Groningen, Gerda's Haven Noorderdal. J. Jansen (born 1 May 2004) works for Hunzebouw on both
Veenhoven projects at once, and was entered by the other two opdrachtnemers too, at overlapping
times: an overlap within Drenthe and one that crosses into Groningen.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OrganisationKind
from projects.models import Contact, ContractType, Inzet, InzetStatus, Project, ProjectStatus
from projects.services.valuation import project_values_refresh
from reporting import reports
from tests.conftest import Client, login
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory
from tests.pages import text
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db

REPORTS = ("projects", "kandidaten", "kosten", "overlap")
BIRTH = date(2004, 5, 1)


@dataclass
class World:
    brug: Project
    kade: Project
    brinkerveld: Project
    haven: Project
    lines: dict[str, Inzet]


def build_world(*, olga, otto, wim, gerda) -> World:  # type: ignore[no-untyped-def]
    veenhoven, hunzebouw = olga.organisation, otto.organisation
    ours = {"opdrachtgever": veenhoven, "opdrachtnemer": hunzebouw, "accountmanager": wim}
    brug = make_project(name="Brug Veenhoven", kenmerk="VH-2025-01", contacts=[olga, otto, wim], **ours)
    kade = make_project(
        name="Kade Veenhoven",
        kenmerk="VH-2025-02",
        verplichting=Decimal("20000.00"),
        contacts=[olga, otto, wim],
        **ours,
    )
    andere = OpdrachtnemerFactory(name="Andere Aannemer")
    brinkerveld = make_project(
        name="Kade Brinkerveld",
        opdrachtgever=OrganisationFactory(name="Gemeente Brinkerveld", kind=OrganisationKind.OPDRACHTGEVER),
        opdrachtnemer=andere,
        accountmanager=UserFactory(organisation=wim.organisation),
    )
    noordbouw = OpdrachtnemerFactory(name="Noordbouw")
    haven = make_project(
        name="Haven Noorderdal",
        opdrachtgever=gerda.organisation,
        opdrachtnemer=noordbouw,
        accountmanager=UserFactory(
            organisation=OrganisationFactory(name="WSP Groningen", kind=OrganisationKind.WSP, region=gerda.region)
        ),
        contacts=[gerda],
    )
    jansen = make_kandidaat(hunzebouw, birth_date=BIRTH)
    bakker = make_kandidaat(hunzebouw, initials="B.", surname="Bakker", birth_date=date(2003, 1, 1))
    # The same person, entered by the other opdrachtnemers (spelled a little differently).
    jansen_andere = make_kandidaat(andere, initials="J", surname="jansen", birth_date=BIRTH)
    jansen_noord = make_kandidaat(noordbouw, initials="J.", surname="Jansen ", birth_date=BIRTH)
    ander = make_kandidaat(andere, initials="A.", surname="Ander", birth_date=date(2001, 2, 3))
    start = brug.start_date

    def days(first: int, last: int) -> dict[str, date]:
        return {"start_date": start + timedelta(days=first), "end_date": start + timedelta(days=last)}

    lines = {
        "brug_jansen_1": make_inzet(brug, jansen, **days(10, 100)),
        "brug_jansen_2": make_inzet(brug, jansen, **days(120, 200)),
        "brug_bakker": make_inzet(brug, bakker, **days(10, 100)),
        "brug_werk": make_inzet(brug, None, soort="werk", amount=Decimal("12000.00"), niveau="", **days(0, 300)),
        "kade_jansen": make_inzet(kade, jansen, **days(50, 150)),
        "brinkerveld_jansen": make_inzet(brinkerveld, jansen_andere, **days(30, 60)),
        "brinkerveld_ander": make_inzet(brinkerveld, ander, **days(200, 260)),
        "haven_jansen": make_inzet(haven, jansen_noord, **days(20, 40)),
    }
    Inzet.objects.filter(pk=lines["brug_jansen_2"].pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)
    project_values_refresh(brug)
    Project.objects.filter(pk=kade.pk).update(status=ProjectStatus.AFGEROND)
    for project in (brug, kade, brinkerveld, haven):
        project.refresh_from_db()
    for line in lines.values():
        line.refresh_from_db()
    return World(brug, kade, brinkerveld, haven, lines)


@pytest.fixture
def world(olga, otto, wim, gerda) -> World:
    return build_world(olga=olga, otto=otto, wim=wim, gerda=gerda)


def url(name: str, **params: object) -> str:
    from urllib.parse import urlencode

    return reverse(f"reporting:{name}") + (f"?{urlencode(params)}" if params else "")


def table(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The report table's body rows as the visible text of each column of the report (and of the Excel
    file): where columns share a cell on the page, each value is a part of that cell."""
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    rows = doc.xpath("//table[contains(@class, 'srm-report-table')]/tbody/tr")
    cells = [
        [
            " ".join(value.text_content().split())
            for cell in row.xpath("td")
            for value in (cell.xpath("span[contains(@class, 'srm-cell-part')]") or [cell])
        ]
        for row in rows
    ]
    return [row for row in cells if len(row) > 1]


def column(rows: list[list[str]], index: int) -> list[str]:
    return [row[index] for row in rows]


def euro(amount: Decimal) -> str:
    from policy.valuation import format_euro

    return format_euro(amount)


# --- The menu -----------------------------------------------------------------------------------


def test_rapportage_menu_links_to_the_four_reports(olga):
    page = text(login(Client(), olga).get(reverse("reporting:index")))
    for name in REPORTS:
        assert f'href="{reverse(f"reporting:{name}")}"' in page
    assert "Overlappende inzet van kandidaten" in page


# --- Rapportage projecten -------------------------------------------------------------------------


def test_projects_report_shows_the_users_projects_active_and_afgerond(world, olga):
    rows = table(login(Client(), olga).get(url("projects")))

    assert column(rows, 0) == ["Brug Veenhoven", "Kade Veenhoven"]
    brug = rows[0]
    assert brug[1:5] == ["VH-2025-01", "Gemeente Veenhoven", "Hunzebouw", "Drenthe"]
    assert brug[5] == f"{world.brug.start_date:%d-%m-%Y}"
    assert brug[7] == "SR verplichting"
    assert brug[8] == "€ 50.000,00"
    assert brug[9] == euro(world.brug.sr_actueel) and brug[10] == euro(world.brug.sr_prognose)
    assert brug[11] == euro(world.brug.sr_actueel_gevalideerd) and world.brug.sr_actueel_gevalideerd > 0
    assert brug[12].endswith(" %") and brug[13] == "Actief"
    assert rows[1][13] == "Afgerond"


def test_a_raamovereenkomst_says_whether_its_verplichting_is_estimated(world, olga):
    Project.objects.filter(pk=world.brug.pk).update(contract_type=ContractType.RAAMOVEREENKOMST)
    Project.objects.filter(pk=world.kade.pk).update(
        contract_type=ContractType.RAAMOVEREENKOMST, verplichting_vastgesteld=Decimal("18000.00")
    )
    rows = table(login(Client(), olga).get(url("projects")))
    assert [(row[7], row[8]) for row in rows] == [
        ("Raamovereenkomst (verplichting geschat)", "€ 50.000,00"),
        ("Raamovereenkomst (vastgesteld)", "€ 18.000,00"),
    ]


def test_projects_report_of_the_coordinatiepunt_covers_its_region_only(world, cora):
    names = column(table(login(Client(), cora).get(url("projects"))), 0)
    assert names == ["Brug Veenhoven", "Kade Brinkerveld", "Kade Veenhoven"]


def test_status_and_period_filters_narrow_the_projects(world, olga):
    client = login(Client(), olga)
    assert column(table(client.get(url("projects", status="afgerond"))), 0) == ["Kade Veenhoven"]
    after_the_end = world.brug.end_date + timedelta(days=1)
    assert column(table(client.get(url("projects", van=after_the_end.isoformat()))), 0) == []
    assert len(table(client.get(url("projects", tot=world.brug.start_date.isoformat())))) == 2


def test_opdrachtnemer_and_opdrachtgever_filters_only_appear_when_they_narrow_something(world, olga, cora):
    olga_page = text(login(Client(), olga).get(url("projects")))
    assert 'name="opdrachtgever"' not in olga_page and 'name="opdrachtnemer"' not in olga_page
    cora_client = login(Client(), cora)
    cora_page = text(cora_client.get(url("projects")))
    assert 'name="opdrachtgever"' in cora_page and 'name="opdrachtnemer"' in cora_page
    andere = world.brinkerveld.opdrachtnemer
    assert column(table(cora_client.get(url("projects", opdrachtnemer=andere.pk))), 0) == ["Kade Brinkerveld"]


def test_regio_filter_is_offered_only_to_who_sees_more_than_one_region(world, cora, admin_user):
    assert 'name="regio"' not in text(login(Client(), cora).get(url("projects")))
    client = login(Client(), admin_user)
    assert 'name="regio"' in text(client.get(url("projects")))
    groningen = world.haven.region
    assert column(table(client.get(url("projects", regio=groningen.pk))), 0) == ["Haven Noorderdal"]


def test_a_filter_value_outside_the_users_choices_is_ignored_not_an_error(world, olga):
    client = login(Client(), olga)
    other_region = world.haven.region.pk
    response = client.get(url("projects", regio=other_region, opdrachtgever=world.haven.opdrachtgever_id))
    assert column(table(response), 0) == ["Brug Veenhoven", "Kade Veenhoven"]


def test_an_impossible_period_says_why_and_shows_all_rows(world, olga):
    response = login(Client(), olga).get(url("projects", van="2026-05-01", tot="2026-01-01"))
    assert "Het einde van de periode ligt voor het begin." in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert len(table(response)) == 2


def test_every_column_sorts_and_says_so_with_aria_sort(world, cora):
    client = login(Client(), cora)
    page = text(client.get(url("projects", sort="-verplichting")))
    assert 'aria-sort="descending"' in page and page.count("aria-sort=") == 1
    rows = table(client.get(url("projects", sort="-verplichting")))
    assert column(rows, 0)[0] == "Brug Veenhoven"
    assert column(table(client.get(url("projects", sort="verplichting"))), 0)[0] == "Kade Veenhoven"
    for key in ("name", "kenmerk", "opdrachtgever", "regio", "percentage", "status", "end_date", "sr_prognose"):
        assert client.get(url("projects", sort=key)).status_code == 200


def test_an_unknown_sort_falls_back_to_the_default(world, olga):
    response = login(Client(), olga).get(url("projects", sort="password"))
    assert column(table(response), 0) == ["Brug Veenhoven", "Kade Veenhoven"]


def test_pagination_shows_50_rows_and_keeps_filters_and_sort(olga, otto, wim):
    for number in range(55):
        brug_veenhoven(
            olga,
            otto,
            wim,
            name=f"Project {number:02}",
            contacts=[olga],
        )
    client = login(Client(), olga)
    response = client.get(url("projects", sort="-name", status="actief"))
    assert len(table(response)) == 50 and column(table(response), 0)[0] == "Project 54"
    doc = lxml.html.fromstring(response.content)
    (next_link,) = doc.xpath("//nav[@aria-label='Paginering']//a[text()='Volgende pagina']/@href")
    assert "sort=-name" in next_link and "status=actief" in next_link and "pagina=2" in next_link
    second = client.get(reverse("reporting:projects") + next_link)
    assert column(table(second), 0) == [f"Project {number:02}" for number in range(4, -1, -1)]


def test_project_names_link_to_the_project(world, olga):
    page = text(login(Client(), olga).get(url("projects")))
    assert f'href="{reverse("projects:detail", args=[world.brug.pk])}"' in page


# --- Rapportage kandidaten ------------------------------------------------------------------------


def test_kandidaten_report_has_one_row_per_kandidaat_per_project(world, olga):
    rows = table(login(Client(), olga).get(url("kandidaten")))

    assert [(row[0], row[2]) for row in rows] == [
        ("B. Bakker", "Brug Veenhoven"),
        ("J. Jansen", "Brug Veenhoven"),
        ("J. Jansen", "Kade Veenhoven"),
    ]
    one, two = world.lines["brug_jansen_1"], world.lines["brug_jansen_2"]
    jansen_brug = rows[1]
    assert jansen_brug[1].startswith("Stagiair") or "stagiair" in jansen_brug[1].lower()
    assert jansen_brug[3] == "Hunzebouw"
    assert jansen_brug[4] == f"{one.start_date:%d-%m-%Y}" and jansen_brug[5] == f"{two.end_date:%d-%m-%Y}"
    assert jansen_brug[6] == "2"
    assert jansen_brug[7] == euro(one.value_prognose + two.value_prognose)
    assert jansen_brug[8] == euro(one.value_actueel + two.value_actueel)
    assert jansen_brug[9] == "Nee"  # one of the two lines is not validated yet


def test_kandidaten_report_leaves_out_the_date_of_birth(world, olga):
    page = text(login(Client(), olga).get(url("kandidaten")))
    assert f"{BIRTH:%d-%m-%Y}" not in page and "Geboortedatum" not in page


def test_an_opdrachtnemer_sees_only_its_own_kandidaten(world, otto):
    # Otto is made contactpersoon on a project of another opdrachtnemer: still not its kandidaten.
    Contact.objects.create(project=world.brinkerveld, user=otto)
    rows = table(login(Client(), otto).get(url("kandidaten")))
    assert {row[0] for row in rows} == {"B. Bakker", "J. Jansen"}
    assert {row[3] for row in rows} == {"Hunzebouw"}
    assert "Kade Brinkerveld" not in column(rows, 2)


def test_the_coordinatiepunt_sees_every_kandidaat_of_its_region(world, cora):
    rows = table(login(Client(), cora).get(url("kandidaten")))
    assert {(row[0], row[2]) for row in rows} >= {("A. Ander", "Kade Brinkerveld"), ("J jansen", "Kade Brinkerveld")}
    assert "Haven Noorderdal" not in column(rows, 2)


def test_doelgroep_filter_narrows_the_kandidaten(world, olga):
    client = login(Client(), olga)
    assert len(table(client.get(url("kandidaten", doelgroep="stagiair")))) == 3
    assert table(client.get(url("kandidaten", doelgroep="wsw"))) == []


# --- Rapportage kosten ----------------------------------------------------------------------------


def test_kosten_report_sums_per_project_per_soort(world, olga):
    rows = table(login(Client(), olga).get(url("kosten")))

    stage = [world.lines[name] for name in ("brug_jansen_1", "brug_jansen_2", "brug_bakker")]
    werk = world.lines["brug_werk"]
    validated = world.lines["brug_jansen_2"]
    assert [(row[0], row[2], row[3]) for row in rows] == [
        ("Brug Veenhoven", "Stage", "3"),
        ("Brug Veenhoven", "Werk (uitbesteed aan SW-bedrijf of sociale onderneming)", "1"),
        ("Kade Veenhoven", "Stage", "1"),
    ]
    assert rows[0][4] == euro(sum(line.value_prognose for line in stage))
    assert rows[0][5] == euro(sum(line.value_actueel for line in stage))
    assert rows[0][6] == euro(validated.value_prognose)
    assert rows[1][4] == euro(werk.value_prognose) and rows[1][6] == "€ 0,00"


def test_soort_filter_narrows_the_kosten(world, olga):
    rows = table(login(Client(), olga).get(url("kosten", soort="werk")))
    assert [(row[0], row[3]) for row in rows] == [("Brug Veenhoven", "1")]


def test_kosten_sort_by_value_descending(world, olga):
    rows = table(login(Client(), olga).get(url("kosten", sort="-prognose")))
    assert rows[0][2].startswith("Werk")


# --- Overlappende inzet ---------------------------------------------------------------------------


def overlap_pairs(response) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    """The pairs of projects with overlap (project A is the one whose line starts first)."""
    return {frozenset((row[1], row[5])) for row in table(response)}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_wsp_sees_overlap_among_all_projects_of_its_region_and_never_another_region(world, wim):
    response = login(Client(), wim).get(url("overlap"))
    assert overlap_pairs(response) == {
        pair("Brug Veenhoven", "Kade Veenhoven"),  # the same kandidaat of Hunzebouw, twice
        pair("Brug Veenhoven", "Kade Brinkerveld"),  # the same person, entered by another opdrachtnemer
        pair("Kade Brinkerveld", "Kade Veenhoven"),
    }
    assert "Haven Noorderdal" not in text(response) and "Noordbouw" not in text(response)
    assert len(table(response)) == 4  # Brug has two lines that overlap with Kade Veenhoven


def test_overlap_row_shows_both_periods_and_the_overlap(world, wim):
    rows = table(login(Client(), wim).get(url("overlap", sort="start")))
    one, other = world.lines["brug_jansen_1"], world.lines["brinkerveld_jansen"]
    (row,) = [row for row in rows if row[5] == "Kade Brinkerveld" and row[1] == "Brug Veenhoven"]
    assert row[0] == "J. Jansen" and row[2] == "Hunzebouw" and row[6] == "Andere Aannemer"
    assert row[3:5] == [f"{one.start_date:%d-%m-%Y}", f"{one.end_date:%d-%m-%Y}"]
    assert row[7:9] == [f"{other.start_date:%d-%m-%Y}", f"{other.end_date:%d-%m-%Y}"]
    assert row[9:12] == [f"{other.start_date:%d-%m-%Y}", f"{other.end_date:%d-%m-%Y}", "31"]


def test_coordinatiepunt_of_another_region_sees_no_drenthe_overlap(world, gert):
    assert table(login(Client(), gert).get(url("overlap"))) == []


def test_opdrachtgever_sees_overlap_only_among_its_own_projects(world, olga):
    assert overlap_pairs(login(Client(), olga).get(url("overlap"))) == {pair("Brug Veenhoven", "Kade Veenhoven")}


def test_opdrachtnemer_overlap_holds_only_its_own_kandidaten(world, otto):
    # Contactpersoon on a project of another opdrachtnemer: that one's kandidaten stay out.
    Contact.objects.create(project=world.brinkerveld, user=otto)
    response = login(Client(), otto).get(url("overlap"))
    assert overlap_pairs(response) == {pair("Brug Veenhoven", "Kade Veenhoven")}


def test_beheer_sees_the_overlap_that_crosses_regions(world, admin_user):
    pairs = overlap_pairs(login(Client(), admin_user).get(url("overlap")))
    assert pair("Brug Veenhoven", "Haven Noorderdal") in pairs and pair("Kade Brinkerveld", "Haven Noorderdal") in pairs


def test_period_filter_keeps_only_overlaps_within_it(world, wim):
    line = world.lines["brug_jansen_2"]  # overlaps Kade Veenhoven from its own start
    day = line.start_date + timedelta(days=1)
    rows = table(login(Client(), wim).get(url("overlap", van=day.isoformat(), tot=day.isoformat())))
    assert [(row[1], row[5], row[9]) for row in rows] == [
        ("Kade Veenhoven", "Brug Veenhoven", f"{line.start_date:%d-%m-%Y}")
    ]


# --- Every report ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_has_a_caption_an_export_button_and_one_h1(world, cora, name):
    client = login(Client(), cora)
    response = client.get(url(name, status="actief"))
    doc = lxml.html.fromstring(response.content)
    assert len(doc.xpath("//h1")) == 1
    assert doc.xpath("//table[contains(@class, 'srm-report-table')]/caption")
    assert all(th.get("scope") == "col" for th in doc.xpath("//table//thead//th"))
    (export,) = doc.xpath("//a[normalize-space()='Exporteer als Excel-bestand']/@href")
    assert export.startswith(reverse(f"reporting:{name}-export"))
    assert "pagina" not in export


@pytest.mark.parametrize("name", REPORTS)
def test_the_page_shows_every_column_of_the_excel_file_once_in_its_order(world, cora, name):
    """Columns may share a cell on the page (to fit a laptop screen); each value keeps its own name."""
    report = reports.REPORTS[name]
    doc = lxml.html.fromstring(login(Client(), cora).get(url(name)).content)
    headers = [" ".join(th.text_content().replace("▲", "").split()) for th in doc.xpath("//table//thead//th")]
    assert len(headers) == len(report.on_page(report.columns))
    labels = [
        part.get("data-label")
        for cell in doc.xpath("//table//tbody/tr[1]/td")
        for part in (cell.xpath("span[contains(@class, 'srm-cell-part')]") or [cell])
    ]
    assert labels == [column.label for column in report.columns]
    assert " ".join(headers) == " ".join(column.label for column in report.columns)


def test_a_page_group_that_is_not_a_run_of_columns_is_refused():
    class Broken(reports.Report):
        slug = "broken"
        columns = tuple(reports.ReportColumn(key, key.upper()) for key in "abc")
        page_groups = (("a", "c"),)

    with pytest.raises(ValueError, match="not a run of its columns"):
        Broken().on_page(Broken.columns)


def _grow(cora, olga, otto, wim, copies: int = 60) -> None:  # type: ignore[no-untyped-def]
    """More projects in Drenthe (sixty), each with copies of Brug Veenhoven's lines (and overlaps)."""
    brug = Project.objects.get(name="Brug Veenhoven")
    lines = list(Inzet.objects.filter(project=brug))
    fields = [f for f in Project._meta.concrete_fields if not f.primary_key]
    copies = Project.objects.bulk_create(
        [Project(**{**{f.name: getattr(brug, f.name) for f in fields}, "name": f"Kopie {n:02}"}) for n in range(copies)]
    )
    Contact.objects.bulk_create([Contact(project=copy, user=user) for copy in copies for user in (olga, otto, wim)])
    line_fields = [f for f in Inzet._meta.concrete_fields if not f.primary_key]
    Inzet.objects.bulk_create(
        [
            Inzet(**{**{f.name: getattr(line, f.name) for f in line_fields}, "project": copy})
            for copy in copies
            for line in lines
        ]
    )


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("suffix", ["", "-export"])
def test_query_count_does_not_grow_with_the_data(world, cora, olga, otto, wim, name, suffix, django_assert_num_queries):
    client = login(Client(), cora)
    address = reverse(f"reporting:{name}{suffix}")
    with CaptureQueriesContext(connection) as small:
        assert client.get(address).status_code == 200
    # Every copy of a line overlaps every other copy: the pairs grow with the square of the copies,
    # and twenty copies already give the overlap report more than 600 rows.
    _grow(cora, olga, otto, wim, copies=20 if name == "overlap" else 60)
    with django_assert_num_queries(len(small)):
        response = client.get(address)
    if not suffix:
        assert len(table(response)) == 50


def test_an_unknown_soort_is_ignored(world, olga):
    response = login(Client(), olga).get(url("kosten", soort="bestaat-niet", sort="-lines"))
    assert len(table(response)) == 3


def test_reports_ask_for_login(client):
    for name in REPORTS:
        response = client.get(url(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

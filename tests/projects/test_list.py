"""The Projecten list (SPEC §4, manual §3): only visible projects, sortable, searchable, paginated, fast."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationKind
from projects.models import Contact, ContractType, Inzet, InzetStatus, Project, ProjectStatus
from tests.conftest import Client, login
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")
FINISHED = reverse("projects:finished")


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def names_in(page: str) -> list[str]:
    """The project names in the table, in the order shown."""
    return re.findall(r'href="/projecten/\d+/">([^<]+)</a>', page)


@pytest.fixture
def olga_project(olga, otto, wim):
    """Makes projects of Olga's organisation, with Olga and Wim (accountmanager) as contactpersoon."""

    def make(name: str, **fields):  # type: ignore[no-untyped-def]
        values = {"opdrachtnemer": otto.organisation, "contacts": [olga, wim], **fields}
        return make_project(name=name, opdrachtgever=olga.organisation, accountmanager=wim, **values)

    return make


def test_query_count_does_not_depend_on_the_number_of_projects_or_lines(
    olga_project, otto, wim, django_assert_num_queries
):
    kandidaat = make_kandidaat(otto.organisation)
    for number in range(10):
        project = olga_project(f"Project {number:02}")
        make_inzet(project, kandidaat)
        make_inzet(project, kandidaat, start_date=project.start_date + timedelta(days=120), end_date=project.end_date)

    client = login(Client(), wim)
    with CaptureQueriesContext(connection) as ten:
        assert len(names_in(text(client.get(LIST)))) == 10

    # 490 more, written in bulk (copies of the first project and its two lines): 500 in all.
    template = Project.objects.get(name="Project 00")
    lines = list(Inzet.objects.filter(project=template))
    copies = Project.objects.bulk_create(
        [Project(**{**_fields(template), "name": f"Kopie {number:03}"}) for number in range(490)]
    )
    Contact.objects.bulk_create([Contact(project=copy, user=user) for copy in copies for user in (wim,)])
    Inzet.objects.bulk_create([Inzet(**{**_fields(line), "project": copy}) for copy in copies for line in lines])
    assert Project.objects.for_user(wim).count() == 500
    with django_assert_num_queries(len(ten)):
        page = text(client.get(LIST))
    assert len(names_in(page)) == 25
    assert "2 te valideren" in page


def _fields(row) -> dict:  # type: ignore[no-untyped-def]
    """A row's field values, to copy it (without its key)."""
    return {field.name: getattr(row, field.name) for field in row._meta.concrete_fields if not field.primary_key}


def test_every_column_sorts_by_its_header_link(olga_project, olga):
    low = olga_project("Bravo", verplichting=Decimal("1000.00"), start_date=timezone.localdate() - timedelta(days=30))
    high = olga_project("Alfa", verplichting=Decimal("9000.00"), start_date=timezone.localdate() - timedelta(days=60))
    mid = olga_project(
        "Charlie",
        verplichting=Decimal("5000.00"),
        contract_type=ContractType.RAAMOVEREENKOMST,
        start_date=timezone.localdate() - timedelta(days=90),
    )
    Project.objects.filter(pk=low.pk).update(sr_actueel=Decimal("900.00"), sr_prognose=Decimal("100.00"))
    Project.objects.filter(pk=high.pk).update(sr_actueel=Decimal("100.00"), sr_prognose=Decimal("9000.00"))
    Project.objects.filter(pk=mid.pk).update(sr_actueel=Decimal("500.00"), sr_prognose=Decimal("600.00"))
    client = login(Client(), olga)

    expected = {
        "": ["Bravo", "Alfa", "Charlie"],  # newest start first
        "name": ["Alfa", "Bravo", "Charlie"],
        "-name": ["Charlie", "Bravo", "Alfa"],
        "start_date": ["Charlie", "Alfa", "Bravo"],
        "verplichting": ["Bravo", "Charlie", "Alfa"],
        "-sr_actueel": ["Bravo", "Charlie", "Alfa"],
        "sr_prognose": ["Bravo", "Charlie", "Alfa"],
        "-percentage": ["Bravo", "Charlie", "Alfa"],  # 90 %, 10 %, 1.1 % of the verplichting
        "contract_type": ["Charlie", "Bravo", "Alfa"],  # equal ones in the order they were made
        "nonsense": ["Bravo", "Alfa", "Charlie"],  # not whitelisted: the default
    }
    for sort, names in expected.items():
        assert names_in(text(client.get(LIST, {"sort": sort}))) == names, sort

    page = text(client.get(LIST, {"sort": "-sr_actueel"}))
    # SR actueel shares its column with SR verplichting and SR prognose: that column says it is sorted.
    assert re.search(
        r'aria-sort="descending">(?:(?!</th>).)*<a[^>]*href="\?sort=sr_actueel"[^>]*>SR actueel', page, re.S
    )
    assert 'href="?sort=-name"' not in page and 'href="?sort=name"' in page


def test_each_search_field_narrows_the_list(olga_project, olga, wim):
    other = OpdrachtnemerFactory(name="Drentse Groenwerken")
    olga_project("Fietspad Zuidlaren")
    olga_project("Brug Assen", opdrachtnemer=other, contract_type=ContractType.RAAMOVEREENKOMST)
    cora_org_project = make_project(
        name="Kade Emmen",
        opdrachtgever=OrganisationFactory(name="Gemeente Emmen", kind=OrganisationKind.OPDRACHTGEVER),
        opdrachtnemer=other,
        accountmanager=wim,
        contacts=[olga],
    )
    client = login(Client(), olga)

    assert names_in(text(client.get(LIST, {"projectnaam": "fietspad"}))) == ["Fietspad Zuidlaren"]
    assert sorted(names_in(text(client.get(LIST, {"opdrachtnemer": "groenwerk"})))) == ["Brug Assen", "Kade Emmen"]
    assert names_in(text(client.get(LIST, {"opdrachtgever": "emmen"}))) == [cora_org_project.name]
    assert names_in(text(client.get(LIST, {"contractafspraak": "raamovereenkomst"}))) == ["Brug Assen"]
    combined = {"opdrachtnemer": "groenwerk", "contractafspraak": "raamovereenkomst", "sort": "name"}
    page = text(client.get(LIST, combined))
    assert names_in(page) == ["Brug Assen"]
    assert 'value="groenwerk"' in page and '<option value="raamovereenkomst" selected>' in page
    assert '<input type="hidden" name="sort" value="name">' in page  # searching keeps the sort
    assert names_in(text(client.get(LIST, {"contractafspraak": "verzonnen"}))) != []  # a forged choice is ignored


def test_pagination_keeps_sort_and_search(olga_project, olga):
    for n in range(30):
        olga_project(f"Weg {n:02}")
    olga_project("Andere naam")
    client = login(Client(), olga)

    first = text(client.get(LIST, {"projectnaam": "weg", "sort": "-name"}))
    assert names_in(first)[:2] == ["Weg 29", "Weg 28"] and len(names_in(first)) == 25
    assert 'href="?projectnaam=weg&amp;sort=-name&amp;pagina=2"' in first
    second = text(client.get(LIST, {"projectnaam": "weg", "sort": "-name", "pagina": 2}))
    assert names_in(second) == ["Weg 04", "Weg 03", "Weg 02", "Weg 01", "Weg 00"]
    assert 'href="?projectnaam=weg&amp;sort=-name&amp;pagina=1"' in second
    header = re.search(r'href="([^"]*)"[^>]*>Projectnaam', second)
    assert header and header.group(1) == "?projectnaam=weg&amp;sort=name"  # a new sort starts at page 1


def test_a_user_sees_only_the_projects_they_are_contactpersoon_of(olga, cora, gert, gerda, otto, wim):
    mine = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Mijn project",
        contacts=[olga],
    )
    colleagues = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Project van een collega",
        contacts=[UserFactory(organisation=olga.organisation)],
    )
    groningen_wsp = UserFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.WSP, region=gerda.region, name="WSP Groningen")
    )
    groningen = make_project(
        name="Project in Groningen",
        opdrachtgever=gerda.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=groningen_wsp,
        contacts=[gerda],
    )

    seen = {user.name: set(names_in(text(login(Client(), user).get(LIST)))) for user in (olga, cora, gert, otto)}

    assert seen[olga.name] == {mine.name}  # not even a colleague's project until she is added
    assert seen[cora.name] == {mine.name, colleagues.name}  # the coördinatiepunt: all of its region
    assert seen[gert.name] == {groningen.name}
    assert seen[otto.name] == set()


def test_afgeronde_projects_show_only_in_the_afgeronde_list(olga_project, olga):
    olga_project("Loopt nog")
    olga_project("Goedgekeurd", status=ProjectStatus.GOEDGEKEURD)
    olga_project("Klaar", status=ProjectStatus.AFGEROND)
    client = login(Client(), olga)

    active = text(client.get(LIST))
    finished = text(client.get(FINISHED))

    assert sorted(names_in(active)) == ["Goedgekeurd", "Loopt nog"]
    assert names_in(finished) == ["Klaar"]
    assert '<h1 class="utrecht-heading-1">Afgeronde projecten</h1>' in finished
    assert f'href="{FINISHED}"' in active and f'href="{LIST}"' in finished


def test_row_shows_verplichting_values_and_the_bar_with_a_text_alternative(olga_project, olga):
    project = olga_project("Brug", verplichting=Decimal("10000.00"))
    Project.objects.filter(pk=project.pk).update(sr_actueel=Decimal("4230.00"), sr_prognose=Decimal("8000.00"))
    olga_project("Raam geschat", contract_type=ContractType.RAAMOVEREENKOMST, verplichting=Decimal("7000.00"))
    olga_project(
        "Raam vastgesteld",
        contract_type=ContractType.RAAMOVEREENKOMST,
        verplichting=Decimal("7000.00"),
        verplichting_vastgesteld=Decimal("6500.00"),
    )
    olga_project("Ruim boven", verplichting=Decimal("100.00"))
    Project.objects.filter(name="Ruim boven").update(sr_actueel=Decimal("250.00"), sr_prognose=Decimal("250.00"))

    page = text(login(Client(), olga).get(LIST, {"sort": "name"}))

    assert "€ 10.000,00" in page and "€ 4.230,00" in page and "€ 8.000,00" in page
    assert "actueel 42 %, prognose 80 % van de verplichting" in page
    assert 'srm-bar__prognose srm-bar--w80"' in page and 'srm-bar__actueel srm-bar--w40"' in page
    assert "srm-bar--w100" in page and "actueel 250 %, prognose 250 % van de verplichting" in page
    assert re.search(r"€ 7.000,00<br><span class=\"srm-muted\">\(geschat\)", page)
    assert re.search(r"€ 6.500,00<br><span class=\"srm-muted\">\(vastgesteld\)", page)
    assert "style=" not in page


def test_badges_say_what_waits_for_this_user(olga, otto, wim, cora):
    today = timezone.localdate()
    ended = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Afgelopen",
        contacts=[olga, otto, wim],
        start_date=today - timedelta(days=300),
        end_date=today - timedelta(days=1),
    )
    kandidaat = make_kandidaat(otto.organisation)
    for _ in range(3):
        make_inzet(ended, kandidaat)
    returned = make_inzet(ended, kandidaat)
    Inzet.objects.filter(pk=returned.pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loon ontbreekt")
    approved = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Goedgekeurd",
        contacts=[olga],
        status=ProjectStatus.GOEDGEKEURD,
    )

    def badges(user) -> list[str]:  # type: ignore[no-untyped-def]
        page = text(login(Client(), user).get(LIST, {"sort": "name"}))
        return re.findall(r'utrecht-status-badge--(\w+) srm-badge">([^<]+)<', page)

    assert badges(wim) == [("warning", "3 te valideren"), ("warning", "Goedkeuring nodig")]
    assert badges(cora) == [
        ("warning", "3 te valideren"),
        ("warning", "Goedkeuring nodig"),
        ("neutral", "Afronden nodig"),
    ]
    assert badges(otto) == [("danger", "1 teruggestuurd")]
    assert badges(olga) == [("neutral", "Afronden nodig")]
    assert approved.name in names_in(text(login(Client(), olga).get(LIST)))


def test_only_who_may_create_sees_the_nieuw_project_button(olga, otto, wim, cora):
    create = f'href="{reverse("projects:create")}"'
    assert create in text(login(Client(), olga).get(LIST))
    assert create in text(login(Client(), cora).get(LIST))
    assert create not in text(login(Client(), otto).get(LIST))
    assert create not in text(login(Client(), wim).get(LIST))

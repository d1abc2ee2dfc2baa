"""The dashboard on the home page: per role the realisation against the obligation, the lines per
state, kandidaten per doelgroep and a trend, counted over what `for_user` lets the user see."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from policy.models import PolicyDoelgroep, PolicyVersion
from policy.valuation import value_line
from projects.models import Inzet, InzetStatus, Project, ProjectStatus
from reporting.dashboard import dashboard_for, quarter_ends
from tests.conftest import Client, login
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project, projects_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def home(user) -> str:  # type: ignore[no-untyped-def]
    response = login(Client(), user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def dashboard_html(page: str) -> str:
    match = re.search(r'<section class="srm-dashboard".*?</section>', page, re.S)
    assert match, "no dashboard on the page"
    return match.group(0)


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


NUMBER = re.compile(r"\d[\d.]*(?:,\d+)?")


# --- The numbers, per role -------------------------------------------------------------------------


def test_wsp_sees_the_totals_of_its_own_projects_only(cast, wim):
    project = Project.objects.get(pk=cast["project"].pk)
    dashboard = dashboard_for(wim)
    assert dashboard.total.projects == 1
    assert dashboard.total.verplichting == Decimal("50000.00")
    assert dashboard.total.actueel == project.sr_actueel > 0
    assert dashboard.total.prognose == project.sr_prognose
    assert [group.name for group in dashboard.groups] == ["Gemeente Veenhoven"]
    assert dashboard.group_label == "Opdrachtgever"


def test_coordinatiepunt_counts_its_whole_region_and_never_another(cast, cora, gert):
    drenthe = dashboard_for(cora)
    assert drenthe.total.projects == 2
    assert drenthe.total.verplichting == Decimal("100000.00")
    assert {group.name for group in drenthe.groups} == {"Gemeente Veenhoven", "Gemeente Brinkerveld"}
    groningen = dashboard_for(gert)
    assert groningen.total.projects == 1
    assert [group.name for group in groningen.groups] == ["Gemeente Noorderdal"]
    assert "Gemeente Noorderdal" not in home(cora)


def test_opdrachtgever_compares_opdrachtnemers_and_opdrachtnemer_compares_opdrachtgevers(cast, olga, otto):
    as_opdrachtgever = dashboard_for(olga)
    assert as_opdrachtgever.group_label == "Opdrachtnemer"
    assert [group.name for group in as_opdrachtgever.groups] == ["Hunzebouw"]
    as_opdrachtnemer = dashboard_for(otto)
    assert as_opdrachtnemer.group_label == "Opdrachtgever"
    assert [group.name for group in as_opdrachtnemer.groups] == ["Gemeente Veenhoven"]


def test_percentages_and_the_verplichting_pro_rata_of_the_time_passed(olga, otto, wim):
    today = timezone.localdate()
    make_project(
        opdrachtgever=olga.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=wim,
        contacts=[wim],
        verplichting=Decimal("1000.00"),
        # 100 days, of which 50 (today included) have passed.
        start_date=today - timedelta(days=49),
        end_date=today + timedelta(days=50),
    )
    Project.objects.update(sr_actueel=Decimal("400.00"), sr_prognose=Decimal("1100.00"))
    total = dashboard_for(wim).total
    assert total.naar_rato == Decimal("500.00")
    assert (total.actueel_percentage, total.prognose_percentage, total.schema_percentage) == (40, 110, 80)
    assert total.on_schedule is False
    assert (total.actueel_text, total.prognose_text) == ("40 %", "110 %")


def test_vastgestelde_verplichting_replaces_the_estimate(cast, wim):
    Project.objects.filter(pk=cast["project"].pk).update(verplichting_vastgesteld=Decimal("40000.00"))
    assert dashboard_for(wim).total.verplichting == Decimal("40000.00")


def test_an_afgerond_project_leaves_the_money_but_its_kandidaten_still_count(cast, wim):
    Project.objects.filter(pk=cast["project"].pk).update(status=ProjectStatus.AFGEROND)
    dashboard = dashboard_for(wim)
    assert dashboard.total.projects == 0
    assert dashboard.line_count == 0
    assert [item.count for item in dashboard.doelgroepen] == [1]
    page = home(wim)
    assert "U heeft geen actieve projecten." in page
    assert "Er zijn nog geen verantwoordingsregels op uw actieve projecten." in page


def test_top_ten_opdrachtgevers_by_verplichting(cora, wim):
    for number in range(1, 13):
        make_project(
            name=f"Project {number}",
            opdrachtgever=OrganisationFactory(name=f"Gemeente {number:02d}"),
            opdrachtnemer=OpdrachtnemerFactory(),
            accountmanager=wim,
            verplichting=Decimal(1000 * number),
        )
    dashboard = dashboard_for(cora)
    assert [group.name for group in dashboard.groups] == [f"Gemeente {n:02d}" for n in range(12, 2, -1)]
    assert (dashboard.group_count, dashboard.groups_hidden) == (12, 2)
    assert dashboard.total.verplichting == Decimal(78000)
    assert "de 10 grootste op verplichting, van 12" in home(cora)


def test_lines_per_state_count_only_visible_active_projects(cast, wim, cora, gert):
    noord = cast["project_groningen"]
    make_inzet(noord, make_kandidaat(noord.opdrachtnemer, surname="Noord"))
    Inzet.objects.filter(pk=cast["inzet_open"].pk).update(status=InzetStatus.TERUGGESTUURD, return_reason="Loonstrook")
    expected = {"ingevoerd": 0, "teruggestuurd": 1, "gevalideerd": 1}
    assert {item.code: item.count for item in dashboard_for(wim).lines} == expected
    assert {item.code: item.count for item in dashboard_for(cora).lines} == expected
    assert {item.code: item.count for item in dashboard_for(gert).lines} == {
        "ingevoerd": 1,
        "teruggestuurd": 0,
        "gevalideerd": 0,
    }


def test_kandidaten_per_doelgroep_count_each_person_once_with_the_label_of_the_policy(cast, otto, wim, gert):
    project = cast["project"]
    make_inzet(
        project,
        make_kandidaat(otto.organisation, surname="Register", doelgroep="doelgroepenregister"),
        soort="baan",
        amount=Decimal(2000),
        hours_per_week=Decimal(36),
        niveau="",
    )
    # Kandidaten of the opdrachtnemer without inzet on a visible project are not counted.
    make_kandidaat(otto.organisation, surname="Zonder", doelgroep="wsw")
    noord = cast["project_groningen"]
    make_inzet(noord, make_kandidaat(noord.opdrachtnemer, surname="Noord"))
    version = PolicyVersion.objects.in_force(region=project.region, day=timezone.localdate())
    label = {d.code: d.label for d in PolicyDoelgroep.objects.filter(version=version)}
    dashboard = dashboard_for(wim)
    assert [(item.label, item.count) for item in dashboard.doelgroepen] == [
        (label["doelgroepenregister"], 1),
        (label["stagiair"], 1),  # two lines, one person
    ]
    assert [(item.label, item.count) for item in dashboard_for(otto).doelgroepen] == [
        (label["doelgroepenregister"], 1),
        (label["stagiair"], 1),
    ]
    assert [(item.code, item.count) for item in dashboard_for(gert).doelgroepen] == [("stagiair", 1)]


# --- The trend ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "ends"),
    [
        (date(2026, 5, 15), ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"]),
        (date(2026, 3, 31), ["2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]),
        (date(2026, 1, 1), ["2024-12-31", "2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]),
    ],
)
def test_quarter_ends_are_the_last_five_before_today(today, ends):
    assert [day.isoformat() for day in quarter_ends(today)] == ends


def engine_value_up_to(line: Inzet, day: date) -> Decimal:
    """What the engine makes of the line as it is stored, up to `day`."""
    rules = PolicyVersion.objects.with_rules().get(pk=line.policy_version_id).to_rules()
    data = line.as_engine_line(
        first_workday=line.first_workday,
        first_workday_soort=line.first_workday_soort or None,
        scholing_already_counted=line.scholing_counted or Decimal(0),
    )
    return value_line(line=data, rules=rules, peildatum=day).value


def test_each_trend_point_is_the_engines_value_of_the_lines_up_to_that_day(olga, otto, wim):
    project = make_project(
        opdrachtgever=olga.organisation,
        opdrachtnemer=otto.organisation,
        accountmanager=wim,
        contacts=[wim],
        start_date=date(2025, 1, 1),
        end_date=date(2027, 12, 31),
    )
    today = date(2026, 5, 15)
    # A stage over five quarters (capped per month), a job over the whole period, and € 500 "anders" that counts
    # as entered from its first day: three ways the engine turns days into money.
    lines = [
        make_inzet(project, make_kandidaat(otto.organisation), start_date=date(2025, 2, 10), end_date=date(2026, 4, 9)),
        make_inzet(
            project,
            make_kandidaat(otto.organisation, surname="Bakker", doelgroep="wajong_wia"),
            soort="baan",
            start_date=date(2025, 5, 1),
            end_date=date(2027, 12, 31),
            amount=Decimal("2400.00"),
            hours_per_week=Decimal(32),
            niveau="",
        ),
        make_inzet(
            project,
            None,
            soort="anders",
            start_date=date(2025, 8, 15),
            end_date=date(2026, 8, 14),
            amount=Decimal("500.00"),
            niveau="",
            description="Inkoop bij een sociale onderneming",
        ),
    ]
    project.refresh_from_db()
    trend = dashboard_for(wim, today=today).trend
    assert [point.label for point in trend] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Vandaag"]
    for point in trend[:-1]:
        assert point.actueel == sum(engine_value_up_to(line, point.day) for line in lines), point.label
    assert trend[-1].actueel == project.sr_actueel
    # Each line grows over the quarters it counts in, and the "anders" line counts in full from its first day.
    assert 0 < trend[0].actueel < trend[1].actueel < trend[2].actueel < trend[3].actueel < trend[4].actueel
    assert engine_value_up_to(lines[2], date(2025, 9, 30)) == Decimal("500.00")


# --- The page -------------------------------------------------------------------------------------


def test_every_chart_has_a_title_and_a_table_with_the_same_numbers(cast, wim):
    section = dashboard_html(home(wim))
    figures = re.findall(r'<figure class="srm-chart.*?</figure>', section, re.S)
    assert len(figures) == 4
    for figure in figures:
        svg = re.search(r"<svg[^>]*>.*?</svg>", figure, re.S).group(0)
        opening = re.match(r"<svg[^>]*>", svg).group(0)
        assert 'role="img"' in opening
        title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', opening).groups()
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{desc_id}">[^<]+</desc>', svg)
        table = plain(re.search(r"<table.*?</table>", figure, re.S).group(0))
        in_chart = {
            n for text in re.findall(r"<text[^>]*>(.*?)</text>", svg) for n in NUMBER.findall(html.unescape(text))
        }
        assert in_chart, figure
        assert in_chart <= set(NUMBER.findall(table)), (in_chart - set(NUMBER.findall(table)), table)


def test_the_page_shows_the_role_scoped_totals(cast, wim, cora):
    assert "€ 50.000,00" in plain(dashboard_html(home(wim)))
    drenthe = plain(dashboard_html(home(cora)))
    assert "€ 100.000,00" in drenthe
    assert "Gemeente Brinkerveld" in drenthe


def test_names_in_charts_are_escaped_and_nothing_is_styled_inline(cast, wim):
    Organisation.objects.filter(pk=cast["project"].opdrachtgever_id).update(name='<script>alert("x")</script> & Co')
    section = dashboard_html(home(wim))
    assert "<script>" not in section
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in section
    assert "style=" not in section


def test_home_page_queries_do_not_grow_with_the_projects(olga, otto, wim, cora):
    """Every role's first screen (dashboard and what to do next) at 10 and at 60 projects, each
    with lines waiting, returned and validated, some ending soon and some behind. 60 is well past what
    a list of what to do next shows (attention.MAX_ROWS rows): a query per project, or per row, shows."""
    today = timezone.localdate()
    statuses = (InzetStatus.INGEVOERD, InzetStatus.TERUGGESTUURD, InzetStatus.GEVALIDEERD)

    def build(first: int, count: int) -> None:
        for number in range(first, first + count):
            project = brug_veenhoven(
                olga,
                otto,
                wim,
                name=f"Project {number}",
                contacts=[olga, otto, wim],
                end_date=today + timedelta(days=30 * (number % 9)),
            )
            line = make_inzet(project, make_kandidaat(otto.organisation, surname=f"Kandidaat {number}"))
            Inzet.objects.filter(pk=line.pk).update(status=statuses[number % 3], return_reason="Loonstrook ontbreekt")

    def queries(user) -> int:  # type: ignore[no-untyped-def]
        client = login(Client(), user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    people = (olga, otto, wim, cora)
    build(0, 10)
    few = [queries(user) for user in people]
    build(10, 50)
    assert dashboard_for(cora).total.projects == 60
    assert [queries(user) for user in people] == few


def test_rapportage_page_shows_the_same_dashboard(cast, wim):
    response = login(Client(), wim).get(reverse("reporting:index"))
    assert response.status_code == 200
    section = plain(dashboard_html(response.content.decode()))
    assert "€ 50.000,00" in section
    assert "Gemeente Brinkerveld" not in section


def test_an_account_without_projects_sees_an_empty_dashboard():
    lonely = UserFactory(organisation=OrganisationFactory(name="Gemeente Leeg"))
    page = home(lonely)
    assert "U heeft geen actieve projecten." in page
    assert "Er is nog geen inzet van kandidaten op uw projecten." in page
    assert "<svg" not in dashboard_html(page)


def test_a_users_dashboard_is_kept_for_a_few_minutes(wim, settings, django_assert_num_queries):
    from django.core.cache import cache

    from reporting.dashboard import dashboard_for

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    first = dashboard_for(wim)
    with django_assert_num_queries(0):
        again = dashboard_for(wim)
    assert again.total == first.total
    cache.clear()

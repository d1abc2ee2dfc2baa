"""Bewaartermijn (issue #8): kandidaten of projects afgerond longer than RETENTION_YEARS ago are
pseudonymised by a logged job — everywhere, the history tables included — and nothing they were
worth changes. Not a day before, and never while one of their projects is still open.
"""

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.models import Mail
from projects.models import Inzet, InzetStatus, Kandidaat, Project, ProjectStatus, RetentionRun
from projects.services import ConcurrentEditError, ProjectError
from projects.services.retention import REMOVED, kandidaten_pseudonymise, retention_cutoff
from projects.services.verantwoording import inzet_return, kandidaat_save
from projects.tasks import pseudonymise_kandidaten
from tests.conftest import Client, committed, login, travel
from tests.projects.cast import make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db

# Unusual on purpose: a search of the whole database for them finds nothing else.
SURNAME, INITIALS, BORN, UNEMPLOYED = "Wolkenkrabber", "Q.X.", date(2001, 7, 14), date(2023, 2, 9)
REASON = "Loonstrook van Q.X. Wolkenkrabber ontbreekt"
NOTE_ON_LINE = "Begeleiding Wolkenkrabber door jobcoach"
YEAR = timedelta(days=365)


def close(project: Project, when: datetime | None = None) -> None:
    """Project afgerond, as project_close leaves it (the status checks are not under test here)."""
    Project.objects.filter(pk=project.pk).update(
        status=ProjectStatus.AFGEROND, closed_at=when or timezone.now(), approved_at=when or timezone.now()
    )


@pytest.fixture
def world(olga, otto, wim):  # type: ignore[no-untyped-def]
    """`gone`: lines on two projects, both afgerond now. `kept`: one line on an afgerond project and
    one on a project still running. `idle`: no lines at all."""
    people = {"opdrachtgever": olga.organisation, "opdrachtnemer": otto.organisation, "accountmanager": wim}
    today = timezone.localdate()
    contacts = [olga, otto, wim]
    ended = {"start_date": today - 2 * YEAR, "end_date": today - timedelta(days=30), "contacts": contacts}
    first = make_project(name="Kade", **ended, **people)
    second = make_project(name="Sluis", **ended, **people)
    running = make_project(name="Dijk", start_date=today - YEAR, end_date=today + YEAR, contacts=contacts, **people)

    # Entered with a typo and then corrected, so the history holds two versions of the person.
    gone = make_kandidaat(
        otto.organisation, initials=INITIALS, surname=SURNAME + "r", birth_date=BORN, doelgroep="stagiair"
    )
    gone = kandidaat_save(
        kandidaat=gone,
        data={
            "initials": INITIALS,
            "surname": SURNAME,
            "birth_date": BORN,
            "doelgroep": "stagiair",
            "unemployed_since": UNEMPLOYED,
        },
        by=otto,
        revision=gone.revision,
    )
    validated = make_inzet(first, gone)
    Inzet.objects.filter(pk=validated.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)
    returned = make_inzet(second, gone, soort="werk", amount=Decimal("1500.00"), niveau="", description=NOTE_ON_LINE)
    with committed():
        inzet_return(inzet=returned, reason=REASON, by=wim)

    kept = make_kandidaat(otto.organisation, initials="A.", surname="Blijft", birth_date=date(1999, 3, 3))
    make_inzet(first, kept)
    make_inzet(running, kept)
    idle = make_kandidaat(otto.organisation, initials="B.", surname="Zonderregels", birth_date=date(1998, 4, 4))
    close(first)
    close(second)
    return {"gone": gone, "kept": kept, "idle": idle, "projects": [first, second, running], "returned": returned}


def figures() -> dict[str, object]:
    """Every stored value: the projects' sums and each line's value, period and reasons."""
    return {
        "projects": list(
            Project.objects.order_by("pk").values_list(
                "pk", "sr_actueel", "sr_actueel_gevalideerd", "sr_prognose", "sr_prognose_gevalideerd", "values_date"
            )
        ),
        "lines": list(
            Inzet.objects.order_by("pk").values_list(
                "pk", "value_actueel", "value_prognose", "counts_from", "counts_until", "reasons", "status", "amount"
            )
        ),
    }


def rows_mentioning(text: str) -> dict[str, int]:
    """Every table of the database with a row whose text contains `text` (case-insensitive)."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # The table names come from the database itself.
            query = f"SELECT count(*) FROM {connection.ops.quote_name(table)} AS row WHERE row::text ILIKE %s"  # noqa: S608
            cursor.execute(query, [f"%{text}%"])
            if count := cursor.fetchone()[0]:
                found[table] = count
    return found


SEVEN_YEARS_AND_A_DAY = timedelta(days=7 * 365 + 2 + 1)  # seven years hold one or two leap days


def around_the_end_of_the_period(world, years: int = 7) -> tuple[timedelta, timedelta]:  # type: ignore[no-untyped-def]
    """How far to travel to be an hour before, and an hour after, the period of `world` ends."""
    closed = max(
        Project.objects.filter(pk__in=[p.pk for p in world["projects"][:2]]).values_list("closed_at", flat=True)
    )
    ends = closed.replace(year=closed.year + years)
    return ends - timezone.now() - timedelta(hours=1), ends - timezone.now() + timedelta(hours=1)


def test_the_default_period_is_seven_years():
    assert settings.RETENTION_YEARS == 7
    leap_day = datetime(2028, 2, 29, 12, tzinfo=timezone.get_current_timezone())
    assert retention_cutoff(leap_day, 7) == datetime(2021, 2, 28, 12, tzinfo=timezone.get_current_timezone())
    assert retention_cutoff(leap_day.replace(day=28), 7).date() == date(2021, 2, 28)


def test_a_kandidaat_is_pseudonymised_after_the_period_and_not_a_day_before(world):
    gone = world["gone"]
    before, after = around_the_end_of_the_period(world)
    with travel(before):
        assert kandidaten_pseudonymise().kandidaat_ids == []
    gone.refresh_from_db()
    assert (gone.surname, gone.birth_date, gone.pseudonymised_at) == (SURNAME, BORN, None)

    with travel(after):
        result = kandidaten_pseudonymise()

    assert result.kandidaat_ids == [gone.pk]
    gone.refresh_from_db()
    assert gone.initials == "" and gone.surname == f"Kandidaat {gone.pk} (gepseudonimiseerd)"
    assert gone.birth_date == date(2001, 1, 1), "only the year of birth stays"
    assert gone.unemployed_since is None and gone.pseudonymised_at is not None
    assert gone.doelgroep == "stagiair", "what the lines were valued on stays"
    assert SURNAME.lower() not in gone.match_key
    returned = Inzet.objects.get(pk=world["returned"].pk)
    assert (returned.description, returned.return_reason) == (REMOVED, REMOVED)


def test_a_kandidaat_with_a_line_on_a_running_project_or_without_lines_is_kept(world):
    with travel(timedelta(days=20 * 365)):
        kandidaten_pseudonymise()
    for name in ("kept", "idle"):
        kandidaat = Kandidaat.objects.get(pk=world[name].pk)
        assert kandidaat.pseudonymised_at is None and kandidaat.surname == world[name].surname

    # Once the running project is afgerond too, the period starts again from that day.
    running = world["projects"][2]
    close(running, timezone.now() + 3 * YEAR)
    with travel(SEVEN_YEARS_AND_A_DAY):
        assert world["kept"].pk not in kandidaten_pseudonymise().kandidaat_ids
    with travel(3 * YEAR + SEVEN_YEARS_AND_A_DAY):
        assert kandidaten_pseudonymise().kandidaat_ids == [world["kept"].pk]


def test_what_the_lines_and_projects_are_worth_does_not_change(world, olga):
    before = figures()
    with travel(SEVEN_YEARS_AND_A_DAY):
        assert kandidaten_pseudonymise().kandidaat_ids == [world["gone"].pk]
        assert figures() == before
        # the afgerond project still shows, with the pseudonym in place of the name
        page = login(Client(), olga).get(reverse("projects:detail", args=[world["projects"][0].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Kandidaat {world['gone'].pk} (gepseudonimiseerd)" in html and SURNAME not in html


def test_no_table_keeps_the_name_birth_date_or_free_text_history_included(world):
    kandidaat_events = apps.get_model("projects", "KandidaatEvent")
    assert kandidaat_events.objects.filter(pgh_obj_id=world["gone"].pk).count() >= 2, "two versions in the history"
    assert rows_mentioning(SURNAME).keys() >= {"projects_kandidaat", "projects_kandidaatevent", "notifications_mail"}
    assert "projects_inzetevent" in rows_mentioning("jobcoach")

    with travel(SEVEN_YEARS_AND_A_DAY):
        kandidaten_pseudonymise()

    for trace in (SURNAME, "jobcoach", BORN.isoformat(), UNEMPLOYED.isoformat(), "Q.X."):
        assert rows_mentioning(trace) == {}, trace
    assert rows_mentioning("Blijft").keys() >= {"projects_kandidaat"}, "the kandidaat still in use is untouched"
    mail = Mail.objects.get(key__startswith=f"inzet-returned:{world['returned'].pk}:")
    assert (mail.text, mail.html) == (REMOVED, REMOVED) and mail.to, "the mail's envelope stays as a record"


def test_a_second_run_changes_nothing(world):
    with travel(SEVEN_YEARS_AND_A_DAY):
        first = kandidaten_pseudonymise()
    gone = Kandidaat.objects.get(pk=world["gone"].pk)
    with travel(SEVEN_YEARS_AND_A_DAY + timedelta(days=7)):
        second = kandidaten_pseudonymise()
    assert first.kandidaat_ids == [gone.pk] and second.kandidaat_ids == []
    assert (second.history_rows, second.inzet_lines, second.mails) == (0, 0, 0)
    again = Kandidaat.objects.get(pk=gone.pk)
    assert (again.pseudonymised_at, again.revision) == (gone.pseudonymised_at, gone.revision)
    assert RetentionRun.objects.count() == 1, "a run that changes nothing leaves no record"


def test_each_run_is_recorded_and_logged_without_personal_data(world, caplog):
    caplog.set_level(logging.INFO, logger="srmonitor.retention")
    with travel(SEVEN_YEARS_AND_A_DAY):
        result = kandidaten_pseudonymise()

    run = RetentionRun.objects.get()
    assert run == result.run
    assert (run.kandidaten, run.kandidaat_ids, run.retention_years) == (1, [world["gone"].pk], 7)
    assert run.inzet_lines == 1 and run.mails == 1 and run.history_rows >= 3
    assert run.finished_at >= run.started_at
    assert run.closed_before == retention_cutoff(run.started_at, 7)
    (record,) = [r for r in caplog.records if r.name == "srmonitor.retention"]
    message = record.getMessage()
    assert "1 kandidaten pseudonymised" in message and f"ids={world['gone'].pk}" in message
    assert f"record={run.pk}" in message
    for secret in (SURNAME, BORN.isoformat(), "jobcoach", "Loonstrook"):
        assert secret not in message and secret not in str(run.__dict__)


def test_an_edit_form_opened_before_the_run_cannot_bring_the_name_back(world, otto):
    gone = world["gone"]
    data = {
        "initials": INITIALS,
        "surname": SURNAME,
        "birth_date": BORN,
        "doelgroep": "stagiair",
        "unemployed_since": None,
    }
    with travel(SEVEN_YEARS_AND_A_DAY):
        kandidaten_pseudonymise()
        with pytest.raises(ConcurrentEditError):
            kandidaat_save(kandidaat=gone, data=data, by=otto, revision=gone.revision)
        fresh = Kandidaat.objects.get(pk=gone.pk)
        with pytest.raises(ProjectError, match="gepseudonimiseerd"):
            kandidaat_save(kandidaat=fresh, data=data, by=otto, revision=fresh.revision)
    assert Kandidaat.objects.get(pk=gone.pk).surname != SURNAME


def test_the_period_comes_from_the_settings(world, settings):
    settings.RETENTION_YEARS = 2
    before, after = around_the_end_of_the_period(world, years=2)
    with travel(before):
        assert kandidaten_pseudonymise().kandidaat_ids == []
    with travel(after):
        assert kandidaten_pseudonymise().kandidaat_ids == [world["gone"].pk]
    assert RetentionRun.objects.get().retention_years == 2


def test_the_weekly_task_is_scheduled_and_runs_the_job(world):
    entry = settings.CELERY_BEAT_SCHEDULE["pseudonymise-kandidaten"]
    from srmonitor.celery import app

    assert entry["task"] == pseudonymise_kandidaten.name and entry["task"] in app.tasks
    with travel(SEVEN_YEARS_AND_A_DAY):
        assert pseudonymise_kandidaten.delay().get() == 1
    assert Kandidaat.objects.get(pk=world["gone"].pk).pseudonymised_at is not None


def test_the_command_has_a_dry_run_that_changes_nothing(world, capsys):
    with travel(SEVEN_YEARS_AND_A_DAY):
        call_command("pseudonymise_kandidaten", "--dry-run")
        assert "Proefdraai: 1 kandidaat voor pseudonimisering" in capsys.readouterr().out
        assert Kandidaat.objects.get(pk=world["gone"].pk).surname == SURNAME
        assert not RetentionRun.objects.exists()

        call_command("pseudonymise_kandidaten")
        out = capsys.readouterr().out
    assert out.startswith("Gepseudonimiseerd: 1 kandidaat ") and f"Ids: {world['gone'].pk}" in out
    assert Kandidaat.objects.get(pk=world["gone"].pk).surname != SURNAME

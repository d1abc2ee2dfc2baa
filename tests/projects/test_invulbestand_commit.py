"""Regels toevoegen (issue #30): a checked invulbestand is committed through the services of a single line,
all rows or none, and nothing twice."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Mail
from projects.invulbestand import check_rows, kandidaat_label
from projects.models import Invulbestand, InvulbestandStatus, Inzet, InzetStatus, Kandidaat, kandidaat_match_key
from projects.services import ProjectError
from projects.services.invulbestand import (
    ALREADY_THERE,
    CHANGED_MEANWHILE,
    DELETED_MEANWHILE,
    invulbestand_commit,
    invulbestand_commit_queue,
    invulbestand_run,
    invulbestanden_resume,
)
from projects.services.valuation import inzet_value
from projects.services.verantwoording import KANDIDAAT_FIELDS, inzet_save, kandidaat_save
from tests.conftest import Client, committed, login
from tests.locks import row_locked
from tests.pages import messages_of, words
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, projects_cast
from tests.projects.test_detail import history_rows
from tests.projects.test_invulbestand import stage, upload, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    return projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)


def checked(client: Client, project, rows: list[list[object]]) -> Invulbestand:  # type: ignore[no-untyped-def]
    upload(client, project, "regels.xlsx", workbook_bytes(rows))
    return Invulbestand.objects.filter(project=project).latest("pk")


def open_line_row(cast: dict, **changes: object) -> list[object]:
    """A row for the cast's open line (its Regelnummer and kandidaat from the drop-down), with `changes`."""
    person = dict.fromkeys(("initials", "surname", "birth_date", "doelgroep"))
    line = cast["inzet_open"]
    return stage(cast["project"], ref=line.pk, kandidaat=kandidaat_label(cast["kandidaat"]), **person | changes)


def commit(client: Client, project, file: Invulbestand):  # type: ignore[no-untyped-def]
    return client.post(reverse("projects:invulbestand-commit", args=[project.pk, file.pk]))


def test_regels_toevoegen_saves_every_row_through_the_services(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    open_line = cast["inzet_open"]
    rows = [
        stage(project),  # a new kandidaat, P. de Vries
        stage(
            project,
            start_date=project.start_date + timedelta(days=120),
            end_date=project.start_date + timedelta(days=150),
        ),
        open_line_row(cast, amount=Decimal("250")),
    ]
    file = checked(client, project, rows)
    assert (file.new, file.changed, file.problems) == (2, 1, [])
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk])))
    assert "Regels toevoegen" in page

    response = commit(client, project, file)

    assert response.status_code == 302
    assert messages_of(response) == ["2 regels toegevoegd, 1 regel gewijzigd."]
    vries = Kandidaat.objects.get(surname="de Vries")
    assert vries.opdrachtnemer_id == otto.organisation_id, "one new kandidaat for both rows"
    new_lines = Inzet.objects.filter(kandidaat=vries).order_by("start_date")
    assert new_lines.count() == 2 and {line.created_by_id for line in new_lines} == {otto.pk}
    for line in new_lines:  # valued by the engine as a single save values it
        fresh = Inzet.objects.get(pk=line.pk)
        inzet_value(fresh)
        assert (fresh.value_prognose, fresh.status) == (line.value_prognose, InzetStatus.INGEVOERD)
    open_line.refresh_from_db()
    assert open_line.amount == Decimal("250.00") and open_line.revision == 2
    file.refresh_from_db()
    assert (file.added, file.updated, file.report) == (2, 1, []) and file.committed_at is not None
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk])))
    assert "Toegevoegd op" in page and "Regels toevoegen" not in page


def test_the_same_rows_a_second_time_add_nothing_and_the_page_says_which(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    rows = [stage(project), stage(project)]  # the second row repeats the first
    commit(client, project, checked(client, project, rows))
    assert Inzet.objects.filter(kandidaat__surname="de Vries").count() == 1
    first = Invulbestand.objects.get(project=project)
    assert first.report == [{"row": 3, "message": ALREADY_THERE}]

    again = checked(client, project, rows)
    response = commit(client, project, again)
    assert messages_of(response) == [
        "0 regels toegevoegd, 0 regels gewijzigd; 2 rijen niet opgeslagen (zie hieronder)."
    ]
    assert Inzet.objects.filter(kandidaat__surname="de Vries").count() == 1
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, again.pk])))
    assert "Rijen die niet zijn opgeslagen" in page and f"2 {ALREADY_THERE}" in page and f"3 {ALREADY_THERE}" in page


def test_a_line_changed_after_the_check_is_left_alone_and_named(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    line = cast["inzet_open"]
    file = checked(client, project, [open_line_row(cast, amount=Decimal("250")), stage(project)])
    Inzet.objects.filter(pk=line.pk).update(revision=line.revision + 1, amount=Decimal("320"))  # a colleague saved it

    commit(client, project, file)

    line.refresh_from_db()
    assert line.amount == Decimal("320.00"), "the colleague's change stays"
    file.refresh_from_db()
    assert file.added == 1 and file.updated == 0
    assert file.report[0]["row"] == 2 and f"Regel {line.pk} is na de controle" in file.report[0]["message"]


def test_a_line_validated_after_the_check_is_left_alone_and_named_and_the_rest_is_added(cast, otto, wim):
    project, client = cast["project"], login(Client(), otto)
    line = cast["inzet_open"]
    file = checked(client, project, [stage(project), open_line_row(cast, amount=Decimal("250"))])
    validated = {"status": InzetStatus.GEVALIDEERD, "validated_by": wim, "revision": line.revision + 1}
    Inzet.objects.filter(pk=line.pk).update(**validated)  # the WSP validated it meanwhile

    response = commit(client, project, file)

    assert messages_of(response) == ["1 regel toegevoegd, 0 regels gewijzigd; 1 rij niet opgeslagen (zie hieronder)."]
    line.refresh_from_db()
    assert line.amount == Decimal("400.00") and line.status == InzetStatus.GEVALIDEERD
    file.refresh_from_db()
    assert file.report == [{"row": 3, "message": CHANGED_MEANWHILE.format(pk=line.pk)}]
    assert Inzet.objects.filter(kandidaat__surname="de Vries").count() == 1


def test_a_line_deleted_after_the_check_is_named_and_not_added_again(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    line = cast["inzet_open"]
    file = checked(client, project, [stage(project), open_line_row(cast, amount=Decimal("250"))])
    Inzet.objects.filter(pk=line.pk).delete()  # a colleague deleted it meanwhile

    commit(client, project, file)

    file.refresh_from_db()
    assert file.report == [{"row": 3, "message": DELETED_MEANWHILE.format(pk=line.pk)}] and file.added == 1
    assert not Inzet.objects.filter(pk=line.pk).exists()


def test_all_or_nothing_when_the_file_no_longer_passes(cast, otto, wim):
    project, client = cast["project"], login(Client(), otto)
    smit = make_kandidaat(otto.organisation, surname="Smit")
    smits_line = make_inzet(project, smit)
    person = {"initials": smit.initials, "surname": smit.surname, "birth_date": smit.birth_date}
    # A new line for Smit with another doelgroep: allowed while none of Smit's lines is validated.
    other = stage(project, **person, doelgroep="Doelgroepenregister UWV (afspraakbaan)", soort="Baan (dienstverband)",
                  niveau=None, hours_per_week=Decimal("32"))  # fmt: skip
    file = checked(client, project, [stage(project), other])
    assert file.problems == []
    Inzet.objects.filter(pk=smits_line.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)  # meanwhile
    lines, kandidaten = Inzet.objects.count(), Kandidaat.objects.count()

    response = commit(client, project, file)

    assert "Het bestand heeft nu fouten" in messages_of(response)[0]
    assert (Inzet.objects.count(), Kandidaat.objects.count()) == (lines, kandidaten)
    assert Invulbestand.objects.get(pk=file.pk).committed_at is None
    assert Kandidaat.objects.get(pk=smit.pk).doelgroep == "stagiair"


def test_a_file_is_committed_once_and_one_with_errors_not_at_all(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    file = checked(client, project, [stage(project)])
    commit(client, project, file)
    with pytest.raises(ProjectError, match="al toegevoegd op"):
        invulbestand_commit(upload=file, by=otto)
    bad = checked(client, project, [stage(project, soort="Vliegles")])
    response = commit(client, project, bad)
    assert messages_of(response) == ["Dit bestand heeft fouten: verbeter ze en upload het opnieuw."]
    assert Invulbestand.objects.get(pk=bad.pk).committed_at is None


def test_the_preview_shows_each_row_with_its_value_and_the_projects_sr_after(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    project.refresh_from_db()
    file = checked(client, project, [stage(project, amount=Decimal("400")), open_line_row(cast, amount=Decimal("250"))])
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk])))
    assert "Wat er wordt opgeslagen" in page
    new, changed = file.preview["rows"]
    assert (new["kandidaat"], new["new_kandidaat"], changed["new_kandidaat"]) == ("P. de Vries", True, False)
    assert "2 P. de Vries nieuw Stage" in page and f"3 (regel {cast['inzet_open'].pk}) J. Jansen" in page

    commit(client, project, file)

    project.refresh_from_db()  # what the preview said is what the commit did
    assert file.preview["sr_prognose"][1] == str(project.sr_prognose)
    assert file.preview["sr_actueel"][1] == str(project.sr_actueel)
    line = Inzet.objects.get(kandidaat__surname="de Vries")
    assert (str(line.value_prognose), line.reasons) == (new["prognose"], new["reasons"])


def test_a_large_file_is_checked_and_added_by_celery_and_its_page_follows(cast, otto, settings):
    settings.INVULBESTAND_IN_REQUEST_ROWS = 1
    project, client = cast["project"], login(Client(), otto)
    result = reverse("projects:invulbestand-result", args=[project.pk, 0]).replace("/0/", "/{}/")
    queued: list[int] = []
    with mock.patch("projects.services.invulbestand._queue", side_effect=lambda upload: queued.append(upload.pk)):
        file = checked(client, project, [stage(project), stage(project, surname="Bakker")])
        assert (file.status, file.rows, file.preview, queued) == (InvulbestandStatus.CHECKING, 2, {}, [file.pk])
        waiting = client.get(result.format(file.pk))
        assert '<meta http-equiv="refresh"' in waiting.content.decode()
        assert "De 2 rijen worden gecontroleerd" in words(waiting) and "Regels toevoegen" not in words(waiting)
        upload_page = words(client.get(reverse("projects:invulbestand-upload", args=[project.pk])))
        assert "regels.xlsx, geüpload" in upload_page and "wordt gecontroleerd" in upload_page

        assert invulbestand_run(file.pk) == "checked"  # the worker's turn
        file.refresh_from_db()
        assert (file.status, file.new, file.problems, len(file.preview["rows"])) == ("checked", 2, [], 2)

        response = commit(client, project, file)
        assert response.status_code == 302 and queued == [file.pk, file.pk]
        assert Invulbestand.objects.get(pk=file.pk).status == InvulbestandStatus.ADDING
        assert "De regels worden toegevoegd" in words(client.get(result.format(file.pk)))
        assert not Inzet.objects.filter(kandidaat__surname__in=["de Vries", "Bakker"]).exists()

        assert invulbestand_run(file.pk) == "added"
        assert invulbestand_run(file.pk) == "done", "delivered twice: the second run finds the work done"
    file.refresh_from_db()
    assert (file.status, file.added) == (InvulbestandStatus.ADDED, 2)
    assert Inzet.objects.filter(kandidaat__surname__in=["de Vries", "Bakker"]).count() == 2
    page = client.get(result.format(file.pk))
    assert "Toegevoegd op" in words(page) and '<meta http-equiv="refresh"' not in page.content.decode()


def test_with_celery_at_work_the_request_hands_the_file_over_and_the_task_adds_it(cast, otto, settings):
    settings.INVULBESTAND_IN_REQUEST_ROWS = 1  # the task runs (eagerly) when the request's transaction commits
    project, client = cast["project"], login(Client(), otto)
    file = checked(client, project, [stage(project), stage(project, surname="Bakker")])
    assert file.status == InvulbestandStatus.CHECKED and file.new == 2
    commit(client, project, file)
    assert Invulbestand.objects.get(pk=file.pk).status == InvulbestandStatus.ADDED
    assert Inzet.objects.filter(kandidaat__surname__in=["de Vries", "Bakker"]).count() == 2


def test_a_background_commit_that_adds_nothing_says_why_and_can_be_tried_again(cast, otto, wim, settings):
    settings.INVULBESTAND_IN_REQUEST_ROWS = 1
    project, client = cast["project"], login(Client(), otto)
    file = checked(client, project, [stage(project), open_line_row(cast)])
    invulbestand_commit_queue(upload=file, by=otto)
    line = cast["inzet_open"]
    Inzet.objects.filter(pk=line.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)  # meanwhile

    assert invulbestand_run(file.pk) == "refused"

    file.refresh_from_db()
    assert file.status == InvulbestandStatus.CHECKED and "Het bestand heeft nu fouten" in file.error
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk])))
    assert "Het bestand heeft nu fouten" in page and "Regels toevoegen" in page
    assert not Inzet.objects.filter(kandidaat__surname="de Vries").exists()


@pytest.mark.django_db(transaction=True)  # a worker's lock is held by another connection
def test_the_sweep_hands_over_again_what_a_dead_worker_left_and_skips_what_a_live_one_holds(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    dead, live, fresh, done = (checked(client, project, [stage(project, surname=n)]) for n in ("A", "B", "C", "D"))
    long_ago = timezone.now() - timedelta(minutes=10)
    waiting = Invulbestand.objects.filter(pk__in=[dead.pk, live.pk])
    waiting.update(status=InvulbestandStatus.ADDING, queued_at=long_ago)
    Invulbestand.objects.filter(pk=fresh.pk).update(status=InvulbestandStatus.CHECKING, queued_at=timezone.now())
    Invulbestand.objects.filter(pk=done.pk).update(queued_at=long_ago)  # checked: nothing to hand over
    handed: list[int] = []
    queue = mock.patch("projects.services.invulbestand._queue", side_effect=lambda u: handed.append(u.pk))
    with row_locked(Invulbestand, live.pk), queue:  # a live worker at `live`: its transaction holds the row
        assert invulbestanden_resume() == 1
    assert handed == [dead.pk]
    assert Invulbestand.objects.get(pk=dead.pk).queued_at > long_ago, "the clock starts again"


class _Rollback(Exception):
    pass


def _values(project) -> dict[tuple[object, ...], tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """Every line's value and what it was valued on, by person, soort and start; and the project's sums."""
    lines = Inzet.objects.filter(project=project).select_related("kandidaat")
    values: dict[tuple[object, ...], tuple[object, ...]] = {
        (line.kandidaat.match_key if line.kandidaat else None, line.soort, line.start_date): (
            line.value_prognose,
            line.value_actueel,
            line.counts_from,
            line.counts_until,
            line.reasons,
            line.value_at_quarter_ends,
            line.first_workday,
            line.scholing_counted,
        )
        for line in lines
    }
    project.refresh_from_db()
    values["sums"] = (project.sr_prognose, project.sr_actueel)
    return values


def test_a_file_gives_the_values_of_the_same_lines_entered_one_by_one(cast, otto):
    """The commit saves the rows together and revalues each kandidaat once; a person entering the same lines
    one by one in the file's order (each save revaluing the kandidaat's others) ends with the same figures:
    first workdays from lines later in the file, the scholing cap over several rows, a changed line."""
    project, client = cast["project"], login(Client(), otto)
    start = project.start_date
    ww = {"initials": "K.", "surname": "Bos", "doelgroep": "ww", "unemployed_since": start - timedelta(days=800)}

    def bos(soort: str, first: int, last: int, **inputs: object) -> list[object]:
        when = {"start_date": start + timedelta(days=first), "end_date": start + timedelta(days=last)}
        return stage(project, **ww | when | {"amount": None, "niveau": None} | inputs, soort=soort)

    nobody = dict.fromkeys(("initials", "surname", "birth_date", "doelgroep"))
    rows = [  # not in order of start: the baan's start is the first workday of the lines before it
        bos("baan", 90, 300, amount=Decimal("2600"), hours_per_week=Decimal("36")),
        bos("scholing", 60, 80, amount=Decimal("1500")),
        bos("scholing", 20, 40, amount=Decimal("1800")),
        bos("begeleiding", 90, 200, hours_per_week=Decimal("4")),
        stage(project, **nobody, soort="detachering", amount=Decimal("1200"), niveau=None),
        stage(project),  # a new stagiair
        open_line_row(cast, amount=Decimal("250"), start_date=start + timedelta(days=50)),  # a later start
    ]
    file = checked(client, project, rows)
    assert file.problems == [] and file.new == 6

    # The same rows entered one by one, then rolled back.
    result = check_rows(project, otto, bytes(file.content), file.file_name)
    with pytest.raises(_Rollback), transaction.atomic():
        for row in result.lines:
            kandidaat = row.kandidaat
            if kandidaat is not None and kandidaat.pk is None:
                data = {name: getattr(kandidaat, name) for name in KANDIDAAT_FIELDS}
                key = kandidaat_match_key(kandidaat.surname, kandidaat.initials, kandidaat.birth_date)
                kandidaat = Kandidaat.objects.filter(match_key=key).first() or kandidaat_save(
                    kandidaat=None, data=data, by=otto
                )
            line = Inzet.objects.get(pk=row.line.pk) if row.line else None
            inzet_save(project=project, inzet=line, data=row.data | {"kandidaat": kandidaat}, by=otto)
        one_by_one = _values(project)
        raise _Rollback

    invulbestand_commit(upload=file, by=otto)

    committed = _values(project)
    assert committed == one_by_one
    bos = [key for key in committed if key != "sums" and key[0] and "bos" in str(key[0])]
    assert len(bos) == 4
    scholing = sorted((v for k, v in committed.items() if k != "sums" and k[1] == "scholing"), key=str)
    assert sum(Decimal(str(v[0])) for v in scholing) == Decimal("2500.00"), "the cap over both scholing rows"
    # The preview said so before: it counts the file's other rows as the commit does.
    shown = sorted((row["start"], Decimal(row["prognose"])) for row in file.preview["rows"])
    touched = Inzet.objects.filter(project=project).exclude(pk=cast["inzet_validated"].pk)
    assert shown == sorted((line.start_date.isoformat(), line.value_prognose) for line in touched)
    assert file.preview["sr_prognose"][1] == str(committed["sums"][0])


def test_an_import_is_one_historie_entry_and_one_mail_to_the_wsp_not_one_a_line(cast, otto, wim, olga):
    project, client = cast["project"], login(Client(), otto)
    rows = [stage(project), stage(project, surname="Bakker"), open_line_row(cast, amount=Decimal("250"))]
    file = checked(client, project, rows)
    mails = Mail.objects.count()

    commit(client, project, file)

    (mail,) = Mail.objects.filter(template="invulbestand_toegevoegd")
    assert Mail.objects.count() == mails + 1, "one mail for the file"
    assert mail.to == [wim.email] and mail.key == f"invulbestand-added:{file.pk}"
    assert "Otto Nemer" in mail.text and "2 regels toegevoegd en 1 gewijzigd" in mail.text
    assert "regels.xlsx" in mail.text and reverse("projects:detail", args=[project.pk]) in mail.text
    for person in (otto, wim, olga):  # everyone who sees the project sees the import in its Historie
        page = login(Client(), person).get(reverse("projects:detail", args=[project.pk])).content.decode()
        rows_shown = history_rows(page)
        imports = [row for row in rows_shown if row[2].startswith("Invulbestand toegevoegd")]
        assert [row[1:] for row in imports] == [
            ["Otto Nemer", "Invulbestand toegevoegd: 2 regels toegevoegd, 1 regel gewijzigd", "regels.xlsx "
             f"(SHA-256 {file.sha256[:12]}…)"]
        ], person  # fmt: skip
        added = [row for row in rows_shown if row[2] == "Regel toegevoegd"]
        assert len(added) >= 2 and {row[1] for row in added[:2]} == {"Otto Nemer"}

    # The WSP validates a line as usual: no mail a line.
    line = Inzet.objects.get(kandidaat__surname="Bakker")
    login(Client(), wim).post(reverse("projects:inzet-validate", args=[project.pk, line.pk]), {"revision": 1})
    assert Inzet.objects.get(pk=line.pk).status == InzetStatus.GEVALIDEERD
    assert Mail.objects.count() == mails + 1


def test_a_file_that_adds_nothing_mails_nobody(cast, otto):
    project, client = cast["project"], login(Client(), otto)
    commit(client, project, checked(client, project, [stage(project)]))
    again = checked(client, project, [stage(project)])
    commit(client, project, again)
    assert Mail.objects.filter(template="invulbestand_toegevoegd").count() == 1


def test_the_preview_warns_of_overlap_with_another_project_and_names_rows_already_there(cast, otto, wim, olga):
    project, client = cast["project"], login(Client(), otto)
    jansen = cast["kandidaat"]
    elsewhere = brug_veenhoven(olga, otto, wim, name="Sluis Oosterveld")
    start = project.start_date + timedelta(days=40)
    make_inzet(elsewhere, jansen, start_date=start + timedelta(days=10), end_date=start + timedelta(days=30))
    commit(client, project, checked(client, project, [stage(project, surname="Bakker")]))

    person = {"kandidaat": kandidaat_label(jansen), **dict.fromkeys(("initials", "surname", "birth_date", "doelgroep"))}
    file = checked(client, project, [stage(project, **person), stage(project, surname="Bakker")])

    (jansens,) = file.preview["rows"]
    assert jansens["warnings"] == ["Deze kandidaat is in dezelfde periode ook ingezet op project Sluis Oosterveld."]
    assert file.preview["left"] == [{"row": 3, "message": ALREADY_THERE}]
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk])))
    assert "Let op: Deze kandidaat is in dezelfde periode ook ingezet op project Sluis Oosterveld." in page
    assert f"Rijen die niet worden opgeslagen Rij Waarom niet 3 {ALREADY_THERE}" in page


def test_with_the_broker_down_regels_toevoegen_still_answers_and_the_sweep_hands_the_file_over(cast, otto, settings):
    settings.INVULBESTAND_IN_REQUEST_ROWS = 1
    project, client = cast["project"], login(Client(), otto)
    file = checked(client, project, [stage(project), stage(project, surname="Bakker")])
    with mock.patch("projects.tasks.run_invulbestand.apply_async", side_effect=OSError("Connection refused")):
        response = commit(client, project, file)
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.status == InvulbestandStatus.ADDING and file.committed_at is None

    with committed():  # the broker is back (tasks run eagerly here)
        assert invulbestanden_resume(timezone.now() + timedelta(minutes=5)) == 1
    assert Invulbestand.objects.get(pk=file.pk).status == InvulbestandStatus.ADDED


def test_a_row_the_preview_cannot_save_is_a_problem_of_the_file_and_nothing_stays(cast, otto):
    """The preview runs the commit and rolls it back; a row refused there (a race with another save) is named."""
    project, client = cast["project"], login(Client(), otto)
    refused = ValidationError("Deze regel kan nu niet worden opgeslagen.")
    with mock.patch("projects.services.invulbestand.inzet_ready", side_effect=refused):
        file = checked(client, project, [stage(project)])
    assert file.problems == [{"row": 2, "column": None, "message": "Deze regel kan nu niet worden opgeslagen."}]
    assert file.preview == {} and not Kandidaat.objects.filter(surname="de Vries").exists()
    assert "Deze regel kan nu niet worden opgeslagen." in words(
        client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk]))
    )

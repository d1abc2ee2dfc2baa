"""Regels toevoegen (issue #30): a checked invulbestand is committed through the services of a single line,
all rows or none, and nothing twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from projects.invulbestand import check_rows, kandidaat_label
from projects.models import Invulbestand, Inzet, InzetStatus, Kandidaat, kandidaat_match_key
from projects.services import ProjectError
from projects.services.invulbestand import ALREADY_THERE, invulbestand_commit
from projects.services.valuation import inzet_value
from projects.services.verantwoording import KANDIDAAT_FIELDS, inzet_save, kandidaat_save
from tests.conftest import Client, login
from tests.pages import messages_of, words
from tests.projects.cast import projects_cast
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


def test_all_or_nothing_when_the_file_no_longer_passes(cast, otto, wim):
    project, client = cast["project"], login(Client(), otto)
    line = cast["inzet_open"]
    file = checked(client, project, [stage(project), open_line_row(cast)])
    Inzet.objects.filter(pk=line.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=wim)  # validated meanwhile
    lines, kandidaten = Inzet.objects.count(), Kandidaat.objects.count()

    response = commit(client, project, file)

    assert "Het bestand heeft nu fouten" in messages_of(response)[0]
    assert (Inzet.objects.count(), Kandidaat.objects.count()) == (lines, kandidaten)
    assert Invulbestand.objects.get(pk=file.pk).committed_at is None


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


def test_a_file_larger_than_a_request_can_add_is_checked_and_previewed_but_not_added_yet(cast, otto, monkeypatch):
    from projects.views import invulbestand as views

    monkeypatch.setattr(views, "COMMIT_IN_REQUEST_ROWS", 1)
    monkeypatch.setattr(views, "TOO_MANY_TO_ADD", "Meer dan 1 regel kan nog niet in één keer.")
    project, client = cast["project"], login(Client(), otto)
    file = checked(client, project, [stage(project), stage(project, surname="Bakker")])
    page = words(client.get(reverse("projects:invulbestand-result", args=[project.pk, file.pk])))
    assert "Wat er wordt opgeslagen" in page and "Meer dan 1 regel kan nog niet" in page
    assert "Regels toevoegen" not in page
    response = commit(client, project, file)
    assert messages_of(response) == ["Meer dan 1 regel kan nog niet in één keer."]
    assert not Inzet.objects.filter(kandidaat__surname__in=["de Vries", "Bakker"]).exists()


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

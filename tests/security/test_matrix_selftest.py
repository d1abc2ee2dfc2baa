"""The authorization matrix notices what it is there to notice: each check, shown one fault it must catch.

A view that forgets `for_user` (list and detail), a refused POST that saves anyway, a refusal
without its reason, a raw lookup that turns an unknown id into a 500, a foreign name in an Excel
file, a PDF or a mail: each is planted here with `monkeypatch` (the app code stays as it is) and
the walk's own checks must report it.
"""

import io

import pytest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from notifications.models import Mail
from projects import access
from projects.models import Note, Project
from projects.views import projects as project_views
from tests.security.test_matrix_mails import mail_leaks
from tests.security.test_matrix_unknown_ids import view_answer
from tests.test_authorization_walk import (
    EXPECTATIONS,
    XLSX,
    Walk,
    cast,  # noqa: F401 - the fixture (used by name)
    snapshot,
)


def case_of(name: str, label: str = "") -> object:
    return next(case for case in EXPECTATIONS[name] if not label or case.label == label)


@pytest.mark.django_db
def test_walk_notices_a_list_that_forgets_for_user(cast, monkeypatch):  # noqa: F811
    original = project_views._list
    monkeypatch.setattr(
        project_views,
        "_list",
        lambda request, projects, *, finished: original(request, Project.objects.all(), finished=finished),
    )
    walk = Walk("opdrachtgever", cast)
    walk.get_case("projects:list", case_of("projects:list"), reverse("projects:list"))
    assert any("PRJKADEZQ" in failure and "PRJGRONZQ" in failure for failure in walk.failures), walk.failures


def _without_for_user(request, pk):  # type: ignore[no-untyped-def]
    return Project.objects.select_related("opdrachtgever", "opdrachtnemer", "region", "accountmanager").get(pk=pk)


@pytest.mark.django_db
def test_walk_and_unknown_ids_notice_a_detail_that_forgets_for_user(cast, monkeypatch):  # noqa: F811
    monkeypatch.setattr(access, "get_project_for", _without_for_user)
    walk = Walk("opdrachtgever", cast)
    url = reverse("projects:detail", kwargs={"pk": cast["project_groningen"].pk})
    walk.get_case("projects:detail", case_of("projects:detail", "project_groningen"), url)
    assert any("expected 404, got 200" in failure for failure in walk.failures), walk.failures
    assert any("PRJGRONZQ" in failure for failure in walk.failures), walk.failures
    unknown = reverse("projects:detail", kwargs={"pk": cast["project_groningen"].pk + 1000})
    assert str(view_answer(cast["opdrachtgever"], "GET", unknown)).startswith("500 (DoesNotExist")


def _refuse_and_save(request, project, reason):  # type: ignore[no-untyped-def]
    Note.objects.create(project=project, text="Toch opgeslagen", author=request.user)
    return redirect("projects:detail", pk=project.pk)


@pytest.mark.django_db
def test_walk_notices_a_refused_post_that_saves_and_has_no_reason(cast, monkeypatch):  # noqa: F811
    monkeypatch.setattr(access, "refuse", _refuse_and_save)
    walk = Walk("opdrachtnemer", cast)  # the opdrachtnemer may not add interne notities: refused
    walk.baseline = snapshot()
    walk.post_case(
        "projects:note-add",
        case_of("projects:note-add"),
        reverse("projects:note-add", kwargs={"pk": cast["project"].pk}),
    )
    assert any("but changed ['projects.Note', 'projects.NoteEvent']" in failure for failure in walk.failures), (
        walk.failures
    )
    assert any("refused without a reason" in failure for failure in walk.failures), walk.failures


@pytest.mark.django_db
def test_reading_finds_a_name_in_an_excel_file_and_a_pdf(cast):  # noqa: F811
    from openpyxl import Workbook

    from reporting.pdf import pdf_from_html

    workbook, stream = Workbook(), io.BytesIO()
    workbook.active.append(["Project", "Haven Noorderdal PRJGRONZQ"])
    workbook.save(stream)
    pdf = pdf_from_html("<p>Notitie over de kade NOTEP2ZQ</p>")
    assert b"NOTEP2ZQ" not in pdf, "compressed: only reading the text finds it"
    walk = Walk("opdrachtgever", cast)
    walk.read("xlsx", "/x", HttpResponse(stream.getvalue(), content_type=XLSX))
    walk.read("pdf", "/y", HttpResponse(pdf, content_type="application/pdf"))
    assert len(walk.failures) == 2 and "PRJGRONZQ" in walk.failures[0] and "NOTEP2ZQ" in walk.failures[1]


@pytest.mark.django_db
def test_mail_check_notices_a_foreign_name_and_an_unknown_recipient(cast):  # noqa: F811
    olga = cast["opdrachtgever"].email
    foreign = Mail(key="a", template="x", to=[olga], subject="Over Haven Noorderdal PRJGRONZQ", text="", html="")
    unknown = Mail(key="b", template="x", to=["iemand@example.invalid"], subject="", text="", html="")
    failures, recipients = mail_leaks([foreign, unknown])
    assert recipients == 2 and len(failures) == 2
    assert "PRJGRONZQ" in failures[0] and "whose scope" in failures[1]

"""Interne notities: opdrachtgever, WSP and coördinatiepunt only; the opdrachtnemer never reads one (SPEC §2)."""

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from projects.models import Note, Project
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.pages import detail, text
from tests.projects.cast import checked_invulbestand, projects_cast
from tests.test_authorization_walk import EXPECTATIONS

pytestmark = pytest.mark.django_db

SECRET = "Interne notitie over de aannemer"  # the text of the cast's note


@pytest.fixture
def cast(olga, otto, wim, gerda):  # type: ignore[no-untyped-def]
    cast = projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda)
    # What the walk's invulbestand pages open (tests/test_authorization_walk.py).
    colleague = UserFactory(organisation=otto.organisation)
    return cast | {
        "invulbestand": checked_invulbestand(cast["project"], otto),
        "invulbestand_colleague": checked_invulbestand(cast["project"], colleague),
    }


def note_add(project: Project) -> str:
    return reverse("projects:note-add", args=[project.pk])


def test_note_is_added_and_listed_newest_first_with_author_and_date(cast, wim, olga):
    project = cast["project"]
    client = login(Client(), wim)

    response = client.post(note_add(project), {"notitie-text": "Aannemer belt volgende week terug"})

    assert response["Location"] == detail(project) + "#interne-notities"
    note = Note.objects.get(text="Aannemer belt volgende week terug")
    assert (note.project, note.author) == (project, wim)
    page = text(client.get(detail(project)))
    assert "De notitie is toegevoegd." in page
    assert page.index("Aannemer belt volgende week terug") < page.index(SECRET)
    assert f"Wim Werkgever · {localtime(note.created_at):%d-%m-%Y}" in page
    assert "Olga Opdracht ·" in page


def test_every_note_reader_sees_the_form(cast, olga, wim, cora):
    for person in (olga, wim, cora):
        page = text(login(Client(), person).get(detail(cast["project"])))
        assert SECRET in page
        assert f'action="{note_add(cast["project"])}"' in page and "Notitie toevoegen" in page


def test_note_add_only_takes_posts(cast, olga):
    assert login(Client(), olga).get(note_add(cast["project"])).status_code == 405


def test_an_empty_note_is_refused_at_its_field(cast, olga):
    response = login(Client(), olga).post(note_add(cast["project"]), {"notitie-text": "   "})

    assert response.status_code == 200
    page = text(response)
    assert "Schrijf eerst de notitie." in page and 'aria-invalid="true"' in page
    assert Note.objects.count() == 1


def test_opdrachtnemer_cannot_post_a_note(cast, otto):
    project = cast["project"]
    client = login(Client(), otto)

    response = client.post(note_add(project), {"notitie-text": "Van de aannemer"})

    assert response["Location"] == detail(project)
    assert "U kunt geen interne notities plaatsen." in text(client.get(detail(project)))
    assert not Note.objects.filter(text="Van de aannemer").exists()


def test_opdrachtnemer_never_receives_a_notes_text_on_any_project_page(cast, otto):
    """Every page of the projects app, with the walk's arguments, as Otto: the note's text is never in it."""
    client = login(Client(), otto)
    opened = 0
    for name, cases in EXPECTATIONS.items():
        if not name.startswith("projects:"):
            continue
        for case in cases:
            url = reverse(name, kwargs=case.kwargs(cast))
            response = client.get(url, follow=True)
            assert SECRET not in text(response), url
            opened += 1
    assert opened >= 25
    # … and the detail page once more after a second note, written by the opdrachtgever's side.
    Note.objects.create(project=cast["project"], text="Tweede geheim", author=cast["note"].author)
    assert "Tweede geheim" not in text(client.get(detail(cast["project"])))

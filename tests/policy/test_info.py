"""Algemene informatie (SPEC §8): handleidingen, veelgestelde vragen and other pages of a region."""

import pytest
from django.urls import reverse

from policy.models import InfoPage, InfoPageKind
from tests.conftest import Client, login
from tests.factories import UserFactory
from tests.pages import text

pytestmark = pytest.mark.django_db


def detail(page: InfoPage) -> str:
    return reverse("policy:info-detail", args=[page.pk])


def edit(page: InfoPage) -> str:
    return reverse("policy:info-edit", args=[page.pk])


def info_data(**overrides: object) -> dict[str, object]:
    return {
        "kind": "handleiding",
        "title": "Zo verantwoordt u inzet",
        "body": "# Stap 1\nLog in.",
        "order": 0,
        **overrides,
    }


def test_coordinatiepunt_adds_pages_that_its_region_reads_grouped_by_kind(cora, olga):
    client = login(Client(), cora)
    for kind, title in [("overig", "Over Social Return"), ("faq", "Wat telt als inzet?"), ("handleiding", "Inloggen")]:
        response = client.post(reverse("policy:info-create"), info_data(kind=kind, title=title), follow=True)
        assert "De informatiepagina is gepubliceerd." in text(response)

    page = text(login(Client(), olga).get(reverse("policy:info")))

    order = ["Handleidingen", "Inloggen", "Veelgestelde vragen", "Wat telt als inzet?", "Overige informatie"]
    order += ["Over Social Return"]
    positions = [page.index(words) for words in order]
    assert positions == sorted(positions)
    assert "Nieuwe pagina" not in page and "Bewerken" not in page


def test_empty_groups_are_left_out_and_pages_follow_their_order(drenthe, olga):
    InfoPage.objects.create(region=drenthe, kind=InfoPageKind.FAQ, title="B-vraag", body="Tekst", order=2)
    InfoPage.objects.create(region=drenthe, kind=InfoPageKind.FAQ, title="Z-vraag", body="Tekst", order=1)
    page = text(login(Client(), olga).get(reverse("policy:info")))
    # "Handleidingen" is always there: the portal's guide per role (tests/policy/test_handleiding.py).
    assert "(regio Drenthe)" not in page and "Overige informatie" not in page
    assert page.index("Z-vraag") < page.index("B-vraag")


def test_other_region_gets_404_and_does_not_see_the_page(gerda, gert, drenthe):
    info = InfoPage.objects.create(region=drenthe, title="Alleen Drenthe", body="Tekst")
    reader = login(Client(), gerda)
    assert reader.get(detail(info)).status_code == 404
    assert "Alleen Drenthe" not in text(reader.get(reverse("policy:info")))
    editor = login(Client(), gert)
    assert editor.post(edit(info), info_data(title="Overschreven", revision=1)).status_code == 404
    info.refresh_from_db()
    assert (info.title, info.revision) == ("Alleen Drenthe", 1)


def test_other_roles_cannot_write_pages(olga, wim, otto, drenthe):
    info = InfoPage.objects.create(region=drenthe, title="Origineel", body="Tekst")
    for person in (olga, wim, otto):
        client = login(Client(), person)
        assert client.get(reverse("policy:info-create")).status_code == 404
        assert client.post(reverse("policy:info-create"), info_data()).status_code == 404
        assert client.post(edit(info), info_data(revision=1)).status_code == 404
    assert list(InfoPage.objects.values_list("title", flat=True)) == ["Origineel"]


def test_coordinatiepunt_edits_a_page_and_the_audit_trail_has_it(cora, drenthe):
    info = InfoPage.objects.create(region=drenthe, title="Origineel", body="Tekst")
    client = login(Client(), cora)
    assert "Bewerken" in text(client.get(detail(info)))

    response = client.post(edit(info), info_data(kind="faq", title="Verbeterd", revision=1), follow=True)

    assert response.redirect_chain[-1][0] == detail(info)
    assert "De informatiepagina is opgeslagen." in text(response)
    info.refresh_from_db()
    assert (info.kind, info.title, info.revision) == ("faq", "Verbeterd", 2)
    event = InfoPage.pgh_event_model.objects.get(pgh_obj=info, pgh_label="update")
    assert event.title == "Verbeterd"
    assert event.pgh_context.metadata["user"] == cora.pk


def test_a_stale_revision_shows_the_conflict_and_saves_nothing(cora, drenthe):
    info = InfoPage.objects.create(region=drenthe, title="Origineel", body="Tekst")
    colleague = login(Client(), UserFactory(organisation=cora.organisation))
    assert colleague.post(edit(info), info_data(title="Van de collega", revision=1)).status_code == 302

    response = login(Client(), cora).post(edit(info), info_data(title="Van Cora", revision=1))

    assert "Iemand anders heeft dit intussen gewijzigd" in text(response)
    info.refresh_from_db()
    assert (info.title, info.revision) == ("Van de collega", 2)


def test_a_form_without_revision_is_refused_with_a_message(cora, drenthe):
    info = InfoPage.objects.create(region=drenthe, title="Origineel", body="Tekst")
    response = login(Client(), cora).post(edit(info), info_data(title="Zonder revisie"))
    assert "Het formulier is onvolledig verstuurd." in text(response)
    info.refresh_from_db()
    assert info.title == "Origineel"


def test_script_in_a_page_is_shown_as_text(cora, olga):
    payload = "<script>alert(1)</script>"
    login(Client(), cora).post(reverse("policy:info-create"), info_data(title=payload, body=payload))
    info = InfoPage.objects.get()
    for url in (reverse("policy:info"), detail(info)):
        page = text(login(Client(), olga).get(url))
        assert payload not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_missing_title_is_refused_at_the_field_in_dutch(cora):
    response = login(Client(), cora).post(reverse("policy:info-create"), info_data(title=""))
    assert "Dit veld is verplicht." in text(response) and 'id="id_title_error"' in text(response)
    assert not InfoPage.objects.exists()


def test_opdrachtnemer_reads_the_pages_of_the_chosen_region(otto, groningen):
    InfoPage.objects.create(region=groningen, title="Handleiding Groningen", body="Tekst")
    client = login(Client(), otto)
    assert "Handleiding Groningen" not in text(client.get(reverse("policy:info")))
    assert "Handleiding Groningen" in text(client.get(reverse("policy:info"), {"regio": "groningen"}))

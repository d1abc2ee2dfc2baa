"""Nieuwsberichten (SPEC §8): the coördinatiepunt publishes for its region; other regions never see them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policy.models import NewsItem
from tests.conftest import Client, login, travel
from tests.factories import UserFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

CONFLICT = "Iemand anders heeft dit intussen gewijzigd"


def detail(item: NewsItem) -> str:
    return reverse("policy:news-detail", args=[item.pk])


def edit(item: NewsItem) -> str:
    return reverse("policy:news-edit", args=[item.pk])


def news_data(**overrides: object) -> dict[str, object]:
    return {
        "title": "Nieuwe Menukaart per 1 januari",
        "body": "De bedragen voor **stages** zijn verhoogd.",
        "publish_date": timezone.localdate().isoformat(),
        **overrides,
    }


def test_coordinatiepunt_publishes_news_that_its_region_reads(cora, olga, wim, gerda):
    response = login(Client(), cora).post(reverse("policy:news-create"), news_data())

    item = NewsItem.objects.get()
    assert response["Location"] == detail(item)
    assert (item.region, item.created_by) == (cora.region, cora)
    for reader in (olga, wim):
        client = login(Client(), reader)
        assert "Nieuwe Menukaart per 1 januari" in text(client.get(reverse("policy:news")))
        assert "<strong>stages</strong>" in text(client.get(detail(item)))
    outsider = login(Client(), gerda)
    assert "Nieuwe Menukaart" not in text(outsider.get(reverse("policy:news")))
    assert outsider.get(detail(item)).status_code == 404


def test_publishing_says_so_in_dutch(cora):
    response = login(Client(), cora).post(reverse("policy:news-create"), news_data(), follow=True)
    assert "Het nieuwsbericht is gepubliceerd." in text(response)


def test_list_is_newest_first_with_an_excerpt(olga, drenthe):
    earlier = timezone.localdate() - timedelta(days=9)
    NewsItem.objects.create(region=drenthe, title="Ouder bericht", body="Eerder", publish_date=earlier)
    NewsItem.objects.create(
        region=drenthe, title="Nieuwste bericht", body="# Kop\n- **Vet** punt met [link](https://voorbeeld.invalid)"
    )
    page = text(login(Client(), olga).get(reverse("policy:news")))
    assert page.index("Nieuwste bericht") < page.index("Ouder bericht")
    assert "Kop Vet punt met link" in page
    assert f"{earlier:%d-%m-%Y}" in page


def test_future_news_is_invisible_to_readers_until_its_date(cora, olga, otto):
    publish_date = timezone.localdate() + timedelta(days=3)
    response = login(Client(), cora).post(
        reverse("policy:news-create"), news_data(title="Straks", publish_date=publish_date.isoformat()), follow=True
    )
    assert f"wordt op {publish_date:%d-%m-%Y} gepubliceerd" in text(response)
    item = NewsItem.objects.get()

    cora_list = text(login(Client(), cora).get(reverse("policy:news")))
    assert "Straks" in cora_list and f"Nog niet gepubliceerd (vanaf {publish_date:%d-%m-%Y})" in cora_list
    for reader in (olga, otto):
        client = login(Client(), reader)
        assert "Straks" not in text(client.get(reverse("policy:news")))
        assert client.get(detail(item)).status_code == 404

    with travel(timedelta(days=3)):
        client = login(Client(), olga)
        assert "Straks" in text(client.get(reverse("policy:news")))
        assert client.get(detail(item)).status_code == 200


def test_other_roles_cannot_write_news(olga, wim, otto, drenthe):
    item = NewsItem.objects.create(region=drenthe, title="Origineel", body="Tekst")
    for person in (olga, wim, otto):
        client = login(Client(), person)
        assert client.post(reverse("policy:news-create"), news_data()).status_code == 404
        assert client.post(edit(item), news_data(revision=item.revision)).status_code == 404
        page = text(client.get(reverse("policy:news")))
        assert "Nieuw bericht" not in page and "Bewerken" not in page
    assert list(NewsItem.objects.values_list("title", "revision")) == [("Origineel", 1)]


def test_coordinatiepunt_of_another_region_gets_404_and_changes_nothing(gert, drenthe):
    item = NewsItem.objects.create(region=drenthe, title="Origineel", body="Tekst")
    client = login(Client(), gert)
    assert client.get(edit(item)).status_code == 404
    assert client.post(edit(item), news_data(title="Overschreven", revision=item.revision)).status_code == 404
    item.refresh_from_db()
    assert (item.title, item.revision) == ("Origineel", 1)


def test_coordinatiepunt_edits_its_news(cora, drenthe):
    item = NewsItem.objects.create(region=drenthe, title="Origineel", body="Tekst")
    client = login(Client(), cora)
    form = text(client.get(edit(item)))
    assert 'name="revision" value="1"' in form

    response = client.post(edit(item), news_data(title="Verbeterd", revision=1), follow=True)

    assert response.redirect_chain[-1][0] == detail(item)
    assert "Het nieuwsbericht is opgeslagen." in text(response)
    item.refresh_from_db()
    assert (item.title, item.revision) == ("Verbeterd", 2)


def test_a_stale_revision_shows_the_conflict_and_saves_nothing(cora, drenthe):
    item = NewsItem.objects.create(region=drenthe, title="Origineel", body="Tekst")
    colleague = login(Client(), UserFactory(organisation=cora.organisation))
    client = login(Client(), cora)
    assert colleague.post(edit(item), news_data(title="Van de collega", revision=1)).status_code == 302

    response = client.post(edit(item), news_data(title="Van Cora", revision=1))

    assert response.status_code == 200
    assert CONFLICT in text(response)
    item.refresh_from_db()
    assert (item.title, item.revision) == ("Van de collega", 2)


def test_script_in_title_and_body_is_shown_as_text(cora, olga):
    payload = "<script>alert(1)</script>"
    login(Client(), cora).post(reverse("policy:news-create"), news_data(title=payload, body=payload))
    item = NewsItem.objects.get()
    reader = login(Client(), olga)
    for url in (reverse("policy:news"), detail(item)):
        page = text(reader.get(url))
        assert payload not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert payload not in text(login(Client(), cora).get(edit(item)))


def test_a_missing_title_is_refused_at_the_field_in_dutch(cora):
    response = login(Client(), cora).post(reverse("policy:news-create"), news_data(title=""))
    page = text(response)
    assert response.status_code == 200
    assert "Dit veld is verplicht." in page
    assert 'id="id_title_error"' in page and 'aria-invalid="true"' in page
    assert not NewsItem.objects.exists()


def test_every_save_is_in_the_audit_trail_with_the_user(cora):
    client = login(Client(), cora)
    client.post(reverse("policy:news-create"), news_data())
    item = NewsItem.objects.get()
    client.post(edit(item), news_data(title="Verbeterd", revision=1))

    events = NewsItem.pgh_event_model.objects.filter(pgh_obj=item).order_by("pgh_id")
    assert [(event.pgh_label, event.title) for event in events] == [
        ("insert", "Nieuwe Menukaart per 1 januari"),
        ("update", "Verbeterd"),
    ]
    assert [event.pgh_context.metadata["user"] for event in events] == [cora.pk, cora.pk]
    assert events[1].pgh_context.metadata["url"] == edit(item)


def test_opdrachtnemer_picks_the_region_to_read(otto, drenthe, groningen):
    NewsItem.objects.create(region=drenthe, title="Nieuws uit Drenthe", body="Tekst")
    elsewhere = NewsItem.objects.create(region=groningen, title="Nieuws uit Groningen", body="Tekst")
    client = login(Client(), otto)

    default = text(client.get(reverse("policy:news")))
    assert "Nieuws uit Drenthe" in default and "Nieuws uit Groningen" not in default
    assert 'name="regio"' in default

    chosen = text(client.get(reverse("policy:news"), {"regio": "groningen"}))
    assert "Nieuws uit Groningen" in chosen and "Nieuws uit Drenthe" not in chosen
    assert "Nieuws uit Groningen" in text(client.get(reverse("policy:news"))), "the choice is remembered"
    assert client.get(detail(elsewhere)).status_code == 200


def test_a_user_seated_in_a_region_cannot_pick_another(olga, groningen):
    NewsItem.objects.create(region=groningen, title="Nieuws uit Groningen", body="Tekst")
    page = text(login(Client(), olga).get(reverse("policy:news"), {"regio": "groningen"}))
    assert "Nieuws uit Groningen" not in page and "regio Drenthe" in page


def test_list_queries_do_not_grow_with_the_news(cora, drenthe):
    client = login(Client(), cora)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("policy:news")).status_code == 200
        return len(context)

    NewsItem.objects.create(region=drenthe, title="Eerste", body="Tekst")
    one = queries()
    for number in range(5):
        NewsItem.objects.create(region=drenthe, title=f"Bericht {number}", body="Tekst")
    assert queries() == one

"""Kandidaten (SPEC §5): the opdrachtnemer's own records, with only what the rules need (AVG)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Inzet, InzetStatus, Kandidaat
from tests.conftest import Client, login
from tests.factories import OpdrachtnemerFactory, UserFactory
from tests.pages import messages_of, text, words
from tests.projects.cast import make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db

LIST = reverse("projects:kandidaat-list")
CREATE = reverse("projects:kandidaat-create")


def edit_url(kandidaat: Kandidaat) -> str:
    return reverse("projects:kandidaat-edit", args=[kandidaat.pk])


def kandidaat_data(**overrides: object) -> dict[str, object]:
    return {
        "initials": "A.B.",
        "surname": "de Vries",
        "birth_date": "1990-03-15",
        "doelgroep": "doelgroepenregister",
        "unemployed_since": "",
        **overrides,
    }


def test_opdrachtnemer_records_a_kandidaat_with_only_what_the_rules_need(otto):
    client = login(Client(), otto)
    response = client.get(CREATE)
    page = words(response)  # what a reader sees: a random token in an attribute may spell "bsn"
    assert "Waarom wij zo weinig vragen" in page and "geen BSN" in page
    assert "bsn" not in page.lower().replace("geen bsn", "")
    assert not re.search(r'name="[^"]*bsn', text(response), re.IGNORECASE), "no field for it"
    assert 'type="file"' not in page
    response = client.post(CREATE, kandidaat_data())
    assert response["Location"] == LIST
    kandidaat = Kandidaat.objects.get()
    assert (kandidaat.opdrachtnemer, kandidaat.initials, kandidaat.surname) == (otto.organisation, "A.B.", "de Vries")
    assert kandidaat.birth_date == date(1990, 3, 15) and kandidaat.match_key == "devries|ab|1990-03-15"
    assert messages_of(response) == ["Kandidaat A.B. de Vries is opgeslagen."]


def test_the_doelgroepen_come_from_the_policy_in_force(otto):
    page = text(login(Client(), otto).get(CREATE))
    assert "Doelgroepenregister UWV (afspraakbaan)" in page
    assert 'value="participatiewet_nuo"' in page and 'value="bbl_leerling"' in page
    response = login(Client(), otto).post(CREATE, kandidaat_data(doelgroep="onbekend"))
    assert "Selecteer een geldige keuze" in response.context["form"].errors["doelgroep"][0]
    assert not Kandidaat.objects.exists()


def test_werkloos_werkzoekend_sinds_is_required_where_the_doelgroep_needs_it(otto):
    client = login(Client(), otto)
    assert "tellen pas mee na minimaal 6 maanden werkloos-werkzoekend" in text(client.get(CREATE))
    response = client.post(CREATE, kandidaat_data(doelgroep="ww"))
    assert (
        "Vul in sinds wanneer de kandidaat werkloos-werkzoekend is"
        in response.context["form"].errors["unemployed_since"][0]
    )
    assert not Kandidaat.objects.exists()
    client.post(CREATE, kandidaat_data(doelgroep="ww", unemployed_since="2024-01-01"))
    assert Kandidaat.objects.get().unemployed_since == date(2024, 1, 1)


def test_a_birth_date_in_the_future_is_refused(otto):
    response = login(Client(), otto).post(CREATE, kandidaat_data(birth_date="2999-01-01"))
    assert response.context["form"].errors["birth_date"] == ["De geboortedatum ligt in de toekomst."]


def test_the_list_shows_only_the_organisations_own_kandidaten(otto):
    colleague = UserFactory(organisation=otto.organisation)
    make_kandidaat(otto.organisation, surname="Eigen", doelgroep="wsw")
    make_kandidaat(OpdrachtnemerFactory(name="Concurrent"), surname="Vreemd")
    for user in (otto, colleague):  # kandidaten belong to the organisation, not the person
        page = text(login(Client(), user).get(LIST))
        assert "Eigen" in page and "WSW-indicatie" in page
        assert "Vreemd" not in page


def test_kandidaat_pages_do_not_exist_for_other_roles(olga, wim, cora, admin_user, otto):
    kandidaat = make_kandidaat(otto.organisation)
    for user in (olga, wim, cora, admin_user):
        client = login(Client(), user)
        for url in (LIST, CREATE, edit_url(kandidaat)):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(CREATE, kandidaat_data()).status_code == 404
    assert Kandidaat.objects.count() == 1


def test_another_opdrachtnemers_kandidaat_is_404(otto):
    stranger = make_kandidaat(OpdrachtnemerFactory(name="Concurrent"), surname="Vreemd")
    client = login(Client(), otto)
    assert client.get(edit_url(stranger)).status_code == 404
    assert client.post(edit_url(stranger), kandidaat_data(revision=stranger.revision)).status_code == 404
    stranger.refresh_from_db()
    assert stranger.surname == "Vreemd"


def test_editing_a_kandidaat_revalues_its_lines(otto, olga, wim):
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[otto]
    )
    kandidaat = make_kandidaat(otto.organisation, doelgroep="doelgroepenregister", birth_date=date(1990, 1, 1))
    inzet = make_inzet(
        project,
        kandidaat,
        soort="baan",
        amount=Decimal(2000),
        hours_per_week=Decimal(36),
        niveau="",
        end_date=project.end_date,
    )
    before = inzet.value_prognose
    client = login(Client(), otto)
    page = text(client.get(edit_url(kandidaat)))
    assert project.name in page and 'name="revision"' in page
    # Werkloos-werkzoekend counts 12 months from the first workday; the register always.
    data = kandidaat_data(doelgroep="ww", unemployed_since="2020-01-01", revision=kandidaat.revision)
    response = client.post(edit_url(kandidaat), data)
    assert response["Location"] == LIST
    kandidaat.refresh_from_db()
    inzet.refresh_from_db()
    assert (kandidaat.doelgroep, kandidaat.revision) == ("ww", 2)
    assert inzet.value_prognose < before
    workday = inzet.start_date.strftime("%d-%m-%Y")
    assert (
        f"Telt maximaal 12 maanden vanaf de eerste werkdag {workday} (baan): de termijn voor werkloos-werkzoekend"
        in (inzet.reasons)
    )


def test_an_edit_over_a_colleagues_newer_save_is_refused(otto):
    kandidaat = make_kandidaat(otto.organisation)
    colleague = UserFactory(organisation=otto.organisation)
    opened = kandidaat.revision
    login(Client(), colleague).post(edit_url(kandidaat), kandidaat_data(surname="Pietersen", revision=opened))
    response = login(Client(), otto).post(edit_url(kandidaat), kandidaat_data(surname="Klaassen", revision=opened))
    assert "Iemand anders heeft dit intussen gewijzigd" in response.context["form"].non_field_errors()[0]
    kandidaat.refresh_from_db()
    assert kandidaat.surname == "Pietersen"


def test_a_kandidaat_made_from_the_inzet_form_returns_there_selected(otto, olga, wim):
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[otto]
    )
    inzet_form = reverse("projects:inzet-create", args=[project.pk]) + "?soort=stage"
    client = login(Client(), otto)
    page = text(client.get(inzet_form))
    link = f"{CREATE}?next=%2Fprojecten%2F{project.pk}%2Finzet%2Fnieuw%2F%3Fsoort%3Dstage"
    assert link.replace("&", "&amp;") in page
    form_page = text(client.get(link))
    assert f'name="next" value="/projecten/{project.pk}/inzet/nieuw/?soort=stage"' in form_page
    response = client.post(link, kandidaat_data(next=f"/projecten/{project.pk}/inzet/nieuw/?soort=stage"))
    kandidaat = Kandidaat.objects.get()
    assert response["Location"] == f"{inzet_form}&kandidaat={kandidaat.pk}"
    page = text(client.get(response["Location"]))
    assert f'<option value="{kandidaat.pk}" selected>' in page


def test_a_next_address_elsewhere_is_ignored(otto):
    response = login(Client(), otto).post(CREATE, kandidaat_data(next="https://evil.invalid/"))
    assert response["Location"] == LIST


def test_what_a_validated_line_was_valued_on_cannot_change(otto, olga, wim):
    project = make_project(
        opdrachtgever=olga.organisation, opdrachtnemer=otto.organisation, accountmanager=wim, contacts=[otto]
    )
    kandidaat = make_kandidaat(otto.organisation)
    inzet = make_inzet(project, kandidaat)
    Inzet.objects.filter(pk=inzet.pk).update(status=InzetStatus.GEVALIDEERD)
    client = login(Client(), otto)
    same = {"initials": "J.", "surname": "Jansen", "birth_date": "2004-05-01", "doelgroep": "stagiair"}
    changed = kandidaat_data(
        **{**same, "doelgroep": "ww", "unemployed_since": "2020-01-01"}, revision=kandidaat.revision
    )
    response = client.post(edit_url(kandidaat), changed)
    assert response.status_code == 200 and "id_doelgroep_error" in text(response)
    kandidaat.refresh_from_db()
    assert kandidaat.doelgroep == "stagiair"
    # A typo in the name is still fine: it doesn't change any value.
    response = client.post(
        edit_url(kandidaat), kandidaat_data(**{**same, "surname": "Janssen"}, revision=kandidaat.revision)
    )
    assert response["Location"] == LIST

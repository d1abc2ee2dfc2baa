"""Inzet lines (SPEC §5): the opdrachtnemer enters them per soort, the engine values them, the WSP's are locked."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policy.valuation import add_months
from projects.models import Inzet, InzetStatus, Project
from projects.services import ProjectError
from projects.services.verantwoording import inzet_save
from tests.conftest import Client, login
from tests.factories import OpdrachtnemerFactory, OrganisationFactory, UserFactory
from tests.pages import messages_of, text
from tests.projects.cast import brug_veenhoven, make_inzet, make_kandidaat, make_project

pytestmark = pytest.mark.django_db

CAPPED = "Stagevergoeding begrensd op € 350,00 per maand (mbo)"


@pytest.fixture
def kandidaat(otto):
    return make_kandidaat(otto.organisation)


def first_whole_month(project: Project) -> date:
    return add_months(project.start_date.replace(day=1), 1)


def create_url(project: Project, soort: str = "stage") -> str:
    return reverse("projects:inzet-create", args=[project.pk]) + f"?soort={soort}"


def edit_url(inzet: Inzet, soort: str | None = None) -> str:
    url = reverse("projects:inzet-edit", args=[inzet.project_id, inzet.pk])
    return url + f"?soort={soort or inzet.soort}"


def stage_data(project: Project, kandidaat, **overrides: object) -> dict[str, object]:
    start = first_whole_month(project)
    return {
        "kandidaat": kandidaat.pk if kandidaat else "",
        "start_date": start.isoformat(),
        "end_date": (add_months(start, 3) - timedelta(days=1)).isoformat(),
        "amount": "400,00",
        "niveau": "mbo",
        "actie": "opslaan",
        **overrides,
    }


def test_adding_a_line_starts_with_choosing_the_soort(project, otto):
    client = login(Client(), otto)
    page = text(client.get(reverse("projects:inzet-create", args=[project.pk])))
    assert "Stap 1 van 2" in page
    assert 'type="radio"' in page and 'value="stage"' in page and 'value="begeleiding"' in page
    assert '<form method="get"' in page  # step 1 works without JavaScript and saves nothing


def test_the_form_asks_only_what_the_soort_needs_with_its_menukaart_help(project, otto):
    client = login(Client(), otto)
    stage = text(client.get(create_url(project, "stage")))
    assert "Stagevergoeding per maand (€)" in stage
    assert 'name="niveau"' in stage and "mbo (max. € 350,00 per maand)" in stage
    assert 'name="hours_per_week"' not in stage and 'name="description"' not in stage
    assert "Stagevergoeding per maand, tot het maximum van het niveau" in stage
    assert "Telt maximaal 12 maanden" in stage
    begeleiding = text(client.get(create_url(project, "begeleiding")))
    assert "Uren begeleiding per week" in begeleiding and 'name="amount"' not in begeleiding
    assert "Max. € 150,00 per week" in begeleiding


def test_an_unknown_soort_goes_back_to_choosing(project, otto):
    page = text(login(Client(), otto).get(create_url(project, "loterij")))
    assert "Stap 1 van 2" in page and "Selecteer een geldige keuze" in page


def test_bereken_shows_the_value_and_reasons_without_saving(project, otto, kandidaat):
    response = login(Client(), otto).post(create_url(project), stage_data(project, kandidaat, actie="bereken"))
    page = text(response)
    assert response.status_code == 200
    assert "Berekening (nog niet opgeslagen)" in page
    assert "€ 1.050,00" in page and CAPPED in page
    assert not Inzet.objects.filter(project=project).exists()


def test_a_stage_above_its_cap_saves_with_the_capped_value_and_the_reason(project, otto, kandidaat):
    response = login(Client(), otto).post(create_url(project), stage_data(project, kandidaat))
    inzet = Inzet.objects.get(project=project)
    assert response["Location"] == reverse("projects:inzet-detail", args=[project.pk, inzet.pk])
    assert (inzet.amount, inzet.niveau, inzet.status) == (Decimal("400.00"), "mbo", InzetStatus.INGEVOERD)
    assert inzet.value_prognose == Decimal("1050.00")  # three whole months at € 350
    assert inzet.reasons == [CAPPED]
    assert inzet.created_by == otto
    project.refresh_from_db()
    assert project.sr_prognose == Decimal("1050.00")
    detail = text(login(Client(), otto).get(response["Location"]))
    assert "€ 1.050,00" in detail and CAPPED in detail


def test_the_engines_objections_are_tied_to_their_fields(project, otto, kandidaat):
    bbl = make_kandidaat(otto.organisation, surname="Bakker", doelgroep="bbl_leerling")
    data = stage_data(project, bbl, amount="1500", hours_per_week="12")
    del data["niveau"]
    response = login(Client(), otto).post(create_url(project, "bbl"), data)
    form = response.context["form"]
    assert form.errors["hours_per_week"] == [
        "BBL (beroepsbegeleidende leerweg) telt alleen bij minstens 20 uur per week"
    ]
    assert not Inzet.objects.exists()


def test_a_kandidaat_outside_the_doelgroep_is_an_error_on_the_kandidaat(project, otto):
    older = make_kandidaat(otto.organisation, surname="Ouder", doelgroep="jongere", birth_date=date(1960, 1, 1))
    data = stage_data(project, older, amount="2000", hours_per_week="36")
    response = login(Client(), otto).post(create_url(project, "baan"), data)
    assert "jongere telt van 18 tot 27 jaar" in response.context["form"].errors["kandidaat"][0]
    assert not Inzet.objects.exists()


def test_another_organisations_kandidaat_cannot_be_chosen(project, otto):
    stranger = make_kandidaat(OpdrachtnemerFactory(name="Concurrent"), surname="Vreemd")
    client = login(Client(), otto)
    assert "Vreemd" not in text(client.get(create_url(project)))
    response = client.post(create_url(project), stage_data(project, stranger))  # a tampered select
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.context["form"].errors["kandidaat"][0]
    assert not Inzet.objects.exists()


def test_the_kandidaat_is_optional_only_where_the_soort_allows_it(project, otto):
    client = login(Client(), otto)
    response = client.post(create_url(project), stage_data(project, None))
    assert response.context["form"].errors["kandidaat"] == ["Dit veld is verplicht."]
    werk = stage_data(project, None, amount="1.000,00")
    del werk["niveau"]
    response = client.post(create_url(project, "werk"), werk)
    assert response.status_code == 302
    inzet = Inzet.objects.get()
    assert inzet.kandidaat is None and inzet.value_prognose == Decimal("1000.00")


def test_only_the_opdrachtnemer_adds_lines(project, wim, olga, kandidaat):
    for user in (wim, olga):
        response = login(Client(), user).post(create_url(project), stage_data(project, kandidaat))
        assert response["Location"] == reverse("projects:detail", args=[project.pk])
        assert messages_of(response) == ["Alleen de opdrachtnemer vult de verantwoording in."]
    assert not Inzet.objects.exists()


def test_opdrachtnemer_edits_an_ingevoerd_line(project, otto, kandidaat):
    inzet = make_inzet(project, kandidaat)
    client = login(Client(), otto)
    page = text(client.get(edit_url(inzet)))
    assert 'name="revision"' in page and 'value="400,00"' in page
    data = stage_data(project, kandidaat, amount="300", revision=inzet.revision)
    response = client.post(edit_url(inzet), data)
    assert response.status_code == 302
    inzet.refresh_from_db()
    assert inzet.amount == Decimal("300.00") and inzet.value_prognose == Decimal("900.00") and inzet.reasons == []


def test_changing_the_soort_empties_the_inputs_it_does_not_have(project, otto, kandidaat):
    inzet = make_inzet(project, kandidaat)
    client = login(Client(), otto)
    assert "Stap 1 van 2" in text(client.get(reverse("projects:inzet-edit", args=[project.pk, inzet.pk]) + "?kies=1"))
    data = stage_data(project, kandidaat, hours_per_week="8", revision=inzet.revision)
    del data["amount"], data["niveau"]
    client.post(edit_url(inzet, "begeleiding"), data)
    inzet.refresh_from_db()
    assert (inzet.soort, inzet.amount, inzet.niveau, inzet.hours_per_week) == ("begeleiding", None, "", Decimal("8"))


def test_an_edit_over_someone_elses_newer_save_is_refused(project, otto, kandidaat):
    inzet = make_inzet(project, kandidaat)
    colleague = UserFactory(organisation=otto.organisation)
    project.contacts.create(user=colleague)
    mine, theirs = login(Client(), otto), login(Client(), colleague)
    opened = inzet.revision
    assert (
        theirs.post(edit_url(inzet), stage_data(project, kandidaat, amount="300", revision=opened)).status_code == 302
    )
    response = mine.post(edit_url(inzet), stage_data(project, kandidaat, amount="250", revision=opened))
    assert "Iemand anders heeft dit intussen gewijzigd" in response.context["form"].non_field_errors()[0]
    inzet.refresh_from_db()
    assert inzet.amount == Decimal("300.00")


def validated(inzet: Inzet, by) -> Inzet:  # type: ignore[no-untyped-def]
    Inzet.objects.filter(pk=inzet.pk).update(status=InzetStatus.GEVALIDEERD, validated_by=by)
    inzet.refresh_from_db()
    return inzet


def test_opdrachtnemer_cannot_edit_a_validated_line_even_by_a_crafted_post(project, otto, wim, kandidaat):
    inzet = validated(make_inzet(project, kandidaat), wim)
    client = login(Client(), otto)
    detail = text(client.get(reverse("projects:inzet-detail", args=[project.pk, inzet.pk])))
    assert "kan niet meer worden gewijzigd" in detail and "Wijzigen</a>" not in detail
    response = client.post(edit_url(inzet), stage_data(project, kandidaat, amount="1", revision=inzet.revision))
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert messages_of(response) == ["Deze regel is al gevalideerd door het WSP en kan niet meer worden gewijzigd."]
    inzet.refresh_from_db()
    assert inzet.amount == Decimal("400.00") and inzet.status == InzetStatus.GEVALIDEERD


def test_opdrachtnemer_cannot_delete_a_validated_line_even_by_a_crafted_post(project, otto, wim, kandidaat):
    inzet = validated(make_inzet(project, kandidaat), wim)
    response = login(Client(), otto).post(reverse("projects:inzet-delete", args=[project.pk, inzet.pk]))
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert messages_of(response) == ["Deze regel is al gevalideerd door het WSP en kan niet meer worden gewijzigd."]
    assert Inzet.objects.filter(pk=inzet.pk).exists()


def test_the_service_refuses_to_change_a_validated_line(project, otto, wim, kandidaat):
    inzet = validated(make_inzet(project, kandidaat), wim)
    data = {"soort": "stage", "kandidaat": kandidaat, "start_date": inzet.start_date, "end_date": inzet.end_date}
    with pytest.raises(ProjectError):
        inzet_save(project=project, inzet=inzet, data={**data, "amount": Decimal(1), "niveau": "mbo"}, by=otto)
    inzet.refresh_from_db()
    assert inzet.amount == Decimal("400.00")


def test_opdrachtnemer_deletes_an_ingevoerd_line_after_confirming(project, otto, kandidaat):
    inzet = make_inzet(project, kandidaat)
    client = login(Client(), otto)
    url = reverse("projects:inzet-delete", args=[project.pk, inzet.pk])
    assert "Regel verwijderen?" in text(client.get(url))
    assert Inzet.objects.filter(pk=inzet.pk).exists()
    response = client.post(url)
    assert messages_of(response) == ["De regel is verwijderd."]
    assert not Inzet.objects.filter(pk=inzet.pk).exists()
    project.refresh_from_db()
    assert project.sr_prognose == Decimal("0.00")


# --- Overlap: the same person on two projects at once ------------------------------------------


def test_overlap_warning_names_a_project_the_user_sees(project, otto, olga, wim, kandidaat):
    other = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Sluis Oost",
        contacts=[otto],
    )
    make_inzet(
        other,
        kandidaat,
        start_date=first_whole_month(project),
        end_date=first_whole_month(project) + timedelta(days=60),
    )
    client = login(Client(), otto)
    response = client.post(create_url(project), stage_data(project, kandidaat, actie="bereken"))
    assert "Deze kandidaat is in dezelfde periode ook ingezet op project Sluis Oost." in text(response)
    client.post(create_url(project), stage_data(project, kandidaat))
    inzet = Inzet.objects.get(project=project)
    detail = text(client.get(reverse("projects:inzet-detail", args=[project.pk, inzet.pk])))
    assert "ook ingezet op project Sluis Oost" in detail


def test_overlap_warning_never_names_a_project_the_user_cannot_see(project, otto, wim, kandidaat):
    # The same person (same surname, initials, birth date) placed by another opdrachtnemer elsewhere.
    rival = OpdrachtnemerFactory(name="Concurrent")
    twin = make_kandidaat(rival, initials="j", surname="JANSEN")
    secret = make_project(
        name="Geheim Project",
        opdrachtgever=OrganisationFactory(name="Gemeente Elders"),
        opdrachtnemer=rival,
        accountmanager=UserFactory(organisation=wim.organisation),
    )
    make_inzet(
        secret, twin, start_date=first_whole_month(project), end_date=first_whole_month(project) + timedelta(days=60)
    )
    response = login(Client(), otto).post(create_url(project), stage_data(project, kandidaat, actie="bereken"))
    page = text(response)
    assert "Deze kandidaat is in dezelfde periode ook ingezet op een ander project." in page
    assert "Geheim Project" not in page
    inzet = make_inzet(project, kandidaat, start_date=first_whole_month(project))
    detail = text(login(Client(), wim).get(reverse("projects:inzet-detail", args=[project.pk, inzet.pk])))
    assert "op een ander project" in detail and "Geheim Project" not in detail


def test_no_overlap_warning_for_periods_that_do_not_overlap(project, otto, olga, wim, kandidaat):
    other = brug_veenhoven(
        olga,
        otto,
        wim,
        name="Sluis Oost",
        contacts=[otto],
    )
    start = first_whole_month(project)
    make_inzet(other, kandidaat, start_date=start - timedelta(days=20), end_date=start - timedelta(days=1))
    response = login(Client(), otto).post(create_url(project), stage_data(project, kandidaat, actie="bereken"))
    assert "overlappende inzet" not in text(response)


# --- The Verantwoording section of the project page --------------------------------------------


def test_the_verantwoording_section_lists_the_lines_with_totals(project, otto, wim, kandidaat):
    make_inzet(project, kandidaat)
    make_inzet(project, None, soort="werk", amount=Decimal("1000"), niveau="")
    page = text(login(Client(), otto).get(reverse("projects:detail", args=[project.pk])))
    assert "J. Jansen" in page and "Stage" in page and "Werk (uitbesteed" in page
    assert "€ 400,00 per maand" in page and "€ 1.000,00" in page
    assert "Inzet toevoegen" in page and reverse("projects:kandidaat-list") in page
    assert "0 van 2 regels gevalideerd" in page
    wsp_page = text(login(Client(), wim).get(reverse("projects:detail", args=[project.pk])))
    assert "Inzet toevoegen" not in wsp_page and reverse("projects:kandidaat-list") not in wsp_page


@pytest.mark.parametrize("role", ["otto", "wim"])
def test_the_verantwoording_section_takes_the_same_queries_for_2_or_20_lines(project, otto, role, request):
    user = request.getfixturevalue(role)
    url = reverse("projects:detail", args=[project.pk])
    client = login(Client(), user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(2):
        make_inzet(project, make_kandidaat(otto.organisation, surname=f"Kandidaat {n}"))
    few = queries()
    for n in range(2, 20):
        make_inzet(project, make_kandidaat(otto.organisation, surname=f"Kandidaat {n}"))
    assert queries() == few

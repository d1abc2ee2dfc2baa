"""SR-rekenhulp: the same engine as the verantwoording, before anything is entered."""

import pytest
from django.urls import reverse

from tests.conftest import Client, login

pytestmark = pytest.mark.django_db


def calculate(client, **fields):
    return client.get(reverse("policy:rekenhulp"), fields).content.decode()


def test_a_stage_above_its_cap_shows_the_capped_value_and_why(otto):
    page = calculate(
        login(Client(), otto),
        soort="stage",
        doelgroep="stagiair",
        niveau="mbo",
        amount="500,00",
        start="2025-02-01",
        end="2025-04-30",
    )
    # 3 whole months at the mbo cap of € 350
    assert '<strong id="prognose">€ 1.050,00</strong>' in page
    assert "Stagevergoeding begrensd op € 350,00 per maand (mbo)" in page


def test_begeleiding_is_capped_per_week(olga):
    page = calculate(
        login(Client(), olga),
        soort="begeleiding",
        doelgroep="stagiair",
        hours_per_week="12",
        start="2025-03-03",
        end="2025-03-16",
    )
    # 12 h × € 15 = € 180, capped at € 150 a week, for 14 days = 2 weeks
    assert '<strong id="prognose">€ 300,00</strong>' in page


def test_rules_that_keep_a_line_from_counting_are_explained(olga):
    page = calculate(
        login(Client(), olga),
        soort="bbl",
        doelgroep="bbl_leerling",
        amount="1800",
        hours_per_week="16",
        start="2025-01-01",
        end="2025-06-30",
    )
    assert "BBL (beroepsbegeleidende leerweg) telt alleen bij minstens 20 uur per week" in page
    assert 'id="prognose"' not in page


def test_impossible_dates_get_a_dutch_message_at_the_field(olga):
    page = calculate(login(Client(), olga), soort="werk", amount="1000", start="2025-05-01", end="2025-04-01")
    assert "id_end_error" in page and "De einddatum ligt voor de startdatum." in page
    page = calculate(login(Client(), olga), soort="werk", amount="veel", start="31-02-2025", end="2025-04-01")
    assert "id_amount_error" in page and "id_start_error" in page


def test_the_empty_form_shows_no_result(olga):
    page = login(Client(), olga).get(reverse("policy:rekenhulp")).content.decode()
    assert 'id="prognose"' not in page and 'name="soort"' in page

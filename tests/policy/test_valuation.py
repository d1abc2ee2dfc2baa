"""Table-driven tests of the value engine against the seeded rules and the Menukaart.

Every expected value is worked out by hand in the comment beside it; none is produced by
the engine. Unless a case says otherwise the project runs 01-01-2025 to 31-12-2026.
"""

import ast
from dataclasses import FrozenInstanceError
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policy import valuation
from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES, SEED_RULES
from policy.valuation import (
    WITHIN_PROJECT,
    InzetData,
    PolicyRules,
    add_months,
    count_months,
    format_euro,
    validate_line,
    value_line,
)

D = Decimal
d = date.fromisoformat

KANDIDAAT: dict[str, dict[str, Any]] = {
    # unemployed since 01-01-2024: more than 6 months before any first workday below
    "ww": {"doelgroep": "ww", "unemployed_since": d("2024-01-01")},
    "participatiewet_nuo": {
        "doelgroep": "participatiewet_nuo",
        "unemployed_since": d("2024-01-01"),
    },
    # 20 years old in 2025
    "jongere": {"doelgroep": "jongere", "birth_date": d("2004-05-01")},
}


def line(soort: str, start: str, end: str, **fields: Any) -> InzetData:
    """An Inzet on the default project; `doelgroep=` fills in what that doelgroep needs."""
    doelgroep = fields.get("doelgroep")
    values: dict[str, Any] = {
        "project_start": d("2025-01-01"),
        "project_end": d("2026-12-31"),
        **KANDIDAAT.get(doelgroep or "", {}),
        **fields,
    }
    for key in ("project_start", "project_end", "first_workday"):
        if isinstance(values.get(key), str):
            values[key] = d(values[key])
    return InzetData(soort=soort, start=d(start), end=d(end), **values)


def workday_reason(months: int, short_label: str, workday: str, soort: str) -> str:
    """The termijn's reason: from which day (and which line's soort) it runs, for which doelgroep."""
    day = d(workday).strftime("%d-%m-%Y")
    return f"Telt maximaal {months} maanden vanaf de eerste werkdag {day} ({soort}): de termijn voor {short_label}"


# (line, peildatum, value, counts_from, counts_until, reasons)
KOSTEN_CASES = [
    # --- baan: loonkosten per maand × months, termijn per doelgroep ---
    pytest.param(
        line("baan", "2025-01-01", "2025-03-31", doelgroep="doelgroepenregister", amount=D(2500), hours_per_week=D(36)),
        "2025-03-31",
        D("7500.00"),  # 3 full months × 2500
        "2025-01-01", "2025-03-31", (),
        id="baan-hele-maanden",
    ),
    pytest.param(
        line("baan", "2025-01-15", "2025-03-31", doelgroep="doelgroepenregister", amount=D(2000), hours_per_week=D(36)),
        "2025-03-31",
        D("5096.77"),  # 17/31 × 2000 = 1096.774… + 2 full months × 2000 = 5096.774…
        "2025-01-15", "2025-03-31", (),
        id="baan-gedeeltelijke-maand",
    ),
    pytest.param(
        line("baan", "2025-02-01", "2026-06-30", doelgroep="ww", amount=D(3000), hours_per_week=D(36),
            first_workday="2025-02-01"),
        "2026-06-30",
        D("36000.00"),  # 12 months (01-02-2025 to 31-01-2026) × 3000
        "2025-02-01", "2026-01-31", (workday_reason(12, "werkloos-werkzoekend", "2025-02-01", "baan"),),
        id="baan-ww-na-12-maanden",
    ),
    pytest.param(
        line("baan", "2025-07-01", "2026-06-30", doelgroep="ww", amount=D(2000), hours_per_week=D(36),
            first_workday="2025-01-01"),
        "2026-06-30",
        D("12000.00"),  # termijn ends 31-12-2025, counted from an earlier first workday: 6 × 2000
        "2025-07-01", "2025-12-31", (workday_reason(12, "werkloos-werkzoekend", "2025-01-01", "baan"),),
        id="baan-ww-termijn-vanaf-eerdere-werkdag",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2026-03-31", doelgroep="participatiewet_nuo", amount=D(2200), hours_per_week=D(32)),
        "2026-03-31",
        D("26400.00"),  # 12 × 2200
        "2025-01-01", "2025-12-31", (workday_reason(12, "werkloos-werkzoekend", "2025-01-01", "baan"),),
        id="baan-participatiewet-na-12-maanden",
    ),
    pytest.param(
        line("baan", "2025-04-01", "2026-09-30", doelgroep="jongere", amount=D(1800), hours_per_week=D(36)),
        "2026-09-30",
        D("21600.00"),  # 12 × 1800 (01-04-2025 to 31-03-2026)
        "2025-04-01", "2026-03-31", (workday_reason(12, "jongere", "2025-04-01", "baan"),),
        id="baan-jongere-na-12-maanden",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2027-06-30", doelgroep="wajong_wia", amount=D(2000), hours_per_week=D(36),
            project_end="2027-12-31"),
        "2027-06-30",
        D("48000.00"),  # 24 × 2000
        "2025-01-01", "2026-12-31", (workday_reason(24, "Wajong of WIA", "2025-01-01", "baan"),),
        id="baan-wajong-na-24-maanden",
    ),
    pytest.param(
        line("detachering", "2025-03-01", "2027-05-31", doelgroep="wsw", amount=D(1500), project_end="2027-12-31"),
        "2027-05-31",
        D("36000.00"),  # 24 × 1500 (01-03-2025 to 28-02-2027)
        "2025-03-01", "2027-02-28", (workday_reason(24, "WSW-indicatie", "2025-03-01", "detachering"),),
        id="detachering-wsw-na-24-maanden",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2027-06-30", doelgroep="doelgroepenregister", amount=D(2000),
            hours_per_week=D(36), project_end="2027-12-31"),
        "2027-06-30",
        D("60000.00"),  # 30 × 2000: an afspraakbaan always counts
        "2025-01-01", "2027-06-30", (),
        id="baan-afspraakbaan-na-24-maanden-telt-nog",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2027-12-31", doelgroep="beschut", amount=D(1800), hours_per_week=D(36),
            project_end="2027-12-31"),
        "2027-12-31",
        D("64800.00"),  # 36 × 1800
        "2025-01-01", "2027-12-31", (),
        id="baan-beschut-altijd",
    ),
    pytest.param(
        line("baan", "2026-11-15", "2027-02-28", doelgroep="doelgroepenregister", amount=D(3100), hours_per_week=D(36)),
        "2027-02-28",
        D("4753.33"),  # 16/30 × 3100 = 1653.333… + December 3100
        "2026-11-15", "2026-12-31", (WITHIN_PROJECT,),
        id="baan-over-projecteinde",
    ),
    pytest.param(
        line("baan", "2024-12-01", "2025-01-31", doelgroep="doelgroepenregister", amount=D(2000), hours_per_week=D(36)),
        "2025-01-31",
        D("2000.00"),  # only January lies inside the project: 1 × 2000
        "2025-01-01", "2025-01-31", (WITHIN_PROJECT,),
        id="baan-voor-projectstart-telt-niet",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-03-31", doelgroep="doelgroepenregister", amount=D(2000),
            hours_per_week=D(36), first_workday="2025-02-01"),
        "2025-03-31",
        D("4000.00"),  # February and March: 2 × 2000
        "2025-02-01", "2025-03-31", ("Telt vanaf de eerste werkdag van de kandidaat (01-02-2025)",),
        id="baan-voor-eerste-werkdag-telt-niet",
    ),
    # --- stage: min(vergoeding, cap per niveau) × months, max 12 months ---
    pytest.param(
        line("stage", "2025-01-15", "2025-03-31", doelgroep="stagiair", amount=D(400), niveau="mbo"),
        "2025-03-31",
        D("891.94"),  # 2 full months × 350 + 17/31 × 350 = 700 + 191.935…
        "2025-01-15", "2025-03-31", ("Stagevergoeding begrensd op € 350,00 per maand (mbo)",),
        id="stage-mbo-boven-maximum-gedeeltelijke-maand",
    ),
    pytest.param(
        line("stage", "2025-02-01", "2025-04-30", doelgroep="stagiair", amount=D(150), niveau="vmbo"),
        "2025-04-30",
        D("450.00"),  # 3 × 150, under the vmbo cap of 200
        "2025-02-01", "2025-04-30", (),
        id="stage-vmbo-onder-maximum",
    ),
    pytest.param(
        line("stage", "2025-01-01", "2026-06-30", doelgroep="stagiair", amount=D(600), niveau="hbo"),
        "2026-06-30",
        D("6000.00"),  # 12 months × 500 (hbo cap)
        "2025-01-01", "2025-12-31",
        ("Stage telt maximaal 12 maanden", "Stagevergoeding begrensd op € 500,00 per maand (hbo)"),
        id="stage-hbo-langer-dan-12-maanden",
    ),
    pytest.param(
        line("stage", "2025-09-01", "2025-09-15", doelgroep="stagiair", amount=D(900), niveau="wo"),
        "2025-09-15",
        D("375.00"),  # 15/30 × 750 (wo cap)
        "2025-09-01", "2025-09-15", ("Stagevergoeding begrensd op € 750,00 per maand (wo)",),
        id="stage-wo-halve-maand",
    ),
    pytest.param(
        line("stage", "2025-09-01", "2026-02-28", doelgroep="stagiair", amount=D(300), niveau="mbo",
            first_workday="2025-01-01"),
        "2026-02-28",
        D("1200.00"),  # stagetermijn from 01-01-2025 ends 31-12-2025: September–December 4 × 300
        "2025-09-01", "2025-12-31", (workday_reason(12, "stagiair", "2025-01-01", "stage"),),
        id="stage-stagiair-termijn-vanaf-eerste-werkdag",
    ),
    # --- BBL: loon × months for the duration of the opleiding, ≥ 20 hours ---
    pytest.param(
        line("bbl", "2025-01-01", "2026-12-31", doelgroep="bbl_leerling", amount=D(1400), hours_per_week=D(32)),
        "2026-12-31",
        D("33600.00"),  # 24 × 1400: the whole opleiding, no 12-month limit
        "2025-01-01", "2026-12-31", (),
        id="bbl-duur-van-de-opleiding",
    ),
    pytest.param(
        line("bbl", "2025-01-01", "2025-12-31", doelgroep="bbl_leerling", amount=D(1400), hours_per_week=D(16)),
        "2025-12-31",
        D("0.00"),  # under 20 hours a week a BBL does not count
        None, None, ("BBL (beroepsbegeleidende leerweg) telt alleen bij minstens 20 uur per week",),
        id="bbl-onder-20-uur",
    ),
    # --- begeleiding, proefplaatsing, werkervaringsplaats: min(hours × 15, 150) per week ---
    pytest.param(
        line("begeleiding", "2025-01-01", "2025-01-28", doelgroep="stagiair", hours_per_week=D(8)),
        "2025-01-28",
        D("480.00"),  # 8 × 15 = 120 a week × 28/7 weeks
        "2025-01-01", "2025-01-28", (),
        id="begeleiding-binnen-maximum",
    ),
    pytest.param(
        line("begeleiding", "2025-03-01", "2025-03-31", doelgroep="stagiair", hours_per_week=D(12)),
        "2025-03-31",
        D("664.29"),  # 12 × 15 = 180 → 150 a week × 31/7 = 664.285…
        "2025-03-01", "2025-03-31", ("Begeleiding begrensd op € 150,00 per week",),
        id="begeleiding-boven-150-per-week",
    ),
    pytest.param(
        line("begeleiding", "2024-11-01", "2024-12-31", doelgroep="ww", hours_per_week=D(10),
            first_workday="2025-01-01"),
        "2024-12-31",
        D("1307.14"),  # 10 × 15 = 150 a week × 61/7 = 1307.142…
        "2024-11-01", "2024-12-31", (),
        id="begeleiding-2-maanden-voor-projectstart",
    ),
    pytest.param(
        line("begeleiding", "2024-09-01", "2024-10-31", doelgroep="ww", hours_per_week=D(10),
            first_workday="2025-01-01"),
        "2024-10-31",
        D("664.29"),  # only October (from 01-10-2024): 150 × 31/7 = 664.285…
        "2024-10-01", "2024-10-31", ("Telt maximaal 3 maanden voor de projectstart (vanaf 01-10-2024)",),
        id="begeleiding-deels-meer-dan-3-maanden-voor-projectstart",
    ),
    pytest.param(
        line("begeleiding", "2025-01-01", "2026-03-31", doelgroep="stagiair", hours_per_week=D(10)),
        "2026-03-31",
        D("7821.43"),  # 150 × 365/7 = 7821.428…
        "2025-01-01", "2025-12-31", (workday_reason(12, "stagiair", "2025-01-01", "begeleiding"),),
        id="begeleiding-stagiair-na-12-maanden",
    ),
    pytest.param(
        line("begeleiding", "2025-01-01", "2026-06-30", doelgroep="bbl_leerling", hours_per_week=D(5)),
        "2026-06-30",
        D("5850.00"),  # 5 × 15 = 75 a week × 546/7 (365 + 181 days) = 75 × 78
        "2025-01-01", "2026-06-30", (),
        id="begeleiding-bbl-leerling-langer-dan-12-maanden",
    ),
    pytest.param(
        line("proefplaatsing", "2025-02-01", "2025-02-14", doelgroep="participatiewet_nuo", hours_per_week=D(6)),
        "2025-02-14",
        D("180.00"),  # 6 × 15 = 90 a week × 14/7
        "2025-02-01", "2025-02-14", (),
        id="proefplaatsing",
    ),
    pytest.param(
        line("werkervaringsplaats", "2025-02-01", "2025-03-01", doelgroep="participatiewet_nuo", hours_per_week=D(15)),
        "2025-03-01",
        D("621.43"),  # 15 × 15 = 225 → 150 a week × 29/7 = 621.428…
        "2025-02-01", "2025-03-01", ("Werkervaringsplaats begrensd op € 150,00 per week",),
        id="werkervaringsplaats-boven-maximum",
    ),
    # --- scholing: invoice, € 2,500 per kandidaat over all lines, up to 3 months early ---
    pytest.param(
        line("scholing", "2025-02-01", "2025-02-28", doelgroep="ww", amount=D(1800), first_workday="2025-03-01"),
        "2025-02-28",
        D("1800.00"),  # the invoice, under 2500
        "2025-02-01", "2025-02-28", (),
        id="scholing-binnen-maximum",
    ),
    pytest.param(
        line("scholing", "2025-04-01", "2025-04-30", doelgroep="ww", amount=D(1200), scholing_already_counted=D(1800)),
        "2025-04-30",
        D("700.00"),  # 2500 − 1800 already counted on the first line
        "2025-04-01", "2025-04-30",
        ("Scholing telt maximaal € 2.500,00 per kandidaat; op andere regels is al € 1.800,00 geteld",),
        id="scholing-tweede-regel-boven-2500",
    ),
    pytest.param(
        line("scholing", "2025-04-01", "2025-04-30", doelgroep="ww", amount=D(3000)),
        "2025-04-30",
        D("2500.00"),  # capped at 2500
        "2025-04-01", "2025-04-30", ("Scholing telt maximaal € 2.500,00 per kandidaat",),
        id="scholing-een-regel-boven-2500",
    ),
    pytest.param(
        line("scholing", "2025-04-01", "2025-04-30", doelgroep="ww", amount=D(500), scholing_already_counted=D(2500)),
        "2025-04-30",
        D("0.00"),  # nothing left of 2500
        "2025-04-01", "2025-04-30",
        ("Scholing telt maximaal € 2.500,00 per kandidaat; op andere regels is al € 2.500,00 geteld",),
        id="scholing-maximum-al-bereikt",
    ),
    pytest.param(
        line("scholing", "2024-11-01", "2024-11-30", doelgroep="ww", amount=D(1500), first_workday="2025-01-01"),
        "2024-11-30",
        D("1500.00"),  # 2 months before the project start: counts in full
        "2024-11-01", "2024-11-30", (),
        id="scholing-2-maanden-voor-projectstart",
    ),
    pytest.param(
        line("scholing", "2024-09-01", "2024-09-30", doelgroep="ww", amount=D(1500), first_workday="2025-01-01"),
        "2024-09-30",
        D("0.00"),  # 4 months before the project start: before 01-10-2024, nothing counts
        None, None, ("Telt maximaal 3 maanden voor de projectstart (vanaf 01-10-2024)",),
        id="scholing-4-maanden-voor-projectstart",
    ),
    # --- werk, detachering without kandidaat, anders ---
    pytest.param(
        line("werk", "2025-01-01", "2025-12-31", amount=D(50000)),
        "2025-12-31",
        D("50000.00"),  # the amount
        "2025-01-01", "2025-12-31", (),
        id="werk-zonder-kandidaat",
    ),
    pytest.param(
        line("werk", "2026-07-01", "2027-06-30", amount=D(36500)),
        "2027-06-30",
        D("18400.00"),  # 184 of 365 days inside the project: 36500 × 184/365
        "2026-07-01", "2026-12-31", (WITHIN_PROJECT, "Telt naar rato: 184 van de 365 dagen"),
        id="werk-over-projecteinde",
    ),
    pytest.param(
        line("detachering", "2025-01-01", "2025-06-30", amount=D(4000)),
        "2025-06-30",
        D("24000.00"),  # 6 × 4000
        "2025-01-01", "2025-06-30", (),
        id="detachering-zonder-kandidaat",
    ),
    pytest.param(
        line("anders", "2025-05-01", "2025-05-01", amount=D(5000), description="Sponsoring buurthuis"),
        "2025-05-01",
        D("5000.00"),  # as entered
        "2025-05-01", "2025-05-01", ("Telt zoals ingevoerd, in overleg met het coördinatiepunt",),
        id="anders-zoals-ingevoerd",
    ),
    pytest.param(
        line("anders", "2027-03-01", "2027-03-01", amount=D(5000), description="Leerlab na afloop"),
        "2027-03-01",
        D("5000.00"),  # as entered: the coördinatiepunt judges, the project period does not cap it
        "2027-03-01", "2027-03-01", ("Telt zoals ingevoerd, in overleg met het coördinatiepunt",),
        id="anders-buiten-projectduur",
    ),
    # --- peildatum and doelgroep conditions ---
    pytest.param(
        line("baan", "2025-06-01", "2025-12-31", doelgroep="doelgroepenregister", amount=D(2000), hours_per_week=D(36)),
        "2025-05-31",
        D("0.00"),  # nothing has started yet
        None, None, ("Telt nog niet op de peildatum 31-05-2025: de telling begint op 01-06-2025",),
        id="peildatum-voor-start",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-03-31", doelgroep="ww", unemployed_since=d("2024-09-01"),
            amount=D(2000), hours_per_week=D(36)),
        "2025-03-31",
        D("0.00"),  # 4 months unemployed on the first workday: not (yet) in the doelgroep
        None, None,
        ("De kandidaat telt pas mee na minimaal 6 maanden werkloos-werkzoekend: "
         "werkloos sinds 01-09-2024, eerste werkdag 01-01-2025",),
        id="ww-korter-dan-6-maanden-werkloos",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-03-31", doelgroep="jongere", birth_date=d("1997-12-31"),
            amount=D(2000), hours_per_week=D(36)),
        "2025-03-31",
        D("0.00"),  # 27 on the first workday: no longer a jongere
        None, None, ("De kandidaat is 27 jaar op de eerste werkdag; jongere telt van 18 tot 27 jaar",),
        id="jongere-van-27-telt-niet",
    ),
]  # fmt: skip


def _check(
    result: valuation.Valuation,
    value: Decimal,
    counts_from: str | None,
    counts_until: str | None,
    reasons: tuple[str, ...],
) -> None:
    assert result.value == value
    assert str(result.value) == str(value), "rounded to cents"
    assert (result.counts_from, result.counts_until) == (
        counts_from and d(counts_from),
        counts_until and d(counts_until),
    )
    assert result.reasons == reasons


@pytest.mark.parametrize(("inzet", "peildatum", "value", "counts_from", "counts_until", "reasons"), KOSTEN_CASES)
def test_value_line_kosten(
    inzet: InzetData,
    peildatum: str,
    value: Decimal,
    counts_from: str | None,
    counts_until: str | None,
    reasons: tuple[str, ...],
) -> None:
    result = value_line(line=inzet, rules=SEED_RULES, peildatum=d(peildatum))
    _check(result, value, counts_from, counts_until, reasons)
    assert result.in_overleg_coordinatiepunt is (inzet.soort == "anders")


ACTUEEL_BAAN = line("baan", "2025-01-01", "2025-06-30", doelgroep="ww", amount=D(2000), hours_per_week=D(36))
ACTUEEL_WERK = line("werk", "2025-01-01", "2025-12-31", amount=D(36500))
ACTUEEL_ANDERS = line("anders", "2025-03-01", "2025-08-31", amount=D(900), description="Open dag")


@pytest.mark.parametrize(
    ("inzet", "peildatum", "value", "counts_from", "counts_until", "reasons"),
    [
        pytest.param(
            ACTUEEL_BAAN, "2025-03-15",
            D("4967.74"),  # 2 × 2000 + 15/31 × 2000 = 4000 + 967.741…
            "2025-01-01", "2025-03-15", ("Geteld tot en met de peildatum 15-03-2025",),
            id="baan-actueel",
        ),
        pytest.param(
            ACTUEEL_BAAN, ACTUEEL_BAAN.end.isoformat(),
            D("12000.00"),  # 6 × 2000
            "2025-01-01", "2025-06-30", (),
            id="baan-prognose",
        ),
        pytest.param(
            ACTUEEL_WERK, "2025-03-31",
            D("9000.00"),  # 36500 × 90/365
            "2025-01-01", "2025-03-31",
            ("Geteld tot en met de peildatum 31-03-2025", "Telt naar rato: 90 van de 365 dagen"),
            id="werk-actueel",
        ),
        pytest.param(
            ACTUEEL_WERK, ACTUEEL_WERK.end.isoformat(),
            D("36500.00"),  # the whole amount
            "2025-01-01", "2025-12-31", (),
            id="werk-prognose",
        ),
        pytest.param(
            ACTUEEL_ANDERS, "2025-02-28",
            D("0.00"),  # not started
            None, None, ("Telt nog niet op de peildatum 28-02-2025: de telling begint op 01-03-2025",),
            id="anders-actueel-voor-start",
        ),
        pytest.param(
            ACTUEEL_ANDERS, "2025-03-01",
            D("900.00"),  # as entered, from its first day
            "2025-03-01", "2025-03-01", ("Telt zoals ingevoerd, in overleg met het coördinatiepunt",),
            id="anders-actueel-na-start",
        ),
    ],
)  # fmt: skip
def test_value_line_actueel_and_prognose(
    inzet: InzetData,
    peildatum: str,
    value: Decimal,
    counts_from: str | None,
    counts_until: str | None,
    reasons: tuple[str, ...],
) -> None:
    result = value_line(line=inzet, rules=SEED_RULES, peildatum=d(peildatum))
    _check(result, value, counts_from, counts_until, reasons)


BOUWBLOK_PW = "Bouwblok Participatiewet: € 40.000,00 per jaar"
BONUS_VAST = "Bonus vast contract: € 10.000,00"

BOUWBLOKKEN_CASES = [
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="participatiewet_nuo", hours_per_week=D(24)),
        "2025-12-31",
        D("26666.67"),  # 40000 × 12/12 × 24/36 = 26666.666…
        "2025-01-01", "2025-12-31", (BOUWBLOK_PW, "Naar rato van 24 van 36 uur per week"),
        id="participatiewet-24-uur",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="participatiewet_nuo", hours_per_week=D(24),
            bonuses=("vast_contract",)),
        "2025-12-31",
        D("36666.67"),  # 40000 × 24/36 = 26666.666… + 10000 vast contract
        "2025-01-01", "2025-12-31", (BOUWBLOK_PW, "Naar rato van 24 van 36 uur per week", BONUS_VAST),
        id="participatiewet-24-uur-vast-contract",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="participatiewet_nuo", hours_per_week=D(36),
            bonuses=("vast_contract",)),
        "2025-03-31",
        D("20000.00"),  # 40000 × 3/12 + 10000 (the bonus counts once the line has started)
        "2025-01-01", "2025-03-31", ("Geteld tot en met de peildatum 31-03-2025", BOUWBLOK_PW, BONUS_VAST),
        id="participatiewet-vast-contract-actueel",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2026-06-30", doelgroep="participatiewet_nuo", hours_per_week=D(18)),
        "2026-06-30",
        D("20000.00"),  # termijn 12 months: 40000 × 12/12 × 18/36
        "2025-01-01", "2025-12-31",
        (
            workday_reason(12, "werkloos-werkzoekend", "2025-01-01", "baan"),
            BOUWBLOK_PW,
            "Naar rato van 18 van 36 uur per week",
        ),
        id="participatiewet-na-12-maanden-18-uur",
    ),
    pytest.param(
        line("bbl", "2025-01-01", "2025-06-30", doelgroep="bbl_leerling", hours_per_week=D(40)),
        "2025-06-30",
        D("17500.00"),  # 35000 × 6/12 × 36/36 (40 hours capped at 36)
        "2025-01-01", "2025-06-30", ("Bouwblok BBL: € 35.000,00 per jaar", "Uren begrensd op 36 per week"),
        id="bbl-boven-36-uur",
    ),
    pytest.param(
        line("stage", "2025-01-15", "2025-03-31", doelgroep="stagiair", hours_per_week=D(36)),
        "2025-03-31",
        D("4247.31"),  # 20000 × (2 + 17/31) / 12 = 20000 × 79/372 = 4247.311…
        "2025-01-15", "2025-03-31", ("Bouwblok BOL-stage: € 20.000,00 per jaar",),
        id="bol-stage-gedeeltelijke-maand",
    ),
    pytest.param(
        line("baan", "2025-06-01", "2025-12-31", doelgroep="participatiewet_nuo", hours_per_week=D(36),
            bonuses=("vast_contract",)),
        "2025-05-01",
        D("0.00"),  # not started: no value and no bonus
        None, None, ("Telt nog niet op de peildatum 01-05-2025: de telling begint op 01-06-2025",),
        id="peildatum-voor-start-geen-bonus",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="ww", hours_per_week=D(36)),
        "2025-12-31",
        D("0.00"),  # the example has no bouwblok for a WW baan
        None, None, ("Geen bouwblok voor baan (dienstverband) met deze doelgroep",),
        id="geen-bouwblok",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("inzet", "peildatum", "value", "counts_from", "counts_until", "reasons"), BOUWBLOKKEN_CASES)
def test_value_line_bouwblokken(
    inzet: InzetData,
    peildatum: str,
    value: Decimal,
    counts_from: str | None,
    counts_until: str | None,
    reasons: tuple[str, ...],
) -> None:
    result = value_line(line=inzet, rules=EXAMPLE_BOUWBLOKKEN_RULES, peildatum=d(peildatum))
    _check(result, value, counts_from, counts_until, reasons)


def test_same_line_values_differently_per_method() -> None:
    inzet = line(
        "baan", "2025-01-01", "2025-12-31", doelgroep="participatiewet_nuo", amount=D(2000), hours_per_week=D(36)
    )
    by_cost = value_line(line=inzet, rules=SEED_RULES, peildatum=inzet.end)
    by_bouwblok = value_line(line=inzet, rules=EXAMPLE_BOUWBLOKKEN_RULES, peildatum=inzet.end)
    assert by_cost.value == D("24000.00")  # 12 × 2000
    assert by_bouwblok.value == D("40000.00")  # 40000 × 12/12 × 36/36


VALIDATION_CASES = [
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="ww", amount=D(2000), hours_per_week=D(36)),
        SEED_RULES, [], id="geldig",
    ),
    pytest.param(
        line("baan", "2025-02-01", "2025-01-31", doelgroep="doelgroepenregister", amount=D(2000), hours_per_week=D(36)),
        SEED_RULES, ["De einddatum ligt voor de startdatum"], id="einde-voor-start",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", amount=D(2000), hours_per_week=D(36)),
        SEED_RULES, ["Kies de doelgroep van de kandidaat"], id="baan-zonder-doelgroep",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="vrijwilliger", amount=D(2000), hours_per_week=D(36)),
        SEED_RULES, ["Onbekende doelgroep: vrijwilliger"], id="onbekende-doelgroep",
    ),
    pytest.param(
        line("vrijwilligerswerk", "2025-01-01", "2025-12-31"),
        SEED_RULES, ["Onbekende soort inzet: vrijwilligerswerk"], id="onbekende-soort",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="doelgroepenregister", amount=D(-1), hours_per_week=D(36)),
        SEED_RULES, ["Loonkosten per maand mag niet negatief zijn"], id="negatief-bedrag",
    ),
    pytest.param(
        line("stage", "2025-01-01", "2025-06-30", doelgroep="stagiair", amount=D(300)),
        SEED_RULES, ["Kies het niveau (vmbo, mbo, hbo, wo)"], id="stage-zonder-niveau",
    ),
    pytest.param(
        line("stage", "2025-01-01", "2025-06-30", doelgroep="stagiair", niveau="mbo"),
        SEED_RULES, ["Vul stagevergoeding per maand in"], id="stage-zonder-vergoeding",
    ),
    pytest.param(
        line("bbl", "2025-01-01", "2025-06-30", doelgroep="bbl_leerling", amount=D(1400), hours_per_week=D("19.5")),
        SEED_RULES, ["BBL (beroepsbegeleidende leerweg) telt alleen bij minstens 20 uur per week"],
        id="bbl-19-5-uur",
    ),
    pytest.param(
        line("begeleiding", "2025-01-01", "2025-06-30", doelgroep="stagiair"),
        SEED_RULES, ["Vul uren begeleiding per week in"], id="begeleiding-zonder-uren",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="ww", unemployed_since=None, amount=D(2000),
            hours_per_week=D(36)),
        SEED_RULES, ["Vul in sinds wanneer de kandidaat werkloos-werkzoekend is"], id="ww-zonder-werkloos-sinds",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="jongere", birth_date=None, amount=D(2000),
            hours_per_week=D(36)),
        SEED_RULES, ["Vul de geboortedatum van de kandidaat in"], id="jongere-zonder-geboortedatum",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="jongere", birth_date=d("2007-01-02"),
            amount=D(2000), hours_per_week=D(36)),
        SEED_RULES, ["De kandidaat is 17 jaar op de eerste werkdag; jongere telt van 18 tot 27 jaar"],
        id="jongere-van-17",
    ),
    pytest.param(
        line("anders", "2025-01-01", "2025-01-01", amount=D(100)),
        SEED_RULES, ["Beschrijf de inzet"], id="anders-zonder-omschrijving",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="doelgroepenregister", amount=D(2000),
            hours_per_week=D(36), bonuses=("vast_contract",)),
        SEED_RULES, ["Onbekende bonus: vast_contract"], id="bonus-bij-kostenmethode",
    ),
    pytest.param(
        line("baan", "2025-01-01", "2025-12-31", doelgroep="participatiewet_nuo"),
        EXAMPLE_BOUWBLOKKEN_RULES, ["Vul uren per week in"], id="bouwblok-zonder-uren",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("inzet", "rules", "errors"), VALIDATION_CASES)
def test_validate_line(inzet: InzetData, rules: PolicyRules, errors: list[str]) -> None:
    assert validate_line(inzet, rules) == errors


@pytest.mark.parametrize(("inzet", "rules", "errors"), [c for c in VALIDATION_CASES if c.values[2]])
def test_invalid_line_counts_nothing_and_says_why(inzet: InzetData, rules: PolicyRules, errors: list[str]) -> None:
    result = value_line(line=inzet, rules=rules, peildatum=d("2026-12-31"))
    assert (result.value, result.counts_from, result.counts_until) == (D(0), None, None)
    assert result.reasons == tuple(errors)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        pytest.param("2025-01-01", "2025-01-31", D(1), id="whole-month"),
        pytest.param("2025-01-15", "2025-01-31", D("0.548387"), id="17-of-31"),  # 17/31
        pytest.param("2024-02-01", "2024-02-29", D(1), id="leap-february"),
        pytest.param("2025-01-01", "2025-12-31", D(12), id="year"),
        # 1/31 + 1/28 = 0.032258… + 0.035714…
        pytest.param("2025-01-31", "2025-02-01", D("0.067972"), id="two-partial-months"),
        pytest.param("2025-02-01", "2025-01-31", D(0), id="empty"),
    ],
)
def test_count_months(start: str, end: str, months: Decimal) -> None:
    assert round(count_months(d(start), d(end)), 6) == months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param("2024-01-31", 1, "2024-02-29", id="clamps-to-leap-day"),
        pytest.param("2025-03-31", -1, "2025-02-28", id="clamps-backwards"),
        pytest.param("2025-01-01", -3, "2024-10-01", id="three-months-before"),
        pytest.param("2025-11-15", 2, "2026-01-15", id="across-year"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert add_months(d(day), months) == d(expected)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        pytest.param(D("1234.56"), "€ 1.234,56", id="thousands"),
        pytest.param(D("0.5"), "€ 0,50", id="cents"),
        pytest.param(D(1000000), "€ 1.000.000,00", id="million"),
        pytest.param(D("2.345"), "€ 2,35", id="half-up"),
        pytest.param(D("-12.5"), "€ -12,50", id="negative"),
    ],
)
def test_format_euro(amount: Decimal, text: str) -> None:
    assert format_euro(amount) == text


def test_menukaart_lists_every_soort_in_order() -> None:
    assert [s.code for s in SEED_RULES.menukaart] == [
        "baan", "detachering", "werk", "stage", "bbl", "begeleiding",
        "scholing", "proefplaatsing", "werkervaringsplaats", "anders",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "termijn_text"),
    [
        ("doelgroepenregister", "Altijd"),
        ("beschut", "Altijd"),
        ("wajong_wia", "Maximaal 24 maanden vanaf de eerste werkdag"),
        ("wsw", "Maximaal 24 maanden vanaf de eerste werkdag"),
        ("ww", "Maximaal 12 maanden vanaf de eerste werkdag"),
        ("participatiewet_nuo", "Maximaal 12 maanden vanaf de eerste werkdag"),
        ("jongere", "Maximaal 12 maanden vanaf de eerste werkdag"),
        ("stagiair", "Gedurende de stagetermijn, maximaal 12 maanden"),
        ("bbl_leerling", "Voor de duur van de opleiding"),
    ],
)
def test_doelgroep_termijn(code: str, termijn_text: str) -> None:
    doelgroep = SEED_RULES.doelgroep(code)
    assert doelgroep is not None
    assert doelgroep.termijn_text == termijn_text


def test_doelgroepen_are_the_seeded_ones() -> None:
    assert {g.code for g in SEED_RULES.doelgroepen} == {
        "doelgroepenregister", "beschut", "wajong_wia", "wsw", "ww",
        "participatiewet_nuo", "jongere", "stagiair", "bbl_leerling",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "limits"),
    [
        (
            "stage",
            (
                "Max. € 200,00 per maand (vmbo)",
                "Max. € 350,00 per maand (mbo)",
                "Max. € 500,00 per maand (hbo)",
                "Max. € 750,00 per maand (wo)",
                "Telt maximaal 12 maanden",
            ),
        ),
        (
            "begeleiding",
            (
                "€ 15,00 per uur",
                "Max. € 150,00 per week",
                "Mag tot 3 maanden voor de projectstart liggen",
                "Telt niet als werk: de eerste werkdag komt van een andere regel",
            ),
        ),
        ("bbl", ("Minimaal 20 uur per week",)),
        (
            "scholing",
            (
                "Max. € 2.500,00 per kandidaat",
                "Mag tot 3 maanden voor de projectstart liggen",
                "Telt niet als werk: de eerste werkdag komt van een andere regel",
            ),
        ),
        ("anders", ("In overleg met het coördinatiepunt",)),
        ("baan", ()),
    ],
)
def test_menukaart_limits(code: str, limits: tuple[str, ...]) -> None:
    soort = SEED_RULES.soort(code)
    assert soort is not None
    assert soort.limits == limits


def test_rules_are_immutable_data() -> None:
    with pytest.raises(FrozenInstanceError):
        SEED_RULES.title = "Anders"  # type: ignore[misc]
    assert hash(SEED_RULES) == hash(SEED_RULES)


def test_engine_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(valuation.__file__).read_text(encoding="utf-8"))
    modules = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules <= {"__future__", "calendar", "dataclasses", "datetime", "decimal", "enum"}

"""Beleid: the Menukaart on the page and the value engine come from the same policy data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from policy import valuation as v
from policy.models import PolicyNiveauCap, PolicyVersion
from tests.conftest import Client, login

pytestmark = pytest.mark.django_db


def stage_line(amount: str = "500", niveau: str = "mbo") -> v.InzetData:
    return v.InzetData(
        soort="stage",
        doelgroep="stagiair",
        start=date(2025, 2, 1),
        end=date(2025, 3, 31),
        project_start=date(2025, 1, 1),
        project_end=date(2025, 12, 31),
        amount=Decimal(amount),
        niveau=niveau,
    )


def current_rules(region) -> v.PolicyRules:
    return PolicyVersion.objects.with_rules().in_force(region=region, day=timezone.localdate()).to_rules()


def test_each_region_starts_with_the_seeded_menukaart(drenthe, groningen):
    for region in (drenthe, groningen):
        rules = current_rules(region)
        assert [s.code for s in rules.menukaart][:5] == ["baan", "detachering", "werk", "stage", "bbl"]
        assert rules.soort("stage").cap_for("mbo") == Decimal("350.00")
        assert rules.doelgroep("wsw").termijn_months == 24


def test_the_page_and_the_engine_change_together_when_a_cap_changes(olga):
    client = login(Client(), olga)
    page = client.get(reverse("policy:beleid")).content.decode()
    assert "Max. € 350,00 per maand (mbo)" in page
    # 2 months of an mbo stage at € 500, capped at € 350: 2 × 350
    assert v.value_line(
        line=stage_line(), rules=current_rules(olga.region), peildatum=date(2025, 3, 31)
    ).value == Decimal("700.00")

    PolicyNiveauCap.objects.filter(soort__version__region=olga.region, soort__code="stage", niveau="mbo").update(
        amount=Decimal("400.00")
    )

    page = client.get(reverse("policy:beleid")).content.decode()
    assert "Max. € 400,00 per maand (mbo)" in page and "€ 350,00 per maand (mbo)" not in page
    valuation = v.value_line(line=stage_line(), rules=current_rules(olga.region), peildatum=date(2025, 3, 31))
    assert valuation.value == Decimal("800.00")  # 2 × 400
    assert "Stagevergoeding begrensd op € 400,00 per maand (mbo)" in valuation.reasons


def test_beleid_shows_the_uitvoeringsvoorwaarden_text_and_the_doelgroepen(olga):
    page = login(Client(), olga).get(reverse("policy:beleid")).content.decode()
    assert "Inhouding op de opdrachtsom" in page
    assert "Maximaal 24 maanden vanaf de eerste werkdag" in page


def test_opdrachtnemer_picks_the_region_and_keeps_it(otto, groningen):
    client = login(Client(), otto)
    client.get(reverse("policy:beleid") + "?regio=groningen")
    page = client.get(reverse("policy:beleid")).content.decode()
    assert '<h1 class="utrecht-heading-1">Beleid Groningen</h1>' in page


def test_a_seated_user_cannot_pick_another_region(olga):
    page = login(Client(), olga).get(reverse("policy:beleid") + "?regio=groningen").content.decode()
    assert "Beleid Drenthe" in page and 'id="regio-keuze"' not in page


def test_coordinatiepunt_edits_the_text_and_the_change_is_audited(cora):
    version = PolicyVersion.objects.get(region=cora.region)
    client = login(Client(), cora)
    url = reverse("policy:beleid-edit", args=[version.pk])
    response = client.post(url, {"text": "## Nieuw\n\n- punt <script>alert(1)</script>", "revision": version.revision})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.text.startswith("## Nieuw") and version.revision == 2
    page = client.get(reverse("policy:beleid")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    event = PolicyVersion.pgh_event_model.objects.filter(pgh_obj=version, pgh_label="update").latest("pgh_id")
    assert event.pgh_context.metadata["user"] == cora.pk


def test_two_editors_at_once_get_a_conflict_not_a_silent_overwrite(cora):
    version = PolicyVersion.objects.get(region=cora.region)
    first, second = login(Client(), cora), login(Client(), cora)
    url = reverse("policy:beleid-edit", args=[version.pk])
    assert first.post(url, {"text": "Versie van de eerste", "revision": 1}).status_code == 302
    response = second.post(url, {"text": "Versie van de tweede", "revision": 1})
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in response.content.decode()
    version.refresh_from_db()
    assert version.text == "Versie van de eerste"


def publish_data(rules: v.PolicyRules, valid_from: date, **changes: str) -> dict[str, str]:
    """The publish form as the browser posts it: every number unchanged unless given."""
    from policy.forms.beleid import PolicyPublishForm

    form = PolicyPublishForm(rules)
    data = {
        name: str(field.initial).replace(".", ",") for name, field in form.fields.items() if field.initial is not None
    }
    data.update(title="Uitvoeringsvoorwaarden 2027", valid_from=valid_from.isoformat(), text="Nieuwe tekst")
    data.update(changes)
    return data


def test_coordinatiepunt_publishes_a_new_version_that_only_counts_from_its_date(cora):
    old = PolicyVersion.objects.get(region=cora.region)
    starts = timezone.localdate() + timedelta(days=30)
    data = publish_data(old.to_rules(), starts, stage__cap__mbo="425,00", doelgroep__ww="9")

    response = login(Client(), cora).post(reverse("policy:beleid-publish"), data)

    new = PolicyVersion.objects.get(region=cora.region, valid_from=starts)
    assert response["Location"] == reverse("policy:beleid-version", args=[new.pk])
    assert new.created_by == cora
    rules = new.to_rules()
    assert rules.soort("stage").cap_for("mbo") == Decimal("425.00")
    assert rules.soort("stage").cap_for("hbo") == Decimal("500.00")
    assert rules.doelgroep("ww").termijn_months == 9
    # A line that starts before the new date stays under the old version.
    assert PolicyVersion.objects.in_force(region=cora.region, day=starts - timedelta(days=1)) == old
    assert PolicyVersion.objects.in_force(region=cora.region, day=starts) == new


@pytest.mark.parametrize("days", [0, -10])
def test_a_new_version_cannot_start_today_or_in_the_past(cora, days):
    old = PolicyVersion.objects.get(region=cora.region)
    data = publish_data(old.to_rules(), timezone.localdate() + timedelta(days=days))
    response = login(Client(), cora).post(reverse("policy:beleid-publish"), data)
    assert response.status_code == 200
    assert "id_valid_from_error" in response.content.decode()
    assert PolicyVersion.objects.filter(region=cora.region).count() == 1


def test_a_negative_cap_is_refused_at_the_field(cora):
    old = PolicyVersion.objects.get(region=cora.region)
    data = publish_data(old.to_rules(), timezone.localdate() + timedelta(days=5), stage__cap__mbo="-1")
    response = login(Client(), cora).post(reverse("policy:beleid-publish"), data)
    assert "id_stage__cap__mbo_error" in response.content.decode()
    assert PolicyVersion.objects.filter(region=cora.region).count() == 1


def test_only_the_coordinatiepunt_publishes(wim, gert, olga):
    assert login(Client(), wim).get(reverse("policy:beleid-publish")).status_code == 404
    drenthe_version = PolicyVersion.objects.get(region=olga.region)
    assert login(Client(), gert).get(reverse("policy:beleid-edit", args=[drenthe_version.pk])).status_code == 404


def test_rules_survive_the_database_unchanged(drenthe):
    from dataclasses import replace

    from policy.seed_rules import SEED_RULES

    version = PolicyVersion.objects.with_rules().get(region=drenthe)
    assert version.to_rules() == replace(SEED_RULES, title=version.title)


def test_a_region_on_the_bouwblokken_method_is_valued_and_shown_by_it(db):
    from dataclasses import replace

    from accounts.models import Organisation, OrganisationKind, Region
    from policy.rules_store import rules_save
    from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
    from policy.services.rules import RULE_MODELS
    from tests.factories import UserFactory

    region = Region.objects.create(name="Voorbeeldregio", slug="voorbeeldregio")
    version = PolicyVersion.objects.create(
        region=region, valid_from=date(2024, 1, 1), title="Bouwblokken", method="bouwblokken", text="Tekst"
    )
    rules_save(version=version, rules=EXAMPLE_BOUWBLOKKEN_RULES, models=RULE_MODELS)
    stored = PolicyVersion.objects.with_rules().get(pk=version.pk).to_rules()
    assert stored == replace(EXAMPLE_BOUWBLOKKEN_RULES, title="Bouwblokken")

    line = v.InzetData(
        soort="baan",
        doelgroep="participatiewet_nuo",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        project_start=date(2025, 1, 1),
        project_end=date(2025, 12, 31),
        hours_per_week=Decimal(18),
        unemployed_since=date(2023, 1, 1),
    )
    # A whole year at 18 of 36 hours: half of € 40.000
    assert v.value_line(line=line, rules=stored, peildatum=line.end).value == Decimal("20000.00")

    wsp = Organisation.objects.create(name="WSP Voorbeeld", kind=OrganisationKind.WSP, region=region)
    page = login(Client(), UserFactory(organisation=wsp)).get(reverse("policy:beleid")).content.decode()
    assert "Bouwblokken" in page and "€ 40.000,00" in page

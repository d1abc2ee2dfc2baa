from datetime import date
from pathlib import Path

from django.db import migrations

from policy.rules_store import rules_save
from policy.seed_rules import SEED_RULES

# The Menukaart and uitvoeringsvoorwaarden of seeds/001 (Bijlage 7), in force for the three
# northern regions from this date on.
SEED_VALID_FROM = date(2020, 1, 1)
SEED_TEXT = Path(__file__).resolve().parent.parent / "seed_uitvoeringsvoorwaarden.md"


def seed(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    models = {
        "soort": apps.get_model("policy", "PolicySoort"),
        "cap": apps.get_model("policy", "PolicyNiveauCap"),
        "doelgroep": apps.get_model("policy", "PolicyDoelgroep"),
        "bouwblok": apps.get_model("policy", "PolicyBouwblok"),
        "bonus": apps.get_model("policy", "PolicyBonus"),
    }
    text = SEED_TEXT.read_text(encoding="utf-8")
    for region in Region.objects.filter(slug__in=["drenthe", "fryslan", "groningen"]):
        if PolicyVersion.objects.filter(region=region).exists():
            continue
        version = PolicyVersion.objects.create(
            region=region,
            valid_from=SEED_VALID_FROM,
            title=f"Uitvoeringsvoorwaarden social return {region.name}",
            method=SEED_RULES.method.value,
            fulltime_hours=SEED_RULES.fulltime_hours,
            text=text,
        )
        rules_save(version=version, rules=SEED_RULES, models=models)


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0001_initial"),
        ("accounts", "0002_regions_and_totp_guard"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

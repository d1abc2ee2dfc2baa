"""One name per thing: the stored soort inzet is `PolicySoortInzet` (the engine's `SoortInzet`), and
"in overleg met het coördinatiepunt" no longer says CSR. Renames only: no row changes."""

from django.db import migrations, models

NON_NEGATIVE = ("hourly_rate", "max_per_week", "min_hours_per_week", "max_per_kandidaat")


def _non_negative(model: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q((f"{name}__isnull", True), (f"{name}__gte", 0), _connector="OR"),
        name=f"{model}_{name}_not_negative",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0003_policysoort_is_work"),
    ]

    operations = [
        *(
            migrations.RemoveConstraint(model_name="policysoort", name=f"policysoort_{name}_not_negative")
            for name in NON_NEGATIVE
        ),
        migrations.RenameModel(old_name="PolicySoort", new_name="PolicySoortInzet"),
        migrations.RenameField(
            model_name="policysoortinzet", old_name="in_overleg_csr", new_name="in_overleg_coordinatiepunt"
        ),
        migrations.AlterField(
            model_name="policysoortinzet",
            name="in_overleg_coordinatiepunt",
            field=models.BooleanField(default=False, verbose_name="in overleg met het coördinatiepunt"),
        ),
        *(
            migrations.AddConstraint(model_name="policysoortinzet", constraint=_non_negative("policysoortinzet", name))
            for name in NON_NEGATIVE
        ),
    ]

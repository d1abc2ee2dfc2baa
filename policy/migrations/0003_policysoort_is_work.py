from django.db import migrations, models

# Art. 06 and 18 of the uitvoeringsvoorwaarden: scholing comes before the work, begeleiding
# goes with a placement; neither is the kandidaat's first workday (issue 23).
NOT_WORK = ("scholing", "begeleiding")


def mark_not_work(apps, schema_editor):
    apps.get_model("policy", "PolicySoort").objects.filter(code__in=NOT_WORK).update(is_work=False)


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_seed_policy_versions")]

    operations = [
        migrations.AddField(
            model_name="policysoort",
            name="is_work",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "De eerste werkdag van een kandidaat is de vroegste start van zijn regels van een soort "
                    "die als werk telt."
                ),
                verbose_name="telt als werk",
            ),
        ),
        migrations.RunPython(mark_not_work, migrations.RunPython.noop),
    ]

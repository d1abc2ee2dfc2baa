from django.db import migrations

# The three regions the portal starts with, each with its coördinatiepunt. Contact details
# (mailbox, phone) are set by functioneel beheer; they are not data of this repository.
REGIONS = [
    ("drenthe", "Drenthe"),
    ("fryslan", "Fryslân"),
    ("groningen", "Groningen"),
]


def add_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Organisation = apps.get_model("accounts", "Organisation")
    for slug, name in REGIONS:
        region, _ = Region.objects.get_or_create(slug=slug, defaults={"name": name})
        Organisation.objects.get_or_create(
            kind="coordinatiepunt", region=region, defaults={"name": f"Coördinatiepunt Social Return {name}"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(add_regions, migrations.RunPython.noop),
        # One authenticator per user (STYLE: the database is the last guard).
        migrations.RunSQL(
            "CREATE UNIQUE INDEX otp_totp_one_device_per_user ON otp_totp_totpdevice (user_id);",
            "DROP INDEX IF EXISTS otp_totp_one_device_per_user;",
        ),
    ]

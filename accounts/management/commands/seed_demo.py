"""Fictional demo data: organisations for the three regions and one user of each role.

Runs only with DEBUG on. Safe to run again: it reuses what exists, gives the demo users a new
password and prints the credentials and authenticator secrets to the terminal.
"""

import base64
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, OrganisationKind, Region, User

K = OrganisationKind
# All names, numbers and addresses are invented.
ORGANISATIONS = [
    ("Werkgeversservicepunt Drenthe (demo)", K.WSP, "drenthe", None, "wsp@drenthe.demo.invalid"),
    ("Werkgeversservicepunt Fryslân (demo)", K.WSP, "fryslan", None, "wsp@fryslan.demo.invalid"),
    ("Werkgeversservicepunt Groningen (demo)", K.WSP, "groningen", None, "wsp@groningen.demo.invalid"),
    ("Gemeente Veenhoven", K.OPDRACHTGEVER, "drenthe", None, ""),
    ("Gemeente Brinkerveld", K.OPDRACHTGEVER, "drenthe", None, ""),
    ("Gemeente Waddenmeer", K.OPDRACHTGEVER, "fryslan", None, ""),
    ("Gemeente Noorderdal", K.OPDRACHTGEVER, "groningen", None, ""),
    ("Bouwbedrijf Hunzebouw B.V.", K.OPDRACHTNEMER, None, "90000001", ""),
    ("Groenvoorziening Esdorp", K.OPDRACHTNEMER, None, "90000002", ""),
    ("Schoonmaakbedrijf Terpstra & Zn.", K.OPDRACHTNEMER, None, "90000003", ""),
]
COORDINATIEPUNT_MAILBOX = "coordinatiepunt@{slug}.demo.invalid"
USERS = [
    ("coordinatiepunt@demo.invalid", "Cora Coördinator", "Coördinatiepunt Social Return Drenthe"),
    ("coordinatiepunt.groningen@demo.invalid", "Gert Groen", "Coördinatiepunt Social Return Groningen"),
    ("wsp@demo.invalid", "Wim Werkgever", "Werkgeversservicepunt Drenthe (demo)"),
    ("opdrachtgever@demo.invalid", "Olga Opdracht", "Gemeente Veenhoven"),
    ("opdrachtnemer@demo.invalid", "Otto Nemer", "Bouwbedrijf Hunzebouw B.V."),
]


class Command(BaseCommand):
    help = "Laad fictieve demodata en demo-accounts (alleen met DEBUG aan)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo-accounts bestaan alleen in ontwikkeling: zet DEBUG=true.")
        with transaction.atomic():
            regions = {region.slug: region for region in Region.objects.all()}
            for region in regions.values():
                Organisation.objects.filter(kind=K.COORDINATIEPUNT, region=region, email="").update(
                    email=COORDINATIEPUNT_MAILBOX.format(slug=region.slug)
                )
            for name, kind, region_slug, kvk, email in ORGANISATIONS:
                organisation, _ = Organisation.objects.get_or_create(
                    name=name,
                    defaults={
                        "kind": kind,
                        "region": regions.get(region_slug or ""),
                        "kvk_number": kvk,
                        "email": email,
                    },
                )
                if kind == K.OPDRACHTNEMER:
                    organisation.regions.add(*regions.values())
            credentials = [self._demo_user(email, name, organisation) for email, name, organisation in USERS]
        self.stdout.write(self.style.SUCCESS("Demo-accounts (alleen in ontwikkeling):"))
        for user, password, secret in credentials:
            role = user.organisation.get_kind_display()
            self.stdout.write(f"  {role:32} {user.email:42} wachtwoord: {password}  TOTP-sleutel: {secret}")
        self.stdout.write("  De actuele 6-cijferige code: .venv/bin/python manage.py demo_totp <e-mailadres>")

    def _demo_user(self, email: str, name: str, organisation_name: str) -> tuple[User, str, str]:
        organisation = Organisation.objects.get(name=organisation_name)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, name=name, organisation=organisation
        )
        password = "demo-" + secrets.token_urlsafe(9)
        user.set_password(password)
        user.save(update_fields=["password"])
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="Demo")
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        return user, password, base64.b32encode(device.bin_key).decode()

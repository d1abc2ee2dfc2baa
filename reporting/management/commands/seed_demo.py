"""Fictional demo data: organisations for the three regions, one user of each role, news and
information pages. It lives in `reporting`, the top of the app dependency chain, because it
seeds every app.

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
from policy.models import InfoPage, InfoPageKind, NewsItem

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
                    email=COORDINATIEPUNT_MAILBOX.format(slug=region.slug),
                    phone="050 - 000 00 00",
                    contact_name="Team Social Return (demo)",
                    opening_hours="maandag t/m donderdag van 9.00 tot 12.00 uur",
                    website=f"https://{region.slug}.demo.invalid/social-return",
                )
                self._demo_content(region)
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

    def _demo_content(self, region: Region) -> None:
        NewsItem.objects.get_or_create(
            region=region,
            title=f"Welkom in de nieuwe Social Return Monitor ({region.name})",
            defaults={
                "body": "De monitor is vernieuwd. Lees de **handleiding** onder Algemene informatie.\n\n"
                "- Inloggen gaat met e-mailadres, wachtwoord en een authenticator-app.\n"
                "- Vragen? Gebruik *Hulp nodig?* op de inlogpagina."
            },
        )
        InfoPage.objects.get_or_create(
            region=region,
            title="Hoe koppel ik een nieuwe telefoon?",
            defaults={
                "kind": InfoPageKind.FAQ,
                "body": "Vraag het coördinatiepunt om uw authenticator te resetten. "
                "Gebruik daarna *Wachtwoord vergeten* op de inlogpagina.",
            },
        )

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

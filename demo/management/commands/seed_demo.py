"""Fictional demo data: organisations for the three regions, one user of each role, news and
information pages. It lives in `demo`, the top floor, because it seeds every app.

Runs only with DEBUG on. Safe to run again: it reuses what exists, gives the demo users a new
password and prints the credentials and authenticator secrets to the terminal.
"""

import base64
import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, OrganisationKind, Region, User
from policy.models import InfoPage, InfoPageKind, NewsItem
from projects.models import Contact, ContractType, Inzet, InzetStatus, Kandidaat, Project
from projects.services.valuation import inzet_value, project_values_refresh

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
            self._demo_projects()
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
                "body": "De monitor is vernieuwd. Onder **Algemene informatie** staat de "
                "[handleiding voor uw rol](/informatie/#handleidingen), ook als PDF.\n\n"
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

    def _demo_projects(self) -> None:
        """Two fictional projects in Drenthe: one under way, one waiting for approval."""
        today = timezone.localdate()
        people = {user.email: user for user in User.objects.filter(email__in=[email for email, _, _ in USERS])}
        wsp, og, on = (
            people["wsp@demo.invalid"],
            people["opdrachtgever@demo.invalid"],
            people["opdrachtnemer@demo.invalid"],
        )
        kandidaten = [
            Kandidaat.objects.get_or_create(
                opdrachtnemer=on.organisation,
                surname=surname,
                initials=initials,
                defaults={"birth_date": birth, "doelgroep": doelgroep, "unemployed_since": since},
            )[0]
            for initials, surname, birth, doelgroep, since in [
                ("A.", "de Boer (demo)", date(2005, 3, 14), "stagiair", None),
                ("M.", "Hoekstra (demo)", date(1979, 9, 2), "ww", date(2023, 6, 1)),
            ]
        ]
        plans = [
            (
                "Renovatie brug Veenhoven (demo)",
                today - timedelta(days=200),
                today + timedelta(days=300),
                [
                    ("stage", kandidaten[0], 60, 150, {"amount": Decimal(450), "niveau": "mbo"}, InzetStatus.INGEVOERD),
                    (
                        "baan",
                        kandidaten[1],
                        30,
                        400,
                        {"amount": Decimal(3100), "hours_per_week": Decimal(32)},
                        InzetStatus.GEVALIDEERD,
                    ),
                    ("werk", None, 10, 90, {"amount": Decimal(12500)}, InzetStatus.TERUGGESTUURD),
                ],
            ),
            (
                "Onderhoud groen Brinkerveld (demo)",
                today - timedelta(days=400),
                today - timedelta(days=20),
                [
                    ("detachering", None, 20, 300, {"amount": Decimal(2400)}, InzetStatus.GEVALIDEERD),
                ],
            ),
        ]
        for name, start, end, lines in plans:
            project, created = Project.objects.get_or_create(
                name=name,
                defaults={
                    "opdrachtgever": og.organisation,
                    "opdrachtnemer": on.organisation,
                    "accountmanager": wsp,
                    "region": og.organisation.region,
                    "start_date": start,
                    "end_date": end,
                    "contract_type": ContractType.SR_VERPLICHTING,
                    "opdrachtsom": Decimal(1_000_000),
                    "sr_percentage": Decimal(5),
                    "verplichting": Decimal(50_000),
                    "kenmerk": "DEMO-2025-01",
                },
            )
            if not created:
                continue
            # Not through contact_ensure: the demo people are invented and were never 'added' by
            # anyone, so no 'toegevoegd aan project' mail goes to their made-up addresses.
            for user in (og, on, wsp):
                Contact.objects.create(project=project, user=user)
            for soort, kandidaat, begin, finish, fields, status in lines:
                inzet = Inzet(
                    project=project,
                    kandidaat=kandidaat,
                    soort=soort,
                    start_date=start + timedelta(days=begin),
                    end_date=min(end, start + timedelta(days=finish)),
                    **fields,
                )
                inzet_value(inzet)
                inzet.status = status
                inzet.return_reason = (
                    "Stuur de factuur van het SW-bedrijf mee." if status == InzetStatus.TERUGGESTUURD else ""
                )
                inzet.save()
            project_values_refresh(project)

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

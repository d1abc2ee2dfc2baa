from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from accounts import services
from accounts.models import Organisation


class Command(BaseCommand):
    help = "Maak een account aan en verstuur de welkomstmail (bijvoorbeeld het eerste account van een coördinatiepunt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="E-mailadres, ook de inlognaam")
        parser.add_argument("--name", required=True, help="Volledige naam")
        parser.add_argument("--organisation", required=True, help="Naam of nummer (id) van de organisatie")
        parser.add_argument("--phone", default="", help="Telefoonnummer (niet verplicht)")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["organisation"].strip()
        match = Q(name__iexact=wanted) | (Q(pk=int(wanted)) if wanted.isdigit() else Q())
        organisations = list(Organisation.objects.filter(match)[:2])
        if len(organisations) != 1:
            names = ", ".join(Organisation.objects.order_by("name").values_list("name", flat=True)[:20])
            raise CommandError(f"Geen eenduidige organisatie {wanted!r}. Bekend zijn onder meer: {names}")
        try:
            user = services.user_invite(
                email=options["email"], name=options["name"], phone=options["phone"], organisation=organisations[0]
            )
        except services.AccountError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Account aangemaakt voor {user.email} ({organisations[0]}); welkomstmail verstuurd.")
        )

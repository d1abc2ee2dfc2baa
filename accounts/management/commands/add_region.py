from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services


class Command(BaseCommand):
    help = (
        "Voeg een arbeidsmarktregio toe: de regio, haar coördinatiepunt met contactgegevens en het eerste account "
        "van het coördinatiepunt (dat de welkomstmail krijgt). Het beleid uploadt het coördinatiepunt daarna zelf."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Naam van de regio, bijvoorbeeld ‘Midden-Utrecht’")
        parser.add_argument("--slug", required=True, help="Code in adressen: kleine letters, cijfers, streepjes")
        parser.add_argument("--coordinatiepunt", required=True, help="Naam van het coördinatiepunt")
        parser.add_argument("--email", required=True, help="Openbaar e-mailadres van het coördinatiepunt")
        parser.add_argument("--phone", required=True, help="Openbaar telefoonnummer van het coördinatiepunt")
        parser.add_argument("--contact-name", default="", help="Contactpersoon van het coördinatiepunt")
        parser.add_argument("--website", default="", help="Website van het coördinatiepunt")
        parser.add_argument("--user-email", required=True, help="E-mailadres van de eerste medewerker")
        parser.add_argument("--user-name", required=True, help="Naam van de eerste medewerker")

    def handle(self, *args: Any, **options: Any) -> None:
        new = services.NewRegion.of(options)
        try:
            region, user = services.region_add(new)
        except services.AccountError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Regio {region.name} ({region.slug}) toegevoegd met {user.organisation}; welkomstmail verstuurd aan "
                f"{user.email}. Het coördinatiepunt uploadt nu zijn beleid."
            )
        )

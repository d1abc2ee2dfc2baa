import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.text import counted


class Command(BaseCommand):
    help = "Toon de actuele authenticatiecode van een demo-account (alleen met DEBUG aan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Alleen in ontwikkeling (DEBUG=true).")
        device = TOTPDevice.objects.filter(user__email=options["email"].strip().lower(), confirmed=True).first()
        if device is None:
            raise CommandError("Geen gekoppelde authenticator voor dit e-mailadres.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        seconds_left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{code:06d}  (nog {counted('seconden', seconds_left)} geldig)")

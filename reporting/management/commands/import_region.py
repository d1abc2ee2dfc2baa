from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from core.text import format_count
from reporting.region_import import ImportRefused, ImportReport, region_import, sheet_counts
from reporting.region_read import MAX_BYTES, read_region_workbook


class Command(BaseCommand):
    help = (
        "Importeer een regio-werkmap (het formaat van Rapportage → Regio exporteren): organisaties, gebruikers "
        "(inactief, tot het coördinatiepunt ze uitnodigt), beleidsversies, projecten, contactpersonen, interne "
        "notities, kandidaten en inzet. Alles of niets; een tweede keer hetzelfde bestand verandert niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="De werkmap (.xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Proefimport: toon wat de import zou doen, en sla niets op"
        )
        parser.add_argument("--door", default="", help="E-mailadres van functioneel beheer, voor de Historie")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"Het bestand is groter dan {MAX_BYTES // 1024 // 1024} MB.")
        by = None
        if options["door"]:
            by = User.objects.filter(email=options["door"].strip().lower(), is_superuser=True).first()
            if by is None:
                raise CommandError(f"Geen account van functioneel beheer met het e-mailadres {options['door']}.")
        read = read_region_workbook(path.read_bytes(), path.name)
        try:
            report = region_import(read, by=by, dry_run=options["dry_run"])
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{problem.sheet or 'Bestand'}: {problem}")
            count = format_count(len(refused.problems))
            raise CommandError(f"Niet geïmporteerd: {count} problemen (hierboven). Er is niets opgeslagen.") from None
        self._report(report, dry_run=options["dry_run"])

    def _report(self, report: ImportReport, *, dry_run: bool) -> None:
        for sheet, created, existing in sheet_counts(report):
            self.stdout.write(f"{sheet}: {format_count(created)} nieuw, {format_count(existing)} al aanwezig")
        if report.differences:
            self.stdout.write(
                f"Verschillen met de berekening van het portaal ({format_count(len(report.differences))}):"
            )
            for difference in report.differences:
                self.stdout.write(
                    f"  {difference.sheet}, rij {difference.row} ({difference.key}): {difference.message}"
                )
        if dry_run:
            self.stdout.write(self.style.WARNING("Proefimport: er is niets opgeslagen."))
        else:
            self.stdout.write(
                self.style.SUCCESS("Geïmporteerd. De gebruikers zijn inactief tot het coördinatiepunt ze uitnodigt.")
            )

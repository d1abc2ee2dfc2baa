from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.text import counted
from projects.services.retention import kandidaten_pseudonymise


class Command(BaseCommand):
    help = (
        "Pseudonimiseer kandidaten van wie alle projecten langer dan de bewaartermijn (RETENTION_YEARS) "
        "geleden zijn afgerond. Draait ook wekelijks via Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen en tonen welke ids het zou raken")
        parser.add_argument(
            "--years", type=int, default=None, help=f"Bewaartermijn in jaren (standaard {settings.RETENTION_YEARS})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = kandidaten_pseudonymise(dry_run=options["dry_run"], years=options["years"])
        ids = ", ".join(map(str, result.kandidaat_ids)) or "geen"
        cutoff = f"{result.closed_before:%d-%m-%Y}"
        if options["dry_run"]:
            self.stdout.write(
                f"Proefdraai: {counted('kandidaten', len(result.kandidaat_ids))} voor pseudonimisering "
                f"(alle projecten afgerond vóór {cutoff}). Ids: {ids}"
            )
            return
        self.stdout.write(
            f"Gepseudonimiseerd: {counted('kandidaten', len(result.kandidaat_ids))} "
            f"(alle projecten afgerond vóór {cutoff}); "
            f"geschoond: {counted('regels', result.inzet_lines)} en {counted('emails', result.mails)}, "
            f"{result.history_rows} historieregels bijgewerkt. Ids: {ids}"
        )

"""Bewaartermijn (AVG): kandidaten are pseudonymised RETENTION_YEARS after their last project is afgerond.

A kandidaat is due when it has inzet lines and every project it has lines on was afgerond
before the cut-off (`KandidaatQuerySet.retention_due`). What goes: initials and surname (a
pseudonym with the row's id instead), the day and month of birth (the year stays, for figures
by age), the date since when unemployed, the free text of its lines (omschrijving, reden van
terugsturen) and of the mails about those lines — and the same in the history tables, which
otherwise keep every earlier version. What stays: doelgroep, dates and amounts of the lines and
their stored values, so the projects' SR figures are unchanged (an afgerond project is never
revalued). `pseudonymised_at` makes a second run skip it.

Every run that changes something writes a `RetentionRun` (counts and ids, no personal data) and a
log line; a dry run only logs what it would do.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat, TruncYear
from django.utils import timezone

from notifications.models import Mail

from ..models import Inzet, Kandidaat, RetentionRun

logger = logging.getLogger("srmonitor.retention")

REMOVED = "(verwijderd na de bewaartermijn)"
BATCH_SIZE = 500


@dataclass
class RetentionResult:
    closed_before: datetime
    kandidaat_ids: list[int] = field(default_factory=list)
    inzet_lines: int = 0
    history_rows: int = 0
    mails: int = 0
    run: RetentionRun | None = None


def retention_cutoff(now: datetime, years: int) -> datetime:
    """`years` calendar years before `now` (29 February becomes the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def pseudonym(pk_field: str) -> dict[str, object]:
    """What replaces a kandidaat's identifying fields, as expressions over its row (`pk_field` names
    the kandidaat's id there): only the id and the birth year remain."""
    pk_text = Cast(pk_field, CharField())
    return {
        "initials": "",
        "surname": Concat(Value("Kandidaat "), pk_text, Value(" (gepseudonimiseerd)")),
        "birth_date": TruncYear("birth_date"),
        "unemployed_since": None,
        "match_key": Concat(Value("gepseudonimiseerd|"), pk_text),  # never matches anyone in the overlap report
    }


def kandidaten_pseudonymise(
    *, now: datetime | None = None, years: int | None = None, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> RetentionResult:
    """Pseudonymise every kandidaat that is due; batch by batch, each in its own transaction."""
    now = now or timezone.now()
    years = settings.RETENTION_YEARS if years is None else years
    result = RetentionResult(closed_before=retention_cutoff(now, years))
    due = Kandidaat.objects.retention_due(result.closed_before).order_by("pk")
    if dry_run:
        result.kandidaat_ids = list(due.values_list("pk", flat=True))
        logger.info(
            "retention dry run: %d kandidaten due (projects afgerond before %s), ids=%s",
            len(result.kandidaat_ids),
            result.closed_before.date().isoformat(),
            _ids_for_log(result.kandidaat_ids),
        )
        return result
    while True:
        with transaction.atomic():
            # Locked, so a kandidaat edited at this moment waits (and then meets a new revision).
            batch = list(due.select_for_update(skip_locked=True)[:batch_size])
            if not batch:
                break
            _pseudonymise(batch, now, result)
    if result.kandidaat_ids:
        result.run = RetentionRun.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            retention_years=years,
            closed_before=result.closed_before,
            kandidaten=len(result.kandidaat_ids),
            kandidaat_ids=result.kandidaat_ids,
            inzet_lines=result.inzet_lines,
            history_rows=result.history_rows,
            mails=result.mails,
        )
    logger.info(
        "retention run: %d kandidaten pseudonymised, %d lines and %d mails cleared, %d history rows scrubbed "
        "(projects afgerond before %s, %d years) in %.1f s, ids=%s, record=%s",
        len(result.kandidaat_ids),
        result.inzet_lines,
        result.mails,
        result.history_rows,
        result.closed_before.date().isoformat(),
        years,
        (timezone.now() - now).total_seconds(),
        _ids_for_log(result.kandidaat_ids),
        result.run and result.run.pk,
    )
    return result


def _pseudonymise(batch: list[Kandidaat], now: datetime, result: RetentionResult) -> None:
    kandidaat_events = apps.get_model("projects", "KandidaatEvent")
    inzet_events = apps.get_model("projects", "InzetEvent")
    ids = [kandidaat.pk for kandidaat in batch]
    # A new revision: an edit form still open on the old values can't save them back.
    Kandidaat.objects.filter(pk__in=ids).update(**pseudonym("pk"), pseudonymised_at=now, revision=F("revision") + 1)
    # After the update: its trigger has just written one more event row per kandidaat.
    result.history_rows += kandidaat_events.objects.filter(pgh_obj_id__in=ids).update(**pseudonym("pgh_obj_id"))
    result.kandidaat_ids += ids

    lines = Inzet.objects.filter(kandidaat_id__in=ids)
    line_ids = list(lines.values_list("pk", flat=True))
    result.inzet_lines += lines.filter(~Q(description="") | ~Q(return_reason="")).count()
    # Two updates, so that an empty text stays empty (a reason is required only on a returned line).
    lines.exclude(description="").update(description=REMOVED)
    lines.exclude(return_reason="").update(return_reason=REMOVED)
    # Every version of those lines, also from before the kandidaat was linked or after it was unlinked.
    events = inzet_events.objects.filter(Q(pgh_obj_id__in=line_ids) | Q(kandidaat_id__in=ids))
    result.history_rows += events.exclude(description__in=["", REMOVED]).update(description=REMOVED)
    result.history_rows += events.exclude(return_reason__in=["", REMOVED]).update(return_reason=REMOVED)
    # The "regel teruggestuurd" mails quote the reason (key inzet-returned:<line>:<revision>).
    if line_ids:
        keys = rf"^inzet-returned:({'|'.join(map(str, line_ids))}):"
        mails = Mail.objects.filter(key__startswith="inzet-returned:", key__regex=keys).exclude(text=REMOVED)
        result.mails += mails.update(text=REMOVED, html=REMOVED)


def _ids_for_log(ids: list[int], limit: int = 50) -> str:
    """The ids in a log line; all of them are in the RetentionRun."""
    shown = ",".join(map(str, ids[:limit]))
    return f"{shown},… ({len(ids)})" if len(ids) > limit else shown

"""Keep every line's value, and its project's sums, in step with the region's policy."""

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from policy import valuation as v
from policy.models import PolicyVersion

from ..models import ZERO, Inzet, InzetStatus, Project


def _first_workday(inzet: Inzet) -> date | None:
    """The kandidaat's first workday on the project: the earliest start of their lines there."""
    if inzet.kandidaat_id is None:
        return None
    earlier = (
        Inzet.objects.filter(project_id=inzet.project_id, kandidaat_id=inzet.kandidaat_id)
        .exclude(pk=inzet.pk)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return min(filter(None, [earlier, inzet.start_date]))


def _scholing_already_counted(inzet: Inzet) -> Decimal:
    """Scholing of the same kandidaat on earlier lines (any project): the cap is per kandidaat."""
    if inzet.kandidaat_id is None or inzet.soort != "scholing":
        return ZERO
    earlier = Inzet.objects.filter(kandidaat_id=inzet.kandidaat_id, soort="scholing").exclude(pk=inzet.pk)
    earlier = earlier.filter(Q(start_date__lt=inzet.start_date) | Q(start_date=inzet.start_date, pk__lt=inzet.pk or 0))
    return earlier.aggregate(total=Sum("value_prognose"))["total"] or ZERO


def inzet_value(inzet: Inzet, today: date | None = None) -> list[str]:
    """Value `inzet` under the version in force at its start; returns the engine's objections (unsaved)."""
    today = today or timezone.localdate()
    versions = PolicyVersion.objects.with_rules()
    if inzet.status == InzetStatus.GEVALIDEERD and inzet.policy_version_id:
        # A validated line keeps the rules it was validated under, whatever is published later.
        version = versions.get(pk=inzet.policy_version_id)
    else:
        version = versions.in_force(region=inzet.project.region, day=inzet.start_date)
    if version is None:
        return ["Voor deze regio is geen beleid gepubliceerd."]
    rules = version.to_rules()
    line = inzet.as_engine_line(
        first_workday=_first_workday(inzet), scholing_already_counted=_scholing_already_counted(inzet)
    )
    errors = v.validate_line(line, rules)
    prognose = v.value_line(line=line, rules=rules, peildatum=line.end)
    actueel = v.value_line(line=line, rules=rules, peildatum=today)
    inzet.policy_version = version
    inzet.value_prognose = prognose.value
    inzet.value_actueel = actueel.value
    inzet.counts_from, inzet.counts_until = prognose.counts_from, prognose.counts_until
    inzet.reasons = list(prognose.reasons)
    inzet.in_overleg_csr = prognose.in_overleg_csr
    return errors


def project_values_refresh(project: Project, today: date | None = None) -> None:
    """Recompute the project's SR actueel and prognose (and their validated parts) from its lines."""
    lines = Inzet.objects.filter(project=project)
    validated = Q(status=InzetStatus.GEVALIDEERD)
    sums = lines.aggregate(
        actueel=Sum("value_actueel"),
        prognose=Sum("value_prognose"),
        actueel_gevalideerd=Sum("value_actueel", filter=validated),
        prognose_gevalideerd=Sum("value_prognose", filter=validated),
    )
    Project.objects.filter(pk=project.pk).update(
        sr_actueel=sums["actueel"] or ZERO,
        sr_prognose=sums["prognose"] or ZERO,
        sr_actueel_gevalideerd=sums["actueel_gevalideerd"] or ZERO,
        sr_prognose_gevalideerd=sums["prognose_gevalideerd"] or ZERO,
        values_date=today or timezone.localdate(),
    )


def projects_values_refresh_due(today: date | None = None, batch_size: int = 200) -> int:
    """SR actueel grows every day: revalue the lines of active projects last valued before today.

    Idempotent and restartable: each project is revalued and stamped in its own transaction,
    so a run that stops halfway continues where it was. Returns the number of projects done."""
    from django.db import transaction

    from ..models import ProjectStatus

    today = today or timezone.localdate()
    done = 0
    while True:
        ids = list(
            Project.objects.filter(values_date__lt=today)
            .exclude(status=ProjectStatus.AFGEROND)
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        for project in Project.objects.filter(pk__in=ids).select_related("region"):
            with transaction.atomic():
                for inzet in Inzet.objects.filter(project=project).select_related("project__region", "kandidaat"):
                    inzet_value(inzet, today)
                    inzet.save(
                        update_fields=[
                            "policy_version",
                            "value_prognose",
                            "value_actueel",
                            "counts_from",
                            "counts_until",
                            "reasons",
                            "in_overleg_csr",
                        ]
                    )
                project_values_refresh(project, today)
            done += 1

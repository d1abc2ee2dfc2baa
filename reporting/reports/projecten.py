"""Rapportage projecten (manual §4.1): the projects the user is linked to, active and afgerond."""

from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse

from accounts.models import User
from projects.models import ContractType, Project, ProjectStatus

from ..filters import ReportFilterForm
from .base import Report, ReportColumn, ordered

_MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)
_FRACTION: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=20, decimal_places=6)
CONTRACT_TYPES = dict(ContractType.choices)
STATUSES = dict(ProjectStatus.choices)
# The lifecycle order, not the alphabet: actief, goedgekeurd, afgerond.
STATUS_ORDER = Case(*(When(status=status, then=Value(i)) for i, status in enumerate(ProjectStatus.values)))


def _contract(project: Project) -> str:
    """The contractafspraak; for a raamovereenkomst also whether the verplichting is still an estimate."""
    label = CONTRACT_TYPES.get(project.contract_type, project.contract_type)
    if project.contract_type == ContractType.RAAMOVEREENKOMST:
        label += " (verplichting geschat)" if project.verplichting_vastgesteld is None else " (vastgesteld)"
    return label


class ProjectenReport(Report):
    slug = "projects"
    title = "Rapportage projecten"
    sheet_title = "Rapportage projecten"
    filename = "rapportage-projecten"
    description = (
        "De projecten waaraan u bent gekoppeld, met hun social return verplichting en wat daarvan is gerealiseerd."
    )
    caption = "Projecten met hun verplichting en realisatie"
    empty = "Geen projecten gevonden."
    unit = "projecten"
    columns = (
        ReportColumn("name", "Projectnaam", width=32, link=True),
        ReportColumn("kenmerk", "Kenmerk"),
        ReportColumn("opdrachtgever", "Opdrachtgever", width=26),
        ReportColumn("opdrachtnemer", "Opdrachtnemer", width=26),
        ReportColumn("regio", "Regio", width=14),
        ReportColumn("start_date", "Startdatum", "date", 12),
        ReportColumn("end_date", "Einddatum", "date", 12),
        ReportColumn("contract_type", "Contractafspraak", width=22),
        ReportColumn("verplichting", "SR verplichting", "money", 16),
        ReportColumn("sr_actueel", "SR actueel", "money", 16),
        ReportColumn("sr_prognose", "SR prognose", "money", 16),
        ReportColumn("sr_actueel_gevalideerd", "Gevalideerd actueel", "money", 16),
        ReportColumn("percentage", "% actueel", "percent", 11),
        ReportColumn("status", "Status", width=24),
    )
    page_groups = (
        ("name", "kenmerk"),
        ("opdrachtgever", "opdrachtnemer"),
        ("start_date", "end_date"),
        ("verplichting", "sr_actueel", "sr_prognose"),
        ("sr_actueel_gevalideerd", "percentage"),
    )
    filters = ("regio", "opdrachtgever", "opdrachtnemer", "periode", "status")
    sorts = {
        "name": [Lower("name")],
        "kenmerk": [Lower("kenmerk")],
        "opdrachtgever": [Lower("opdrachtgever__name")],
        "opdrachtnemer": [Lower("opdrachtnemer__name")],
        "regio": [F("region__name")],
        "start_date": [F("start_date")],
        "end_date": [F("end_date")],
        "contract_type": [F("contract_type")],
        "verplichting": [F("verplichting_sort")],
        "sr_actueel": [F("sr_actueel")],
        "sr_prognose": [F("sr_prognose")],
        "sr_actueel_gevalideerd": [F("sr_actueel_gevalideerd")],
        "percentage": [F("percentage_sort")],
        "status": [STATUS_ORDER],
    }
    default_sort = "name"

    def results(self, user: User, form: ReportFilterForm) -> QuerySet:
        current = Coalesce("verplichting_vastgesteld", "verplichting", output_field=_MONEY)
        projects = (
            self.scope(user)
            .filter(form.project_q(), form.period_q())
            .select_related("opdrachtgever", "opdrachtnemer", "region")
            .annotate(
                verplichting_sort=current,
                percentage_sort=Case(
                    When(verplichting_sort=0, then=Value(None, output_field=_FRACTION)),
                    default=F("sr_actueel") * Value(Decimal(1), output_field=_FRACTION) / current,
                    output_field=_FRACTION,
                ),
            )
        )
        key = form.current_sort
        return ordered(projects, self.sorts[key.lstrip("-")], key.startswith("-"), "pk")

    def row(self, project: Any) -> tuple[Any, ...]:
        return (
            project.name,
            project.kenmerk,
            project.opdrachtgever.name,
            project.opdrachtnemer.name,
            project.region.name,
            project.start_date,
            project.end_date,
            _contract(project),
            project.verplichting_current,
            project.sr_actueel,
            project.sr_prognose,
            project.sr_actueel_gevalideerd,
            project.percentage_sort,
            STATUSES.get(project.status, project.status),
        )

    def url(self, project: Project) -> str:
        return reverse("projects:detail", args=[project.pk])

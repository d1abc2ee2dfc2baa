"""Rapportage kosten (manual §4.3): per project per soort inzet, the number of lines and their value."""

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse

from accounts.models import User
from policy.models import PolicySoortInzet
from projects.models import ZERO, Inzet, InzetStatus

from ..filters import ReportFilterForm
from .base import Report, ReportColumn, ordered

_MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)


def soort_label(code: str) -> Subquery:
    """The soort's name on the newest Menukaart (the codes are the same in every region)."""
    labels = PolicySoortInzet.objects.filter(code=OuterRef(code)).order_by("-version__valid_from")
    return Subquery(labels.values("label")[:1])


def _sum(field: str, **filters: Any) -> Coalesce:
    return Coalesce(Sum(field, filter=Q(**filters) if filters else None), Value(ZERO), output_field=_MONEY)


class KostenReport(Report):
    slug = "kosten"
    title = "Rapportage kosten"
    sheet_title = "Rapportage kosten"
    filename = "rapportage-kosten"
    description = "De kosten van de projecten waaraan u bent gekoppeld, per project per soort inzet."
    caption = "Kosten per project per soort inzet"
    empty = "Geen kosten gevonden."
    columns = (
        ReportColumn("project", "Project", width=32, link=True),
        ReportColumn("opdrachtnemer", "Opdrachtnemer", width=26),
        ReportColumn("soort", "Soort inzet", width=30),
        ReportColumn("lines", "Aantal regels", "int", 10),
        ReportColumn("prognose", "Waarde prognose", "money", 16),
        ReportColumn("actueel", "Waarde actueel", "money", 16),
        ReportColumn("prognose_gevalideerd", "Gevalideerd prognose", "money", 16),
    )
    filters = ("regio", "opdrachtgever", "opdrachtnemer", "periode", "status", "soort")
    sorts = {
        "project": [Lower("project_name")],
        "opdrachtnemer": [Lower("opdrachtnemer_name")],
        "soort": [F("soort_label")],
        "lines": [F("lines")],
        "prognose": [F("prognose")],
        "actueel": [F("actueel")],
        "prognose_gevalideerd": [F("prognose_gevalideerd")],
    }
    default_sort = "project"

    def results(self, user: User, form: ReportFilterForm) -> QuerySet:
        lines = Inzet.objects.for_user(user).filter(form.project_q("project__"), form.period_q())
        if form.value("soort"):
            lines = lines.filter(soort=form.value("soort"))
        rows = (
            lines.order_by()
            .values("project_id", "soort")
            .annotate(
                project_name=F("project__name"),
                opdrachtnemer_name=F("project__opdrachtnemer__name"),
                soort_label=soort_label("soort"),
            )
            .annotate(
                lines=Count("pk"),
                prognose=_sum("value_prognose"),
                actueel=_sum("value_actueel"),
                prognose_gevalideerd=_sum("value_prognose", status=InzetStatus.GEVALIDEERD),
            )
        )
        key = form.current_sort
        return ordered(rows, self.sorts[key.lstrip("-")], key.startswith("-"), "project_id", "soort")

    def row(self, result: dict[str, Any]) -> tuple[Any, ...]:
        return (
            result["project_name"],
            result["opdrachtnemer_name"],
            result["soort_label"] or result["soort"],
            result["lines"],
            result["prognose"],
            result["actueel"],
            result["prognose_gevalideerd"],
        )

    def url(self, result: dict[str, Any]) -> str:
        return reverse("projects:detail", args=[result["project_id"]])

"""Rapportage kandidaten (manual §4.2): one row per kandidaat per project.

Data minimisation (AVG): initials and surname identify the person; the date of birth is not in
the report. An opdrachtnemer sees only its own kandidaten, everyone else the kandidaten on the
projects they see.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, F, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse

from accounts.models import OrganisationKind, User
from policy.models import PolicyDoelgroep
from projects.models import ZERO, Inzet, InzetStatus

from ..filters import ReportFilterForm
from .base import Report, ReportColumn, ordered, own_kandidaten

_MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)


def doelgroep_label(code: str) -> Case | F:
    """The doelgroep's name in the newest policy version (the codes are the same in every region).

    A CASE over the few codes, read in one small query: a correlated subquery per row costs
    half a second on a 100,000-row export."""
    labels: dict[str, str] = {}
    for found, label in PolicyDoelgroep.objects.order_by("-version__valid_from", "-version_id").values_list(
        "code", "label"
    ):
        labels.setdefault(found, label)
    if not labels:
        return F(code)
    return Case(*(When(**{code: found}, then=Value(label)) for found, label in labels.items()), default=F(code))


class KandidatenReport(Report):
    slug = "kandidaten"
    title = "Rapportage kandidaten"
    sheet_title = "Rapportage kandidaten"
    filename = "rapportage-kandidaten"
    description = (
        "De kandidaten op de projecten waaraan u bent gekoppeld: per kandidaat per project hun inzet en de "
        "waarde daarvan."
    )
    caption = "Kandidaten per project"
    empty = "Geen kandidaten gevonden."
    columns = (
        ReportColumn("kandidaat", "Kandidaat", width=24),
        ReportColumn("doelgroep", "Doelgroep", width=30),
        ReportColumn("project", "Project", width=30, link=True),
        ReportColumn("opdrachtnemer", "Opdrachtnemer", width=26),
        ReportColumn("first_start", "Eerste startdatum", "date", 12),
        ReportColumn("last_end", "Laatste einddatum", "date", 12),
        ReportColumn("lines", "Aantal regels", "int", 10),
        ReportColumn("prognose", "Waarde prognose", "money", 16),
        ReportColumn("actueel", "Waarde actueel", "money", 16),
        ReportColumn("gevalideerd", "Alles gevalideerd", width=12),
    )
    page_groups = (("first_start", "last_end"), ("prognose", "actueel"))
    filters = ("regio", "opdrachtgever", "opdrachtnemer", "periode", "status", "doelgroep")
    sorts = {
        "kandidaat": [Lower("surname"), Lower("initials")],
        "doelgroep": [F("doelgroep_label")],
        "project": [Lower("project_name")],
        "opdrachtnemer": [Lower("opdrachtnemer_name")],
        "first_start": [F("first_start")],
        "last_end": [F("last_end")],
        "lines": [F("lines")],
        "prognose": [F("prognose")],
        "actueel": [F("actueel")],
        # Nothing open left comes first when ascending: "Ja" before "Nee".
        "gevalideerd": [F("open_lines")],
    }
    default_sort = "kandidaat"

    def scope_text(self, user: User) -> str:
        if user.role == OrganisationKind.OPDRACHTNEMER:
            return "Uw eigen kandidaten op de projecten waaraan u bent gekoppeld"
        return super().scope_text(user)

    def results(self, user: User, form: ReportFilterForm) -> QuerySet:
        lines = own_kandidaten(Inzet.objects.for_user(user), user).filter(form.project_q("project__"), form.period_q())
        if form.value("doelgroep"):
            lines = lines.filter(kandidaat__doelgroep=form.value("doelgroep"))
        # Grouped on the two ids only (a hash aggregate over narrow rows); the names ride along as
        # aggregates of one value each, so sorting on them is a cheap top-N sort on the page.
        rows = (
            lines.order_by()
            .values("kandidaat_id", "project_id")
            .annotate(
                initials=Min("kandidaat__initials"),
                surname=Min("kandidaat__surname"),
                doelgroep_code=Min("kandidaat__doelgroep"),
                doelgroep_label=Min(doelgroep_label("kandidaat__doelgroep")),
                project_name=Min("project__name"),
                opdrachtnemer_name=Min("kandidaat__opdrachtnemer__name"),
                first_start=Min("start_date"),
                last_end=Max("end_date"),
                lines=Count("pk"),
                prognose=Coalesce(Sum("value_prognose"), Value(ZERO), output_field=_MONEY),
                actueel=Coalesce(Sum("value_actueel"), Value(ZERO), output_field=_MONEY),
                open_lines=Count("pk", filter=~Q(status=InzetStatus.GEVALIDEERD)),
            )
        )
        key = form.current_sort
        return ordered(rows, self.sorts[key.lstrip("-")], key.startswith("-"), "kandidaat_id", "project_id")

    def row(self, result: dict[str, Any]) -> tuple[Any, ...]:
        return (
            f"{result['initials']} {result['surname']}",
            result["doelgroep_label"] or result["doelgroep_code"],
            result["project_name"],
            result["opdrachtnemer_name"],
            result["first_start"],
            result["last_end"],
            result["lines"],
            result["prognose"],
            result["actueel"],
            "Nee" if result["open_lines"] else "Ja",
        )

    def url(self, result: dict[str, Any]) -> str:
        return reverse("projects:detail", args=[result["project_id"]])

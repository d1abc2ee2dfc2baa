"""The filter form of the reports (SPEC §7): one GET form with only the filters that apply.

A filter applies when the report has it and it can narrow something down for this user: the
regio filter only appears for someone who sees projects in more than one region, the
opdrachtgever filter only when there is more than one opdrachtgever to choose from. Choices come
from the projects in the user's scope, a fixed number of queries however many projects there are.
"""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q

from accounts.models import Organisation, Region, User
from policy.models import PolicyDoelgroep, PolicySoortInzet
from policy.valuation import format_date
from projects.models import ProjectQuerySet, ProjectStatus

if TYPE_CHECKING:
    from .reports.base import Report

ALL = ""
# Filter name -> the Project field it narrows.
FIELDS = {"regio": "region_id", "opdrachtgever": "opdrachtgever_id", "opdrachtnemer": "opdrachtnemer_id"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(label: str, empty: str, choices: Sequence[tuple[str, str]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[(ALL, empty), *choices])


def _latest_labels(model: type[PolicySoortInzet] | type[PolicyDoelgroep]) -> list[tuple[str, str]]:
    """(code, label) of each soort or doelgroep as the newest policy version names it, in Menukaart order."""
    rows = model.objects.order_by("code", "-version__valid_from").distinct("code").values_list("code", "label", "order")
    return [(code, label) for code, label, _ in sorted(rows, key=lambda row: (row[2], row[1]))]


class ReportFilterForm(forms.Form):
    """Filters and sort of one report for one user; bad values are ignored, the rest still applies."""

    van = forms.DateField(label="Periode van", required=False, widget=_date_input())
    tot = forms.DateField(label="Periode tot en met", required=False, widget=_date_input())
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput)

    def __init__(self, report: "Report", user: User, data: Mapping[str, Any] | None) -> None:
        super().__init__(data if data is not None else {}, auto_id="filter-%s")
        self.report = report
        self.user = user
        names = report.filters
        scope: ProjectQuerySet = report.scope(user)
        if "periode" not in names:
            del self.fields["van"], self.fields["tot"]
        if "regio" in names:
            regions = Region.objects.filter(pk__in=scope.values("region")).order_by("name")
            self._add_choice("regio", "Regio", "Alle regio's", [(str(r.pk), r.name) for r in regions])
        for name in ("opdrachtgever", "opdrachtnemer"):
            if name in names:
                organisations = Organisation.objects.filter(pk__in=scope.values(name)).order_by("name", "pk")
                choices = [(str(o.pk), o.name) for o in organisations]
                self._add_choice(name, name.capitalize(), f"Alle {name}s", choices)
        if "status" in names:
            self.fields["status"] = _choice("Projectstatus", "Alle statussen", ProjectStatus.choices)
        if "soort" in names:
            self.fields["soort"] = _choice("Soort inzet", "Alle soorten", _latest_labels(PolicySoortInzet))
        if "doelgroep" in names:
            self.fields["doelgroep"] = _choice("Doelgroep", "Alle doelgroepen", _latest_labels(PolicyDoelgroep))
        self.fields["sort"].choices = [(key, key) for name in report.sort_keys for key in (name, f"-{name}")]
        self.order_fields(["regio", "opdrachtgever", "opdrachtnemer", "van", "tot", "status", "soort", "doelgroep"])
        self.is_valid()

    def _add_choice(self, name: str, label: str, empty: str, choices: list[tuple[str, str]]) -> None:
        # One choice (or none) narrows nothing: the filter would only be noise.
        if len(choices) > 1:
            self.fields[name] = _choice(label, empty, choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", "Het einde van de periode ligt voor het begin.")
        return data

    def value(self, name: str) -> Any:
        """The cleaned value of a filter, or None when it is absent, empty or invalid."""
        if name not in self.fields or name in self.errors:
            return None
        return self.cleaned_data.get(name) or None

    @property
    def current_sort(self) -> str:
        return self.value("sort") or self.report.default_sort

    @property
    def is_filtering(self) -> bool:
        return any(self.value(name) for name in self.fields if name != "sort")

    def project_q(self, prefix: str = "") -> Q:
        """The project filters, on Project (`prefix=""`) or through a relation (`"project__"`)."""
        q = Q()
        for name in ("regio", "opdrachtgever", "opdrachtnemer"):
            if self.value(name):
                q &= Q(**{prefix + FIELDS[name]: int(self.value(name))})
        if self.value("status"):
            q &= Q(**{prefix + "status": self.value("status")})
        return q

    def period_q(self, prefix: str = "") -> Q:
        """Rows whose period overlaps the chosen one (a start or end alone is open on the other side)."""
        q = Q()
        if self.value("van"):
            q &= Q(**{prefix + "end_date__gte": self.value("van")})
        if self.value("tot"):
            q &= Q(**{prefix + "start_date__lte": self.value("tot")})
        return q

    def about(self) -> list[str]:
        """The active filters and the sort, in Dutch: the lines under the title of the Excel file."""
        lines = [self.report.scope_text(self.user)]
        van, tot = self.value("van"), self.value("tot")
        if van and tot:
            lines.append(f"Periode: {format_date(van)} tot en met {format_date(tot)}")
        elif van:
            lines.append(f"Periode: vanaf {format_date(van)}")
        elif tot:
            lines.append(f"Periode: tot en met {format_date(tot)}")
        for name in ("regio", "opdrachtgever", "opdrachtnemer", "status", "soort", "doelgroep"):
            if self.value(name):
                field = self.fields[name]
                lines.append(f"{field.label}: {dict(field.choices).get(self.value(name), self.value(name))}")
        if len(lines) == 1:
            lines.append("Filters: geen")
        lines.append(f"Gesorteerd op: {self.sort_text}")
        return lines

    @property
    def sort_text(self) -> str:
        """`Projectnaam (oplopend)`"""
        key = self.current_sort
        return f"{self.report.column_label(key.lstrip('-'))} ({'aflopend' if key.startswith('-') else 'oplopend'})"

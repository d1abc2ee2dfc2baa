"""Sorting and searching the Projecten list (SPEC §4): every column sorts, every text column searches."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Case, DecimalField, F, OrderBy, Value, When
from django.db.models.functions import Coalesce, Lower

from .models import ContractType, ProjectQuerySet
from .selectors import TAKEN

# Sort key in the URL → what the database orders by (a whitelist: nothing else reaches `order_by`).
SORTS: dict[str, Any] = {
    "name": Lower("name"),
    "opdrachtnemer": Lower("opdrachtnemer__name"),
    "opdrachtgever": Lower("opdrachtgever__name"),
    "start_date": F("start_date"),
    "end_date": F("end_date"),
    "contract_type": F("contract_type"),
    "verplichting": F("verplichting_sort"),
    "sr_actueel": F("sr_actueel"),
    "sr_prognose": F("sr_prognose"),
    "percentage": F("percentage_sort"),
}
DEFAULT_SORT = "-start_date"

# The table's columns, in order: the values each shows (sort key and name; more than one stand one
# under the other, so that the table fits a laptop screen) and the search field under its name.
COLUMNS: list[tuple[tuple[tuple[str, str], ...], str | None]] = [
    ((("name", "Projectnaam"),), "projectnaam"),
    ((("opdrachtnemer", "Opdrachtnemer"),), "opdrachtnemer"),
    ((("opdrachtgever", "Opdrachtgever"),), "opdrachtgever"),
    ((("start_date", "Startdatum"), ("end_date", "Einddatum")), None),
    ((("contract_type", "Contractafspraken"),), "contractafspraak"),
    ((("verplichting", "SR verplichting"), ("sr_actueel", "SR actueel"), ("sr_prognose", "SR prognose")), None),
    ((("percentage", "Percentage"),), None),
]
LABELS = {key: label for values, _ in COLUMNS for key, label in values}
AMOUNTS = {"verplichting", "sr_actueel", "sr_prognose"}  # right-aligned, so that the digits line up

_MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class Sort:
    key: str
    label: str
    sort: str  # the sort a click on the name asks for
    aria_sort: str  # "ascending", "descending" or "" when the list is not sorted on this value


@dataclass
class Column:
    sorts: list[Sort]
    field: forms.BoundField | None

    @property
    def aria_sort(self) -> str:
        """The column is sorted when one of its values is (the caption says which)."""
        return next((sort.aria_sort for sort in self.sorts if sort.aria_sort), "")

    @property
    def is_amount(self) -> bool:
        return all(sort.key in AMOUNTS for sort in self.sorts)


class ProjectFilterForm(forms.Form):
    projectnaam = forms.CharField(label="Zoek op projectnaam", required=False, max_length=200)
    opdrachtnemer = forms.CharField(label="Zoek op opdrachtnemer", required=False, max_length=200)
    opdrachtgever = forms.CharField(label="Zoek op opdrachtgever", required=False, max_length=200)
    contractafspraak = forms.ChoiceField(
        label="Kies een contractafspraak", required=False, choices=[("", "Alle"), *ContractType.choices]
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for name in SORTS for key in (name, f"-{name}")], widget=forms.HiddenInput
    )
    # The work behind a figure of the home page (selectors.TAKEN); the view applies it for the roles it is for.
    taak = forms.ChoiceField(required=False, choices=[(slug, slug) for slug in TAKEN], widget=forms.HiddenInput)

    def __init__(self, data: Any) -> None:
        super().__init__(data, auto_id="zoek-%s")
        self.is_valid()  # a bad value in one field (a tampered sort) leaves the others working

    @property
    def current_sort(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_SORT

    @property
    def sort_text(self) -> str:
        """`Startdatum (aflopend)`"""
        key = self.current_sort
        return f"{LABELS[key.lstrip('-')]} ({'aflopend' if key.startswith('-') else 'oplopend'})"

    @property
    def is_searching(self) -> bool:
        return any(
            self.cleaned_data.get(name)
            for name in ("projectnaam", "opdrachtnemer", "opdrachtgever", "contractafspraak")
        )

    def apply(self, projects: ProjectQuerySet) -> ProjectQuerySet:
        data = self.cleaned_data
        if data.get("projectnaam"):
            projects = projects.filter(name__icontains=data["projectnaam"])
        if data.get("opdrachtnemer"):
            projects = projects.filter(opdrachtnemer__name__icontains=data["opdrachtnemer"])
        if data.get("opdrachtgever"):
            projects = projects.filter(opdrachtgever__name__icontains=data["opdrachtgever"])
        if data.get("contractafspraak"):
            projects = projects.filter(contract_type=data["contractafspraak"])
        current = Coalesce("verplichting_vastgesteld", "verplichting", output_field=_MONEY)
        projects = projects.annotate(
            verplichting_sort=current,
            # How far SR actueel is on the way to the verplichting: the dark green of the bar.
            percentage_sort=Case(
                When(verplichting_sort=0, then=Value(0, output_field=_MONEY)),
                default=F("sr_actueel") / current,
                output_field=_MONEY,
            ),
        )
        key = self.current_sort
        expression: Any = SORTS[key.lstrip("-")]
        order = OrderBy(expression, descending=key.startswith("-"), nulls_last=True)
        return projects.order_by(order, "pk")

    def columns(self) -> list[Column]:
        current = self.current_sort
        columns = []
        for values, field in COLUMNS:
            sorts = []
            for key, label in values:
                if current == key:
                    sorts.append(Sort(key, label, f"-{key}", "ascending"))
                elif current == f"-{key}":
                    sorts.append(Sort(key, label, key, "descending"))
                else:
                    sorts.append(Sort(key, label, key, ""))
            columns.append(Column(sorts, self[field] if field else None))
        return columns

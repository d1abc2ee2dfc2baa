"""Projectgegevens (SPEC §4): what the opdrachtgever or the coördinatiepunt enters to create or edit a project."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from accounts.models import Organisation, OrganisationKind, User
from core.forms import RevisionForm

from ..models import ContractType, Project
from ..services.projects import PROJECT_FIELDS, verplichting_from

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# 1.250.000 or 1.250.000,50: dots that group thousands, as people write amounts in Dutch.
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")

# The fields of a new opdrachtnemer, and the Organisation field each one fills.
NEW_OPDRACHTNEMER_FIELDS = {
    "new_opdrachtnemer_name": "name",
    "new_opdrachtnemer_kvk_number": "kvk_number",
    "new_opdrachtnemer_address": "address",
}


# The form in parts, each a fieldset: (legend, description, field names).
FIELD_GROUPS = [
    (
        "Projectgegevens",
        "",
        ["name", "kenmerk", "description", "opdrachtgever", "start_date", "end_date", "accountmanager"],
    ),
    (
        "Opdrachtnemer",
        "Kies de opdrachtnemer uit de lijst. Staat hij er niet in, vul dan naam, KvK-nummer en adres in: "
        "de organisatie wordt samen met het project aangemaakt.",
        ["opdrachtnemer", *NEW_OPDRACHTNEMER_FIELDS],
    ),
    (
        "Social return",
        "Vul de SR verplichting in, of de opdrachtsom en het SR-percentage: dan is de verplichting hun product.",
        ["contract_type", "opdrachtsom", "sr_percentage", "verplichting", "verplichting_vastgesteld"],
    ),
]
FIELD_ORDER = [name for _, _, names in FIELD_GROUPS for name in names]


class EuroField(forms.DecimalField):
    """An amount in euro, typed the Dutch way: `1.250.000,50`, with or without `€`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        super().__init__(max_digits=14, decimal_places=2, localize=True, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs: IntegerField's
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").strip()
            if _GROUPED.match(value):
                value = value.replace(".", "")
        return super().to_python(value)


class ProjectForm(forms.ModelForm):
    """A new project. The choices depend on who fills it in: see `__init__`."""

    field_order = FIELD_ORDER

    new_opdrachtnemer_name = forms.CharField(
        label="Nieuwe opdrachtnemer: naam",
        required=False,
        max_length=200,
    )
    new_opdrachtnemer_kvk_number = forms.CharField(
        label="Nieuwe opdrachtnemer: KvK-nummer",
        required=False,
        max_length=20,
        help_text="8 cijfers.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    new_opdrachtnemer_address = forms.CharField(label="Nieuwe opdrachtnemer: adres", required=False, max_length=300)
    opdrachtsom = EuroField(label="Opdrachtsom (€)", required=False)
    sr_percentage = forms.DecimalField(
        label="SR-percentage",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text="Het deel van de opdrachtsom dat aan social return moet worden besteed, bijvoorbeeld 5.",
    )
    verplichting = EuroField(
        label="SR verplichting (€)",
        required=False,
        help_text="Laat leeg om de opdrachtsom × het SR-percentage te gebruiken. "
        "Bij een raamovereenkomst: het geschatte bedrag.",
    )
    verplichting_vastgesteld = EuroField(
        label="SR verplichting vastgesteld (€)",
        required=False,
        help_text="Alleen bij een raamovereenkomst: het vastgestelde bedrag, zodra dat bekend is. "
        "Het geschatte bedrag blijft bewaard.",
    )

    class Meta:
        model = Project
        fields = FIELD_ORDER
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "contract_type": forms.RadioSelect,
        }

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = user.organisation.region if user.organisation_id else None
        opdrachtgever = self.fields["opdrachtgever"]
        if user.role == OrganisationKind.OPDRACHTGEVER:
            # Fixed to the own organisation: one choice, so a forged value is refused at the field.
            opdrachtgever.queryset = Organisation.objects.filter(pk=user.organisation_id or 0)
            opdrachtgever.empty_label = None
            self.initial.setdefault("opdrachtgever", user.organisation_id)
            opdrachtgever.help_text = "U maakt projecten aan voor uw eigen organisatie."
        else:
            opdrachtgever.queryset = Organisation.objects.filter(kind=OrganisationKind.OPDRACHTGEVER, region=region)
            opdrachtgever.empty_label = "Kies een opdrachtgever"
        opdrachtnemer = self.fields["opdrachtnemer"]
        opdrachtnemer.queryset = Organisation.objects.filter(kind=OrganisationKind.OPDRACHTNEMER).order_by("name")
        opdrachtnemer.required = False
        opdrachtnemer.empty_label = "Kies een opdrachtnemer"
        opdrachtnemer.label = "Bestaande opdrachtnemer"
        managers = User.objects.filter(
            organisation__kind=OrganisationKind.WSP, organisation__region=region, is_active=True
        )
        if self.instance.accountmanager_id:
            managers = managers | User.objects.filter(pk=self.instance.accountmanager_id)
        accountmanager = self.fields["accountmanager"]
        accountmanager.queryset = managers.select_related("organisation").order_by("name")
        accountmanager.label_from_instance = lambda manager: f"{manager.name} ({manager.organisation.name})"
        accountmanager.empty_label = "Kies een accountmanager"
        accountmanager.help_text = "Een medewerker van het werkgeversservicepunt; wordt contactpersoon van het project."
        self.fields["contract_type"].choices = ContractType.choices
        self.fields["contract_type"].label = "Contractafspraak"
        if self.instance.pk and self.instance.verplichting == verplichting_from(
            {"opdrachtsom": self.instance.opdrachtsom, "sr_percentage": self.instance.sr_percentage}
        ):
            # Computed, not entered: leave it empty so a new opdrachtsom or percentage computes it again.
            self.initial["verplichting"] = None

    def clean_new_opdrachtnemer_kvk_number(self) -> str:
        return self.cleaned_data["new_opdrachtnemer_kvk_number"].replace(" ", "").replace(".", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "De einddatum ligt vóór de startdatum.")
        new = self.new_opdrachtnemer()
        if new is not None and data.get("opdrachtnemer"):
            self.add_error("opdrachtnemer", "Kies een opdrachtnemer uit de lijst óf vul een nieuwe in, niet allebei.")
        elif new is None and not data.get("opdrachtnemer") and not self.has_error("opdrachtnemer"):
            self.add_error("opdrachtnemer", "Kies een opdrachtnemer, of vul hieronder een nieuwe in.")
        elif new is not None:
            for name in NEW_OPDRACHTNEMER_FIELDS:
                if not data.get(name):
                    self.add_error(name, "Vul dit in voor de nieuwe opdrachtnemer.")
        if (
            data.get("verplichting_vastgesteld") is not None
            and data.get("contract_type")
            and data["contract_type"] != ContractType.RAAMOVEREENKOMST
        ):
            self.add_error(
                "verplichting_vastgesteld", "Een vastgestelde verplichting hoort alleen bij een raamovereenkomst."
            )
        amounts = ("verplichting", "opdrachtsom", "sr_percentage")
        if not any(self.has_error(name) for name in amounts) and verplichting_from(self.cleaned_data) is None:
            self.add_error("verplichting", "Vul de SR verplichting in, of de opdrachtsom en het SR-percentage.")
        return data

    def grouped_fields(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(legend, description, [self[name] for name in names]) for legend, description, names in FIELD_GROUPS]

    def new_opdrachtnemer(self) -> dict[str, str] | None:
        """What was typed under Nieuwe opdrachtnemer, as arguments of `opdrachtnemer_create`; None when empty."""
        typed = {field: (self.cleaned_data.get(name) or "").strip() for name, field in NEW_OPDRACHTNEMER_FIELDS.items()}
        return typed if any(typed.values()) else None

    def project_data(self) -> dict[str, Any]:
        """The cleaned values as `project_create` and `project_update` take them."""
        return {name: self.cleaned_data[name] for name in PROJECT_FIELDS}


def new_opdrachtnemer_error(error: ValidationError) -> ValidationError:
    """An error of `opdrachtnemer_create`, pointed at the Nieuwe opdrachtnemer fields of the form."""
    if not hasattr(error, "error_dict"):
        return error
    fields = {field: name for name, field in NEW_OPDRACHTNEMER_FIELDS.items()}
    pointed: dict[str, list[ValidationError]] = {}
    for field, errors in error.error_dict.items():
        pointed.setdefault(fields.get(field, NON_FIELD_ERRORS), []).extend(errors)
    return ValidationError(pointed)


class ProjectEditForm(RevisionForm, ProjectForm):
    class Meta(ProjectForm.Meta):
        pass

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from core.forms import RevisionCheckForm, WorkbookField
from core.spreadsheets import MAX_UPLOAD_BYTES

from .. import valuation as v

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyTextForm(RevisionCheckForm):
    text = forms.CharField(
        label="Uitvoeringsvoorwaarden",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="Koppen met #, opsommingen met -, **vet** en *cursief*. De Menukaart staat niet in deze tekst: "
        "die wordt uit de regels van deze versie gemaakt.",
    )


# The numbers of a soort a coördinatiepunt may change in a new version, with their Dutch labels.
SOORT_NUMBERS = [
    ("hourly_rate", "uurtarief (€)", Decimal),
    ("max_per_week", "maximum per week (€)", Decimal),
    ("min_hours_per_week", "minimum uren per week", Decimal),
    ("max_per_kandidaat", "maximum per kandidaat (€)", Decimal),
    ("max_months", "telt maximaal (maanden)", int),
    ("months_before_project_start", "mag voor de projectstart liggen (maanden)", int),
]


class PolicyPublishForm(forms.Form):
    """A new version: the current rules with the numbers the coördinatiepunt changes."""

    title = forms.CharField(label="Titel", max_length=200)
    valid_from = forms.DateField(
        label="Geldig vanaf", widget=DATE_WIDGET, help_text="Regels die voor deze datum starten houden de oude versie."
    )
    text = forms.CharField(label="Uitvoeringsvoorwaarden", widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, rules: v.PolicyRules, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.groups: list[tuple[str, list[str]]] = []
        for soort in rules.menukaart:
            names = []
            for attr, label, kind in SOORT_NUMBERS:
                value = getattr(soort, attr)
                if value is None or (attr == "months_before_project_start" and not value):
                    continue
                names.append(self._add_number(f"{soort.code}__{attr}", f"{soort.label}: {label}", value, kind))
            for cap in soort.niveau_caps:
                label = f"{soort.label}: maximum per maand {cap.niveau} (€)"
                names.append(self._add_number(f"{soort.code}__cap__{cap.niveau}", label, cap.amount, Decimal))
            if soort.kandidaat_required:
                name = f"{soort.code}__is_work"
                self.fields[name] = forms.BooleanField(
                    label=f"{soort.label}: telt als werk",
                    help_text="De termijn van de doelgroep loopt vanaf de eerste regel van een soort die werk is.",
                    initial=soort.is_work,
                    required=False,
                )
                names.append(name)
            if names:
                self.groups.append((soort.label, names))
        names = [
            self._add_number(f"doelgroep__{d.code}", f"{d.label}: termijn (maanden)", d.termijn_months, int)
            for d in rules.doelgroepen
            if d.termijn_months is not None
        ]
        self.groups.append(("Termijnen van de doelgroepen", names))

    def _add_number(self, name: str, label: str, initial: Decimal | int, kind: type) -> str:
        if kind is int:
            self.fields[name] = forms.IntegerField(label=label, initial=initial, min_value=0, max_value=600)
        else:
            self.fields[name] = forms.DecimalField(
                label=label, initial=initial, min_value=0, max_digits=12, decimal_places=2, localize=True
            )
        return name

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.groups]

    def new_rules(self) -> v.PolicyRules:
        """The rules of the new version: the old ones with the numbers from this form."""
        data = self.cleaned_data
        soorten = []
        for soort in self.rules.soorten:
            changes: dict[str, Any] = {
                attr: data[f"{soort.code}__{attr}"] for attr, _, _ in SOORT_NUMBERS if f"{soort.code}__{attr}" in data
            }
            if f"{soort.code}__is_work" in data:
                changes["is_work"] = data[f"{soort.code}__is_work"]
            changes["niveau_caps"] = tuple(
                replace(cap, amount=data[f"{soort.code}__cap__{cap.niveau}"]) for cap in soort.niveau_caps
            )
            soorten.append(replace(soort, **changes))
        doelgroepen = [
            replace(d, termijn_months=data[f"doelgroep__{d.code}"]) if f"doelgroep__{d.code}" in data else d
            for d in self.rules.doelgroepen
        ]
        return replace(self.rules, title=data["title"], soorten=tuple(soorten), doelgroepen=tuple(doelgroepen))


class RekenhulpForm(forms.Form):
    """A planned placement, described as an Inzet would be, to see what it is worth."""

    soort = forms.ChoiceField(label="Soort inzet")
    doelgroep = forms.ChoiceField(label="Doelgroep van de kandidaat", required=False)
    start = forms.DateField(label="Startdatum", widget=DATE_WIDGET)
    end = forms.DateField(label="Einddatum", widget=DATE_WIDGET)
    project_start = forms.DateField(
        label="Startdatum project", widget=DATE_WIDGET, required=False, help_text="Leeg: gelijk aan de startdatum."
    )
    project_end = forms.DateField(
        label="Einddatum project", widget=DATE_WIDGET, required=False, help_text="Leeg: gelijk aan de einddatum."
    )
    amount = forms.DecimalField(
        label="Bedrag (€)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text="Per maand bij baan, detachering, stage en BBL; het totaal bij werk, scholing en anders.",
    )
    hours_per_week = forms.DecimalField(
        label="Uren per week", required=False, min_value=0, max_value=168, max_digits=5, decimal_places=2, localize=True
    )
    niveau = forms.ChoiceField(
        label="Niveau (bij stage)", required=False, choices=[("", "—"), *[(n.value, n.value) for n in v.Niveau]]
    )
    description = forms.CharField(label="Omschrijving (bij anders)", required=False, max_length=500)
    first_workday = forms.DateField(
        label="Eerste werkdag van de kandidaat op het project",
        widget=DATE_WIDGET,
        required=False,
        help_text="Leeg: de startdatum.",
    )
    birth_date = forms.DateField(label="Geboortedatum (bij jongeren)", widget=DATE_WIDGET, required=False)
    unemployed_since = forms.DateField(
        label="Werkloos-werkzoekend sinds (bij WW, Participatiewet, NUO)", widget=DATE_WIDGET, required=False
    )
    scholing_already_counted = forms.DecimalField(
        label="Scholing die al voor deze kandidaat telt (€)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )

    def __init__(self, rules: v.PolicyRules, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.fields["soort"].choices = [("", "Kies een soort inzet"), *[(s.code, s.label) for s in rules.menukaart]]
        self.fields["doelgroep"].choices = [
            ("", "Geen kandidaat (werk, detachering, anders)"),
            *[(d.code, d.label) for d in sorted(rules.doelgroepen, key=lambda d: d.order)],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "De einddatum ligt voor de startdatum.")
        project_start, project_end = data.get("project_start"), data.get("project_end")
        if project_start and project_end and project_end < project_start:
            self.add_error("project_end", "De einddatum van het project ligt voor de startdatum van het project.")
        return data

    def line(self) -> v.InzetData:
        data = self.cleaned_data
        start: date = data["start"]
        end: date = data["end"]
        return v.InzetData(
            soort=data["soort"],
            start=start,
            end=end,
            project_start=data.get("project_start") or start,
            project_end=data.get("project_end") or end,
            doelgroep=data.get("doelgroep") or None,
            amount=data.get("amount"),
            hours_per_week=data.get("hours_per_week"),
            niveau=data.get("niveau") or None,
            description=data.get("description") or "",
            first_workday=data.get("first_workday"),
            scholing_already_counted=data.get("scholing_already_counted") or Decimal(0),
            birth_date=data.get("birth_date"),
            unemployed_since=data.get("unemployed_since"),
        )


class PolicyWorkbookForm(forms.Form):
    file = WorkbookField(
        label="Beleidswerkmap (.xlsx)",
        help_text="De ingevulde werkmap met het beleid van uw regio. Maximaal 5 MB.",
        max_bytes=MAX_UPLOAD_BYTES,
        wrong_kind="Kies een Excel-werkmap (.xlsx), zoals de werkmap die u hier downloadt.",
    )


class PolicyUploadPublishForm(forms.Form):
    """Publish an uploaded workbook's rules as a new version."""

    title = forms.CharField(label="Titel", max_length=200)
    valid_from = forms.DateField(
        label="Geldig vanaf", widget=DATE_WIDGET, help_text="Regels die voor deze datum starten houden de oude versie."
    )
    text = forms.CharField(
        label="Uitvoeringsvoorwaarden",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="De tekst bij het beleid; later te bewerken met Tekst bewerken.",
    )

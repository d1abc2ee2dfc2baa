"""Forms of the verantwoording: kandidaten, inzet lines and the WSP's terugsturen.

The inzet form is built from the soort's rules (`SoortInzet.inputs`): it asks only what the
value engine reads for that soort, with the soort's own labels and units.
"""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import User
from core.forms import RevisionForm
from core.spreadsheets import MAX_UPLOAD_BYTES, too_large
from policy import valuation as v

from ..models import Kandidaat

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INCOMPLETE = "Het formulier is onvolledig verstuurd. Open de pagina opnieuw."


_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")


class MoneyField(forms.DecimalField):
    """An amount as Dutch people type it: `1.250,50`, `€ 1.250` or `1250`."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[€\s]", "", value)
            # Without USE_THOUSAND_SEPARATOR Django would read "1.000" as one euro.
            if _THOUSANDS.match(value):
                value = value.replace(".", "")
        return super().to_python(value)


def _not_in_future(day: date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(f"De {what} ligt in de toekomst.")


class KandidaatForm(forms.ModelForm):
    """Only what the rules need to know of a person (AVG): no BSN, no documents."""

    doelgroep = forms.ChoiceField(label="Doelgroep")

    class Meta:
        model = Kandidaat
        fields = ["initials", "surname", "birth_date", "doelgroep", "unemployed_since"]
        widgets = {
            "initials": forms.TextInput(attrs={"autocomplete": "off"}),
            "surname": forms.TextInput(attrs={"autocomplete": "off"}),
            "birth_date": DATE_WIDGET,
            "unemployed_since": DATE_WIDGET,
        }
        help_texts = {"initials": "Bijvoorbeeld: J.P."}

    def __init__(self, doelgroepen: tuple[v.Doelgroep, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ordered = sorted(doelgroepen, key=lambda d: d.order)
        self.doelgroepen = {d.code: d for d in ordered}
        choices = [(d.code, d.label) for d in ordered]
        current = self.instance.doelgroep
        if current and current not in self.doelgroepen:  # a code a newer policy no longer has
            choices.append((current, current))
        self.fields["doelgroep"].choices = [("", "Kies een doelgroep"), *choices]
        needs_date = [d.label for d in ordered if d.min_months_unemployed is not None]
        months = next((d.min_months_unemployed for d in ordered if d.min_months_unemployed is not None), None)
        if needs_date:
            self.fields["unemployed_since"].help_text = (
                f"Alleen nodig bij de doelgroepen {_join(needs_date)}: deze kandidaten tellen pas mee "
                f"na minimaal {months} maanden werkloos-werkzoekend."
            )
        else:
            self.fields["unemployed_since"].help_text = "Bij de doelgroepen van dit beleid niet nodig."

    def clean_birth_date(self) -> date | None:
        day = self.cleaned_data.get("birth_date")
        _not_in_future(day, "geboortedatum")
        if day is not None and day.year < 1900:
            raise forms.ValidationError("Controleer het geboortejaar.")
        return day

    def clean_unemployed_since(self) -> date | None:
        day = self.cleaned_data.get("unemployed_since")
        _not_in_future(day, "datum werkloos-werkzoekend")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        doelgroep = self.doelgroepen.get(data.get("doelgroep") or "")
        if doelgroep and doelgroep.min_months_unemployed is not None and not data.get("unemployed_since"):
            self.add_error(
                "unemployed_since",
                f"Vul in sinds wanneer de kandidaat werkloos-werkzoekend is: bij deze doelgroep telt een "
                f"kandidaat pas na {doelgroep.min_months_unemployed} maanden.",
            )
        birth_date, since = data.get("birth_date"), data.get("unemployed_since")
        if birth_date and since and since < birth_date:
            self.add_error("unemployed_since", "Deze datum ligt voor de geboortedatum.")
        return data


class KandidaatEditForm(RevisionForm, KandidaatForm):
    class Meta(KandidaatForm.Meta):
        pass


def _join(labels: list[str]) -> str:
    quoted = [f"‘{label}’" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " en " + quoted[-1]


class SoortChoiceForm(forms.Form):
    """Step 1 of an inzet: which soort, so step 2 asks only what that soort needs."""

    soort = forms.ChoiceField(label="Soort inzet", widget=forms.RadioSelect)

    def __init__(self, rules: v.PolicyRules, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = [(s.code, s.label) for s in rules.menukaart]
        self.fields["soort"].help_text = "Wat elke soort oplevert staat op de pagina Beleid, in de Menukaart."


class InzetForm(forms.Form):
    """Step 2: the inputs of one soort, the kandidaat and the period."""

    kandidaat = forms.ModelChoiceField(label="Kandidaat", queryset=Kandidaat.objects.none())
    start_date = forms.DateField(label="Startdatum", widget=DATE_WIDGET)
    end_date = forms.DateField(
        label="Einddatum", widget=DATE_WIDGET, help_text="De geplande einddatum; de prognose rekent tot deze datum."
    )

    def __init__(
        self,
        soort: v.SoortInzet,
        user: User,
        *args: Any,
        revision: int | None = None,
        ask_kandidaat: bool = True,
        **kwargs: Any,
    ) -> None:
        """`ask_kandidaat=False`: the kandidaat comes from elsewhere (the invulbestand's own columns)."""
        super().__init__(*args, **kwargs)
        self.soort = soort
        if ask_kandidaat:
            kandidaat: forms.ModelChoiceField = self.fields["kandidaat"]  # type: ignore[assignment]
            kandidaat.queryset = Kandidaat.objects.for_user(user).order_by("surname", "initials", "birth_date")
            kandidaat.label_from_instance = lambda k: f"{k.initials} {k.surname} ({k.birth_date:%d-%m-%Y})"  # type: ignore[method-assign,assignment]  # Django's documented way to label choices
            kandidaat.required = soort.kandidaat_required
            kandidaat.empty_label = "Kies een kandidaat" if soort.kandidaat_required else "Geen kandidaat"
            if not soort.kandidaat_required:
                kandidaat.help_text = f"Bij {soort.label.lower()} mag u de kandidaat weglaten."
        else:
            del self.fields["kandidaat"]
        inputs = set(soort.inputs)
        if v.Input.AMOUNT in inputs:
            self.fields["amount"] = MoneyField(
                label=f"{soort.amount_field_label} (€)",
                min_value=0,
                max_digits=12,
                decimal_places=2,
                localize=True,
                help_text=soort.value_hint,
            )
        if v.Input.HOURS_PER_WEEK in inputs:
            self.fields["hours_per_week"] = forms.DecimalField(
                label=soort.hours_label,
                min_value=0,
                max_value=168,
                max_digits=5,
                decimal_places=2,
                localize=True,
            )
        if v.Input.NIVEAU in inputs:
            caps = [
                (str(cap.niveau), f"{cap.niveau} (max. {v.format_euro(cap.amount)} per maand)")
                for cap in soort.niveau_caps
            ]
            self.fields["niveau"] = forms.ChoiceField(label="Niveau", choices=[("", "Kies het niveau"), *caps])
        if v.Input.DESCRIPTION in inputs:
            self.fields["description"] = forms.CharField(
                label="Omschrijving", max_length=500, widget=forms.Textarea(attrs={"rows": 4})
            )
        if revision is not None:
            self.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, initial=revision)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("revision"):
            del self.errors["revision"]
            raise forms.ValidationError(INCOMPLETE)
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "De einddatum ligt voor de startdatum.")
        return data

    def service_data(self) -> dict[str, Any]:
        """What `inzet_save` takes: the inputs of this soort; the others are emptied."""
        data = self.cleaned_data
        return {
            "soort": self.soort.code,
            "kandidaat": data.get("kandidaat"),
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "amount": data.get("amount"),
            "hours_per_week": data.get("hours_per_week"),
            "niveau": data.get("niveau") or "",
            "description": data.get("description") or "",
        }

    def add_engine_errors(self, messages: list[str]) -> None:
        """Tie each of the engine's objections to the field it is about; the rest go on top."""
        for message in messages:
            field = self.field_for(message)
            self.add_error(field, message)

    def field_for(self, message: str) -> str | None:
        text = message.lower()
        soort = self.soort
        candidates = [
            ("start_date", ("jaartal van de startdatum:",)),
            ("end_date", ("einddatum ligt voor de startdatum", "jaartal van de einddatum:")),
            ("amount", (soort.amount_field_label.lower(), soort.amount_label.lower(), "bedrag")),
            ("hours_per_week", (soort.hours_label.lower(), "uur per week", "uren")),
            ("niveau", ("niveau",)),
            ("description", ("beschrijf", "omschrijving")),
            ("kandidaat", ("kandidaat", "doelgroep", "geboortedatum", "werkloos")),
        ]
        for name, words in candidates:
            if name in self.fields and any(word in text for word in words):
                return name
        return None


class InvulbestandForm(forms.Form):
    file = forms.FileField(
        label="Invulbestand (.xlsx of .csv)",
        help_text="Het ingevulde invulbestand, of een eigen Excel- of CSV-bestand met dezelfde kolomnamen. "
        "Maximaal 5 MB en 5.000 regels.",
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"}
        ),
        error_messages={"required": "Kies een bestand.", "empty": "Het gekozen bestand is leeg."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                "Kies een Excel-werkmap (.xlsx) of een CSV-bestand (.csv). Een .xls of .xlsm slaat u eerst op "
                "als .xlsx."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large())
        return upload


class InzetReturnForm(forms.Form):
    reason = forms.CharField(
        label="Reden van terugsturen",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="De opdrachtnemer krijgt deze reden per e-mail en ziet hem bij de regel. "
        "Noem geen gegevens van de kandidaat die niet nodig zijn.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Geef aan waarom u de regel terugstuurt.")
        return reason

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.has_error("revision"):
            del self.errors["revision"]
            raise forms.ValidationError(INCOMPLETE)
        return data


class RevisionOnlyForm(forms.Form):
    """The hidden revision of a one-button action (valideren): which version of the line was seen."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

from typing import Any

from django import forms

from accounts.models import Region, User
from core.spreadsheets import too_large

from .region_export import regions_for_export
from .region_import import MAX_BYTES


class RegionExportForm(forms.Form):
    """Which region to export: a coördinatiepunt has only its own, functioneel beheer every region."""

    region: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Regio",
        queryset=Region.objects.none(),
        empty_label="Kies een regio",
        error_messages={"required": "Kies de regio.", "invalid_choice": "Kies een regio uit de lijst."},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["region"]  # type: ignore[assignment]
        field.queryset = regions_for_export(user)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegionImportForm(forms.Form):
    file = forms.FileField(
        label="Regio-werkmap (.xlsx)",
        help_text=(
            "Een werkmap in het formaat van Regio exporteren: uit dit portaal, of gevuld uit de rapportages van het "
            f"vorige systeem. Maximaal {MAX_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.FileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "Kies een bestand.", "empty": "Het gekozen bestand is leeg."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Kies een Excel-werkmap (.xlsx).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large(MAX_BYTES))
        return upload

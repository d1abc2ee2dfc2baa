from typing import Any

from django import forms

from accounts.models import Region, User
from core.forms import WorkbookField

from .region_export import regions_for_export
from .region_read import MAX_BYTES


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


class RegionImportForm(forms.Form):
    file = WorkbookField(
        label="Regio-werkmap (.xlsx)",
        help_text=(
            "Een werkmap in het formaat van Regio exporteren: uit dit portaal, of gevuld uit de rapportages van het "
            f"vorige systeem. Maximaal {MAX_BYTES // (1024 * 1024)} MB."
        ),
        max_bytes=MAX_BYTES,
    )

"""Forms of the end of a project: approval, and the coördinatiepunt's judgement on a shortfall."""

from typing import Any

from django import forms

from ..models import Project

APPROVE_CONFIRMATION = "Ik heb beoordeeld of aan de SR verplichting is voldaan"


class ApproveForm(forms.Form):
    """SR verantwoording goedgekeurd: the approver confirms the judgement was made, not just a click."""

    confirmed = forms.BooleanField(
        label=APPROVE_CONFIRMATION,
        error_messages={"required": f"Vink aan: “{APPROVE_CONFIRMATION}”."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        # The form sits on the detail page beside other forms: keep its ids apart.
        kwargs.setdefault("prefix", "approve")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class VerwijtbaarheidForm(forms.Form):
    VERWIJTBAAR, NIET_VERWIJTBAAR = "verwijtbaar", "niet_verwijtbaar"

    oordeel = forms.ChoiceField(
        label="Oordeel",
        choices=[(VERWIJTBAAR, "Verwijtbaar"), (NIET_VERWIJTBAAR, "Niet verwijtbaar")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of het niet halen van de verplichting verwijtbaar is."},
    )
    argument = forms.CharField(
        label="Onderbouwing",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Opdrachtgever en opdrachtnemer krijgen deze onderbouwing per e-mail en zien haar bij het project.",
        error_messages={"required": "Onderbouw uw oordeel."},
    )

    @classmethod
    def for_project(cls, project: Project, data: Any = None) -> "VerwijtbaarheidForm":
        """The form, filled with the judgement recorded earlier, if any."""
        initial = {}
        if project.verwijtbaar is not None:
            initial = {
                "oordeel": cls.VERWIJTBAAR if project.verwijtbaar else cls.NIET_VERWIJTBAAR,
                "argument": project.verwijtbaarheid_argument,
            }
        return cls(data, initial=initial)

    @property
    def verwijtbaar(self) -> bool:
        return self.cleaned_data["oordeel"] == self.VERWIJTBAAR

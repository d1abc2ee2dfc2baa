"""Forms of the content pages: news, information pages and the coördinatiepunt's contact details."""

from typing import Any

from django import forms
from django.db import models

from accounts.models import Organisation
from core.forms import RevisionForm

from ..models import InfoPage, NewsItem

MARKUP_HINT = (
    "Koppen met #, opsommingen met - of 1., **vet**, *cursief*, links als [tekst](https://…) "
    "en naar een pagina van de monitor als [tekst](/beleid/)."
)


def _https_by_default(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A web address typed without scheme means https (Django 6's default, set now)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class NewsItemForm(forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = ["title", "body", "publish_date"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "publish_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"body": MARKUP_HINT}


class NewsItemEditForm(RevisionForm, NewsItemForm):
    class Meta(NewsItemForm.Meta):
        pass


class InfoPageForm(forms.ModelForm):
    class Meta:
        model = InfoPage
        fields = ["kind", "title", "body", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "body": MARKUP_HINT,
            "order": "Pagina's met een lager getal staan hoger in de lijst.",
        }


class InfoPageEditForm(RevisionForm, InfoPageForm):
    class Meta(InfoPageForm.Meta):
        pass


class ContactDetailsForm(RevisionForm):
    """The public contact details of a coördinatiepunt; its name and region are kept by functioneel beheer."""

    class Meta:
        model = Organisation
        fields = ["contact_name", "email", "phone", "opening_hours", "website"]
        formfield_callback = _https_by_default
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"email": "Hierheen gaan ook de vragen die gebruikers via Hulp nodig? sturen."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without an address the Hulp nodig? form of this region has nowhere to send to.
        self.fields["email"].required = True

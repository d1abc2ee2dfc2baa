"""Forms of the detail page: contactpersonen, interne notities and documents."""

from typing import Any

from django import forms
from django.conf import settings

from accounts.models import Organisation, User

from ..models import Project
from ..permissions import contact_organisations

NEW_CONTACT = "nieuw"


def addable_users(user: User, project: Project) -> list[User]:
    """Active people of the organisations `user` may add, who are not yet contactpersoon."""
    organisations = [organisation.pk for organisation in contact_organisations(user, project)]
    return list(
        User.objects.filter(is_active=True, organisation__in=organisations)
        .exclude(contacts__project=project)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


class ContactAddForm(forms.Form):
    """Pick a colleague or employee; or choose to create a new person (manual §3.4)."""

    user = forms.ChoiceField(
        label="Contactpersoon",
        help_text="Staat de persoon er niet bij? Kies dan ‘Nieuwe contactpersoon toevoegen’.",
        error_messages={"required": "Kies een contactpersoon."},
    )

    def __init__(self, user: User, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices are the limit: a posted id outside them is refused as an invalid choice.
        self.people = {str(person.pk): person for person in addable_users(user, project)}
        self.fields["user"].choices = [
            ("", "Kies een contactpersoon"),
            *((pk, f"{person.name} — {person.organisation.name}") for pk, person in self.people.items()),
            (NEW_CONTACT, "Nieuwe contactpersoon toevoegen"),
        ]

    def clean_user(self) -> User | str:
        value = self.cleaned_data["user"]
        return NEW_CONTACT if value == NEW_CONTACT else self.people[value]


class ContactInviteForm(forms.Form):
    """A new person: an account with welkomstmail, added to the project at once."""

    organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.none(), empty_label="Kies een organisatie"
    )
    name = forms.CharField(label="Naam", max_length=150)
    email = forms.EmailField(
        label="E-mailadres",
        max_length=254,
        help_text="Het e-mailadres is ook de inlognaam. Hierheen gaan de welkomstmail en het bericht over dit project.",
    )
    phone = forms.CharField(label="Telefoonnummer", max_length=30, required=False)

    def __init__(self, user: User, project: Project, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = [organisation.pk for organisation in contact_organisations(user, project)]
        queryset = Organisation.objects.filter(pk__in=organisations).order_by("name")
        self.fields["organisation"].queryset = queryset
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Er bestaat al een account met dit e-mailadres. Kies deze persoon op de vorige pagina, "
                "of neem contact op met het coördinatiepunt als hij daar niet bij staat."
            )
        return email


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Nieuwe notitie",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Alleen opdrachtgever, WSP en coördinatiepunt lezen interne notities; de opdrachtnemer niet.",
        error_messages={"required": "Schrijf eerst de notitie."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The form sits on the detail page beside other forms: keep its ids apart.
        kwargs.setdefault("prefix", "notitie")
        super().__init__(*args, **kwargs)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Document (PDF)",
        help_text=f"Alleen PDF-bestanden, maximaal {settings.DOCUMENT_MAX_BYTES // 1024 // 1024} MB.",
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
        error_messages={"required": "Kies een PDF-bestand.", "empty": "Het gekozen bestand is leeg."},
    )

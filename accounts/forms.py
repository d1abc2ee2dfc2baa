from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.http import HttpRequest

from .http import AuthenticatedHttpRequest
from .models import Organisation, Region, User


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="E-mailadres",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Wachtwoord", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Het e-mailadres of het wachtwoord is onjuist.",
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email, password = data.get("email"), data.get("password")
        if email and password:
            # authenticate(request=…) lets django-axes count and lock failures.
            self.user = authenticate(self.request, email=email, password=password)
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return data


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="Authenticatiecode",
        regex=r"^\s*\d{6}\s*$",
        help_text="De 6 cijfers die uw authenticator-app nu toont.",
        error_messages={
            "invalid": "Vul de 6 cijfers uit uw authenticator-app in.",
            "required": "Vul de 6 cijfers uit uw authenticator-app in.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 7, "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="E-mailadres", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class NewPasswordForm(forms.Form):
    """Choose a password (activation, or after Wachtwoord vergeten)."""

    new_password1 = forms.CharField(
        label="Nieuw wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Minimaal 12 tekens; niet alleen cijfers en niet te lijken op uw naam of e-mailadres.",
    )
    new_password2 = forms.CharField(
        label="Herhaal het nieuwe wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password2(self) -> str:
        password1 = self.cleaned_data.get("new_password1")
        password2 = self.cleaned_data["new_password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError("De twee wachtwoorden zijn niet gelijk.", code="password_mismatch")
        password_validation.validate_password(password2, self.user)
        return password2


class PasswordChangeForm(NewPasswordForm):
    """Wachtwoord wijzigen while logged in: the current password, then the new one twice (the same rules)."""

    current_password = forms.CharField(
        label="Huidig wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["current_password", "new_password1", "new_password2"]

    error_messages = {
        "wrong_password": "Het huidige wachtwoord is onjuist.",
        "same_password": "Het nieuwe wachtwoord is gelijk aan het huidige. Kies een ander wachtwoord.",
    }

    def __init__(self, request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(request.user, *args, **kwargs)

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        # authenticate(request=…), as at login: django-axes counts a wrong password and, after
        # AXES_FAILURE_LIMIT of them, locks the account (and this address) for logging in too.
        user = authenticate(self.request, email=self.user.email, password=password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["wrong_password"], code="wrong_password")
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        current, new = data.get("current_password"), data.get("new_password1")
        if current and new and current == new and not self.has_error("new_password1"):
            error = forms.ValidationError(self.error_messages["same_password"], code="same_password")
            self.add_error("new_password1", error)
        return data


class CurrentPasswordForm(forms.Form):
    """Prove the current password to skip straight to pairing a new authenticator."""

    current_password = forms.CharField(
        label="Huidig wachtwoord", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class UserCreateForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=150)
    email = forms.EmailField(
        label="E-mailadres",
        max_length=254,
        help_text="Het e-mailadres is ook de inlognaam. Hierheen gaat de welkomstmail.",
    )
    phone = forms.CharField(label="Telefoonnummer", max_length=30, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.none(), empty_label="Kies een organisatie"
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_user(user).select_related("region")
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("Er bestaat al een account met dit e-mailadres.")
        return email


class HelpForm(forms.Form):
    region = forms.ModelChoiceField(
        label="Regio",
        queryset=Region.objects.all(),
        empty_label="Kies uw regio",
        help_text="Uw vraag gaat naar het coördinatiepunt Social Return van deze regio.",
    )
    name = forms.CharField(label="Naam", max_length=150)
    email = forms.EmailField(
        label="E-mailadres", max_length=254, help_text="Hierop neemt het coördinatiepunt contact met u op."
    )
    phone = forms.CharField(label="Telefoonnummer", max_length=30, required=False)
    message = forms.CharField(label="Uw vraag", max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))
    # Left empty by people; bots fill every field.
    website = forms.CharField(
        label="Laat dit veld leeg",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

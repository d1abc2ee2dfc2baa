from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest

from . import services
from .models import AuthEvent, Organisation, Region, User


class RegionAddForm(forms.ModelForm):
    """A region that moves in: with its coördinatiepunt and the first coördinatiepunt user (`region_add`)."""

    coordinatiepunt = forms.CharField(label="Naam van het coördinatiepunt", max_length=200)
    email = forms.EmailField(label="E-mailadres van het coördinatiepunt")
    phone = forms.CharField(label="Telefoonnummer van het coördinatiepunt", max_length=30)
    contact_name = forms.CharField(label="Contactpersoon van het coördinatiepunt", max_length=200, required=False)
    website = forms.URLField(label="Website van het coördinatiepunt", required=False, assume_scheme="https")
    user_name = forms.CharField(label="Naam van de eerste medewerker", max_length=150)
    user_email = forms.EmailField(label="E-mailadres van de eerste medewerker", help_text="Krijgt de welkomstmail.")

    class Meta:
        model = Region
        fields = ["name", "slug"]

    def clean_user_email(self) -> str:
        email: str = self.cleaned_data["user_email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("Er bestaat al een account met dit e-mailadres.")
        return email


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    add_fieldsets = [
        ("Regio", {"fields": ["name", "slug"]}),
        ("Coördinatiepunt", {"fields": ["coordinatiepunt", "email", "phone", "contact_name", "website"]}),
        ("Eerste medewerker van het coördinatiepunt", {"fields": ["user_name", "user_email"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = RegionAddForm
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        region, _ = services.region_add(services.NewRegion.of(form.cleaned_data))
        obj.pk = region.pk


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "kvk_number", "email"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "kvk_number"]
    filter_horizontal = ["regions"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "organisation", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "organisation__kind", "organisation__region"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "name", "phone", "organisation"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "otp_failures", "otp_locked_until"]}),
        ("Rechten", {"fields": ["groups", "user_permissions"]}),
        ("Data", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "organisation"]})]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "user", "actor", "email_entered", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["user__email", "email_entered", "ip_address"]
    list_select_related = ["user", "actor"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

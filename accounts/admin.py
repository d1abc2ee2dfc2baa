from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest

from .models import AuthEvent, Organisation, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


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

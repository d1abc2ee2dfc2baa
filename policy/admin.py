from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import InfoPage, NewsItem, PolicyDoelgroep, PolicySoortInzet, PolicyVersion


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SoortInline(ReadOnlyInline):
    model = PolicySoortInzet
    fields = ["order", "label", "calculation", "hourly_rate", "max_per_week", "max_per_kandidaat", "max_months"]


class DoelgroepInline(ReadOnlyInline):
    model = PolicyDoelgroep
    fields = ["order", "label", "termijn", "termijn_months"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Published rules are read-only here: a change is a new version, published in the portal."""

    list_display = ["title", "region", "valid_from", "method", "created_by"]
    list_filter = ["region", "method"]
    readonly_fields = ["region", "valid_from", "method", "fulltime_hours", "created_at", "created_by"]
    inlines = [SoortInline, DoelgroepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "publish_date"]
    list_filter = ["region"]
    search_fields = ["title"]


@admin.register(InfoPage)
class InfoPageAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "kind", "order"]
    list_filter = ["region", "kind"]
    search_fields = ["title"]

from typing import cast

from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from accounts.models import User

from .models import Contact, Document, Inzet, Kandidaat, Note, Project, RetentionRun
from .services.contacts import contact_ensure


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ["user", "added_by"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "opdrachtgever",
        "opdrachtnemer",
        "region",
        "start_date",
        "end_date",
        "status",
        "sr_actueel",
    ]
    list_filter = ["status", "region", "contract_type"]
    search_fields = ["name", "kenmerk", "opdrachtgever__name", "opdrachtnemer__name"]
    list_select_related = ["opdrachtgever", "opdrachtnemer", "region"]
    raw_id_fields = [
        "opdrachtgever",
        "opdrachtnemer",
        "accountmanager",
        "approved_by",
        "closed_by",
        "verwijtbaarheid_by",
        "created_by",
    ]
    readonly_fields = ["sr_actueel", "sr_actueel_gevalideerd", "sr_prognose", "sr_prognose_gevalideerd", "values_date"]
    inlines = [ContactInline]

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        """A contactpersoon added here is added as anywhere else (`contact_ensure`): with its mail."""
        if formset.model is not Contact:
            super().save_formset(request, form, formset, change)
            return
        for contact in formset.save(commit=False):
            if contact.pk is None:
                contact_ensure(
                    project=form.instance, user=contact.user, by=cast(User, request.user)
                )  # the admin is behind its login
            else:
                contact.save()
        for contact in formset.deleted_objects:
            contact.delete()


@admin.register(Inzet)
class InzetAdmin(admin.ModelAdmin):
    list_display = ["project", "soort", "start_date", "end_date", "status", "value_prognose"]
    list_filter = ["status", "soort"]
    list_select_related = ["project"]
    raw_id_fields = ["project", "kandidaat", "validated_by", "policy_version", "created_by"]


@admin.register(Kandidaat)
class KandidaatAdmin(admin.ModelAdmin):
    list_display = ["surname", "initials", "opdrachtnemer", "doelgroep"]
    search_fields = ["surname"]
    list_select_related = ["opdrachtnemer"]
    raw_id_fields = ["opdrachtnemer"]


admin.site.register(Note)
admin.site.register(Document)


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    """The record of each retention run (projects/services/retention.py): read only."""

    list_display = ["started_at", "kandidaten", "inzet_lines", "history_rows", "mails", "closed_before"]
    readonly_fields = [field.name for field in RetentionRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: RetentionRun | None = None) -> bool:
        return False

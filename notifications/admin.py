from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .mail import template_label
from .models import Mail

MAIL_FIELDS = (
    "key",
    "template",
    "to",
    "reply_to",
    "subject",
    "region_id",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "next_attempt_at",
    "sent_at",
)


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """The outbox, read-only. The bodies are left out: they can hold one-time links (activation, reset)."""

    list_display = ["created_at", "soort", "recipients", "status", "attempts"]
    list_filter = ["status", "template"]
    search_fields = ["key", "subject", "to"]
    date_hierarchy = "created_at"
    fields = [*MAIL_FIELDS]
    readonly_fields = MAIL_FIELDS

    @admin.display(description="soort", ordering="template")
    def soort(self, mail: Mail) -> str:
        return template_label(mail.template)

    @admin.display(description="aan")
    def recipients(self, mail: Mail) -> str:
        return ", ".join(mail.to)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mail]:
        return super().get_queryset(request).defer("text", "html")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Mail | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Mail | None = None) -> bool:
        return False

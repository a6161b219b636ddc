from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailPreference, Notification


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", _("Read")), ("no", _("Unread"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "is_read"]
    list_filter = ["kind", ReadFilter]
    search_fields = ["recipient__email", "title"]
    autocomplete_fields = ["recipient", "actor"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    @admin.display(boolean=True, description=_("read"), ordering="read_at")
    def is_read(self, notification: Notification) -> bool:
        return notification.is_read


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "is_enabled"]
    list_filter = ["kind", "is_enabled"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]

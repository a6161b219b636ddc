from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Consent, ConsentVersion, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "last_name", "first_name", "patronymic"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = [
        "email",
        "full_name",
        "position",
        "is_staff",
        "is_active",
        "email_confirmed_at",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "last_name", "first_name", "patronymic"]
    ordering = ["last_name", "first_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["last_name", "first_name", "patronymic", "position", "phone"]},
        ),
        (
            _("Access"),
            {
                "fields": [
                    "is_active",
                    "email_confirmed_at",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "last_name",
                    "first_name",
                    "patronymic",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    @admin.display(
        description=pgettext_lazy("person", "full name"), ordering="last_name"
    )
    def full_name(self, obj: User) -> str:
        return obj.full_name


@admin.register(ConsentVersion)
class ConsentVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "effective_at", "created_at"]
    search_fields = ["version", "title", "text"]
    date_hierarchy = "effective_at"

    def get_readonly_fields(self, request, obj=None):
        # A text people have agreed to is never edited: publish a new version.
        if obj is not None and obj.consents.exists():
            return ["version", "title", "text", "effective_at"]
        return []


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "given_at", "ip_address"]
    list_filter = ["version"]
    search_fields = ["user__email", "user__last_name"]
    date_hierarchy = "given_at"
    list_select_related = ["user", "version"]
    readonly_fields = ["user", "version", "given_at", "ip_address", "user_agent"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

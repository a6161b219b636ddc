from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from organisations import services
from organisations.models import (
    EquipmentType,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationGroupObjectPermission,
    OrganisationUserObjectPermission,
    RoleGroup,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = [
        "short_name",
        "kind",
        "region",
        "district",
        "city",
        "is_verified",
        "created_at",
    ]
    list_filter = ["is_verified", "kind", "region"]
    search_fields = ["short_name", "full_name", "inn", "ogrn", "city", "district"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "created_by"]
    inlines = [MembershipInline]
    actions = ["verify"]
    fieldsets = [
        (None, {"fields": ["full_name", "short_name", "kind"]}),
        (_("Location"), {"fields": ["region", "district", "city", "address"]}),
        (_("Requisites"), {"fields": ["inn", "ogrn", "head_name", "head_position"]}),
        (_("Contacts"), {"fields": ["website", "email", "phone"]}),
        (
            _("Verification"),
            {"fields": ["is_verified", "verified_at", "verified_by"]},
        ),
        (_("Record"), {"fields": ["created_at", "created_by"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        # Ticking "verified" by hand records who verified and when, as the
        # action and the button on the organisation's page do.
        if obj.is_verified and not obj.verified_at:
            obj.verified_at = timezone.now()
            obj.verified_by = request.user
        if not obj.is_verified:
            obj.verified_at = None
            obj.verified_by = None
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset) -> None:
        count = sum(
            services.verify_organisation(organisation=org, actor=request.user)
            for org in queryset
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d organisation verified.",
                "%(count)d organisations verified.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__region"]
    search_fields = ["user__email", "user__last_name", "organisation__short_name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "organisation__short_name"]
    list_select_related = ["organisation", "invited_by"]
    readonly_fields = ["token_hash", "invited_by", "accepted_at", "accepted_by"]

    def has_add_permission(self, request) -> bool:
        # Invitations are sent from the organisation's members page, which
        # emails the link; an invitation made here would have no link.
        return False


@admin.register(JoinRequest)
class JoinRequestAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__last_name", "organisation__short_name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(RoleGroup)
class RoleGroupAdmin(admin.ModelAdmin):
    list_display = ["group", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["organisation__short_name", "group__name"]
    list_select_related = ["group", "organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OrganisationGroupObjectPermission)
class OrganisationGroupObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["group", "permission", "content_object"]
    list_filter = ["permission"]
    search_fields = ["group__name", "content_object__short_name"]
    list_select_related = ["group", "permission", "content_object"]
    autocomplete_fields = ["group", "content_object"]


@admin.register(OrganisationUserObjectPermission)
class OrganisationUserObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["user", "permission", "content_object"]
    list_filter = ["permission"]
    search_fields = ["user__email", "content_object__short_name"]
    list_select_related = ["user", "permission", "content_object"]
    autocomplete_fields = ["user", "content_object"]


@admin.register(EquipmentType)
class EquipmentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "unit"]
    list_filter = ["category"]
    search_fields = ["name", "description"]

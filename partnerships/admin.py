"""Administration of partnerships.

Partnerships and agreements change only through their services (accepting
an interest, moving a stage, signing), so the admin shows them read-only;
administrators assign accompanying experts here and edit the agreement
templates.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partnerships import services
from partnerships.models import (
    Agreement,
    AgreementComment,
    AgreementTemplate,
    NegotiationNote,
    Partnership,
    Signature,
    StageMove,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StageMoveInline(ReadOnlyInline):
    model = StageMove
    fields = ["from_stage", "to_stage", "actor", "reason", "moved_at"]
    readonly_fields = fields


class AgreementInline(ReadOnlyInline):
    model = Agreement
    fields = ["number", "parent", "status", "agreement_date", "expiry_date"]
    readonly_fields = fields


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["product", "carrier", "recipient", "stage", "status", "created_at"]
    list_filter = ["status", "stage", "carrier__region"]
    search_fields = [
        "product__title",
        "carrier__short_name",
        "recipient__short_name",
        "recipient__full_name",
    ]
    list_select_related = ["product", "carrier", "recipient"]
    date_hierarchy = "created_at"
    fields = [
        "product",
        "carrier",
        "recipient",
        "interest",
        "carrier_contact",
        "recipient_contact",
        "stage",
        "status",
        "end_reason",
        "ended_at",
        "created_by",
        "created_at",
        "experts",
    ]
    readonly_fields = [field for field in fields if field != "experts"]
    filter_horizontal = ["experts"]
    inlines = [StageMoveInline, AgreementInline]

    def has_add_permission(self, request) -> bool:
        # A partnership is created by accepting an interest on the site.
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "experts":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                groups__name="experts", is_active=True
            ).order_by("last_name", "first_name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        # Only the experts are editable, and they are saved with their
        # permissions in save_related.
        pass

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:  # read-only inlines: nothing to write
            self.save_formset(request, form, formset, change)
        services.set_experts(
            partnership=form.instance,
            actor=request.user,
            experts=form.cleaned_data["experts"],
        )


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = [
        "side",
        "organisation",
        "signer_name",
        "signer_position",
        "signed_at",
        "ip_address",
        "document_sha256",
    ]
    readonly_fields = fields
    show_change_link = False


class CommentInline(ReadOnlyInline):
    model = AgreementComment
    fields = ["created_at", "author", "side", "text"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = [
        "number",
        "partnership",
        "parent",
        "status",
        "agreement_date",
        "expiry_date",
    ]
    list_filter = ["status", ("parent", admin.EmptyFieldListFilter)]
    search_fields = [
        "number",
        "partnership__product__title",
        "partnership__recipient__short_name",
    ]
    list_select_related = [
        "partnership__product",
        "partnership__recipient",
        "parent",
    ]
    inlines = [SignatureInline, CommentInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Signed documents and their records are kept.
        return False


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "is_default", "term_months", "updated_at"]
    list_filter = ["is_default"]
    search_fields = ["name", "subject"]
    fieldsets = [
        (None, {"fields": ["name", "is_default", "term_months"]}),
        (
            _("Texts"),
            {
                "fields": [
                    "subject",
                    "carrier_obligations",
                    "recipient_obligations",
                    "changes_procedure",
                    "termination_procedure",
                ],
                "description": _(
                    "Placeholders: {carrier}, {recipient}, {product}, {version}, "
                    "{term_months}. Agreements already drafted keep their text."
                ),
            },
        ),
    ]


@admin.register(NegotiationNote)
class NegotiationNoteAdmin(admin.ModelAdmin):
    list_display = ["partnership", "held_on", "author", "created_at"]
    search_fields = ["text", "partnership__recipient__short_name"]
    list_select_related = ["partnership__product", "partnership__recipient", "author"]
    readonly_fields = ["partnership", "author", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organisations.models import Organisation
from products import history
from products.forms import BaseRequiredEquipmentFormSet
from products.models import (
    EducationLevel,
    ExpertReview,
    Interest,
    Material,
    NewsItem,
    PositioningEvent,
    Product,
    ProductGroupObjectPermission,
    ProductUserObjectPermission,
    ProductVersion,
    RequiredEquipment,
    ReviewCriterion,
    ReviewScore,
    SubjectArea,
)
from products.services.lifecycle import carrier_permissions_follow
from products.services.reviews import recompute_rating


class RecordsWhoAdds:
    """The person who added a row is the administrator adding it here; it
    is shown, not chosen, so a row whose author has left can still be
    saved."""

    added_by_field = "created_by"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), self.added_by_field]

    def save_model(self, request, obj, form, change):
        if not change:
            setattr(obj, self.added_by_field, request.user)
        super().save_model(request, obj, form, change)


class RequiredEquipmentInline(admin.TabularInline):
    model = RequiredEquipment
    formset = BaseRequiredEquipmentFormSet
    extra = 0
    autocomplete_fields = ["equipment_type"]


class ProductVersionInline(admin.TabularInline):
    model = ProductVersion
    extra = 0
    fields = ["number", "released_on", "changes", "reason", "created_by"]
    readonly_fields = ["created_by"]


@admin.register(Product)
class ProductAdmin(RecordsWhoAdds, SimpleHistoryAdmin):
    list_display = ["title", "carrier", "kind", "status", "rating", "published_at"]
    list_filter = [
        "status",
        "kind",
        "change_level",
        "education_levels",
        "carrier__region",
    ]
    search_fields = ["title", "summary", "carrier__short_name"]
    autocomplete_fields = ["carrier", "coordinator", "moderated_by"]
    filter_horizontal = ["subject_areas", "education_levels"]
    readonly_fields = ["rating", "review_count", "created_at", "updated_at"]
    list_select_related = ["carrier"]
    date_hierarchy = "published_at"
    inlines = [RequiredEquipmentInline, ProductVersionInline]

    def save_model(self, request, obj, form, change):
        # A product added here, or moved to another carrier, is edited by
        # that carrier's staff and no longer by the previous one's.
        moved = change and "carrier" in form.changed_data
        previous = (
            Organisation.objects.get(pk=form.initial["carrier"]) if moved else None
        )
        # The passport and its areas, levels and equipment (saved with the
        # related objects) make one record of the history.
        obj._held_history_type = history.hold(obj)
        try:
            super().save_model(request, obj, form, change)
        except BaseException:
            history.release(obj)
            raise
        if moved or not change:
            carrier_permissions_follow(obj, previous)

    def save_related(self, request, form, formsets, change):
        try:
            super().save_related(request, form, formsets, change)
        except BaseException:
            history.release(form.instance)
            raise
        history.record_held(form.instance, form.instance._held_history_type)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductVersion:
            return super().save_formset(request, form, formset, change)
        for version in formset.save(commit=False):
            if version.pk is None:
                version.created_by = request.user
            version.save()
        for version in formset.deleted_objects:
            version.delete()


@admin.register(SubjectArea)
class SubjectAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(EducationLevel)
class EducationLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(ProductVersion)
class ProductVersionAdmin(RecordsWhoAdds, admin.ModelAdmin):
    list_display = ["product", "number", "released_on", "created_by"]
    search_fields = ["product__title", "number", "changes"]
    list_select_related = ["product", "created_by"]
    autocomplete_fields = ["product"]
    date_hierarchy = "released_on"


@admin.register(Material)
class MaterialAdmin(SimpleHistoryAdmin):
    list_display = ["title", "product", "kind", "visibility", "size", "created_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["title", "product__title"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]
    readonly_fields = ["file", "original_name", "content_type", "size"]

    def has_add_permission(self, request) -> bool:
        # Files are added on the product's page, which checks their content
        # and serves them through a permission-checking view.
        return False


@admin.register(PositioningEvent)
class PositioningEventAdmin(RecordsWhoAdds, SimpleHistoryAdmin):
    list_display = ["title", "product", "kind", "starts_at", "audience_size"]
    list_filter = ["kind"]
    search_fields = ["title", "place", "product__title"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]
    date_hierarchy = "starts_at"


@admin.register(Interest)
class InterestAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "product", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__short_name", "product__title", "message"]
    list_select_related = ["organisation", "product"]
    autocomplete_fields = ["organisation", "product", "declared_by", "source_event"]


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class ReviewScoreInline(admin.TabularInline):
    # Scores are written by experts on the site, where the averages and the
    # product's rating are recomputed; here they are shown only.
    model = ReviewScore
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ["criterion", "score"]


@admin.register(ExpertReview)
class ExpertReviewAdmin(SimpleHistoryAdmin):
    list_display = [
        "product",
        "expert",
        "recommendation",
        "average_score",
        "created_at",
    ]
    list_filter = ["recommendation"]
    search_fields = ["product__title", "expert__last_name", "conclusion"]
    list_select_related = ["product", "expert"]
    autocomplete_fields = ["product", "expert"]
    inlines = [ReviewScoreInline]
    readonly_fields = ["product", "expert", "average_score"]

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj) -> None:
        product = obj.product
        super().delete_model(request, obj)
        recompute_rating(product)

    def delete_queryset(self, request, queryset) -> None:
        products = {review.product for review in queryset.select_related("product")}
        super().delete_queryset(request, queryset)
        for product in products:
            recompute_rating(product)


@admin.register(NewsItem)
class NewsItemAdmin(RecordsWhoAdds, SimpleHistoryAdmin):
    added_by_field = "author"

    list_display = ["title", "organisation", "is_published", "published_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "product"]
    date_hierarchy = "published_at"


@admin.register(ProductGroupObjectPermission)
class ProductGroupObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["group", "permission", "content_object"]
    list_filter = ["permission"]
    search_fields = ["group__name", "content_object__title"]
    list_select_related = ["group", "permission", "content_object"]
    autocomplete_fields = ["group", "content_object"]


@admin.register(ProductUserObjectPermission)
class ProductUserObjectPermissionAdmin(admin.ModelAdmin):
    list_display = ["user", "permission", "content_object"]
    list_filter = ["permission"]
    search_fields = ["user__email", "content_object__title"]
    list_select_related = ["user", "permission", "content_object"]
    autocomplete_fields = ["user", "content_object"]

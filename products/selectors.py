"""Reads of products shared by pages, with permission filtering."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from organisations.models import Membership, Role
from products import permissions
from products.models import ExpertReview, Interest, Material, Product


def visible_products(user) -> QuerySet[Product]:
    """Return the products ``user`` may open, as one SQL statement."""
    return Product.objects.filter(permissions.visibility_filter(user)).select_related(
        "carrier", "coordinator"
    )


def visible_materials(user, product: Product) -> list[Material]:
    """Return the materials of ``product`` that ``user`` may see."""
    materials = list(product.materials.order_by("kind", "title"))
    if any(m.visibility == Material.Visibility.PARTNERS for m in materials):
        sees_private = (
            permissions.is_carrier_member(user, product)
            or permissions.is_moderator(user)
            or permissions.is_partner(user, product)
        )
        if not sees_private:
            materials = [
                m for m in materials if m.visibility == Material.Visibility.PUBLIC
            ]
    return materials


def latest_reviews(product: Product, limit: int = 3) -> list[ExpertReview]:
    """Return the newest reviews of ``product`` for its page."""
    return list(
        product.expert_reviews.select_related("expert").order_by("-updated_at")[:limit]
    )


def own_review(product: Product, user) -> ExpertReview | None:
    """Return the review ``user`` wrote of ``product``, if any."""
    if not user.is_authenticated:
        return None
    return product.expert_reviews.filter(expert=user).first()


def product_page(product: Product, user) -> dict:
    """Return what the product page shows to ``user``."""
    can_edit = permissions.can_edit_product(user, product)
    can_review = permissions.can_review_product(user, product)
    interest_organisations = permissions.interest_organisations(user, product)
    return {
        "product": product,
        "subject_areas": list(product.subject_areas.all()),
        "education_levels": list(product.education_levels.all()),
        "equipment": list(
            product.required_equipment.select_related("equipment_type").order_by(
                "-is_mandatory", "equipment_type__name"
            )
        ),
        "materials": visible_materials(user, product),
        "events": list(product.events.order_by("-starts_at")[:10]),
        "reviews": latest_reviews(product),
        "own_review": own_review(product, user) if can_review else None,
        "versions": list(product.versions.all()[:5]),
        "can_edit": can_edit,
        "can_submit": permissions.can_submit_product(user, product),
        "can_moderate": permissions.can_moderate_product(user, product),
        "can_review": can_review,
        "can_manage_interests": permissions.can_manage_interests(user, product),
        "interest_organisations": interest_organisations,
        "is_carrier_member": permissions.is_carrier_member(user, product),
    }


def awaiting_moderation() -> QuerySet[Product]:
    return (
        Product.objects.filter(status=Product.Status.SUBMITTED)
        .select_related("carrier")
        .order_by("submitted_at")
    )


def products_of_my_organisations(user) -> list[dict]:
    """Return ``[{"membership": m, "products": [...]}, …]`` for ``user``."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    products = Product.objects.filter(
        carrier__in=[m.organisation_id for m in memberships]
    ).order_by("status", "-updated_at")
    by_carrier: dict[int, list[Product]] = {}
    for product in products:
        by_carrier.setdefault(product.carrier_id, []).append(product)
    return [
        {"membership": m, "products": by_carrier.get(m.organisation_id, [])}
        for m in memberships
    ]


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]


TRACKED_FIELDS = {
    field.name: field
    for field in Product._meta.fields
    if field.name not in {"search_text", "search_vector", "updated_at"}
}


def product_timeline(product: Product, limit: int = 100) -> list[TimelineEntry]:
    """Return the readable history of ``product``, newest first.

    Each entry says who changed which passport fields from what to what.
    """
    records = list(
        product.history.select_related("history_user").order_by("-history_date")[
            : limit + 1
        ]
    )
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        who = newer.history_user.full_name if newer.history_user else _("system")
        if older is None:
            entries.append(TimelineEntry(newer.history_date, who, _("created"), []))
            continue
        delta = newer.diff_against(older, excluded_fields=["updated_at"])
        changes = [
            (
                str(TRACKED_FIELDS[change.field].verbose_name),
                _display(newer, change.field, change.old),
                _display(newer, change.field, change.new),
            )
            for change in delta.changes
            if change.field in TRACKED_FIELDS
        ]
        if changes:
            entries.append(
                TimelineEntry(newer.history_date, who, _("changed"), changes)
            )
    return entries


def _display(record, field_name: str, value) -> str:
    field = Product._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if value in (None, ""):
        return "—"
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


def dashboard_summary(user) -> dict:
    """Return the products part of a user's dashboard, in a few queries."""
    leads = Membership.objects.filter(
        user=user, role__in=[Role.HEAD, Role.COORDINATOR]
    ).values("organisation")
    summary = {
        "leads_an_organisation": leads.exists(),
        "new_interests": Interest.objects.filter(
            product__carrier__in=leads, status=Interest.Status.NEW
        ).count(),
        "is_moderator": permissions.is_moderator(user),
        "awaiting_moderation": 0,
    }
    if summary["is_moderator"]:
        summary["awaiting_moderation"] = awaiting_moderation().count()
    return summary

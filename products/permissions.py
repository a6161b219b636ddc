"""Who may see and do what with innovation products."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from organisations import permissions as org_permissions
from organisations.models import Membership, Organisation, Role
from products.models import ExpertReview, Interest, Material, NewsItem, Product


def is_moderator(user) -> bool:
    """Administrators and experts moderate products."""
    return org_permissions.is_administrator(user) or org_permissions.is_expert(user)


def is_carrier_member(user, product: Product) -> bool:
    """Tell whether ``user`` belongs to the product's carrier in any role."""
    return org_permissions.is_member(user, product.carrier)


def visibility_filter(user) -> Q:
    """Return the condition of the products ``user`` may see, for one query.

    Everyone sees published products; a carrier's members see all of its
    products, drafts included; an accepted partner keeps seeing the product
    once it is archived, for the work goes on; moderators also see submitted
    and archived ones, never another carrier's drafts.
    """
    condition = Q(status=Product.Status.PUBLISHED)
    if not user.is_authenticated:
        return condition
    condition |= Q(
        Exists(Membership.objects.filter(user=user, organisation=OuterRef("carrier")))
    )
    condition |= Q(status=Product.Status.ARCHIVED) & Q(
        Exists(partner_interests(user).filter(product=OuterRef("pk")))
    )
    if is_moderator(user):
        condition |= Q(status__in=[Product.Status.SUBMITTED, Product.Status.ARCHIVED])
    return condition


def can_view_product(user, product: Product) -> bool:
    """Mirror of ``visibility_filter`` for one product already loaded."""
    if product.is_published or is_carrier_member(user, product):
        return True
    if product.status == Product.Status.ARCHIVED and is_partner(user, product):
        return True
    return is_moderator(user) and product.status != Product.Status.DRAFT


def can_edit_product(user, product: Product) -> bool:
    """Heads and coordinators of the carrier (through their groups)."""
    return org_permissions.is_administrator(user) or user.has_perm(
        "products.change_product", product
    )


def can_create_product(user, organisation: Organisation) -> bool:
    """Heads and coordinators create products of their organisation."""
    return org_permissions.is_head_or_coordinator(user, organisation)


def can_submit_product(user, product: Product) -> bool:
    """An editor of a verified carrier sends a draft to moderation."""
    return (
        product.status == Product.Status.DRAFT
        and product.carrier.can_act_officially
        and can_edit_product(user, product)
    )


def sees_full_history(user, product: Product) -> bool:
    """The carrier's members and the moderators read what drafting and
    moderation left in a product's history; others read it from the first
    publication on."""
    return is_carrier_member(user, product) or is_moderator(user)


def can_moderate_product(user, product: Product) -> bool:
    """A moderator who is not of the carrier decides on a submitted product."""
    return (
        product.status == Product.Status.SUBMITTED
        and is_moderator(user)
        and not is_carrier_member(user, product)
    )


def partner_interests(user) -> QuerySet[Interest]:
    """The accepted interests of the organisations of ``user`` whose
    partnership was not broken off: a completed one keeps its partner, a
    terminated one does not (the partnerships app adds the ``partnership``
    relation and its ``status``)."""
    return Interest.objects.filter(
        status=Interest.Status.ACCEPTED, organisation__memberships__user=user
    ).exclude(partnership__status="terminated")


def is_partner(user, product: Product) -> bool:
    """Tell whether ``user`` belongs to an organisation accepted as partner."""
    if not user.is_authenticated:
        return False
    return partner_interests(user).filter(product=product).exists()


def can_view_material(user, material: Material) -> bool:
    """Public materials follow the product; partners' ones are for its circle."""
    product = material.product
    if not can_view_product(user, product):
        return False
    if material.visibility == Material.Visibility.PUBLIC:
        return True
    return (
        is_carrier_member(user, product)
        or is_moderator(user)
        or is_partner(user, product)
    )


def interest_organisations(user, product: Product) -> list[Organisation]:
    """Organisations in whose name ``user`` may declare interest in ``product``.

    A head or coordinator of a verified organisation other than the carrier.
    """
    if not user.is_authenticated or not product.is_published:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__role__in=[Role.HEAD, Role.COORDINATOR],
            is_verified=True,
        ).exclude(pk=product.carrier_id)
    )


def can_manage_interests(user, product: Product) -> bool:
    """The carrier's heads and coordinators work with potential partners.

    Administrators do not: choosing partners is the carrier's own decision.
    """
    return org_permissions.is_head_or_coordinator(user, product.carrier)


def can_review_product(user, product: Product) -> bool:
    """An expert outside the carrier reviews published or submitted products."""
    return (
        org_permissions.is_expert(user)
        and product.status in (Product.Status.PUBLISHED, Product.Status.SUBMITTED)
        and not is_carrier_member(user, product)
    )


# News of the «Региональная инновационная площадка» section


def news_organisations(user) -> QuerySet[Organisation]:
    """Return the verified organisations in whose name ``user`` may publish."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user,
        memberships__role__in=[Role.HEAD, Role.COORDINATOR],
        is_verified=True,
    ).order_by("short_name")


def can_publish_news(user, organisation: Organisation | None) -> bool:
    """Tell whether ``user`` may publish news in the name of ``organisation``.

    Administrators publish platform news (``organisation`` None); heads and
    coordinators of a verified organisation publish that organisation's.
    """
    if organisation is None:
        return org_permissions.is_administrator(user)
    return organisation.can_act_officially and org_permissions.is_head_or_coordinator(
        user, organisation
    )


def can_create_news(user) -> bool:
    """Tell whether ``user`` may publish news in any name at all."""
    return org_permissions.is_administrator(user) or news_organisations(user).exists()


def can_edit_news(user, item: NewsItem) -> bool:
    """Tell whether ``user`` may change ``item``.

    Its organisation's publishers may, and administrators (moderation).
    """
    if org_permissions.is_administrator(user):
        return True
    return item.organisation_id is not None and can_publish_news(
        user, item.organisation
    )


def can_delete_news(user, item: NewsItem) -> bool:
    """Tell whether ``user`` may delete ``item``.

    Administrators and the heads and coordinators of its organisation may.
    Unlike publishing, deleting needs no verified organisation: taking words
    back never speaks in a school's name.
    """
    if org_permissions.is_administrator(user):
        return True
    return item.organisation_id is not None and (
        org_permissions.is_head_or_coordinator(user, item.organisation)
    )


def can_view_news(user, item: NewsItem) -> bool:
    """Tell whether ``user`` may read ``item``.

    Everyone reads published news; a draft is for those who may delete it.
    """
    return item.is_published or can_delete_news(user, item)


# Expert reviews


def can_withdraw_review(user, review: ExpertReview) -> bool:
    """The review's author or an administrator withdraws a review."""
    if not user.is_authenticated:
        return False
    return review.expert_id == user.pk or org_permissions.is_administrator(user)

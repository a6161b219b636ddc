"""The product passport: creation, moderation, publication, versions."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from notifications.kinds import Kind
from organisations.models import Organisation, Role
from organisations.roles import EXPERTS_GROUP, role_group
from products import history, notices, permissions
from products.models import Product, ProductVersion

logger = logging.getLogger(__name__)

# Object permissions of a carrier's role groups on its products.
CARRIER_PERMISSIONS = {
    Role.HEAD: ["view_product", "change_product"],
    Role.COORDINATOR: ["view_product", "change_product"],
    Role.SPECIALIST: ["view_product"],
}


def _carrier_grants(carrier: Organisation):
    """Each role group of ``carrier`` with each permission it holds on the
    carrier's products."""
    for role, codenames in CARRIER_PERMISSIONS.items():
        group = role_group(carrier, role)
        for codename in codenames:
            yield group, f"products.{codename}"


def grant_carrier_permissions(product: Product) -> None:
    """Grant the carrier's role groups their permissions on ``product``."""
    for group, permission in _carrier_grants(product.carrier):
        assign_perm(permission, group, product)


@transaction.atomic
def carrier_permissions_follow(
    product: Product, previous_carrier: Organisation | None = None
) -> None:
    """Give the carrier's role groups their permissions on ``product``, taking
    them from the groups of ``previous_carrier`` when the product has moved
    (as an administrator may move it in the admin)."""
    if previous_carrier is not None and previous_carrier.pk != product.carrier_id:
        for group, permission in _carrier_grants(previous_carrier):
            remove_perm(permission, group, product)
        logger.info(
            "Product %s moved from organisation %s to %s",
            product.pk,
            previous_carrier.pk,
            product.carrier_id,
        )
    grant_carrier_permissions(product)


@transaction.atomic
def create_product(
    *,
    product: Product,
    carrier: Organisation,
    actor: User,
    subject_areas=(),
    education_levels=(),
) -> Product:
    """Save a new draft product of ``carrier`` and grant its groups access."""
    if not permissions.can_create_product(actor, carrier):
        raise PermissionDenied
    product.carrier = carrier
    product.created_by = actor
    product.status = Product.Status.DRAFT
    with history.one_record(product):
        product.save()
        product.subject_areas.set(subject_areas)
        product.education_levels.set(education_levels)
    grant_carrier_permissions(product)
    logger.info("Product %s created by user %s", product.pk, actor.pk)
    return product


def _moderators() -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name=EXPERTS_GROUP))
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def submit_product(*, product: Product, actor: User) -> Product:
    """Send a draft to moderation.

    Needs a verified carrier and a passport with subject areas and levels.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not permissions.can_edit_product(actor, product):
        raise PermissionDenied
    if product.status != Product.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent to moderation."))
    if not product.carrier.can_act_officially:
        raise ValidationError(
            _(
                "Your organisation has not been verified yet; products can be "
                "published after an administrator verifies it."
            )
        )
    missing = []
    if not product.subject_areas.exists():
        missing.append(_("subject areas"))
    if not product.education_levels.exists():
        missing.append(_("education levels"))
    if missing:
        raise ValidationError(
            _("Fill in the passport first: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )

    product.status = Product.Status.SUBMITTED
    product.submitted_at = timezone.now()
    product.rejection_reason = ""
    product.save()
    notices.tell(
        users=_moderators(),
        kind=Kind.PRODUCT_TO_MODERATE,
        notice="moderation_needed",
        context={"product": product},
        link=product.get_absolute_url(),
        actor=actor,
    )
    logger.info("Product %s submitted by user %s", product.pk, actor.pk)
    return product


@transaction.atomic
def moderate_product(
    *, product: Product, actor: User, approve: bool, reason: str = ""
) -> Product:
    """Publish a submitted product, or return it to draft with a reason."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not permissions.can_moderate_product(actor, product):
        raise PermissionDenied
    if not approve and not reason.strip():
        raise ValidationError(_("Explain why the product is not published."))

    product.moderated_by = actor
    if approve:
        product.status = Product.Status.PUBLISHED
        product.published_at = timezone.now()
        product.rejection_reason = ""
    else:
        product.status = Product.Status.DRAFT
        product.rejection_reason = reason.strip()
    product.save()
    notices.tell(
        users=[product.coordinator],
        kind=Kind.PRODUCT_MODERATED,
        notice="moderation_decided",
        context={"product": product},
        link=product.get_absolute_url(),
        actor=actor,
    )
    logger.info(
        "Product %s %s by user %s",
        product.pk,
        "published" if approve else "rejected",
        actor.pk,
    )
    return product


@transaction.atomic
def archive_product(*, product: Product, actor: User) -> Product:
    """Take a published product out of the catalogue."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not permissions.can_edit_product(actor, product):
        raise PermissionDenied
    if product.status != Product.Status.PUBLISHED:
        raise ValidationError(_("Only a published product can be archived."))
    product.status = Product.Status.ARCHIVED
    product.save()
    logger.info("Product %s archived by user %s", product.pk, actor.pk)
    return product


@transaction.atomic
def restore_product(*, product: Product, actor: User) -> Product:
    """Return an archived product to the catalogue."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not permissions.can_edit_product(actor, product):
        raise PermissionDenied
    if product.status != Product.Status.ARCHIVED:
        raise ValidationError(_("Only an archived product can be restored."))
    product.status = Product.Status.PUBLISHED
    product.save()
    return product


@transaction.atomic
def add_version(
    *,
    product: Product,
    actor: User,
    number: str,
    changes: str,
    reason: str,
    released_on=None,
) -> ProductVersion:
    """Record a new version of ``product``: its number, changes and reason."""
    if not permissions.can_edit_product(actor, product):
        raise PermissionDenied
    number = number.strip()
    if product.versions.filter(number=number).exists():
        raise ValidationError(
            _("Version %(number)s already exists.") % {"number": number}
        )
    version = ProductVersion(
        product=product,
        number=number,
        changes=changes,
        reason=reason,
        created_by=actor,
    )
    if released_on is not None:
        version.released_on = released_on
    version.full_clean()
    version.save()
    logger.info("Product %s version %s recorded", product.pk, version.pk)
    return version

"""News of the «Региональная инновационная площадка» section.

Administrators publish the platform's own news; heads and coordinators of a
verified organisation publish the news of their organisation. Who may is
decided in ``products.permissions``; the services check it again.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from organisations import permissions as org_permissions
from organisations.models import Organisation
from products import permissions
from products.models import NewsItem, Product

logger = logging.getLogger(__name__)

# What an author may write; the organisation, author and dates are the
# service's.
NEWS_FIELDS = frozenset({"title", "summary", "body", "is_published"})


def _check_fields(fields: dict, allowed: frozenset) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown news fields: {sorted(unknown)}")


def _check_author(actor: User, organisation: Organisation | None) -> None:
    """Refuse an actor who may not speak in the name of ``organisation``."""
    if organisation is None:
        if not org_permissions.is_administrator(actor):
            raise PermissionDenied
        return
    if not org_permissions.is_head_or_coordinator(actor, organisation):
        raise PermissionDenied
    if not organisation.can_act_officially:
        raise ValidationError(
            _(
                "Your organisation has not been verified yet; it can publish "
                "news after an administrator verifies it."
            ),
            code="organisation_not_verified",
        )


def _check_product(product: Product | None, organisation: Organisation | None) -> None:
    if product is None or organisation is None:
        return
    if product.carrier_id != organisation.pk:
        raise ValidationError(
            {
                "product": ValidationError(
                    _("Choose a product of the organisation that publishes the news."),
                    code="foreign_product",
                )
            }
        )


@transaction.atomic
def publish_news(
    *,
    actor: User,
    organisation: Organisation | None = None,
    product: Product | None = None,
    **fields,
) -> NewsItem:
    """Publish a news item of ``organisation``, or of the platform if None.

    Raises ``PermissionDenied`` unless the actor is an administrator
    (platform news) or a head or coordinator of the organisation, and
    ``ValidationError`` when that organisation is not verified or the
    product is another organisation's. With ``is_published=False`` the item
    is saved as a draft. Nothing is saved when refused; the item is
    historised.
    """
    _check_fields(fields, NEWS_FIELDS)
    _check_author(actor, organisation)
    _check_product(product, organisation)
    item = NewsItem(
        organisation=organisation,
        product=product,
        author=actor,
        published_at=timezone.now(),
        **fields,
    )
    item.full_clean(exclude=["organisation", "product", "author"])

    item.save()
    logger.info("News item %s saved by user %s", item.pk, actor.pk)
    return item


@transaction.atomic
def update_news(*, item: NewsItem, actor: User, **fields) -> NewsItem:
    """Change the given fields of ``item``; its organisation stays.

    Administrators may change any item; otherwise the rules of
    ``publish_news`` apply. A draft that becomes published gets the moment
    of publication as its date. Nothing changes when refused.
    """
    _check_fields(fields, NEWS_FIELDS | {"product"})
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if not org_permissions.is_administrator(actor):
        _check_author(actor, item.organisation)
    if "product" in fields:
        _check_product(fields["product"], item.organisation)
    was_published = item.is_published
    for name, value in fields.items():
        setattr(item, name, value)
    if item.is_published and not was_published:
        item.published_at = timezone.now()
    item.full_clean(exclude=["organisation", "product", "author"])

    item.save()
    logger.info("News item %s changed by user %s", item.pk, actor.pk)
    return item


@transaction.atomic
def delete_news(*, item: NewsItem, actor: User) -> None:
    """Delete ``item``; only those ``permissions.can_delete_news`` names may.

    The deletion is historised.
    """
    if not permissions.can_delete_news(actor, item):
        raise PermissionDenied
    item_pk = item.pk
    item.delete()
    logger.info("News item %s deleted by user %s", item_pk, actor.pk)

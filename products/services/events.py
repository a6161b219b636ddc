"""Positioning events: where a carrier shows its product (stage 1)."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import User
from products import permissions
from products.models import PositioningEvent, Product

logger = logging.getLogger(__name__)

# What an editor may write; the product and the author are set by the service.
EVENT_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "url",
    "audience_size",
    "materials",
    "outcome",
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")


def _validate(event: PositioningEvent) -> None:
    """Refuse an event the model's rules refuse (an end before the start
    among them)."""
    event.full_clean(exclude=["product", "created_by"])


@transaction.atomic
def record_event(*, product: Product, actor: User, **fields) -> PositioningEvent:
    """Record an event where ``product`` is shown.

    Only the product's editors may. Raises ``ValidationError`` (on
    ``ends_at``) when the event ends before it starts; nothing is saved then.
    The change is historised.
    """
    _check_fields(fields)
    if not permissions.can_edit_product(actor, product):
        raise PermissionDenied
    event = PositioningEvent(product=product, created_by=actor, **fields)
    _validate(event)

    event.save()
    logger.info(
        "Event %s recorded for product %s by user %s", event.pk, product.pk, actor.pk
    )
    return event


@transaction.atomic
def update_event(*, event: PositioningEvent, actor: User, **fields) -> PositioningEvent:
    """Change the given fields of ``event``.

    Only the product's editors may; the same rules as ``record_event``
    apply, and a refused change leaves the stored event as it was.
    """
    _check_fields(fields)
    event = PositioningEvent.objects.select_for_update().get(pk=event.pk)
    if not permissions.can_edit_product(actor, event.product):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(event, name, value)
    _validate(event)

    event.save()
    logger.info("Event %s changed by user %s", event.pk, actor.pk)
    return event


@transaction.atomic
def delete_event(*, event: PositioningEvent, actor: User) -> None:
    """Delete ``event``; interests that named it as their source keep none.

    Only the product's editors may. The deletion is historised.
    """
    if not permissions.can_edit_product(actor, event.product):
        raise PermissionDenied
    event_pk = event.pk
    event.delete()
    logger.info("Event %s deleted by user %s", event_pk, actor.pk)

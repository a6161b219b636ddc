"""Declared interest in products and the carrier's decisions on it.

A recipient's head or coordinator declares interest; the carrier's heads and
coordinators keep the database of potential partners: they get in contact,
decline with a reason, or accept. Accepting is the exit of stage 1 and is
recorded by ``record_interest_acceptance``, which the partnerships app calls
when it creates a partnership.
"""

import logging
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.kinds import Kind
from organisations.models import Organisation, Role
from products import notices, permissions
from products.models import Interest, PositioningEvent, Product

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = Interest._meta.get_field("message").max_length

# simple-history keeps a change reason of at most this many characters.
HISTORY_REASON_LENGTH = 100


def _already_declared() -> ValidationError:
    return ValidationError(
        _(
            "Your organisation has already declared interest in this product. "
            "The carrier will contact you; its status is shown on the product "
            "page."
        ),
        code="already_declared",
    )


@transaction.atomic
def declare_interest(
    *,
    product: Product,
    organisation: Organisation,
    actor: User,
    message: str,
    expected_start: date | None = None,
    source_event: PositioningEvent | None = None,
) -> Interest:
    """Record that ``organisation`` wants to adopt ``product``.

    Only a head or coordinator may declare, in the name of a verified
    organisation other than the carrier, for a published product; one open
    interest per organisation and product (a double-submitted form creates
    one). The carrier's heads and coordinators get an email after commit.
    """
    if not product.is_published:
        raise ValidationError(
            _("Interest can be declared only in a published product."),
            code="not_published",
        )
    if organisation not in permissions.interest_organisations(actor, product):
        raise PermissionDenied
    message = message.strip()
    if not message or len(message) > MESSAGE_LENGTH:
        raise ValidationError(
            _("Tell the carrier in up to %(limit)s characters why you are interested.")
            % {"limit": MESSAGE_LENGTH},
            code="invalid_message",
        )
    if source_event is not None and source_event.product_id != product.pk:
        raise ValidationError(
            _("Choose an event of this product."), code="foreign_event"
        )
    if _has_open_interest(product, organisation):
        raise _already_declared()
    if _works_with_carrier(product, organisation):
        raise ValidationError(
            _(
                "Your organisation already adopts this product in a partnership "
                "with its carrier. Open it from the «Partnerships» page."
            ),
            code="already_partner",
        )

    interest = Interest(
        product=product,
        organisation=organisation,
        declared_by=actor,
        message=message,
        expected_start=expected_start,
        source_event=source_event,
    )
    interest._history_user = actor
    try:
        # Two requests at once both pass the check above; the constraint
        # lets one of them in.
        with transaction.atomic():
            interest.save()
    except IntegrityError:
        if _has_open_interest(product, organisation):
            raise _already_declared() from None
        raise

    _notify_carrier(interest)
    logger.info(
        "Interest %s in product %s declared by user %s",
        interest.pk,
        product.pk,
        actor.pk,
    )
    return interest


def _has_open_interest(product: Product, organisation: Organisation) -> bool:
    return Interest.objects.filter(
        product=product,
        organisation=organisation,
        status__in=Interest.OPEN_STATUSES,
    ).exists()


def _works_with_carrier(product: Product, organisation: Organisation) -> bool:
    """Whether an accepted interest of ``organisation`` in ``product`` led to
    a partnership that is still active (the partnerships app adds the
    ``partnership`` relation and its ``status``)."""
    return Interest.objects.filter(
        product=product,
        organisation=organisation,
        status=Interest.Status.ACCEPTED,
        partnership__status="active",
    ).exists()


def _notify_carrier(interest: Interest) -> None:
    product = interest.product
    path = reverse("products:partner_database")
    leads = User.objects.filter(
        memberships__organisation_id=product.carrier_id,
        memberships__role__in=[Role.HEAD, Role.COORDINATOR],
    ).order_by("pk")
    notices.tell(
        users=leads,
        kind=Kind.INTEREST_DECLARED,
        notice="interest_declared",
        context={"interest": interest, "product": product},
        link=f"{path}?{urlencode({'product': product.pk})}",
        actor=interest.declared_by,
    )


def _lock(interest: Interest, actor: User) -> Interest:
    """Return a fresh, locked copy of ``interest`` if ``actor`` may manage it."""
    locked = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("product", "organisation", "declared_by")
        .get(pk=interest.pk)
    )
    if not permissions.can_manage_interests(actor, locked.product):
        raise PermissionDenied
    return locked


def _save(interest: Interest, actor: User, reason: str = "") -> None:
    interest._history_user = actor
    if reason:
        interest._change_reason = reason[:HISTORY_REASON_LENGTH]
    interest.save()


@transaction.atomic
def set_interest_status(
    *, interest: Interest, actor: User, status: str, reason: str = ""
) -> Interest:
    """Move an open interest between «new» and «in contact».

    ``reason`` goes to the history record. Setting the status it already has
    changes nothing. A decided interest is refused: use ``decline_interest``
    or ``record_interest_acceptance`` for decisions.
    """
    interest = _lock(interest, actor)
    if status not in Interest.OPEN_STATUSES:
        raise ValidationError(_("Choose «new» or «in contact»."), code="invalid_status")
    if not interest.is_open:
        raise ValidationError(
            _("The interest is already decided."), code="already_decided"
        )
    if interest.status == status:
        return interest

    interest.status = status
    _save(interest, actor, reason.strip())
    logger.info("Interest %s set to %s by user %s", interest.pk, status, actor.pk)
    return interest


@transaction.atomic
def decline_interest(*, interest: Interest, actor: User, reason: str) -> Interest:
    """Decline an open interest, telling the recipient why.

    The reason is required; the declarer is emailed after commit. The
    organisation may declare interest again later.
    """
    interest = _lock(interest, actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Explain to the organisation why its interest is declined."),
            code="reason_required",
        )
    if not interest.is_open:
        raise ValidationError(
            _("The interest is already decided."), code="already_decided"
        )

    interest.status = Interest.Status.DECLINED
    interest.decline_reason = reason
    interest.decided_by = actor
    interest.decided_at = timezone.now()
    _save(interest, actor, reason)
    _notify_declarer(interest, "interest_declined", Kind.INTEREST_DECLINED)
    logger.info("Interest %s declined by user %s", interest.pk, actor.pk)
    return interest


@transaction.atomic
def update_interest_notes(*, interest: Interest, actor: User, notes: str) -> Interest:
    """Replace the carrier's own notes on an interest, in any status.

    The notes are never shown to the recipient.
    """
    interest = _lock(interest, actor)
    interest.carrier_notes = notes.strip()
    _save(interest, actor)
    return interest


@transaction.atomic
def record_interest_acceptance(
    *, interest: Interest, actor: User, notify_declarer: bool = True
) -> Interest:
    """Record that the carrier accepts an open interest: the exit of stage 1.

    The partnerships app calls this inside its own transaction when it
    creates the partnership, so that the partnership and the decision commit
    together. ``actor`` must manage the product's interests
    (``PermissionDenied``). Accepting an accepted interest returns it
    unchanged and sends nothing; a declined one is refused
    (``ValidationError``). The declarer is emailed after commit unless
    ``notify_declarer`` is false (the caller tells them itself).
    """
    interest = _lock(interest, actor)
    if interest.status == Interest.Status.ACCEPTED:
        return interest
    if interest.status == Interest.Status.DECLINED:
        raise ValidationError(
            _("A declined interest cannot be accepted."), code="declined"
        )

    interest.status = Interest.Status.ACCEPTED
    interest.decided_by = actor
    interest.decided_at = timezone.now()
    _save(interest, actor)
    if notify_declarer:
        _notify_declarer(interest, "interest_accepted", Kind.INTEREST_ACCEPTED)
    logger.info("Interest %s accepted by user %s", interest.pk, actor.pk)
    return interest


# What accepting an interest does besides recording the decision: the
# partnerships app registers the creation of the partnership here when it
# loads, so that this app never imports it.
_acceptance_handler = None


def register_acceptance_handler(handler) -> None:
    """Make ``handler(*, interest, actor)`` carry out acceptances.

    The handler must call ``record_interest_acceptance`` in its own
    transaction and return the object the carrier should see next (one with
    ``get_absolute_url``).
    """
    global _acceptance_handler
    _acceptance_handler = handler


def accept_interest(*, interest: Interest, actor: User):
    """Accept an interest from the carrier's partners database.

    With the partnerships app loaded this creates the partnership together
    with the decision and returns the partnership; without it, it only
    records the decision and returns the interest. The guarantees of
    ``record_interest_acceptance`` hold either way.
    """
    if _acceptance_handler is not None:
        return _acceptance_handler(interest=interest, actor=actor)
    return record_interest_acceptance(interest=interest, actor=actor)


def _notify_declarer(interest: Interest, notice: str, kind: str) -> None:
    if interest.declared_by is None:
        return
    notices.tell(
        users=[interest.declared_by],
        kind=kind,
        notice=notice,
        context={"interest": interest, "product": interest.product},
        link=reverse("products:my_interests"),
        actor=interest.decided_by,
    )

"""Creating a partnership, moving it between stages, ending it."""

import logging
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.kinds import Kind
from notifications.services import notify, site_language
from organisations import permissions as org_permissions
from organisations.models import Role
from partnerships import permissions
from partnerships.models import (
    Agreement,
    NegotiationNote,
    Partnership,
    Side,
    Stage,
    StageMove,
)
from partnerships.registry import registry
from partnerships.services.common import (
    leads,
    lock_partnership,
    partnership_link,
    require,
    save_with_history,
)
from products.models import Interest
from products.services.interests import record_interest_acceptance

logger = logging.getLogger(__name__)

NOTE_LENGTH = NegotiationNote._meta.get_field("text").max_length

# The same text from the same person within this time is a repeated submission.
REPEAT_WINDOW = timedelta(minutes=5)


def _active_partnership_exists() -> ValidationError:
    return ValidationError(
        _(
            "This organisation already has an active partnership on this "
            "product. Open it from the list of partnerships."
        ),
        code="already_partners",
    )


@transaction.atomic
def accept_interest(*, interest: Interest, actor: User) -> Partnership:
    """Accept ``interest`` and create the partnership: the exit of stage 1.

    The decision and the partnership commit together. The partnership starts
    at stage 2 with the product's coordinator (or the actor) and the
    declarer as the responsible people, and both organisations' role groups
    get their rights. Accepting again (a double-submitted form) returns the
    same partnership; the recipient may have one active partnership per
    product. Both sides are notified after commit.
    """
    interest = record_interest_acceptance(
        interest=interest, actor=actor, notify_declarer=False
    )
    existing = Partnership.objects.filter(interest=interest).first()
    if existing is not None:
        return existing
    product = interest.product
    if Partnership.objects.filter(
        product=product,
        recipient=interest.organisation,
        status=Partnership.Status.ACTIVE,
    ).exists():
        raise _active_partnership_exists()

    partnership = Partnership(
        product=product,
        interest=interest,
        carrier=product.carrier,
        recipient=interest.organisation,
        carrier_contact=product.coordinator or actor,
        recipient_contact=interest.declared_by,
        stage=Stage.DOCUMENTS,
        created_by=actor,
    )
    partnership._history_user = actor
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError:
        raise _active_partnership_exists() from None
    with site_language():
        reason = _("The carrier accepted the interest.")
    StageMove.objects.create(
        partnership=partnership,
        from_stage=Stage.POSITIONING,
        to_stage=Stage.DOCUMENTS,
        actor=actor,
        reason=reason,
    )
    permissions.grant_permissions(partnership)

    with site_language():
        notify(
            users=leads(partnership),
            kind=Kind.INTEREST_ACCEPTED,
            title=_("%(carrier)s accepted the interest in «%(product)s»")
            % {"carrier": partnership.carrier, "product": product},
            body=_(
                "The partnership is created and is at the stage «%(stage)s». "
                "The carrier prepares the document package."
            )
            % {"stage": partnership.get_stage_display()},
            link=partnership_link(partnership),
            actor=actor,
        )
    logger.info(
        "Partnership %s created from interest %s by user %s",
        partnership.pk,
        interest.pk,
        actor.pk,
    )
    return partnership


def _require_active(partnership: Partnership) -> None:
    if not partnership.is_active:
        raise ValidationError(
            _("The partnership is %(status)s: it cannot be changed.")
            % {"status": partnership.get_status_display().lower()},
            code="not_active",
        )


def _record_move(partnership, actor, to_stage, reason=""):
    move = StageMove.objects.create(
        partnership=partnership,
        from_stage=partnership.stage,
        to_stage=to_stage,
        actor=actor,
        reason=reason,
    )
    partnership.stage = to_stage
    save_with_history(partnership, actor, reason)
    return move


def _notify_move(partnership, actor, move) -> None:
    with site_language():
        if move.is_back:
            title = _("«%(product)s» with %(recipient)s went back to stage %(stage)s")
        else:
            title = _("«%(product)s» with %(recipient)s moved to stage %(stage)s")
        notify(
            users=leads(partnership),
            kind=Kind.STAGE_MOVED,
            title=title
            % {
                "product": partnership.product,
                "recipient": partnership.recipient,
                "stage": partnership.stage,
            },
            body=f"{partnership.get_stage_display()}. {move.reason}".strip(),
            link=partnership_link(partnership),
            actor=actor,
        )


@transaction.atomic
def advance_stage(*, partnership: Partnership, actor: User) -> Partnership:
    """Move ``partnership`` to the next stage if the current one is done.

    Only the carrier's heads and coordinators move stages. The exit
    conditions of the current stage (the registry) must all be met; the
    refusal names each one that is not. Stage 5 has no next stage: the
    partnership is completed instead.
    """
    partnership = lock_partnership(partnership)
    require(permissions.viewer(actor, partnership).is_carrier_lead)
    _require_active(partnership)
    if partnership.stage >= Stage.IMPLEMENTATION:
        raise ValidationError(
            _(
                "Practical implementation is the last stage: mark the "
                "partnership completed when the work is done."
            ),
            code="last_stage",
        )
    missing = registry.missing(partnership, partnership.stage)
    if missing:
        next_label = Stage(partnership.stage + 1).label
        raise ValidationError(
            _(
                "To move to the stage «%(stage)s», the following is missing: "
                "%(missing)s."
            )
            % {
                "stage": next_label,
                "missing": "; ".join(str(state.condition.label) for state in missing),
            },
            code="conditions_missing",
        )
    move = _record_move(partnership, actor, partnership.stage + 1)
    _notify_move(partnership, actor, move)
    logger.info(
        "Partnership %s moved to stage %s by user %s",
        partnership.pk,
        partnership.stage,
        actor.pk,
    )
    return partnership


@transaction.atomic
def move_stage_back(
    *, partnership: Partnership, actor: User, reason: str
) -> Partnership:
    """Return ``partnership`` one stage back, with the carrier's reason.

    A partnership never goes back to stage 1: it exists because stage 1
    ended.
    """
    partnership = lock_partnership(partnership)
    require(permissions.viewer(actor, partnership).is_carrier_lead)
    _require_active(partnership)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Explain why the partnership goes back a stage."),
            code="reason_required",
        )
    if partnership.stage <= Stage.DOCUMENTS:
        raise ValidationError(
            _("The document package is the first stage of a partnership."),
            code="first_stage",
        )
    move = _record_move(partnership, actor, partnership.stage - 1, reason)
    _notify_move(partnership, actor, move)
    logger.info(
        "Partnership %s moved back to stage %s by user %s",
        partnership.pk,
        partnership.stage,
        actor.pk,
    )
    return partnership


def _end(partnership, actor, status, reason) -> None:
    partnership.status = status
    partnership.end_reason = reason
    partnership.ended_at = timezone.now()
    save_with_history(partnership, actor, reason)
    with site_language():
        notify(
            users=leads(partnership),
            kind=Kind.STAGE_MOVED,
            title=_("The partnership on «%(product)s» with %(recipient)s is %(status)s")
            % {
                "product": partnership.product,
                "recipient": partnership.recipient,
                "status": partnership.get_status_display().lower(),
            },
            body=reason,
            link=partnership_link(partnership),
            actor=actor,
        )


@transaction.atomic
def complete_partnership(*, partnership: Partnership, actor: User) -> Partnership:
    """The carrier marks a partnership at stage 5 completed."""
    partnership = lock_partnership(partnership)
    require(permissions.viewer(actor, partnership).is_carrier_lead)
    _require_active(partnership)
    if partnership.stage != Stage.IMPLEMENTATION:
        raise ValidationError(
            _(
                "Only a partnership at the stage of practical implementation "
                "can be completed."
            ),
            code="not_last_stage",
        )
    _end(partnership, actor, Partnership.Status.COMPLETED, "")
    logger.info("Partnership %s completed by user %s", partnership.pk, actor.pk)
    return partnership


@transaction.atomic
def terminate_partnership(
    *, partnership: Partnership, actor: User, reason: str
) -> Partnership:
    """Either side's head or coordinator ends the partnership, with a reason.

    Agreements not yet signed are terminated with it; signed ones keep
    their text and get the termination recorded.
    """
    partnership = lock_partnership(partnership)
    require(permissions.viewer(actor, partnership).is_lead)
    _require_active(partnership)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Explain why the partnership is terminated."), code="reason_required"
        )
    for agreement in partnership.agreements.filter(
        status__in=Agreement.LIVE_STATUSES
    ).select_for_update():
        agreement.status = Agreement.Status.TERMINATED
        agreement.end_reason = reason
        save_with_history(agreement, actor, reason)
    _end(partnership, actor, Partnership.Status.TERMINATED, reason)
    logger.info("Partnership %s terminated by user %s", partnership.pk, actor.pk)
    return partnership


@transaction.atomic
def set_contacts(
    *, partnership: Partnership, actor: User, side: str, contact: User | None
) -> Partnership:
    """A head or coordinator names the responsible person of their side."""
    partnership = lock_partnership(partnership)
    who = permissions.viewer(actor, partnership)
    require(who.side == side and who.is_lead)
    _require_active(partnership)
    organisation = partnership.organisation_of(side)
    if contact is not None and not org_permissions.is_member(contact, organisation):
        raise ValidationError(
            _("The responsible person must be a member of %(organisation)s.")
            % {"organisation": organisation},
            code="not_member",
        )
    if side == Side.CARRIER:
        partnership.carrier_contact = contact
    else:
        partnership.recipient_contact = contact
    save_with_history(partnership, actor)
    return partnership


@transaction.atomic
def set_experts(*, partnership: Partnership, actor: User, experts) -> Partnership:
    """An administrator assigns the experts who accompany the partnership.

    Assigned experts may view the partnership; removed ones lose that.
    """
    if not org_permissions.is_administrator(actor):
        raise PermissionDenied
    partnership = lock_partnership(partnership)
    experts = set(experts)
    if any(not org_permissions.is_expert(expert) for expert in experts):
        raise ValidationError(
            _("Only members of the experts group can accompany a partnership."),
            code="not_expert",
        )
    current = set(partnership.experts.all())
    for expert in current - experts:
        permissions.revoke_expert(partnership, expert)
    for expert in experts - current:
        permissions.grant_expert(partnership, expert)
    partnership._history_user = actor
    partnership.experts.set(experts)
    return partnership


@transaction.atomic
def add_negotiation_note(
    *, partnership: Partnership, actor: User, held_on: date, text: str
) -> NegotiationNote:
    """Record what the heads agreed in negotiations (stage 3).

    Heads and coordinators of either side write notes; both sides read them.
    """
    partnership = lock_partnership(partnership)
    who = permissions.viewer(actor, partnership)
    require(who.is_lead)
    _require_active(partnership)
    text = text.strip()
    if not text or len(text) > NOTE_LENGTH:
        raise ValidationError(
            _("Write what was agreed in up to %(limit)s characters.")
            % {"limit": NOTE_LENGTH},
            code="invalid_text",
        )
    if held_on > timezone.localdate():
        raise ValidationError(
            _("Negotiations cannot be recorded for a future date."),
            code="future_date",
        )
    # The partnership is locked, so a double-submitted form finds the note
    # its first submission wrote and returns it.
    repeated = NegotiationNote.objects.filter(
        partnership=partnership,
        author=actor,
        held_on=held_on,
        text=text,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if repeated is not None:
        return repeated
    return NegotiationNote.objects.create(
        partnership=partnership, author=actor, held_on=held_on, text=text
    )


def heads_of(organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.HEAD,
            is_active=True,
        ).order_by("pk")
    )

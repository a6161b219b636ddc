"""State changes of organisations and their members.

Each function checks that ``actor`` may act, raises ``PermissionDenied`` when
not, and ``ValidationError`` with a message for the person when a rule of the
domain refuses the change. Nothing is changed when either is raised.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, normalize_email
from accounts.services import absolute_url, send_templated_email
from organisations import permissions
from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    Role,
    hash_token,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def register_organisation(*, organisation: Organisation, actor: User) -> Organisation:
    """Save a new organisation with ``actor`` as its head.

    The organisation stays unverified until an administrator checks it; the
    administrators are told by email.
    """
    if not actor.is_authenticated or not actor.has_confirmed_email:
        raise PermissionDenied
    organisation.full_clean()
    organisation.is_verified = False
    organisation.created_by = actor
    organisation.save()
    Membership.objects.create(user=actor, organisation=organisation, role=Role.HEAD)
    logger.info("Organisation %s registered by user %s", organisation.pk, actor.pk)

    admin_link = absolute_url(
        reverse("admin:organisations_organisation_change", args=[organisation.pk])
    )
    for admin_email in User.objects.filter(is_staff=True, is_active=True).values_list(
        "email", flat=True
    ):
        send_templated_email(
            to=admin_email,
            template="organisations/emails/verification_needed",
            context={"organisation": organisation, "link": admin_link},
        )
    return organisation


@transaction.atomic
def verify_organisation(*, organisation: Organisation, actor: User) -> bool:
    """Mark ``organisation`` as verified; return False if it already was."""
    if not permissions.is_administrator(actor):
        raise PermissionDenied
    if organisation.is_verified:
        return False
    organisation.is_verified = True
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.save(update_fields=["is_verified", "verified_at", "verified_by"])
    logger.info("Organisation %s verified by user %s", organisation.pk, actor.pk)
    return True


@transaction.atomic
def invite_member(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Invitation:
    """Send an invitation to join ``organisation`` in ``role``.

    Refuses an address that is already a member or already has a pending
    invitation (which also makes a double-submitted form send one letter).
    """
    if role not in permissions.invitable_roles(actor, organisation):
        raise PermissionDenied
    email = normalize_email(email)
    if Membership.objects.filter(organisation=organisation, user__email=email).exists():
        raise ValidationError(_("This person is already a member of the organisation."))
    if organisation.invitations.pending().filter(email=email).exists():
        raise ValidationError(
            _(
                "An invitation to this address is already waiting. Revoke it to "
                "send a new one."
            )
        )

    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = absolute_url(
        reverse("organisations:invitation_accept", args=[token]), request
    )
    send_templated_email(
        to=email,
        template="organisations/emails/invitation",
        context={"invitation": invitation, "link": link, "inviter": actor},
    )
    logger.info("Invitation %s sent by user %s", invitation.pk, actor.pk)
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """Return the invitation of an emailed token, whatever its state."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Make ``user`` a member in the invited role.

    The invitation must be pending and addressed to the user's email.
    Accepting again after success returns the same membership.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_by_id == user.pk:
        membership = Membership.objects.filter(
            user=user, organisation=invitation.organisation
        ).first()
        if membership is not None:
            return membership
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation is no longer valid. Ask for a new one.")
        )
    if normalize_email(user.email) != invitation.email:
        raise ValidationError(
            _(
                "This invitation was sent to another address. Sign in with the "
                "account of %(email)s."
            )
            % {"email": invitation.email}
        )
    if Membership.objects.filter(
        user=user, organisation=invitation.organisation
    ).exists():
        raise ValidationError(_("You are already a member of this organisation."))

    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # An invitation answers the person's own request to join, if any; saved
    # one by one so that the history records the decision.
    for join_request in JoinRequest.objects.filter(
        organisation=invitation.organisation,
        user=user,
        status=JoinRequest.Status.PENDING,
    ):
        join_request.status = JoinRequest.Status.APPROVED
        join_request.decided_at = timezone.now()
        join_request.decided_by = invitation.invited_by
        join_request.save()
    logger.info("Invitation %s accepted by user %s", invitation.pk, user.pk)
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User) -> None:
    """Withdraw a pending invitation so its link stops working."""
    if not permissions.can_invite_members(actor, invitation.organisation):
        raise PermissionDenied
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer pending."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def request_to_join(
    *, organisation: Organisation, user: User, message: str = ""
) -> JoinRequest:
    """Ask the heads of ``organisation`` to let ``user`` in.

    A second request while one is pending returns the pending one.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    if permissions.is_member(user, organisation):
        raise ValidationError(_("You are already a member of this organisation."))
    pending = organisation.join_requests.filter(
        user=user, status=JoinRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending

    join_request = JoinRequest.objects.create(
        organisation=organisation, user=user, message=message
    )
    link = absolute_url(
        reverse("organisations:organisation_members", args=[organisation.pk])
    )
    heads = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Role.HEAD
    )
    for head in heads:
        send_templated_email(
            to=head.email,
            template="organisations/emails/join_request",
            context={"join_request": join_request, "link": link},
        )
    logger.info("User %s asked to join organisation %s", user.pk, organisation.pk)
    return join_request


@transaction.atomic
def decide_join_request(
    *,
    join_request: JoinRequest,
    actor: User,
    approve: bool,
    role: str = Role.SPECIALIST,
    reason: str = "",
) -> JoinRequest:
    """Approve (with a role) or decline a pending request to join."""
    if not permissions.can_manage_memberships(actor, join_request.organisation):
        raise PermissionDenied
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if approve and role not in Role.values:
        raise ValidationError(_("Choose a role."))

    join_request.status = (
        JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    )
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.decline_reason = "" if approve else reason
    join_request.save()
    if approve:
        Membership.objects.get_or_create(
            user=join_request.user,
            organisation=join_request.organisation,
            defaults={"role": role},
        )
    send_templated_email(
        to=join_request.user.email,
        template="organisations/emails/join_request_decided",
        context={
            "join_request": join_request,
            "link": absolute_url(join_request.organisation.get_absolute_url()),
        },
    )
    return join_request


def _refuse_losing_last_head(membership: Membership) -> None:
    if membership.role != Role.HEAD:
        return
    heads = Membership.objects.filter(
        organisation=membership.organisation, role=Role.HEAD
    ).select_for_update()
    # len(), not count(): COUNT(*) drops the FOR UPDATE and would lock nothing.
    if len(heads) <= 1:
        raise ValidationError(
            _(
                "An organisation must keep at least one head. Appoint another "
                "head first."
            )
        )


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, actor: User) -> Membership:
    """Give a member another role; the last head cannot step down."""
    if not permissions.can_manage_memberships(actor, membership.organisation):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    if role == membership.role:
        return membership
    _refuse_losing_last_head(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    logger.info("Membership %s changed to %s by user %s", membership.pk, role, actor.pk)
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor: User) -> None:
    """Remove a member (a head may remove anyone, anyone may leave)."""
    is_self = membership.user_id == actor.pk
    if not is_self and not permissions.can_manage_memberships(
        actor, membership.organisation
    ):
        raise PermissionDenied
    _refuse_losing_last_head(membership)
    membership_id = membership.pk
    membership.delete()
    logger.info("Membership %s removed by user %s", membership_id, actor.pk)

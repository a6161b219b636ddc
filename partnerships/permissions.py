"""Who may see and do what with a partnership and what hangs off it.

Seeing goes through guardian object permissions granted, when the
partnership is created, to the role groups of both organisations (and to
assigned experts directly), so a change of membership needs no re-granting.
Acting depends on the side a person is on and their role there.
"""

from dataclasses import dataclass

from django.db.models import Q
from guardian.shortcuts import assign_perm, remove_perm

from organisations import permissions as org_permissions
from organisations.models import Membership, Role
from organisations.roles import role_group
from partnerships.models import (
    Agreement,
    Partnership,
    PartnershipGroupObjectPermission,
    PartnershipUserObjectPermission,
    Side,
)

# Object permissions of each side's role groups on its partnerships.
PARTNER_PERMISSIONS = {
    Role.HEAD: ["view_partnership", "change_partnership"],
    Role.COORDINATOR: ["view_partnership", "change_partnership"],
    Role.SPECIALIST: ["view_partnership"],
}

LEAD_ROLES = (Role.HEAD, Role.COORDINATOR)


def grant_permissions(partnership: Partnership) -> None:
    """Grant both organisations' role groups their rights on ``partnership``."""
    for organisation in (partnership.carrier, partnership.recipient):
        for role, codenames in PARTNER_PERMISSIONS.items():
            group = role_group(organisation, role)
            for codename in codenames:
                assign_perm(f"partnerships.{codename}", group, partnership)


def grant_expert(partnership: Partnership, expert) -> None:
    assign_perm("partnerships.view_partnership", expert, partnership)


def revoke_expert(partnership: Partnership, expert) -> None:
    remove_perm("partnerships.view_partnership", expert, partnership)


def visibility_filter(user) -> Q:
    """The partnerships ``user`` may see, as one condition of one statement.

    Administrators see every partnership; others those their groups or they
    themselves hold the view permission on.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if org_permissions.is_administrator(user):
        return Q()
    # One subquery of granted ids: PostgreSQL hashes it once, where two
    # correlated EXISTS would be probed for every partnership in the table.
    through_groups = PartnershipGroupObjectPermission.objects.filter(
        permission__codename="view_partnership", group__user=user
    ).values("content_object_id")
    directly = PartnershipUserObjectPermission.objects.filter(
        permission__codename="view_partnership", user=user
    ).values("content_object_id")
    return Q(pk__in=through_groups.union(directly))


@dataclass(frozen=True)
class Viewer:
    """What one person is to one partnership, worked out once per page."""

    side: str | None
    role: str | None
    is_administrator: bool
    is_expert: bool

    @property
    def is_member(self) -> bool:
        return self.side is not None

    @property
    def is_lead(self) -> bool:
        """A head or coordinator of one of the two organisations."""
        return self.side is not None and self.role in LEAD_ROLES

    @property
    def is_carrier_lead(self) -> bool:
        return self.side == Side.CARRIER and self.role in LEAD_ROLES

    @property
    def is_recipient_lead(self) -> bool:
        return self.side == Side.RECIPIENT and self.role in LEAD_ROLES

    @property
    def is_head(self) -> bool:
        return self.side is not None and self.role == Role.HEAD

    @property
    def other_side(self) -> str | None:
        if self.side is None:
            return None
        return Side.RECIPIENT if self.side == Side.CARRIER else Side.CARRIER


def viewer(user, partnership: Partnership) -> Viewer:
    """Return ``user``'s side and role in ``partnership`` (one query)."""
    side = role = None
    if user.is_authenticated:
        rows = Membership.objects.filter(
            user=user,
            organisation_id__in=[partnership.carrier_id, partnership.recipient_id],
        ).values_list("organisation_id", "role")
        for organisation_id, member_role in rows:
            side = (
                Side.CARRIER
                if organisation_id == partnership.carrier_id
                else Side.RECIPIENT
            )
            role = member_role
    return Viewer(
        side=side,
        role=role,
        is_administrator=org_permissions.is_administrator(user),
        is_expert=user.is_authenticated
        and partnership.experts.filter(pk=user.pk).exists(),
    )


def can_sign(user, agreement: Agreement, side: str, role: str | None) -> bool:
    """The head of the side, or the person the agreement names to sign for it."""
    if role is None:
        return False
    if role == Role.HEAD:
        return True
    return role in LEAD_ROLES and agreement.signatory_of(side) == user


def sides_leads_filter(partnership: Partnership, sides=(Side.CARRIER, Side.RECIPIENT)):
    """Condition on users: heads and coordinators of the given sides."""
    organisations = [partnership.organisation_of(side).pk for side in sides]
    return Q(
        memberships__organisation_id__in=organisations,
        memberships__role__in=LEAD_ROLES,
    )

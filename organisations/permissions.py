"""Role predicates that every app uses to decide who may do what.

The role of a user in an organisation is read once per request and cached on
the user object.
"""

from organisations.models import Membership, Organisation, Role
from organisations.roles import EXPERTS_GROUP

_CACHE_ATTR = "_organisation_roles"


def member_role(user, organisation: Organisation) -> str | None:
    """Return the role of ``user`` in ``organisation``, or None if not a member."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault(_CACHE_ATTR, {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


def is_member(user, organisation: Organisation) -> bool:
    """Tell whether ``user`` belongs to ``organisation`` in any role."""
    return member_role(user, organisation) is not None


def is_head(user, organisation: Organisation) -> bool:
    """Tell whether ``user`` is a head of ``organisation``."""
    return member_role(user, organisation) == Role.HEAD


def is_head_or_coordinator(user, organisation: Organisation) -> bool:
    """Tell whether ``user`` leads ``organisation`` (head or coordinator)."""
    return member_role(user, organisation) in (Role.HEAD, Role.COORDINATOR)


def is_administrator(user) -> bool:
    """Tell whether ``user`` runs the platform (a staff account)."""
    return user.is_authenticated and user.is_active and user.is_staff


def is_expert(user) -> bool:
    """Tell whether ``user`` belongs to the platform's experts."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_expert"):
        user._is_expert = user.groups.filter(name=EXPERTS_GROUP).exists()
    return user._is_expert


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Head, coordinator (through their group's permission) or administrator."""
    return is_administrator(user) or user.has_perm(
        "organisations.change_organisation", organisation
    )


def can_view_members(user, organisation: Organisation) -> bool:
    """Members of the organisation and administrators see the members list."""
    return is_administrator(user) or user.has_perm(
        "organisations.view_members", organisation
    )


def can_invite_members(user, organisation: Organisation) -> bool:
    """Heads and coordinators invite colleagues."""
    return is_administrator(user) or user.has_perm(
        "organisations.manage_members", organisation
    )


def invitable_roles(user, organisation: Organisation) -> list[str]:
    """Roles ``user`` may invite into: a coordinator invites specialists only."""
    if is_administrator(user) or is_head(user, organisation):
        return list(Role.values)
    if can_invite_members(user, organisation):
        return [Role.SPECIALIST]
    return []


def can_manage_memberships(user, organisation: Organisation) -> bool:
    """Only a head changes roles, removes members and decides join requests."""
    return is_administrator(user) or is_head(user, organisation)


def can_request_to_join(user, organisation: Organisation) -> bool:
    """A signed-in person who is not yet a member may ask to join."""
    return user.is_authenticated and not is_member(user, organisation)

"""Permission groups per role of an organisation.

Each organisation has one django-guardian group per role. Later apps grant
object permissions on their objects to these groups (``role_group``), so a
person gains or loses access by joining, changing role or leaving.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from guardian.shortcuts import assign_perm

from organisations.models import Membership, Organisation, Role, RoleGroup

# What each role may do with its own organisation.
ORGANISATION_PERMISSIONS = {
    Role.HEAD: ["change_organisation", "view_members", "manage_members"],
    Role.COORDINATOR: ["change_organisation", "view_members", "manage_members"],
    Role.SPECIALIST: ["view_members"],
}

EXPERTS_GROUP = "experts"


def group_name(organisation: Organisation, role: str) -> str:
    return f"organisation:{organisation.pk}:{role}"


@transaction.atomic
def create_role_groups(organisation: Organisation) -> dict[str, Group]:
    """Create the role groups of ``organisation`` and grant their rights.

    Safe to call again: existing groups are kept.
    """
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(organisation, role))
        RoleGroup.objects.get_or_create(
            organisation=organisation, role=role, defaults={"group": group}
        )
        for codename in ORGANISATION_PERMISSIONS[role]:
            assign_perm(f"organisations.{codename}", group, organisation)
        groups[role] = group
    return groups


def role_group(organisation: Organisation, role: str) -> Group:
    """Return the permission group of ``role`` in ``organisation``."""
    return (
        RoleGroup.objects.select_related("group")
        .get(organisation=organisation, role=role)
        .group
    )


def sync_member_groups(user, organisation: Organisation, role: str | None) -> None:
    """Put ``user`` in the group of ``role`` only (no group when None)."""
    role_groups = RoleGroup.objects.filter(organisation=organisation)
    keep = [rg.group_id for rg in role_groups if rg.role == role]
    drop = [rg.group_id for rg in role_groups if rg.role != role]
    if drop:
        user.groups.remove(*drop)
    if keep:
        user.groups.add(*keep)


def resync_all_groups() -> int:
    """Rebuild every organisation's groups from the memberships.

    For repairs after bulk imports, which bypass signals. Returns the number
    of memberships seen.
    """
    count = 0
    for organisation in Organisation.objects.all():
        create_role_groups(organisation)
    for membership in Membership.objects.select_related("user", "organisation"):
        sync_member_groups(membership.user, membership.organisation, membership.role)
        count += 1
    return count


ADMINISTRATORS_GROUP = "administrators"
# Framework internals the administrators' group does not manage.
NOT_ADMINISTERED_APPS = ["contenttypes", "sessions", "admin"]


def grant_administrator_permissions() -> None:
    """Give the administrators' group every permission of the platform.

    Runs after each migration, so permissions of new models are added.
    """
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    Group.objects.get_or_create(name=EXPERTS_GROUP)
    group.permissions.add(
        *Permission.objects.exclude(content_type__app_label__in=NOT_ADMINISTERED_APPS)
    )

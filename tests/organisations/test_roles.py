"""Role groups, their object permissions and the signals that keep them."""

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from organisations.models import (
    Membership,
    OrganisationGroupObjectPermission,
    Role,
    RoleGroup,
)
from organisations.roles import (
    ADMINISTRATORS_GROUP,
    create_role_groups,
    group_name,
    resync_all_groups,
    role_group,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.organisations.helpers import fresh, group_names


def test_creating_an_organisation_creates_one_group_per_role(db):
    organisation = OrganisationFactory()

    role_groups = RoleGroup.objects.filter(organisation=organisation)

    assert sorted((rg.role, rg.group.name) for rg in role_groups) == [
        ("coordinator", f"organisation:{organisation.pk}:coordinator"),
        ("head", f"organisation:{organisation.pk}:head"),
        ("specialist", f"organisation:{organisation.pk}:specialist"),
    ]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.HEAD, ["change_organisation", "manage_members", "view_members"]),
        (Role.COORDINATOR, ["change_organisation", "manage_members", "view_members"]),
        (Role.SPECIALIST, ["view_members"]),
    ],
)
def test_role_group_holds_its_object_permissions_on_the_organisation(
    carrier, role, expected
):
    group = role_group(carrier, role)

    assert sorted(get_perms(group, carrier)) == expected


def test_role_group_permissions_use_the_direct_foreign_key_model(carrier):
    rows = OrganisationGroupObjectPermission.objects.filter(content_object=carrier)

    assert sorted((row.group.name, row.permission.codename) for row in rows) == [
        (f"organisation:{carrier.pk}:coordinator", "change_organisation"),
        (f"organisation:{carrier.pk}:coordinator", "manage_members"),
        (f"organisation:{carrier.pk}:coordinator", "view_members"),
        (f"organisation:{carrier.pk}:head", "change_organisation"),
        (f"organisation:{carrier.pk}:head", "manage_members"),
        (f"organisation:{carrier.pk}:head", "view_members"),
        (f"organisation:{carrier.pk}:specialist", "view_members"),
    ]


def test_role_group_permissions_do_not_reach_another_organisation(carrier, recipient):
    group = role_group(carrier, Role.HEAD)

    assert get_perms(group, recipient) == []


def test_create_role_groups_again_keeps_the_existing_groups(carrier):
    before = sorted(RoleGroup.objects.values_list("pk", "group_id"))

    create_role_groups(carrier)

    assert sorted(RoleGroup.objects.values_list("pk", "group_id")) == before
    assert (
        Group.objects.filter(name__startswith=f"organisation:{carrier.pk}:").count()
        == 3
    )


def test_creating_a_membership_puts_the_user_in_exactly_the_role_group(carrier):
    user = UserFactory()

    MembershipFactory(user=user, organisation=carrier, role=Role.COORDINATOR)

    assert group_names(user) == [group_name(carrier, Role.COORDINATOR)]


def test_member_of_two_organisations_is_in_one_group_of_each(carrier, recipient):
    user = UserFactory()

    MembershipFactory(user=user, organisation=carrier, role=Role.HEAD)
    MembershipFactory(user=user, organisation=recipient, role=Role.SPECIALIST)

    assert group_names(user) == sorted(
        [group_name(carrier, Role.HEAD), group_name(recipient, Role.SPECIALIST)]
    )


def test_changing_the_role_moves_the_user_to_the_new_group(carrier, carrier_specialist):
    membership = Membership.objects.get(user=carrier_specialist, organisation=carrier)

    membership.role = Role.HEAD
    membership.save()

    assert group_names(carrier_specialist) == [group_name(carrier, Role.HEAD)]


def test_deleting_the_membership_removes_the_user_from_the_groups(
    carrier, carrier_coordinator
):
    membership = Membership.objects.get(user=carrier_coordinator, organisation=carrier)

    membership.delete()

    assert group_names(carrier_coordinator) == []


def test_deleting_one_membership_keeps_the_group_of_another_organisation(
    carrier, recipient
):
    user = UserFactory()
    MembershipFactory(user=user, organisation=carrier, role=Role.HEAD)
    other = MembershipFactory(user=user, organisation=recipient, role=Role.HEAD)

    other.delete()

    assert group_names(user) == [group_name(carrier, Role.HEAD)]


def test_giving_a_membership_to_another_user_takes_the_group_from_the_first(
    carrier, carrier_head
):
    # The admin site lets an administrator correct the user of a membership.
    successor = UserFactory()
    membership = Membership.objects.get(user=carrier_head, organisation=carrier)

    membership.user = successor
    membership.save()

    assert group_names(carrier_head) == []
    assert group_names(successor) == [group_name(carrier, Role.HEAD)]
    assert (
        fresh(carrier_head).has_perm("organisations.change_organisation", carrier)
        is False
    )


def test_moving_a_membership_to_another_organisation_leaves_the_old_group(
    carrier, recipient, carrier_head
):
    membership = Membership.objects.get(user=carrier_head, organisation=carrier)

    membership.organisation = recipient
    membership.save()

    assert group_names(carrier_head) == [group_name(recipient, Role.HEAD)]
    assert (
        fresh(carrier_head).has_perm("organisations.change_organisation", carrier)
        is False
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("carrier_head", True),
        ("carrier_coordinator", True),
        ("carrier_specialist", False),
        ("recipient_head", False),
        ("outsider", False),
        ("expert", False),
    ],
)
def test_permission_to_change_the_organisation_follows_membership(
    request, carrier, persona, expected
):
    user = request.getfixturevalue(persona)

    result = fresh(user).has_perm("organisations.change_organisation", carrier)

    assert result is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("carrier_head", True),
        ("carrier_coordinator", True),
        ("carrier_specialist", True),
        ("recipient_head", False),
        ("outsider", False),
    ],
)
def test_permission_to_view_members_follows_membership(
    request, carrier, persona, expected
):
    user = request.getfixturevalue(persona)

    result = fresh(user).has_perm("organisations.view_members", carrier)

    assert result is expected


def test_permission_is_lost_when_the_membership_is_deleted(carrier, carrier_head):
    Membership.objects.filter(user=carrier_head, organisation=carrier).delete()

    result = fresh(carrier_head).has_perm("organisations.change_organisation", carrier)

    assert result is False


def test_inactive_head_has_no_object_permission(carrier, carrier_head):
    carrier_head.is_active = False
    carrier_head.save()

    result = fresh(carrier_head).has_perm("organisations.change_organisation", carrier)

    assert result is False


def test_resync_all_groups_puts_back_a_user_removed_from_their_group(
    carrier, carrier_head, carrier_specialist
):
    carrier_head.groups.remove(role_group(carrier, Role.HEAD))
    assert (
        fresh(carrier_head).has_perm("organisations.change_organisation", carrier)
        is False
    )

    seen = resync_all_groups()

    assert seen == 2
    assert group_names(carrier_head) == [group_name(carrier, Role.HEAD)]
    assert (
        fresh(carrier_head).has_perm("organisations.change_organisation", carrier)
        is True
    )


def test_resync_all_groups_takes_a_user_out_of_a_group_of_another_role(
    carrier, carrier_specialist
):
    carrier_specialist.groups.add(role_group(carrier, Role.HEAD))

    resync_all_groups()

    assert group_names(carrier_specialist) == [group_name(carrier, Role.SPECIALIST)]


def test_resync_all_groups_restores_a_missing_group_permission(carrier):
    group = role_group(carrier, Role.COORDINATOR)
    remove_perm("organisations.manage_members", group, carrier)

    resync_all_groups()

    assert sorted(get_perms(group, carrier)) == [
        "change_organisation",
        "manage_members",
        "view_members",
    ]


def test_resync_all_groups_leaves_other_permissions_of_a_group_alone(carrier):
    # Later apps grant their own objects to the role groups; a resync keeps them.
    group = role_group(carrier, Role.SPECIALIST)
    assign_perm("organisations.change_organisation", group, carrier)

    resync_all_groups()

    assert sorted(get_perms(group, carrier)) == ["change_organisation", "view_members"]


def test_administrators_group_holds_the_permissions_of_the_platform_apps(administrator):
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {
        "change_organisation",
        "view_members",
        "manage_members",
        "change_membership",
        "view_invitation",
        "change_joinrequest",
        "view_rolegroup",
        "change_user",
    } <= codenames
    assert fresh(administrator).has_perm("organisations.change_organisation") is True

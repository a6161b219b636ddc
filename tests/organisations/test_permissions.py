"""The role predicates of organisations/permissions.py, persona by persona.

Every predicate is asked about the carrier. The outsider is the head of an
unrelated school; the administrator and the expert belong to no school.
"""

import pytest

from organisations import permissions
from organisations.models import Membership, Role
from tests.factories import UserFactory
from tests.organisations.helpers import fresh

PERSONAS = [
    "anonymous",
    "outsider",
    "carrier_specialist",
    "carrier_coordinator",
    "carrier_head",
    "administrator",
    "expert",
]


def expectations(**by_persona):
    assert sorted(by_persona) == sorted(PERSONAS)
    return pytest.mark.parametrize(
        ("persona", "expected"), [(name, by_persona[name]) for name in PERSONAS]
    )


@pytest.fixture
def user_of(request, carrier):
    def get(persona):
        return request.getfixturevalue(persona)

    return get


@expectations(
    anonymous=None,
    outsider=None,
    carrier_specialist="specialist",
    carrier_coordinator="coordinator",
    carrier_head="head",
    administrator=None,
    expert=None,
)
def test_member_role_is_the_role_held_in_the_organisation(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.member_role(user, carrier)

    assert result == expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=True,
    carrier_coordinator=True,
    carrier_head=True,
    administrator=False,
    expert=False,
)
def test_is_member_for_every_role_of_the_organisation_only(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.is_member(user, carrier)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=False,
    carrier_head=True,
    administrator=False,
    expert=False,
)
def test_is_head_for_heads_only(user_of, carrier, persona, expected):
    user = user_of(persona)

    result = permissions.is_head(user, carrier)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=True,
    carrier_head=True,
    administrator=False,
    expert=False,
)
def test_is_head_or_coordinator_for_leaders_only(user_of, carrier, persona, expected):
    user = user_of(persona)

    result = permissions.is_head_or_coordinator(user, carrier)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=False,
    carrier_head=False,
    administrator=True,
    expert=False,
)
def test_only_active_staff_are_administrators(user_of, persona, expected):
    user = user_of(persona)

    result = permissions.is_administrator(user)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=False,
    carrier_head=False,
    administrator=False,
    expert=True,
)
def test_only_the_experts_group_makes_an_expert(user_of, persona, expected):
    user = user_of(persona)

    result = permissions.is_expert(user)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=True,
    carrier_head=True,
    administrator=True,
    expert=False,
)
def test_leaders_and_administrators_may_edit_the_organisation(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.can_edit_organisation(user, carrier)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=True,
    carrier_coordinator=True,
    carrier_head=True,
    administrator=True,
    expert=False,
)
def test_members_and_administrators_may_view_the_members(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.can_view_members(user, carrier)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=True,
    carrier_head=True,
    administrator=True,
    expert=False,
)
def test_leaders_and_administrators_may_invite_members(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.can_invite_members(user, carrier)

    assert result is expected


@expectations(
    anonymous=[],
    outsider=[],
    carrier_specialist=[],
    carrier_coordinator=["specialist"],
    carrier_head=["head", "coordinator", "specialist"],
    administrator=["head", "coordinator", "specialist"],
    expert=[],
)
def test_invitable_roles_depend_on_the_inviters_role(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.invitable_roles(user, carrier)

    assert result == expected


@expectations(
    anonymous=False,
    outsider=False,
    carrier_specialist=False,
    carrier_coordinator=False,
    carrier_head=True,
    administrator=True,
    expert=False,
)
def test_only_heads_and_administrators_manage_memberships(
    user_of, carrier, persona, expected
):
    user = user_of(persona)

    result = permissions.can_manage_memberships(user, carrier)

    assert result is expected


@expectations(
    anonymous=False,
    outsider=True,
    carrier_specialist=False,
    carrier_coordinator=False,
    carrier_head=False,
    administrator=True,
    expert=True,
)
def test_any_signed_in_non_member_may_ask_to_join(user_of, carrier, persona, expected):
    user = user_of(persona)

    result = permissions.can_request_to_join(user, carrier)

    assert result is expected


def test_head_of_another_organisation_has_no_role_in_the_carrier(
    carrier, recipient_head
):
    result = (
        permissions.member_role(recipient_head, carrier),
        permissions.can_edit_organisation(recipient_head, carrier),
        permissions.can_manage_memberships(recipient_head, carrier),
    )

    assert result == (None, False, False)


def test_inactive_staff_account_is_not_an_administrator(db):
    user = UserFactory(is_staff=True, is_active=False)

    result = permissions.is_administrator(user)

    assert result is False


def test_member_role_is_read_once_per_user_object(
    carrier, carrier_specialist, django_assert_num_queries
):
    permissions.member_role(carrier_specialist, carrier)
    Membership.objects.filter(user=carrier_specialist).update(role=Role.HEAD)

    with django_assert_num_queries(0):
        cached = permissions.member_role(carrier_specialist, carrier)

    assert cached == "specialist"
    assert permissions.member_role(fresh(carrier_specialist), carrier) == "head"


def test_member_role_is_cached_per_organisation(carrier, recipient, carrier_specialist):
    first = permissions.member_role(carrier_specialist, carrier)

    second = permissions.member_role(carrier_specialist, recipient)

    assert (first, second) == ("specialist", None)

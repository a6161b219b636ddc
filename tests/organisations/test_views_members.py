"""Views of the members page: the list, role changes and removals."""

import pytest
from django.urls import reverse

from organisations.models import Membership, Role
from tests.factories import member
from tests.organisations.factories import InvitationFactory, JoinRequestFactory
from tests.organisations.helpers import login_redirect, message_levels, snapshot


def members_url(organisation) -> str:
    return reverse("organisations:organisation_members", args=[organisation.pk])


def role_url(membership) -> str:
    return reverse(
        "organisations:member_role_change",
        args=[membership.organisation_id, membership.pk],
    )


def remove_url(membership) -> str:
    return reverse(
        "organisations:member_remove", args=[membership.organisation_id, membership.pk]
    )


def membership_of(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


def role_of(user, organisation) -> str:
    return membership_of(user, organisation).role


# organisation_members


def test_anonymous_visitor_is_sent_to_sign_in_for_the_members_page(client, carrier):
    response = client.get(members_url(carrier))

    assert (response.status_code, response.url) == (
        302,
        login_redirect(members_url(carrier)),
    )


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_the_members_page(request, login, carrier, persona):
    response = login(request.getfixturevalue(persona)).get(members_url(carrier))

    assert response.status_code == 404


def test_members_page_of_an_unknown_organisation_is_404(login, administrator):
    response = login(administrator).get("/organisations/999999/members/")

    assert response.status_code == 404


def test_members_page_lists_heads_first_then_coordinators_then_specialists(
    login, carrier, carrier_specialist, carrier_coordinator, carrier_head
):
    response = login(carrier_specialist).get(members_url(carrier))

    assert response.status_code == 200
    assert [m.user.email for m in response.context["members"]] == [
        "head@school619.example",
        "coordinator@school619.example",
        "teacher@school619.example",
    ]


def test_members_page_does_not_list_members_of_other_organisations(
    login, carrier, carrier_head, recipient_head
):
    response = login(carrier_head).get(members_url(carrier))

    assert [m.user for m in response.context["members"]] == [carrier_head]


def test_specialist_sees_the_members_but_no_invitations_or_requests(
    login, carrier, carrier_head, carrier_specialist, invitation, join_request
):
    response = login(carrier_specialist).get(members_url(carrier))

    context = response.context
    assert response.status_code == 200
    assert context["can_invite"] is False
    assert context["can_manage"] is False
    assert context["invitation_form"] is None
    assert list(context["invitations"]) == []
    assert list(context["join_requests"]) == []
    assert (
        role_url(membership_of(carrier_head, carrier)) not in response.content.decode()
    )


def test_coordinator_may_invite_specialists_only_and_sees_no_requests(
    login, carrier, carrier_coordinator, invitation, join_request
):
    response = login(carrier_coordinator).get(members_url(carrier))

    context = response.context
    assert context["can_invite"] is True
    assert context["can_manage"] is False
    assert context["invitation_form"].fields["role"].choices == [
        ("specialist", Role.SPECIALIST.label)
    ]
    assert list(context["invitations"]) == [invitation]
    assert list(context["join_requests"]) == []


@pytest.mark.parametrize("persona", ["carrier_head", "administrator"])
def test_head_sees_pending_invitations_and_requests_and_may_manage(
    request, login, carrier, carrier_head, invitation, join_request, persona
):
    InvitationFactory(organisation=carrier, revoked_at=invitation.created_at)
    JoinRequestFactory(organisation=carrier, status="declined")

    response = login(request.getfixturevalue(persona)).get(members_url(carrier))

    context = response.context
    assert response.status_code == 200
    assert context["can_invite"] is True
    assert context["can_manage"] is True
    assert [
        value for value, _ in context["invitation_form"].fields["role"].choices
    ] == [
        "head",
        "coordinator",
        "specialist",
    ]
    assert list(context["invitations"]) == [invitation]
    assert list(context["join_requests"]) == [join_request]


# member_role_change


def test_anonymous_visitor_is_sent_to_sign_in_to_change_a_role(
    client, carrier, carrier_specialist
):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    response = client.post(role_url(membership), {"role": "head"})

    assert (response.status_code, response.url) == (
        302,
        login_redirect(role_url(membership)),
    )
    assert snapshot() == before


def test_role_change_refuses_get(login, carrier, carrier_head, carrier_specialist):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    response = login(carrier_head).get(role_url(membership), {"role": "head"})

    assert response.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_a_role_change(
    request, login, carrier, carrier_specialist, persona
):
    membership = membership_of(carrier_specialist, carrier)
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(role_url(membership), {"role": "head"})

    assert response.status_code == 404
    assert role_of(carrier_specialist, carrier) == "specialist"
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_specialist", "carrier_coordinator"])
def test_member_below_head_is_forbidden_to_change_roles(
    request,
    login,
    carrier,
    carrier_head,
    carrier_specialist,
    carrier_coordinator,
    persona,
):
    membership = membership_of(carrier_specialist, carrier)
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(role_url(membership), {"role": "head"})

    assert response.status_code == 403
    assert role_of(carrier_specialist, carrier) == "specialist"
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_head", "administrator"])
def test_head_changes_the_role_of_a_member(
    request, login, carrier, carrier_head, carrier_specialist, persona
):
    membership = membership_of(carrier_specialist, carrier)

    response = login(request.getfixturevalue(persona)).post(
        role_url(membership), {"role": "coordinator"}
    )

    assert response.status_code == 302
    assert response.url == members_url(carrier)
    assert role_of(carrier_specialist, carrier) == "coordinator"
    assert message_levels(response) == ["success"]


@pytest.mark.parametrize("posted", [{"role": "director"}, {}])
def test_role_change_with_an_invalid_role_changes_nothing(
    login, carrier, carrier_head, carrier_specialist, posted
):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    response = login(carrier_head).post(role_url(membership), posted)

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_the_last_head_cannot_demote_themselves(login, carrier, carrier_head):
    membership = membership_of(carrier_head, carrier)
    before = snapshot()

    response = login(carrier_head).post(role_url(membership), {"role": "specialist"})

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["error"]
    assert role_of(carrier_head, carrier) == "head"
    assert snapshot() == before


def test_head_cannot_change_a_role_in_another_organisation_through_their_own(
    login, carrier, carrier_head, recipient, recipient_specialist
):
    foreign = membership_of(recipient_specialist, recipient)
    url = reverse("organisations:member_role_change", args=[carrier.pk, foreign.pk])
    before = snapshot()

    response = login(carrier_head).post(url, {"role": "head"})

    assert response.status_code == 404
    assert snapshot() == before


def test_role_change_of_an_unknown_membership_is_404(login, carrier, carrier_head):
    url = reverse("organisations:member_role_change", args=[carrier.pk, 999999])

    response = login(carrier_head).post(url, {"role": "head"})

    assert response.status_code == 404


# member_remove


def test_anonymous_visitor_is_sent_to_sign_in_to_remove_a_member(
    client, carrier, carrier_specialist
):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    response = client.post(remove_url(membership))

    assert (response.status_code, response.url) == (
        302,
        login_redirect(remove_url(membership)),
    )
    assert snapshot() == before


def test_remove_refuses_get(login, carrier, carrier_head, carrier_specialist):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    response = login(carrier_head).get(remove_url(membership))

    assert response.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_removing_a_member(
    request, login, carrier, carrier_specialist, persona
):
    membership = membership_of(carrier_specialist, carrier)
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(remove_url(membership))

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("persona", "victim"),
    [
        ("carrier_specialist", "carrier_coordinator"),
        ("carrier_specialist", "carrier_head"),
        ("carrier_coordinator", "carrier_specialist"),
    ],
)
def test_member_below_head_is_forbidden_to_remove_another_member(
    request, login, carrier, carrier_head, persona, victim
):
    actor = request.getfixturevalue(persona)
    membership = membership_of(request.getfixturevalue(victim), carrier)
    before = snapshot()

    response = login(actor).post(remove_url(membership))

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists() is True
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_head", "administrator"])
def test_head_removes_a_member(
    request, login, carrier, carrier_head, carrier_specialist, persona
):
    membership = membership_of(carrier_specialist, carrier)

    response = login(request.getfixturevalue(persona)).post(remove_url(membership))

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["success"]
    assert list(
        Membership.objects.filter(organisation=carrier).values_list("user", flat=True)
    ) == [carrier_head.pk]


def test_member_leaves_the_organisation_and_goes_to_the_dashboard(
    login, carrier, carrier_head, carrier_specialist
):
    membership = membership_of(carrier_specialist, carrier)

    response = login(carrier_specialist).post(remove_url(membership))

    assert (response.status_code, response.url) == (302, reverse("dashboard"))
    assert message_levels(response) == ["success"]
    assert Membership.objects.filter(user=carrier_specialist).exists() is False


def test_the_last_head_cannot_leave(login, carrier, carrier_head, carrier_specialist):
    membership = membership_of(carrier_head, carrier)
    before = snapshot()

    response = login(carrier_head).post(remove_url(membership))

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_a_head_may_leave_while_another_head_remains(
    login, carrier, carrier_head, second_carrier_head
):
    membership = membership_of(carrier_head, carrier)

    response = login(carrier_head).post(remove_url(membership))

    assert (response.status_code, response.url) == (302, reverse("dashboard"))
    assert list(
        Membership.objects.filter(organisation=carrier).values_list("user", flat=True)
    ) == [second_carrier_head.pk]


def test_head_cannot_remove_a_member_of_another_organisation_through_their_own(
    login, carrier, carrier_head, recipient, recipient_specialist
):
    foreign = membership_of(recipient_specialist, recipient)
    url = reverse("organisations:member_remove", args=[carrier.pk, foreign.pk])
    before = snapshot()

    response = login(carrier_head).post(url)

    assert response.status_code == 404
    assert snapshot() == before


def test_member_of_two_schools_leaving_one_stays_in_the_other(
    login, carrier, recipient, carrier_head, recipient_head
):
    teacher = member(carrier, Role.SPECIALIST)
    Membership.objects.create(
        user=teacher, organisation=recipient, role=Role.SPECIALIST
    )

    login(teacher).post(remove_url(membership_of(teacher, carrier)))

    assert list(
        Membership.objects.filter(user=teacher).values_list("organisation", flat=True)
    ) == [recipient.pk]

"""Views of invitations: sending, revoking and accepting."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Invitation, Membership, Role, hash_token
from tests.organisations.factories import InvitationFactory
from tests.organisations.helpers import login_redirect, message_levels, snapshot


def members_url(organisation) -> str:
    return reverse("organisations:organisation_members", args=[organisation.pk])


def create_url(organisation) -> str:
    return reverse("organisations:invitation_create", args=[organisation.pk])


def revoke_url(invitation) -> str:
    return reverse(
        "organisations:invitation_revoke",
        args=[invitation.organisation_id, invitation.pk],
    )


def accept_url(token: str) -> str:
    return reverse("organisations:invitation_accept", args=[token])


def error_codes(form) -> dict[str, list]:
    return {
        field: [error.code for error in errors]
        for field, errors in form.errors.as_data().items()
    }


NEW_COLLEAGUE = {"email": "new.teacher@school619.example", "role": "specialist"}


# invitation_create


def test_anonymous_visitor_is_sent_to_sign_in_to_invite(client, carrier):
    before = snapshot()

    response = client.post(create_url(carrier), NEW_COLLEAGUE)

    assert (response.status_code, response.url) == (
        302,
        login_redirect(create_url(carrier)),
    )
    assert snapshot() == before


def test_invitation_create_refuses_get(login, carrier, carrier_head):
    response = login(carrier_head).get(create_url(carrier))

    assert response.status_code == 405


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_inviting(
    request, login, carrier, persona, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(carrier), NEW_COLLEAGUE)

    assert response.status_code == 404
    assert snapshot() == before
    assert mailoutbox == []


def test_specialist_is_forbidden_to_invite(
    login, carrier, carrier_specialist, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(carrier_specialist)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(carrier), NEW_COLLEAGUE)

    assert response.status_code == 403
    assert snapshot() == before
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("carrier_coordinator", "specialist"),
        ("carrier_head", "head"),
        ("administrator", "coordinator"),
    ],
)
def test_invitation_is_sent_with_a_working_link(
    request,
    login,
    carrier,
    persona,
    role,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    actor = request.getfixturevalue(persona)
    client = login(actor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create_url(carrier),
            {"email": "New.Teacher@School619.example", "role": role},
        )

    invitation = Invitation.objects.get()
    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["success"]
    assert (invitation.organisation, invitation.email, invitation.role) == (
        carrier,
        "new.teacher@school619.example",
        role,
    )
    assert invitation.invited_by == actor
    assert [message.to for message in mailoutbox] == [["new.teacher@school619.example"]]
    tokens = re.findall(
        r"http://testserver/organisations/invitations/([^/\s]+)/", mailoutbox[0].body
    )
    assert len(tokens) == 1
    assert hash_token(tokens[0]) == invitation.token_hash


def test_coordinator_inviting_a_head_gets_the_form_back_and_nothing_is_sent(
    login, carrier, carrier_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(carrier_coordinator)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create_url(carrier), {"email": "new.head@school619.example", "role": "head"}
        )

    assert response.status_code == 400
    assert error_codes(response.context["invitation_form"]) == {
        "role": ["invalid_choice"]
    }
    assert snapshot() == before
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ({"email": "not-an-address", "role": "specialist"}, {"email": ["invalid"]}),
        ({"email": "", "role": "specialist"}, {"email": ["required"]}),
        ({"email": "a@school.example", "role": ""}, {"role": ["required"]}),
    ],
)
def test_invalid_invitation_form_is_shown_again_with_errors(
    login, carrier, carrier_head, posted, expected
):
    client = login(carrier_head)
    before = snapshot()

    response = client.post(create_url(carrier), posted)

    assert response.status_code == 400
    assert response.context["organisation"] == carrier
    assert error_codes(response.context["invitation_form"]) == expected
    assert snapshot() == before


def test_inviting_an_existing_member_shows_the_error_on_the_email(
    login, carrier, carrier_head, carrier_specialist
):
    client = login(carrier_head)
    before = snapshot()

    response = client.post(
        create_url(carrier),
        {"email": "teacher@school619.example", "role": "specialist"},
    )

    assert response.status_code == 400
    assert list(response.context["invitation_form"].errors) == ["email"]
    assert snapshot() == before


def test_double_submitted_invitation_sends_one_letter(
    login, carrier, carrier_head, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(carrier_head)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(create_url(carrier), NEW_COLLEAGUE)
        second = client.post(create_url(carrier), NEW_COLLEAGUE)

    assert first.status_code == 302
    assert second.status_code == 400
    assert list(second.context["invitation_form"].errors) == ["email"]
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1


# invitation_revoke


def test_anonymous_visitor_is_sent_to_sign_in_to_revoke(client, invitation):
    before = snapshot()

    response = client.post(revoke_url(invitation))

    assert (response.status_code, response.url) == (
        302,
        login_redirect(revoke_url(invitation)),
    )
    assert snapshot() == before


def test_revoke_refuses_get(login, carrier_head, invitation):
    before = snapshot()

    response = login(carrier_head).get(revoke_url(invitation))

    assert response.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_revoking(request, login, invitation, persona):
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(revoke_url(invitation))

    assert response.status_code == 404
    assert snapshot() == before


def test_specialist_is_forbidden_to_revoke(login, carrier_specialist, invitation):
    client = login(carrier_specialist)
    before = snapshot()

    response = client.post(revoke_url(invitation))

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "administrator"]
)
def test_invitation_is_revoked(
    request, login, carrier, invitation, invitation_token, persona
):
    client = login(request.getfixturevalue(persona))

    response = client.post(revoke_url(invitation))

    invitation.refresh_from_db()
    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["success"]
    assert invitation.revoked_at is not None
    assert (
        client.get(accept_url(invitation_token)).context["invitation"].is_pending
        is False
    )


def test_revoking_a_revoked_invitation_reports_it_and_changes_nothing(
    login, carrier, carrier_head, invitation
):
    Invitation.objects.filter(pk=invitation.pk).update(
        revoked_at=timezone.now() - timedelta(days=1)
    )
    client = login(carrier_head)
    before = snapshot()

    response = client.post(revoke_url(invitation))

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_head_cannot_revoke_an_invitation_of_another_organisation(
    login, carrier, carrier_head, recipient
):
    foreign = InvitationFactory(organisation=recipient)
    url = reverse("organisations:invitation_revoke", args=[carrier.pk, foreign.pk])
    client = login(carrier_head)
    before = snapshot()

    response = client.post(url)

    assert response.status_code == 404
    assert snapshot() == before


# invitation_accept


def test_anonymous_visitor_sees_the_invitation_with_sign_in_links(
    client, invitation, invitation_token
):
    response = client.get(accept_url(invitation_token))

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["invitation"] == invitation
    assert f'href="/accounts/login/?next={accept_url(invitation_token)}"' in content
    assert 'href="/accounts/register/"' in content
    assert 'method="post"' not in content.split("<main", 1)[-1].split("</main>")[0]


def test_anonymous_post_to_an_invitation_changes_nothing(
    client, invitation, invitation_token
):
    before = snapshot()

    response = client.post(accept_url(invitation_token))

    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("signed_in", [False, True])
def test_unknown_invitation_token_is_404(
    client, login, applicant, invitation, signed_in
):
    if signed_in:
        client = login(applicant)

    response = client.get(accept_url("no-such-token"))

    assert response.status_code == 404


def test_invited_user_sees_the_accept_button(
    login, applicant, invitation, invitation_token
):
    response = login(applicant).get(accept_url(invitation_token))

    assert response.status_code == 200
    assert response.context["email_matches"] is True
    assert 'type="submit"' in response.content.decode()


def test_invited_user_accepts_and_becomes_a_member(
    login, carrier, applicant, invitation, invitation_token
):
    response = login(applicant).post(accept_url(invitation_token))

    invitation.refresh_from_db()
    assert (response.status_code, response.url) == (302, carrier.get_absolute_url())
    assert message_levels(response) == ["success"]
    assert Membership.objects.get(user=applicant).role == "coordinator"
    assert invitation.accepted_by == applicant


def test_accepting_twice_keeps_one_membership(
    login, carrier, applicant, invitation, invitation_token
):
    client = login(applicant)
    client.post(accept_url(invitation_token))

    response = client.post(accept_url(invitation_token))

    assert (response.status_code, response.url) == (302, carrier.get_absolute_url())
    assert Membership.objects.filter(user=applicant).count() == 1


def test_another_user_cannot_accept_the_invitation(
    login, carrier_head, recipient_specialist, invitation, invitation_token
):
    client = login(recipient_specialist)
    before = snapshot()

    get = client.get(accept_url(invitation_token))
    response = client.post(accept_url(invitation_token))

    assert get.context["email_matches"] is False
    assert response.status_code == 200
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_expired_invitation_cannot_be_accepted(
    login, applicant, invitation, invitation_token
):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client = login(applicant)
    before = snapshot()

    response = client.post(accept_url(invitation_token))

    assert response.status_code == 200
    assert message_levels(response) == ["error"]
    assert response.context["invitation"].is_pending is False
    assert snapshot() == before


def test_member_of_another_school_may_accept_an_invitation(
    login, carrier, recipient, recipient_head, applicant, invitation, invitation_token
):
    Membership.objects.create(user=applicant, organisation=recipient, role=Role.HEAD)

    response = login(applicant).post(accept_url(invitation_token))

    assert response.status_code == 302
    assert sorted(
        Membership.objects.filter(user=applicant).values_list("organisation", "role")
    ) == sorted([(carrier.pk, "coordinator"), (recipient.pk, "head")])


def test_invitation_to_a_user_who_joined_meanwhile_is_refused(
    login, carrier, applicant, invitation, invitation_token
):
    Membership.objects.create(
        user=applicant, organisation=carrier, role=Role.SPECIALIST
    )
    client = login(applicant)
    before = snapshot()

    response = client.post(accept_url(invitation_token))

    assert response.status_code == 200
    assert message_levels(response) == ["error"]
    assert snapshot() == before

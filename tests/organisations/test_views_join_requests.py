"""Views of requests to join: asking and deciding."""

import pytest
from django.urls import reverse

from organisations import services
from organisations.models import JoinRequest, Membership
from tests.organisations.factories import JoinRequestFactory
from tests.organisations.helpers import login_redirect, message_levels, snapshot


def members_url(organisation) -> str:
    return reverse("organisations:organisation_members", args=[organisation.pk])


def join_url(organisation) -> str:
    return reverse("organisations:join_request_create", args=[organisation.pk])


def decide_url(join_request) -> str:
    return reverse(
        "organisations:join_request_decide",
        args=[join_request.organisation_id, join_request.pk],
    )


APPROVE_AS_COORDINATOR = {"decision": "approve", "role": "coordinator", "reason": ""}
DECLINE = {"decision": "decline", "role": "specialist", "reason": "Не наш сотрудник."}


# join_request_create


def test_anonymous_visitor_is_sent_to_sign_in_to_ask_to_join(client, carrier):
    before = snapshot()

    response = client.post(join_url(carrier), {"message": "Возьмите меня."})

    assert (response.status_code, response.url) == (
        302,
        login_redirect(join_url(carrier)),
    )
    assert snapshot() == before


def test_join_request_create_refuses_get(login, carrier, applicant):
    response = login(applicant).get(join_url(carrier))

    assert response.status_code == 405
    assert JoinRequest.objects.exists() is False


@pytest.mark.parametrize("persona", ["applicant", "outsider", "expert"])
def test_signed_in_non_member_asks_to_join_and_the_heads_are_told(
    request,
    login,
    carrier,
    carrier_head,
    persona,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    user = request.getfixturevalue(persona)
    client = login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(join_url(carrier), {"message": "Учитель физики."})

    join_request = JoinRequest.objects.get()
    assert (response.status_code, response.url) == (302, carrier.get_absolute_url())
    assert message_levels(response) == ["success"]
    assert (join_request.organisation, join_request.user) == (carrier, user)
    assert (join_request.status, join_request.message) == ("pending", "Учитель физики.")
    assert [message.to for message in mailoutbox] == [["head@school619.example"]]


def test_asking_twice_keeps_one_pending_request(
    login,
    carrier,
    carrier_head,
    applicant,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url(carrier), {"message": "Первый раз."})
        response = client.post(join_url(carrier), {"message": "Второй раз."})

    assert response.status_code == 302
    assert list(JoinRequest.objects.values_list("message", flat=True)) == [
        "Первый раз."
    ]
    assert len(mailoutbox) == 1


def test_member_asking_to_join_is_told_and_nothing_changes(
    login, carrier, carrier_specialist
):
    client = login(carrier_specialist)
    before = snapshot()

    response = client.post(join_url(carrier), {"message": ""})

    assert (response.status_code, response.url) == (302, carrier.get_absolute_url())
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_too_long_message_is_refused_and_nothing_changes(login, carrier, applicant):
    client = login(applicant)
    before = snapshot()

    response = client.post(join_url(carrier), {"message": "я" * 2001})

    assert (response.status_code, response.url) == (302, carrier.get_absolute_url())
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_asking_to_join_an_unknown_organisation_is_404(login, applicant):
    response = login(applicant).post("/organisations/999999/join/", {"message": ""})

    assert response.status_code == 404
    assert JoinRequest.objects.exists() is False


# join_request_decide


def test_anonymous_visitor_is_sent_to_sign_in_to_decide(client, join_request):
    before = snapshot()

    response = client.post(decide_url(join_request), APPROVE_AS_COORDINATOR)

    assert (response.status_code, response.url) == (
        302,
        login_redirect(decide_url(join_request)),
    )
    assert snapshot() == before


def test_join_request_decide_refuses_get(login, carrier_head, join_request):
    before = snapshot()

    response = login(carrier_head).get(decide_url(join_request))

    assert response.status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_deciding(request, login, join_request, persona):
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(decide_url(join_request), APPROVE_AS_COORDINATOR)

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_specialist", "carrier_coordinator"])
def test_member_below_head_is_forbidden_to_decide(
    request, login, join_request, persona
):
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(decide_url(join_request), APPROVE_AS_COORDINATOR)

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_head", "administrator"])
def test_head_approves_a_request_with_a_role(
    request, login, carrier, join_request, applicant, persona
):
    actor = request.getfixturevalue(persona)

    response = login(actor).post(decide_url(join_request), APPROVE_AS_COORDINATOR)

    join_request.refresh_from_db()
    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["success"]
    assert (join_request.status, join_request.decided_by) == ("approved", actor)
    assert list(
        Membership.objects.filter(user=applicant).values_list("organisation", "role")
    ) == [(carrier.pk, "coordinator")]


def test_head_declines_a_request_with_a_reason(
    login, carrier, carrier_head, join_request, applicant
):
    response = login(carrier_head).post(decide_url(join_request), DECLINE)

    join_request.refresh_from_db()
    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["success"]
    assert (join_request.status, join_request.decline_reason) == (
        "declined",
        "Не наш сотрудник.",
    )
    assert Membership.objects.filter(user=applicant).exists() is False


@pytest.mark.parametrize(
    "posted",
    [
        {"role": "specialist"},
        {"decision": "maybe", "role": "specialist"},
        {"decision": "approve", "role": "director"},
        {"decision": "decline", "role": "specialist", "reason": "я" * 501},
    ],
    ids=["no-decision", "unknown-decision", "unknown-role", "long-reason"],
)
def test_invalid_decision_is_reported_and_changes_nothing(
    login, carrier, carrier_head, join_request, posted
):
    client = login(carrier_head)
    before = snapshot()

    response = client.post(decide_url(join_request), posted)

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_deciding_a_decided_request_is_reported_and_changes_nothing(
    login, carrier, carrier_head, join_request
):
    services.decide_join_request(
        join_request=join_request, actor=carrier_head, approve=False
    )
    client = login(carrier_head)
    before = snapshot()

    response = client.post(decide_url(join_request), APPROVE_AS_COORDINATOR)

    assert (response.status_code, response.url) == (302, members_url(carrier))
    assert message_levels(response) == ["error"]
    assert snapshot() == before


def test_head_cannot_decide_a_request_to_another_organisation(
    login, carrier, carrier_head, recipient, applicant
):
    foreign = JoinRequestFactory(organisation=recipient, user=applicant)
    url = reverse("organisations:join_request_decide", args=[carrier.pk, foreign.pk])
    client = login(carrier_head)
    before = snapshot()

    response = client.post(url, APPROVE_AS_COORDINATOR)

    assert response.status_code == 404
    assert snapshot() == before

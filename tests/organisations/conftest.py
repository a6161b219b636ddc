"""Fixtures of the organisations tests, on top of the shared personas."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organisations.models import Role
from tests.factories import UserFactory, member
from tests.organisations.factories import InvitationFactory, JoinRequestFactory


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def second_carrier_head(carrier):
    """Another head of the carrier, so that one head may step down."""
    return member(carrier, Role.HEAD, email="deputy@school619.example")


@pytest.fixture
def applicant(db):
    """A confirmed user of no organisation who wants to join one."""
    return UserFactory(
        email="newteacher@school619.example",
        last_name="Орлова",
        first_name="Ольга",
        patronymic="Игоревна",
    )


@pytest.fixture
def invitation_token() -> str:
    return "g9bQ3x-invitation-token-for-tests"


@pytest.fixture
def invitation(carrier, carrier_head, invitation_token):
    """A pending invitation of the carrier to the applicant's address."""
    return InvitationFactory(
        organisation=carrier,
        email="newteacher@school619.example",
        role=Role.COORDINATOR,
        invited_by=carrier_head,
        token=invitation_token,
    )


@pytest.fixture
def join_request(carrier, carrier_head, applicant):
    """The applicant's pending request to join the carrier."""
    return JoinRequestFactory(organisation=carrier, user=applicant)

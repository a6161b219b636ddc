"""Pages whose query count must not grow with the data they show.

Each page is requested once before measuring, so that the session already
remembers the consent and the cache holds the consent text in force.

Measured (SQLite): the members page costs 10 queries for a head, the
organisation list 5 for a signed-in user and 2 for an anonymous visitor.
"""

import pytest
from django.urls import reverse

from organisations.models import Role
from tests.factories import OrganisationFactory, member
from tests.organisations.factories import InvitationFactory, JoinRequestFactory

# session, user, organisation, role, user and group object permissions,
# "is expert", members, pending join requests, pending invitations
MEMBERS_PAGE_QUERIES = 11
# session, user, count, "is expert", the page of organisations
LIST_PAGE_QUERIES = 6
# count, the page of organisations
ANONYMOUS_LIST_PAGE_QUERIES = 2


@pytest.mark.parametrize("members", [3, 30])
def test_members_page_queries_do_not_grow_with_the_members(
    login, carrier, carrier_head, django_assert_num_queries, members
):
    for _ in range(members - 1):
        member(carrier, Role.SPECIALIST)
    client = login(carrier_head)
    url = reverse("organisations:organisation_members", args=[carrier.pk])
    client.get(url)

    with django_assert_num_queries(MEMBERS_PAGE_QUERIES):
        response = client.get(url)

    assert len(response.context["members"]) == members


@pytest.mark.parametrize("pending", [3, 30])
def test_members_page_queries_do_not_grow_with_invitations_and_requests(
    login, carrier, carrier_head, django_assert_num_queries, pending
):
    for _ in range(pending):
        InvitationFactory(organisation=carrier, invited_by=carrier_head)
        JoinRequestFactory(organisation=carrier)
    client = login(carrier_head)
    url = reverse("organisations:organisation_members", args=[carrier.pk])
    client.get(url)

    with django_assert_num_queries(MEMBERS_PAGE_QUERIES):
        response = client.get(url)

    assert len(response.context["invitations"]) == pending
    assert len(response.context["join_requests"]) == pending


@pytest.mark.parametrize("organisations", [3, 20])
def test_organisation_list_queries_do_not_grow_with_the_organisations(
    login, carrier, carrier_head, django_assert_num_queries, organisations
):
    for _ in range(organisations - 1):
        OrganisationFactory(is_verified=False)
    for _ in range(30):
        member(carrier, Role.SPECIALIST)
    client = login(carrier_head)
    url = reverse("organisations:organisation_list")
    client.get(url)

    with django_assert_num_queries(LIST_PAGE_QUERIES):
        response = client.get(url)

    assert len(response.context["page"]) == organisations


@pytest.mark.parametrize("organisations", [3, 20])
def test_organisation_list_queries_for_an_anonymous_visitor(
    client, db, django_assert_num_queries, organisations
):
    for _ in range(organisations):
        OrganisationFactory()
    url = reverse("organisations:organisation_list")
    client.get(url)

    with django_assert_num_queries(ANONYMOUS_LIST_PAGE_QUERIES):
        response = client.get(url)

    assert len(response.context["page"]) == organisations

"""Who may open every URL that names an object, persona by persona.

Every URL pattern with a path parameter (an object id or a token) must have
an entry here: a new URL without one fails ``test_every_object_url_is_in_the
_matrix``. An entry says how to build the URL from the world below, which
method to use (POST views get a POST with the data given), and the status
each persona gets. 302 for the anonymous persona means "sent to sign in".

Apps add their entries in ``tests/<app>/access_<part>.py`` modules, each with
``ENTRIES`` (the same form as ``MATRIX``), ``arrange(world)`` to add the
objects its URLs need to ``world.extra``, and ``state()`` returning what a
denied request must leave unchanged.
"""

import importlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    Role,
    hash_token,
)
from products.models import Product
from tests.factories import OrganisationFactory, ProductFactory, member

PERSONAS = [
    "anonymous",
    "outsider",
    "specialist",
    "coordinator",
    "head",
    "expert",
    "administrator",
]

# Namespaces of other projects' URLs (the admin site tests its own).
FOREIGN_NAMESPACES = {"admin"}


@dataclass
class World:
    organisation: Any
    people: dict
    colleague_membership: Any
    invitation: Any
    invitation_token: str
    join_request: Any
    product: Any = None
    draft: Any = None
    extra: dict = field(default_factory=dict)


AREAS = [
    importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("*/access_*.py"))
]


@pytest.fixture
def world(
    carrier,
    carrier_head,
    carrier_coordinator,
    carrier_specialist,
    outsider,
    expert,
    administrator,
) -> World:
    colleague = member(carrier, Role.SPECIALIST, email="colleague@school619.example")
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=carrier,
        email="newcomer@school619.example",
        role=Role.SPECIALIST,
        token_hash=hash_token(token),
        invited_by=carrier_head,
        expires_at=timezone.now() + timedelta(days=7),
    )
    applicant = member(
        OrganisationFactory(), Role.SPECIALIST, email="applicant@school.example"
    )
    join_request = JoinRequest.objects.create(organisation=carrier, user=applicant)
    world = World(
        organisation=carrier,
        people={
            "anonymous": None,
            "outsider": outsider,
            "specialist": carrier_specialist,
            "coordinator": carrier_coordinator,
            "head": carrier_head,
            "expert": expert,
            "administrator": administrator,
        },
        colleague_membership=colleague.memberships.get(),
        invitation=invitation,
        invitation_token=token,
        join_request=join_request,
        product=ProductFactory(carrier=carrier, coordinator=carrier_coordinator),
        draft=ProductFactory(
            carrier=carrier,
            coordinator=carrier_coordinator,
            status=Product.Status.DRAFT,
            published_at=None,
        ),
    )
    for area in AREAS:
        area.arrange(world)
    return world


def statuses(**by_persona: int) -> dict[str, int]:
    assert set(by_persona) == set(PERSONAS), set(PERSONAS) ^ set(by_persona)
    return by_persona


def org(w: World) -> dict:
    return {"pk": w.organisation.pk}


MATRIX: dict[str, dict] = {
    "organisations:organisation_detail": {
        "kwargs": org,
        "expect": statuses(
            anonymous=200,
            outsider=200,
            specialist=200,
            coordinator=200,
            head=200,
            expert=200,
            administrator=200,
        ),
    },
    "organisations:organisation_edit": {
        "kwargs": org,
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=200,
            head=200,
            expert=404,
            administrator=200,
        ),
    },
    "organisations:organisation_verify": {
        "kwargs": org,
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=403,
            head=403,
            expert=403,
            administrator=302,
        ),
    },
    "organisations:organisation_members": {
        "kwargs": org,
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=200,
            coordinator=200,
            head=200,
            expert=404,
            administrator=200,
        ),
    },
    "organisations:member_role_change": {
        "kwargs": lambda w: {**org(w), "membership_pk": w.colleague_membership.pk},
        "method": "post",
        "data": {"role": Role.COORDINATOR},
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=403,
            head=302,
            expert=404,
            administrator=302,
        ),
    },
    "organisations:member_remove": {
        "kwargs": lambda w: {**org(w), "membership_pk": w.colleague_membership.pk},
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=403,
            head=302,
            expert=404,
            administrator=302,
        ),
    },
    "organisations:invitation_create": {
        "kwargs": org,
        "method": "post",
        "data": {"email": "new.teacher@school619.example", "role": Role.SPECIALIST},
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=302,
            head=302,
            expert=404,
            administrator=302,
        ),
    },
    "organisations:invitation_revoke": {
        "kwargs": lambda w: {**org(w), "invitation_pk": w.invitation.pk},
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=302,
            head=302,
            expert=404,
            administrator=302,
        ),
    },
    "organisations:join_request_create": {
        "kwargs": org,
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=302,
            specialist=302,
            coordinator=302,
            head=302,
            expert=302,
            administrator=302,
        ),
    },
    "organisations:join_request_decide": {
        "kwargs": lambda w: {**org(w), "request_pk": w.join_request.pk},
        "method": "post",
        "data": {"decision": "approve", "role": Role.SPECIALIST},
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=403,
            head=302,
            expert=404,
            administrator=302,
        ),
    },
    "organisations:invitation_accept": {
        "kwargs": lambda w: {"token": w.invitation_token},
        "expect": statuses(
            anonymous=200,
            outsider=200,
            specialist=200,
            coordinator=200,
            head=200,
            expert=200,
            administrator=200,
        ),
    },
    "accounts:confirm_email": {
        "kwargs": lambda w: {"uidb64": "MQ", "token": "wrong-token"},
        "expect": statuses(
            anonymous=400,
            outsider=400,
            specialist=400,
            coordinator=400,
            head=400,
            expert=400,
            administrator=400,
        ),
    },
    "accounts:password_reset_confirm": {
        "kwargs": lambda w: {"uidb64": "MQ", "token": "wrong-token"},
        "expect": statuses(
            anonymous=200,
            outsider=200,
            specialist=200,
            coordinator=200,
            head=200,
            expert=200,
            administrator=200,
        ),
    },
}


for _area in AREAS:
    MATRIX.update(_area.ENTRIES)


def object_url_names() -> set[str]:
    """Return the names of all URL patterns that take path parameters."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in FOREIGN_NAMESPACES:
                    continue
                prefix = (
                    f"{namespace}{pattern.namespace}:"
                    if pattern.namespace
                    else namespace
                )
                if pattern.pattern.converters:
                    raise AssertionError(f"parameters in an include: {pattern}")
                walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_object_url_is_in_the_matrix():
    missing = object_url_names() - set(MATRIX)
    stale = set(MATRIX) - object_url_names()

    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"
    assert not stale, f"these matrix entries name no URL: {sorted(stale)}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(url_name, persona, world, login):
    entry = MATRIX[url_name]
    client = login(world.people[persona])
    url = reverse(url_name, kwargs=entry["kwargs"](world))

    before = database_state()

    if entry.get("method") == "post":
        response = client.post(url, entry.get("data", {}))
    else:
        response = client.get(url)

    expected = entry["expect"][persona]
    assert response.status_code == expected
    if persona == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
    if expected in (403, 404) or persona == "anonymous":
        assert database_state() == before, "a denied request changed data"


def database_state() -> tuple:
    """Return what a denied request must leave exactly as it was."""
    return (
        list(Organisation.objects.values_list("pk", "is_verified", "district")),
        list(Membership.objects.values_list("pk", "role").order_by("pk")),
        list(
            Invitation.objects.values_list("pk", "revoked_at", "accepted_at").order_by(
                "pk"
            )
        ),
        list(JoinRequest.objects.values_list("pk", "status").order_by("pk")),
        *(area.state() for area in AREAS),
    )

"""Reads of organisations shared by pages."""

from django.db.models import Case, Count, Q, QuerySet, Value, When

from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    Role,
)


def search_organisations(
    *, query: str = "", region: str = ""
) -> QuerySet[Organisation]:
    """Return organisations matching every word of a name, city or district.

    Words are compared with a lower-cased copy of the names, so the search
    ignores case in SQLite and PostgreSQL alike.
    """
    organisations = Organisation.objects.all()
    if region:
        organisations = organisations.filter(region=region)
    for word in query.lower().replace("ё", "е").split()[:5]:
        organisations = organisations.filter(search_text__contains=word)
    return organisations.order_by("short_name", "pk")


def memberships_of(user) -> QuerySet[Membership]:
    """Return the memberships of ``user`` with their organisations."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__short_name")
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """Return the members of ``organisation``, heads first."""
    role_order = Case(
        When(role=Role.HEAD, then=Value(0)),
        When(role=Role.COORDINATOR, then=Value(1)),
        default=Value(2),
    )
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by(role_order, "user__last_name", "user__first_name")
    )


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.pending().select_related("invited_by")


def pending_join_requests(organisation: Organisation) -> QuerySet[JoinRequest]:
    return organisation.join_requests.filter(
        status=JoinRequest.Status.PENDING
    ).select_related("user")


def join_requests_to_decide(user) -> QuerySet[JoinRequest]:
    """Return pending requests to join organisations that ``user`` heads."""
    return JoinRequest.objects.filter(
        status=JoinRequest.Status.PENDING,
        organisation__memberships__user=user,
        organisation__memberships__role=Role.HEAD,
    ).select_related("organisation", "user")


def invitations_for(user) -> QuerySet[Invitation]:
    """Return pending invitations addressed to the email of ``user``."""
    return (
        Invitation.objects.pending()
        .filter(email=user.email)
        .select_related("organisation")
    )


def organisation_counts() -> dict:
    return Organisation.objects.aggregate(
        total=Count("pk"), verified=Count("pk", filter=Q(is_verified=True))
    )

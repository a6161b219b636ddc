"""Assertion helpers of the organisations tests."""

from django.contrib.messages import get_messages
from django.http import HttpResponse

from accounts.models import User
from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    RoleGroup,
)


def snapshot() -> dict:
    """Every row the organisations app owns, to compare before and after.

    A refused request must leave this exactly as it was.
    """
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "organisation_history": Organisation.history.count(),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "membership_history": Membership.history.count(),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "join_requests": list(JoinRequest.objects.order_by("pk").values()),
        "role_groups": list(RoleGroup.objects.order_by("pk").values()),
        "user_groups": sorted(
            User.groups.through.objects.values_list("user_id", "group_id")
        ),
    }


def group_names(user: User) -> list[str]:
    """Names of the groups ``user`` is in, read fresh from the database."""
    return sorted(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def fresh(user: User) -> User:
    """Reload ``user``, dropping the roles and permissions cached on it."""
    return User.objects.get(pk=user.pk)


def message_levels(response: HttpResponse) -> list[str]:
    """Level tags ("success", "error"…) of the messages a response queued."""
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def login_redirect(path: str) -> str:
    return f"/accounts/login/?next={path}"

"""Small pieces the partnership services share."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from partnerships import permissions
from partnerships.models import Partnership, Side

# simple-history keeps a change reason of at most this many characters.
HISTORY_REASON_LENGTH = 100


def lock_partnership(partnership: Partnership) -> Partnership:
    """A fresh copy of ``partnership``, locked until the transaction ends."""
    return (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("product", "carrier", "recipient")
        .get(pk=partnership.pk)
    )


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def leads(partnership: Partnership, sides=(Side.CARRIER, Side.RECIPIENT)):
    """Active heads and coordinators of the given sides of ``partnership``."""
    return (
        User.objects.filter(
            permissions.sides_leads_filter(partnership, sides), is_active=True
        )
        .distinct()
        .order_by("pk")
    )


def save_with_history(obj, actor: User, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:HISTORY_REASON_LENGTH]
    obj.save()


def partnership_link(partnership: Partnership) -> str:
    return reverse("partnerships:partnership_detail", args=[partnership.pk])

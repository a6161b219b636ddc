"""Reads of notifications shared by pages; each returns one user's own."""

from django.db.models import QuerySet

from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification

# The bell shows "99+" beyond this: counting further costs and tells nothing.
UNREAD_COUNT_CAP = 99


def notifications_of(user) -> QuerySet[Notification]:
    """Return the notifications of ``user``, newest first, with their actors."""
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_count(user) -> int:
    """Return how many notifications ``user`` has not read, up to the cap + 1.

    One indexed query; a result above ``UNREAD_COUNT_CAP`` means "more".
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread[: UNREAD_COUNT_CAP + 1].count()


def email_kinds(user) -> set[str]:
    """Return the kinds of notification ``user`` wants by email."""
    opted_out = EmailPreference.objects.filter(user=user, is_enabled=False)
    return set(Kind.values) - set(opted_out.values_list("kind", flat=True))

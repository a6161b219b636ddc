from functools import cached_property

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications import selectors

CAP = selectors.UNREAD_COUNT_CAP


class UnreadNotifications:
    """The bell's unread count, counted when a template first asks for it.

    Pages that do not show the bell pay nothing, and a guest costs no query.
    """

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def count(self) -> int:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return selectors.unread_count(user)

    @property
    def badge(self) -> str:
        """Return the count as the badge shows it ("99+" beyond the cap)."""
        return f"{CAP}+" if self.count > CAP else str(self.count)

    @property
    def label(self) -> str:
        """Return what a screen reader says for the bell."""
        if not self.count:
            return _("Notifications: none unread")
        if self.count > CAP:
            return _("Notifications: more than %(count)s unread") % {"count": CAP}
        return ngettext(
            "Notifications: %(count)s unread",
            "Notifications: %(count)s unread",
            self.count,
        ) % {"count": self.count}


def unread(request: HttpRequest) -> dict:
    """Give templates ``unread_notifications`` (count, badge, label)."""
    return {"unread_notifications": UnreadNotifications(request)}

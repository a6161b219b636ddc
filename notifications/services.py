"""State changes of notifications: notify people, mark read, preferences.

Other apps call ``notify`` from inside their own services. The in-app
notification is written in the caller's transaction; the email goes out
after it commits, so a rolled-back action notifies nobody by email and
leaves no notification behind.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from accounts.services import absolute_url, send_templated_email
from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification, is_local_path

logger = logging.getLogger(__name__)

EMAIL_TEMPLATE = "notifications/emails/notification"
TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


@transaction.atomic
def site_language():
    """Activate the site's language for text that is stored or sent.

    Notifications, history reasons and records are read by others later, so
    they must not take the language of the person who caused them.
    """
    return override(settings.LANGUAGE_CODE)


def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Notify ``users`` of an event, in the bell and by email.

    Each active user is notified once, whoever did the action (``actor``)
    not at all. Everyone gets the in-app notification; those who have not
    turned email off for ``kind`` also get an email, sent after the commit.
    ``title`` and ``body`` are stored in the site language: pass lazy
    strings so that the actor's interface language does not leak into them.
    ``link`` is a path on this site. Raises ValidationError for an unknown
    kind, an empty title or a link to another site.
    """
    kind = _valid_kind(kind)
    if link and not is_local_path(link):
        raise ValidationError(_("A notification links only to a page of this site."))
    with site_language():
        title = Truncator(str(title).strip()).chars(TITLE_MAX_LENGTH)
        body = str(body).strip()
    if not title:
        raise ValidationError(_("A notification needs a title."))

    recipients = _recipients(users, actor)
    if not recipients:
        return []
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            title=title,
            body=body,
            link=link,
            actor=actor,
            created_at=now,
        )
        for user in recipients
    )

    opted_out = set(
        EmailPreference.objects.filter(
            user__in=recipients, kind=kind, is_enabled=False
        ).values_list("user_id", flat=True)
    )
    context = {
        "title": title,
        "body": body,
        "link": absolute_url(link) if link else "",
        "preferences_link": absolute_url(reverse("notifications:preferences")),
        "site_name": settings.SITE_NAME,
    }
    for user in recipients:
        if user.pk not in opted_out:
            send_templated_email(
                to=user.email, template=EMAIL_TEMPLATE, context=context
            )
    logger.info(
        "Notification of kind %s sent to %s users (%s by email)",
        kind,
        len(recipients),
        len(recipients) - len(opted_out),
    )
    return notifications


def _valid_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValidationError(
            _("Unknown kind of notification: %(kind)s"), params={"kind": kind}
        )
    return Kind(kind)


def _recipients(users: Iterable[User], actor: User | None) -> list[User]:
    """Return the active ``users`` once each, in order, without ``actor``."""
    seen = {actor.pk} if actor is not None else set()
    recipients = []
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(user)
    return recipients


def mark_read(*, notification: Notification, user: User) -> bool:
    """Mark ``notification`` read for its recipient ``user``.

    Returns False when it was read already (the first reading time is kept).
    Raises PermissionDenied when ``user`` is not the recipient.
    """
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is not None:
        return False
    now = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, read_at__isnull=True
    ).update(read_at=now)
    if updated:
        notification.read_at = now
    return bool(updated)


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_email_preferences(*, user: User, enabled_kinds: Iterable[str]) -> None:
    """Send ``user`` email about ``enabled_kinds`` and about no other kind.

    Writes one row per kind in one statement, so two saves at once cannot
    collide. Raises ValidationError for an unknown kind.
    """
    enabled = set(enabled_kinds)
    unknown = enabled - set(Kind.values)
    if unknown:
        raise ValidationError(
            _("Unknown kind of notification: %(kind)s"),
            params={"kind": ", ".join(sorted(unknown))},
        )
    EmailPreference.objects.bulk_create(
        [
            EmailPreference(user=user, kind=kind, is_enabled=kind in enabled)
            for kind in Kind.values
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["is_enabled"],
    )
    logger.info("User %s changed their notification email preferences", user.pk)


def wants_email(user: User, kind: str) -> bool:
    """Tell whether ``user`` wants email about notifications of ``kind``."""
    return not EmailPreference.objects.filter(
        user=user, kind=kind, is_enabled=False
    ).exists()

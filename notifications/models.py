from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from notifications.kinds import Kind


def is_local_path(link: str) -> bool:
    """Tell whether ``link`` is a path on this site ("/..." but not "//...")."""
    return (
        link.startswith("/")
        and not link.startswith("//")
        and "\\" not in link
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    )


class Notification(models.Model):
    """A message in one person's notification list (the bell)."""

    # The composite indexes below start with the recipient: they serve the
    # foreign key's lookups too.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        verbose_name=pgettext_lazy("notification", "recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("A path on this site, such as /products/12/."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caused by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notifications_unread",
            ),
            models.Index(
                fields=["recipient", "-created_at"], name="notifications_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def safe_link(self) -> str:
        """Return the link if it stays on this site, an empty string if not."""
        return self.link if is_local_path(self.link) else ""


class EmailPreference(models.Model):
    """Whether a user wants email about one kind of notification.

    Without a row the email is sent: people opt out, kind by kind.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_email_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    is_enabled = models.BooleanField(_("send email"), default=True)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_one_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"

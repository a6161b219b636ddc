"""State changes of accounts: registration, confirmation, consent."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import override

from accounts.models import Consent, ConsentVersion, User
from accounts.tokens import email_confirmation_token

logger = logging.getLogger(__name__)

CURRENT_CONSENT_CACHE_KEY = "accounts:current-consent-version"
CONSENT_SESSION_KEY = "accounts:consented-version"


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client address that Django sees, or None without a request."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """Return ``path`` as a full link for an email."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def send_templated_email(
    *, to: str, template: str, context: dict, language: str | None = None
) -> None:
    """Send the email ``<template>_subject.txt`` / ``<template>_body.txt``.

    The email is rendered in ``language`` (Russian by default) and sent after
    the current transaction commits, so a rolled-back change sends nothing.
    """
    with override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)

    def send() -> None:
        send_mail(" ".join(subject.split()), body, None, [to])

    transaction.on_commit(send)


def current_consent_version() -> ConsentVersion | None:
    """Return the consent text in force, cached for a few minutes."""
    version = cache.get(CURRENT_CONSENT_CACHE_KEY)
    if version is None:
        version = ConsentVersion.current()
        if version is not None:
            cache.set(CURRENT_CONSENT_CACHE_KEY, version, 300)
    return version


def record_consent(
    *, user: User, version: ConsentVersion, request: HttpRequest | None = None
) -> Consent:
    """Record that ``user`` agreed to ``version``; agreeing twice is a no-op.

    Stores the time, the client address and the browser, as 152-ФЗ asks an
    operator to be able to show when and how consent was given.
    """
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""
    try:
        with transaction.atomic():
            consent, _ = Consent.objects.get_or_create(
                user=user,
                version=version,
                defaults={"ip_address": client_ip(request), "user_agent": user_agent},
            )
    except IntegrityError:
        consent = Consent.objects.get(user=user, version=version)
    # The session marker speaks for the signed-in user only: a guest's
    # session (registration) is kept when another account signs in there.
    if request is not None and getattr(request, "user", None) == user:
        request.session[CONSENT_SESSION_KEY] = version.pk
    return consent


def has_current_consent(user: User) -> bool:
    """Tell whether ``user`` agreed to the consent version in force."""
    version = current_consent_version()
    if version is None:
        return True
    return Consent.objects.filter(user=user, version=version).exists()


@transaction.atomic
def register_user(
    *,
    email: str,
    password: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    position: str = "",
    consent_version: ConsentVersion,
    request: HttpRequest | None = None,
) -> User:
    """Create an account, record its consent and send the confirmation link.

    The account can sign in only after the address is confirmed.
    """
    user = User.objects.create_user(
        email=email,
        password=password,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        position=position,
    )
    record_consent(user=user, version=consent_version, request=request)
    send_confirmation_email(user=user, request=request)
    logger.info("User %s registered", user.pk)
    return user


def confirmation_link(user: User, request: HttpRequest | None = None) -> str:
    path = reverse(
        "accounts:confirm_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_confirmation_token.make_token(user),
        },
    )
    return absolute_url(path, request)


def send_confirmation_email(*, user: User, request: HttpRequest | None = None) -> None:
    """Email ``user`` the link that confirms their address."""
    context = {
        "user": user,
        "link": confirmation_link(user, request),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "site_name": settings.SITE_NAME,
    }
    send_templated_email(
        to=user.email, template="accounts/emails/confirm_email", context=context
    )


def confirm_email(*, user: User) -> bool:
    """Mark the address of ``user`` as confirmed.

    Returns False when it was already confirmed (the link was used twice).
    """
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    logger.info("User %s confirmed their email", user.pk)
    return True


ACCESSIBILITY_SESSION_KEY = "accounts:accessibility"
ACCESSIBILITY_FIELDS = {
    "is_accessible_version": "enabled",
    "accessible_font_size": "font_size",
    "accessible_colour_scheme": "colour_scheme",
    "accessible_hide_images": "hide_images",
}


def accessibility_preferences(request: HttpRequest) -> dict:
    """Return the visually-impaired settings of this visitor.

    A signed-in user keeps them on the account; a guest keeps them in the
    session.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {
            key: getattr(user, field) for field, key in ACCESSIBILITY_FIELDS.items()
        }
    defaults = {
        "enabled": False,
        "font_size": User.FontSize.LARGE,
        "colour_scheme": User.ColourScheme.BLACK_ON_WHITE,
        "hide_images": True,
    }
    return {**defaults, **request.session.get(ACCESSIBILITY_SESSION_KEY, {})}


def save_accessibility_preferences(*, request: HttpRequest, preferences: dict) -> None:
    """Store the visually-impaired settings for this visitor.

    Keys not given keep their value. A signed-in user's settings follow them
    to any browser; a guest's last for the session.
    """
    merged = {**accessibility_preferences(request), **preferences}
    user = request.user
    if user.is_authenticated:
        for field, key in ACCESSIBILITY_FIELDS.items():
            setattr(user, field, merged[key])
        user.save(update_fields=list(ACCESSIBILITY_FIELDS))
    else:
        request.session[ACCESSIBILITY_SESSION_KEY] = merged

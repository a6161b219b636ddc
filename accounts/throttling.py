"""Login throttling hooks for django-axes.

Failures are counted per account (the address typed into the login form),
never per IP address alone: a whole school often shares one address.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import normalize_email


def username_from_request(request: HttpRequest, credentials: dict | None) -> str:
    """Return the account a login attempt is for, in its stored form."""
    username = ""
    if credentials:
        username = credentials.get("username") or credentials.get("email") or ""
    if not username:
        username = request.POST.get("username", "")
    return normalize_email(username)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """Render the page that explains a temporary lock of one account."""
    context = {"cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "accounts/lockout.html", context, status=429)

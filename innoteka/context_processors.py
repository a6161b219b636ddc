from django.conf import settings
from django.http import HttpRequest

from accounts.services import accessibility_preferences
from organisations import permissions


def site(request: HttpRequest) -> dict:
    """Values every page layout needs: the visitor's roles and view settings."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "accessibility": accessibility_preferences(request),
        "is_administrator": user is not None and permissions.is_administrator(user),
        "is_expert": user is not None and permissions.is_expert(user),
    }

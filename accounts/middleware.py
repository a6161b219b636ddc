from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.services import (
    CONSENT_SESSION_KEY,
    current_consent_version,
    has_current_consent,
)

# Pages a signed-in person may open before agreeing to a new consent text.
EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/admin/")


class ConsentMiddleware:
    """Send a signed-in user to the consent page when a new text is in force.

    The version a user agreed to is remembered in the session, so a page
    costs a database query only when the session does not know it yet.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_consent(request):
            consent_url = reverse("accounts:consent")
            exempt = (consent_url, reverse("accounts:logout"), *EXEMPT_PREFIXES)
            if not request.path.startswith(exempt):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{consent_url}?{query}")
        return self.get_response(request)

    def _needs_consent(self, request: HttpRequest) -> bool:
        if not request.user.is_authenticated:
            return False
        version = current_consent_version()
        if version is None:
            return False
        if request.session.get(CONSENT_SESSION_KEY) == version.pk:
            return False
        if has_current_consent(request.user):
            request.session[CONSENT_SESSION_KEY] = version.pk
            return False
        return True

"""The notification list, opening a notification, email preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import EmailPreferencesForm

PAGE_SIZE = 20


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = selectors.notifications_of(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)

    services.mark_read(notification=notification, user=request.user)

    # Only a path on this site: a stored link never sends anyone elsewhere.
    return redirect(notification.safe_link or "notifications:notification_list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    if services.mark_all_read(user=request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:notification_list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    initial = {"kinds": sorted(selectors.email_kinds(request.user))}
    # Unticking every box posts no "kinds" at all: still a bound form.
    data = request.POST if request.method == "POST" else None
    form = EmailPreferencesForm(data, initial=initial)
    if form.is_valid():
        services.set_email_preferences(
            user=request.user, enabled_kinds=set(form.cleaned_data["kinds"])
        )
        messages.success(request, _("Saved"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})

"""Positioning events: list, calendar, iCalendar feeds and editors' pages."""

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import absolute_url
from products import permissions
from products.forms_events import EventFilterForm, PositioningEventForm
from products.models import PositioningEvent, Product
from products.services import events as event_services
from products.views.passport import visible_product

PAGE_SIZE = 20
# The calendar pages that exist; other years are 404 rather than errors.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# The platform-wide feed keeps half a year of past events, and a cap.
FEED_PAST_DAYS = 183
FEED_LIMIT = 1000


def public_events() -> QuerySet[PositioningEvent]:
    """Return the events of published products, with their product."""
    return PositioningEvent.objects.filter(
        product__status=Product.Status.PUBLISHED
    ).select_related("product", "product__carrier")


def upcoming_first(events: QuerySet[PositioningEvent]) -> QuerySet[PositioningEvent]:
    """Order upcoming and running events soonest first, then past ones.

    Past events come newest first. Each event gets ``is_past``.
    """
    now = timezone.now()
    is_past = Q(finishes_at__lt=now)
    return events.annotate(
        finishes_at=Coalesce("ends_at", "starts_at"),
        is_past=Case(When(is_past, then=Value(True)), default=Value(False)),
    ).order_by(
        "is_past",
        Case(When(~is_past, then=F("starts_at"))).asc(nulls_last=True),
        Case(When(is_past, then=F("starts_at"))).desc(nulls_last=True),
        "pk",
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    events = public_events()
    if form.is_bound:
        # A wrong filter is shown with its error and ignored; the rest apply.
        form.is_valid()
        kind = form.cleaned_data.get("kind")
        month = form.cleaned_data.get("month")
        if kind:
            events = events.filter(kind=kind)
        if month:
            start = _local_midnight(month)
            end = _local_midnight(date(*_month_after(month.year, month.month), 1))
            events = events.filter(starts_at__gte=start, starts_at__lt=end)

    page = Paginator(upcoming_first(events), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "upcoming": [event for event in page if not event.is_past],
        "past": [event for event in page if event.is_past],
        "query_string": _query_without_page(request),
        "this_year": today.year,
        "this_month": today.month,
    }
    return render(request, "products/events/event_list.html", context)


def event_calendar_current(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return redirect("products:event_calendar", year=today.year, month=today.month)


def event_calendar(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        year, month
    )
    by_day = _events_by_day(weeks[0][0], weeks[-1][-1])

    today = timezone.localdate()
    context = {
        "year": str(year),
        "month_name": MONTHS[month],
        "weekdays": [(WEEKDAYS_ABBR[day], WEEKDAYS[day]) for day in range(7)],
        "weeks": [
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == today,
                    "events": by_day.get(day, []),
                }
                for day in week
            ]
            for week in weeks
        ],
        "previous": _calendar_link(*_month_before(year, month)),
        "next": _calendar_link(*_month_after(year, month)),
    }
    return render(request, "products/events/event_calendar.html", context)


def _events_by_day(first: date, last: date) -> dict[date, list[PositioningEvent]]:
    """Return the public events of each day from ``first`` to ``last``.

    An event of several days is listed on each of them.
    """
    start, end = _local_midnight(first), _local_midnight(last + timedelta(days=1))
    events = (
        public_events()
        .filter(starts_at__lt=end)
        .filter(Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start))
        .order_by("starts_at", "pk")
    )
    by_day: dict[date, list[PositioningEvent]] = defaultdict(list)
    for event in events:
        day = max(timezone.localdate(event.starts_at), first)
        final = min(timezone.localdate(event.ends_at or event.starts_at), last)
        while day <= final:
            by_day[day].append(event)
            day += timedelta(days=1)
    return by_day


def _calendar_link(year: int, month: int) -> dict | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return {"year": year, "month": month, "name": MONTHS[month]}


def event_ical(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    events = (
        public_events()
        .filter(Q(starts_at__gte=since) | Q(ends_at__gte=since))
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )
    return _ical_response(request, events, _("Innoteka: positioning events"))


def product_event_ical(request: HttpRequest, pk: int) -> HttpResponse:
    # Feeds are read by calendar programs without a session: only a
    # published product has one.
    product = get_object_or_404(Product.objects.published(), pk=pk)
    events = product.events.order_by("starts_at", "pk")
    for event in events:
        event.product = product
    return _ical_response(
        request,
        events,
        _("Innoteka: events of “%(title)s”") % {"title": product.title},
    )


def _ical_response(request: HttpRequest, events, name: str) -> HttpResponse:
    feed = icalendar.Calendar()
    feed.add("prodid", "-//Innoteka//Positioning events//RU")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", name)
    stamp = timezone.now()
    host = urlsplit(settings.SITE_URL).hostname or "innoteka"
    for event in events:
        feed.add_component(_vevent(request, event, stamp, host))
    return HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")


def _vevent(
    request: HttpRequest, event: PositioningEvent, stamp: datetime, host: str
) -> icalendar.Event:
    product = event.product
    product_url = absolute_url(product.get_absolute_url(), request)
    page_url = absolute_url(
        reverse("products:event_detail", args=[event.product_id, event.pk]), request
    )
    lines = [
        _("Product: %(title)s") % {"title": product.title},
        _("Kind: %(kind)s") % {"kind": event.get_kind_display()},
    ]
    if event.url:
        lines.append(event.url)
    lines.append(page_url)

    vevent = icalendar.Event()
    # The same event keeps its UID, so calendars update it instead of
    # adding a copy.
    vevent.add("uid", f"positioning-event-{event.pk}@{host}")
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", event.updated_at)
    vevent.add("summary", event.title)
    vevent.add("dtstart", event.starts_at)
    if event.ends_at:
        vevent.add("dtend", event.ends_at)
    if event.place:
        vevent.add("location", event.place)
    vevent.add("url", event.url or product_url)
    vevent.add("categories", [event.get_kind_display()])
    vevent.add("description", "\n".join(lines))
    return vevent


def _product_event(
    request: HttpRequest, pk: int, event_pk: int
) -> tuple[Product, PositioningEvent]:
    """Return the product and its event if the user may see the product."""
    product = visible_product(request, pk)
    event = get_object_or_404(PositioningEvent, pk=event_pk, product=product)
    event.product = product
    return product, event


def event_detail(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    product, event = _product_event(request, pk, event_pk)
    context = {
        "product": product,
        "event": event,
        "can_edit": permissions.can_edit_product(request.user, product),
    }
    return render(request, "products/events/event_detail.html", context)


@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    form = PositioningEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.record_event(
                product=product, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is recorded."))
            return redirect(product)
    return render(
        request, "products/events/event_form.html", {"form": form, "product": product}
    )


@login_required
def event_edit(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    product, event = _product_event(request, pk, event_pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    form = PositioningEventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.update_event(
                event=event, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("products:event_detail", pk=product.pk, event_pk=event.pk)
    context = {"form": form, "product": product, "event": event}
    return render(request, "products/events/event_form.html", context)


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    product, event = _product_event(request, pk, event_pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    event_services.delete_event(event=event, actor=request.user)
    messages.success(request, _("The event is deleted."))
    return redirect(product)

from django.urls import path

from products.views import events

urlpatterns = [
    path("events/", events.event_list, name="event_list"),
    path(
        "events/calendar/",
        events.event_calendar_current,
        name="event_calendar_current",
    ),
    path(
        "events/calendar/<int:year>/<int:month>/",
        events.event_calendar,
        name="event_calendar",
    ),
    path("events/calendar.ics", events.event_ical, name="event_ical"),
    path("<int:pk>/events.ics", events.product_event_ical, name="product_event_ical"),
    path("<int:pk>/events/new/", events.event_create, name="event_create"),
    path("<int:pk>/events/<int:event_pk>/", events.event_detail, name="event_detail"),
    path("<int:pk>/events/<int:event_pk>/edit/", events.event_edit, name="event_edit"),
    path(
        "<int:pk>/events/<int:event_pk>/delete/",
        events.event_delete,
        name="event_delete",
    ),
]

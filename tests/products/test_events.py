"""Positioning events: the services, the public pages, the feeds, the editors'
pages and the section of the product page.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from products.models import Interest, PositioningEvent, Product
from products.services import events as services
from tests.factories import ProductFactory
from tests.products.access_events import PositioningEventFactory

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
SITE_URL = "https://innoteka.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def moscow(*args) -> datetime:
    return datetime(*args, tzinfo=MOSCOW)


def event_fields(**changes) -> dict:
    fields = {
        "kind": PositioningEvent.Kind.CONFERENCE,
        "title": "Региональная конференция «Школа будущего»",
        "starts_at": moscow(2025, 3, 12, 10, 0),
        "ends_at": moscow(2025, 3, 12, 17, 0),
        "place": "Санкт-Петербург, Таврический дворец",
        "url": "https://conference.example/2025",
        "audience_size": 250,
        "materials": "Программа и слайды доклада",
        "outcome": "Три школы оставили контакты",
    }
    fields.update(changes)
    return fields


def form_data(**changes) -> dict:
    data = {
        "kind": "conference",
        "title": "Региональная конференция «Школа будущего»",
        "starts_at": "2025-03-12T10:00",
        "ends_at": "2025-03-12T17:00",
        "place": "Санкт-Петербург, Таврический дворец",
        "url": "https://conference.example/2025",
        "audience_size": "250",
        "materials": "",
        "outcome": "",
    }
    data.update(changes)
    return data


def events_snapshot() -> list[tuple]:
    return list(
        PositioningEvent.objects.order_by("pk").values_list(
            "pk", "product_id", "kind", "title", "starts_at", "ends_at", "place"
        )
    )


def titles(events) -> list[str]:
    return [event.title for event in events]


# record_event


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "administrator"]
)
def test_editor_records_an_event_of_the_product(request, published_product, persona):
    actor = request.getfixturevalue(persona)

    event = services.record_event(
        product=published_product, actor=actor, **event_fields()
    )

    stored = PositioningEvent.objects.get()
    assert stored == event
    assert stored.product == published_product
    assert stored.created_by == actor
    assert stored.kind == "conference"
    assert stored.starts_at == moscow(2025, 3, 12, 10, 0)
    assert stored.ends_at == moscow(2025, 3, 12, 17, 0)
    assert stored.audience_size == 250
    assert stored.history.count() == 1


def test_editor_records_an_event_of_a_draft(draft_product, carrier_coordinator):
    event = services.record_event(
        product=draft_product, actor=carrier_coordinator, **event_fields()
    )

    assert event.product == draft_product


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "outsider", "expert", "recipient_head"]
)
def test_who_does_not_edit_the_product_may_not_record_an_event(
    request, published_product, persona
):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.record_event(product=published_product, actor=actor, **event_fields())

    assert PositioningEvent.objects.count() == 0


def test_event_that_ends_before_it_starts_is_refused(
    published_product, carrier_coordinator
):
    fields = event_fields(ends_at=moscow(2025, 3, 11, 17, 0))

    with pytest.raises(ValidationError) as refusal:
        services.record_event(
            product=published_product, actor=carrier_coordinator, **fields
        )

    assert [error.code for error in refusal.value.error_dict["ends_at"]] == [
        "ends_before_start"
    ]
    assert PositioningEvent.objects.count() == 0


def test_event_may_end_the_moment_it_starts_or_have_no_end(
    published_product, carrier_coordinator
):
    start = moscow(2025, 3, 12, 10, 0)

    instant = services.record_event(
        product=published_product,
        actor=carrier_coordinator,
        **event_fields(starts_at=start, ends_at=start),
    )
    open_ended = services.record_event(
        product=published_product,
        actor=carrier_coordinator,
        **event_fields(ends_at=None, kind=PositioningEvent.Kind.MEDIA, place=""),
    )

    assert instant.ends_at == start
    assert open_ended.ends_at is None
    assert PositioningEvent.objects.count() == 2


def test_the_database_refuses_an_event_ending_before_it_starts(published_product):
    # The admin site and any other writer meet the same rule as the service.
    event = PositioningEventFactory.build(
        product=published_product,
        starts_at=moscow(2025, 3, 12, 10, 0),
        ends_at=moscow(2025, 3, 11, 17, 0),
    )

    with pytest.raises(ValidationError) as refusal:
        event.full_clean(exclude=["created_by"])
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()

    assert refusal.value.message_dict == {
        "ends_at": ["Мероприятие не может закончиться раньше, чем начнётся."]
    }
    assert PositioningEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_date_rule_arrives_dropping_end_dates_that_precede_the_start(
    reference_data,
    published_product,
):
    # Rows written before the rule existed keep their start and lose an end
    # that came before it; sound rows are left as they are.
    good = PositioningEventFactory(
        product=published_product,
        starts_at=moscow(2025, 3, 12, 10, 0),
        ends_at=moscow(2025, 3, 12, 17, 0),
    )
    bad = PositioningEventFactory(
        product=published_product,
        starts_at=moscow(2025, 4, 2, 10, 0),
        ends_at=moscow(2025, 4, 3, 17, 0),
    )
    before = [("products", "0007_published_facets_index")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("products")
    executor.migrate(before)
    old_event = executor.loader.project_state(before).apps.get_model(
        "products", "PositioningEvent"
    )
    old_event.objects.filter(pk=bad.pk).update(ends_at=moscow(2025, 4, 1, 17, 0))

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.ends_at == moscow(2025, 3, 12, 17, 0)
    assert (bad.starts_at, bad.ends_at) == (moscow(2025, 4, 2, 10, 0), None)


def test_event_of_an_unknown_kind_is_refused(published_product, carrier_coordinator):
    with pytest.raises(ValidationError) as refusal:
        services.record_event(
            product=published_product,
            actor=carrier_coordinator,
            **event_fields(kind="party"),
        )

    assert [error.code for error in refusal.value.error_dict["kind"]] == [
        "invalid_choice"
    ]
    assert PositioningEvent.objects.count() == 0


def test_record_event_takes_no_field_it_does_not_know(
    published_product, carrier_coordinator, draft_product
):
    with pytest.raises(TypeError):
        services.record_event(
            product=published_product,
            actor=carrier_coordinator,
            **event_fields(product=draft_product),
        )

    assert PositioningEvent.objects.count() == 0


# update_event


def test_editor_changes_an_event(published_product, carrier_head):
    event = PositioningEventFactory(product=published_product)

    services.update_event(
        event=event,
        actor=carrier_head,
        title="Вебинар перенесён",
        starts_at=moscow(2025, 4, 1, 15, 0),
        ends_at=moscow(2025, 4, 1, 16, 30),
    )

    event.refresh_from_db()
    assert event.title == "Вебинар перенесён"
    assert event.starts_at == moscow(2025, 4, 1, 15, 0)
    assert event.ends_at == moscow(2025, 4, 1, 16, 30)
    assert event.history.count() == 2


def test_moving_the_start_after_the_end_is_refused(published_product, carrier_head):
    event = PositioningEventFactory(product=published_product)
    before = events_snapshot()

    with pytest.raises(ValidationError) as refusal:
        services.update_event(
            event=event, actor=carrier_head, starts_at=event.ends_at + timedelta(1)
        )

    assert refusal.value.error_dict["ends_at"][0].code == "ends_before_start"
    assert events_snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_who_does_not_edit_the_product_may_not_change_its_event(
    request, published_product, persona
):
    event = PositioningEventFactory(product=published_product)
    before = events_snapshot()

    with pytest.raises(PermissionDenied):
        services.update_event(
            event=event, actor=request.getfixturevalue(persona), title="Чужое"
        )

    assert events_snapshot() == before


# delete_event


def test_editor_deletes_an_event_and_interests_keep_no_source(
    published_product, carrier_coordinator, recipient, recipient_head
):
    event = PositioningEventFactory(product=published_product)
    interest = Interest.objects.create(
        product=published_product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить",
        source_event=event,
    )

    services.delete_event(event=event, actor=carrier_coordinator)

    assert PositioningEvent.objects.count() == 0
    interest.refresh_from_db()
    assert interest.source_event is None
    assert PositioningEvent.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_who_does_not_edit_the_product_may_not_delete_its_event(
    request, published_product, persona
):
    event = PositioningEventFactory(product=published_product)

    with pytest.raises(PermissionDenied):
        services.delete_event(event=event, actor=request.getfixturevalue(persona))

    assert PositioningEvent.objects.count() == 1


# event_list


def list_url() -> str:
    return reverse("products:event_list")


def test_event_list_shows_upcoming_soonest_first_then_past_newest_first(
    client, published_product, draft_product
):
    now = timezone.now()
    for title, days in [
        ("Через месяц", 30),
        ("Вчера", -1),
        ("Завтра", 1),
        ("Месяц назад", -30),
    ]:
        PositioningEventFactory(
            product=published_product,
            title=title,
            starts_at=now + timedelta(days=days),
        )
    PositioningEventFactory(
        product=published_product,
        title="Идёт сейчас",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(days=2),
    )
    PositioningEventFactory(product=draft_product, title="Семинар черновика")

    response = client.get(list_url())

    assert response.status_code == 200
    assert titles(response.context["upcoming"]) == [
        "Идёт сейчас",
        "Завтра",
        "Через месяц",
    ]
    assert titles(response.context["past"]) == ["Вчера", "Месяц назад"]
    assert response.context["page"].paginator.count == 5
    assert "Семинар черновика" not in response.content.decode()


@pytest.mark.parametrize(
    "status", [Product.Status.DRAFT, Product.Status.SUBMITTED, Product.Status.ARCHIVED]
)
def test_event_list_never_shows_events_of_unpublished_products(
    login, carrier, carrier_coordinator, status
):
    product = ProductFactory(carrier=carrier, status=status)
    PositioningEventFactory(product=product)

    response = login(carrier_coordinator).get(list_url())

    assert response.context["page"].paginator.count == 0


def test_event_list_filters_by_kind(client, published_product):
    PositioningEventFactory(product=published_product, title="Форум", kind="forum")
    PositioningEventFactory(product=published_product, title="Вебинар", kind="webinar")

    response = client.get(list_url(), {"kind": "webinar"})

    assert titles(response.context["page"]) == ["Вебинар"]


def test_event_list_filters_by_month_in_local_time(client, published_product):
    PositioningEventFactory(
        product=published_product, title="Февраль", starts_at=moscow(2025, 2, 28, 23)
    )
    PositioningEventFactory(
        product=published_product, title="Март", starts_at=moscow(2025, 3, 1, 0, 30)
    )
    PositioningEventFactory(
        product=published_product, title="Апрель", starts_at=moscow(2025, 4, 1, 0, 0)
    )

    response = client.get(list_url(), {"month": "2025-03"})

    assert titles(response.context["page"]) == ["Март"]
    assert 'value="2025-03"' in response.content.decode()


def test_event_list_ignores_a_wrong_filter_and_shows_its_error(
    client, published_product
):
    PositioningEventFactory(product=published_product, kind="forum")

    response = client.get(list_url(), {"month": "март", "kind": "party"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    errors = response.context["form"].errors.as_data()
    assert errors["month"][0].code == "invalid"
    assert errors["kind"][0].code == "invalid_choice"


def test_event_list_is_paginated_by_twenty(client, published_product):
    PositioningEventFactory.create_batch(21, product=published_product)

    first = client.get(list_url())
    second = client.get(list_url(), {"page": 2})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 1


# Measured on SQLite: the count and the page of events, whatever their number.
ANONYMOUS_LIST_QUERIES = 2
# session, user, the count and the page of events, "is expert" and the unread
# notifications (the layout)
SIGNED_IN_LIST_QUERIES = 6


@pytest.mark.parametrize("events", [2, 15])
def test_event_list_queries_do_not_grow_with_the_events(
    client, carrier, django_assert_num_queries, events
):
    for _ in range(events):
        PositioningEventFactory(product=ProductFactory(carrier=carrier))

    with django_assert_num_queries(ANONYMOUS_LIST_QUERIES):
        response = client.get(list_url())

    assert len(response.context["page"]) == events


@pytest.mark.parametrize("events", [2, 15])
def test_event_list_queries_for_a_signed_in_user(
    login, carrier, carrier_specialist, django_assert_num_queries, events
):
    for _ in range(events):
        PositioningEventFactory(product=ProductFactory(carrier=carrier))
    client = login(carrier_specialist)
    client.get(list_url())

    with django_assert_num_queries(SIGNED_IN_LIST_QUERIES):
        response = client.get(list_url())

    assert len(response.context["page"]) == events


# event_calendar


def calendar_url(year: int, month: int) -> str:
    return reverse("products:event_calendar", args=[year, month])


def day_cell(response, day) -> dict:
    for week in response.context["weeks"]:
        for cell in week:
            if cell["date"] == day:
                return cell
    raise AssertionError(f"{day} is not in the grid")


def test_calendar_without_a_month_opens_the_current_month(client, db):
    today = timezone.localdate()

    response = client.get(reverse("products:event_calendar_current"))

    assert response.status_code == 302
    assert response["Location"] == calendar_url(today.year, today.month)


def test_calendar_is_a_grid_of_weeks_from_monday(client, db):
    response = client.get(calendar_url(2025, 3))

    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert [len(week) for week in weeks] == [7] * 6
    assert weeks[0][0]["date"] == datetime(2025, 2, 24).date()
    assert weeks[-1][-1]["date"] == datetime(2025, 4, 6).date()
    assert weeks[0][0]["in_month"] is False
    assert weeks[0][5]["in_month"] is True
    page = response.content.decode()
    headers = [
        part.split("</abbr>")[0].rsplit(">", 1)[1]
        for part in page.split('<th scope="col"><abbr')[1:]
    ]
    assert headers == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def test_calendar_puts_each_event_on_its_local_days(
    client, published_product, draft_product
):
    webinar = PositioningEventFactory(
        product=published_product,
        title="Вебинар",
        starts_at=moscow(2025, 3, 4, 0, 30),
        ends_at=moscow(2025, 3, 4, 2, 0),
    )
    forum = PositioningEventFactory(
        product=published_product,
        title="Форум",
        starts_at=moscow(2025, 3, 30, 10),
        ends_at=moscow(2025, 4, 1, 18),
    )
    PositioningEventFactory(
        product=draft_product, title="Черновик", starts_at=moscow(2025, 3, 4, 12)
    )

    response = client.get(calendar_url(2025, 3))

    # 00:30 in Moscow is still the 3rd in UTC: the grid follows local time.
    assert day_cell(response, datetime(2025, 3, 3).date())["events"] == []
    assert day_cell(response, datetime(2025, 3, 4).date())["events"] == [webinar]
    for day in (30, 31):
        assert day_cell(response, datetime(2025, 3, day).date())["events"] == [forum]
    assert day_cell(response, datetime(2025, 4, 1).date())["events"] == [forum]
    assert day_cell(response, datetime(2025, 4, 2).date())["events"] == []
    page = response.content.decode()
    assert detail_url(webinar) in page
    assert "Черновик" not in page


def test_calendar_links_the_previous_and_next_months(client, db):
    response = client.get(calendar_url(2025, 1))

    assert response.context["previous"]["year"] == 2024
    assert response.context["previous"]["month"] == 12
    assert response.context["next"]["year"] == 2025
    assert response.context["next"]["month"] == 2
    page = response.content.decode()
    assert f'href="{calendar_url(2024, 12)}"' in page
    assert f'href="{calendar_url(2025, 2)}"' in page


@pytest.mark.parametrize(("year", "month"), [(2025, 0), (2025, 13), (1999, 5)])
def test_calendar_of_a_month_that_does_not_exist_is_404(client, db, year, month):
    response = client.get(calendar_url(year, month))

    assert response.status_code == 404


# event_ical and product_event_ical


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def vevents(response) -> list:
    return list(parse(response).walk("VEVENT"))


def test_ical_feed_lists_events_of_published_products(
    client, published_product, draft_product
):
    event = PositioningEventFactory(
        product=published_product,
        title="Вебинар «Цифровая лаборатория»",
        starts_at=timezone.now() + timedelta(days=3),
        url="https://webinar.example/lab",
    )
    PositioningEventFactory(product=draft_product, title="Черновик")

    response = client.get(reverse("products:event_ical"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (vevent,) = vevents(response)
    assert str(vevent["SUMMARY"]) == "Вебинар «Цифровая лаборатория»"
    assert str(vevent["URL"]) == "https://webinar.example/lab"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTSTART").utcoffset() == timedelta(0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(vevent["LOCATION"]) == "ГБУ ДППО ЦПКС, ул. Школьная, д. 5"
    description = str(vevent["DESCRIPTION"])
    assert "Цифровая лаборатория в основной школе" in description
    assert "https://webinar.example/lab" in description
    assert str(vevent["UID"]) == f"positioning-event-{event.pk}@innoteka.example"


def test_ical_event_without_a_link_points_to_the_product_page(
    client, published_product
):
    PositioningEventFactory(product=published_product, url="", place="")

    response = client.get(reverse("products:event_ical"))

    (vevent,) = vevents(response)
    assert str(vevent["URL"]) == (f"http://testserver/products/{published_product.pk}/")
    assert "LOCATION" not in vevent


def test_ical_uid_stays_the_same_from_one_request_to_the_next(
    client, published_product
):
    PositioningEventFactory.create_batch(2, product=published_product)

    url = reverse("products:event_ical")

    first = [str(vevent["UID"]) for vevent in vevents(client.get(url))]
    second = [str(vevent["UID"]) for vevent in vevents(client.get(url))]

    assert first == second
    assert len(set(first)) == 2


def test_ical_event_tells_when_it_was_last_changed(
    client, published_product, carrier_head
):
    event = PositioningEventFactory(product=published_product)
    services.update_event(event=event, actor=carrier_head, title="Семинар перенесён")
    event.refresh_from_db()

    (vevent,) = vevents(client.get(reverse("products:event_ical")))

    assert vevent.decoded("LAST-MODIFIED") == event.updated_at.replace(microsecond=0)
    assert event.updated_at > event.created_at


def test_ical_feed_leaves_out_events_older_than_half_a_year(client, published_product):
    now = timezone.now()
    PositioningEventFactory(
        product=published_product, title="Давно", starts_at=now - timedelta(days=200)
    )
    PositioningEventFactory(
        product=published_product, title="Недавно", starts_at=now - timedelta(days=20)
    )

    response = client.get(reverse("products:event_ical"))

    assert [str(vevent["SUMMARY"]) for vevent in vevents(response)] == ["Недавно"]


def test_product_ical_feed_lists_all_events_of_that_product_only(
    client, published_product, carrier
):
    now = timezone.now()
    PositioningEventFactory(
        product=published_product, title="Давно", starts_at=now - timedelta(days=400)
    )
    PositioningEventFactory(product=published_product, title="Скоро")
    PositioningEventFactory(product=ProductFactory(carrier=carrier), title="Другой")

    response = client.get(
        reverse("products:product_event_ical", args=[published_product.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(vevent["SUMMARY"]) for vevent in vevents(response)] == [
        "Давно",
        "Скоро",
    ]


def test_draft_product_has_no_ical_feed_even_for_its_carrier(
    login, draft_product, carrier_coordinator
):
    PositioningEventFactory(product=draft_product)

    response = login(carrier_coordinator).get(
        reverse("products:product_event_ical", args=[draft_product.pk])
    )

    assert response.status_code == 404


# event_detail


def detail_url(event) -> str:
    return reverse("products:event_detail", args=[event.product_id, event.pk])


def test_guest_sees_an_event_of_a_published_product(client, published_product):
    event = PositioningEventFactory(product=published_product, outcome="Пять заявок")

    response = client.get(detail_url(event))

    assert response.status_code == 200
    assert response.context["event"] == event
    assert response.context["can_edit"] is False
    assert "Пять заявок" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 404), ("outsider", 404), ("carrier_specialist", 200)],
)
def test_event_of_a_draft_is_seen_by_the_carrier_only(
    request, login, draft_product, persona, status
):
    event = PositioningEventFactory(product=draft_product)
    user = request.getfixturevalue(persona) if persona else None

    response = login(user).get(detail_url(event))

    assert response.status_code == status


def test_event_under_another_product_is_404(client, published_product, carrier):
    event = PositioningEventFactory(product=ProductFactory(carrier=carrier))

    response = client.get(
        reverse("products:event_detail", args=[published_product.pk, event.pk])
    )

    assert response.status_code == 404


# event_create


def create_url(product) -> str:
    return reverse("products:event_create", args=[product.pk])


def test_anonymous_is_sent_to_sign_in_to_add_an_event(client, published_product):
    response = client.post(create_url(published_product), form_data())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert PositioningEvent.objects.count() == 0


def test_outsider_gets_404_for_adding_an_event_to_a_draft(
    login, draft_product, outsider
):
    response = login(outsider).post(create_url(draft_product), form_data())

    assert response.status_code == 404
    assert PositioningEvent.objects.count() == 0


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_who_does_not_edit_the_product_gets_403_for_adding_an_event(
    request, login, published_product, persona
):
    client = login(request.getfixturevalue(persona))

    response = client.post(create_url(published_product), form_data())

    assert response.status_code == 403
    assert PositioningEvent.objects.count() == 0


def test_coordinator_opens_the_event_form(
    login, published_product, carrier_coordinator
):
    response = login(carrier_coordinator).get(create_url(published_product))

    assert response.status_code == 200
    assert response.context["product"] == published_product


def test_coordinator_adds_an_event(login, published_product, carrier_coordinator):
    response = login(carrier_coordinator).post(
        create_url(published_product), form_data()
    )

    assert response.status_code == 302
    assert response["Location"] == published_product.get_absolute_url()
    event = PositioningEvent.objects.get()
    assert event.product == published_product
    assert event.created_by == carrier_coordinator
    assert event.title == "Региональная конференция «Школа будущего»"
    assert event.starts_at == moscow(2025, 3, 12, 10, 0)
    assert event.ends_at == moscow(2025, 3, 12, 17, 0)
    assert event.audience_size == 250


def test_event_form_shows_an_end_before_the_start(
    login, published_product, carrier_coordinator
):
    response = login(carrier_coordinator).post(
        create_url(published_product), form_data(ends_at="2025-03-11T17:00")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["ends_at"]] == ["ends_before_start"]
    assert PositioningEvent.objects.count() == 0


def test_event_form_shows_missing_fields(login, published_product, carrier_coordinator):
    response = login(carrier_coordinator).post(
        create_url(published_product), form_data(title="", starts_at="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["title"][0].code == "required"
    assert errors["starts_at"][0].code == "required"
    assert PositioningEvent.objects.count() == 0


# event_edit


def edit_url(event) -> str:
    return reverse("products:event_edit", args=[event.product_id, event.pk])


def test_anonymous_is_sent_to_sign_in_to_edit_an_event(client, published_product):
    event = PositioningEventFactory(product=published_product)

    response = client.get(edit_url(event))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404_for_an_event_of_a_draft(login, draft_product, outsider):
    event = PositioningEventFactory(product=draft_product)

    response = login(outsider).post(edit_url(event), form_data())

    assert response.status_code == 404


def test_specialist_gets_403_for_editing_an_event(
    login, published_product, carrier_specialist
):
    event = PositioningEventFactory(product=published_product)
    before = events_snapshot()

    response = login(carrier_specialist).post(edit_url(event), form_data())

    assert response.status_code == 403
    assert events_snapshot() == before


def test_head_edits_an_event(login, published_product, carrier_head):
    event = PositioningEventFactory(product=published_product)

    response = login(carrier_head).post(
        edit_url(event), form_data(title="Итоги конференции", kind="forum")
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(event)
    event.refresh_from_db()
    assert event.title == "Итоги конференции"
    assert event.kind == "forum"


def test_edit_form_keeps_the_event_when_the_dates_are_wrong(
    login, published_product, carrier_head
):
    event = PositioningEventFactory(product=published_product)
    before = events_snapshot()

    response = login(carrier_head).post(
        edit_url(event), form_data(ends_at="2025-03-12T09:00")
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["ends_at"][0].code == (
        "ends_before_start"
    )
    assert events_snapshot() == before


# event_delete


def delete_url(event) -> str:
    return reverse("products:event_delete", args=[event.product_id, event.pk])


def test_event_is_not_deleted_by_a_get(login, published_product, carrier_head):
    event = PositioningEventFactory(product=published_product)

    response = login(carrier_head).get(delete_url(event))

    assert response.status_code == 405
    assert PositioningEvent.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_to_delete_an_event(client, published_product):
    event = PositioningEventFactory(product=published_product)

    response = client.post(delete_url(event))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert PositioningEvent.objects.count() == 1


def test_outsider_gets_404_for_deleting_an_event_of_a_draft(
    login, draft_product, outsider
):
    event = PositioningEventFactory(product=draft_product)

    response = login(outsider).post(delete_url(event))

    assert response.status_code == 404
    assert PositioningEvent.objects.count() == 1


def test_specialist_gets_403_for_deleting_an_event(
    login, published_product, carrier_specialist
):
    event = PositioningEventFactory(product=published_product)

    response = login(carrier_specialist).post(delete_url(event))

    assert response.status_code == 403
    assert PositioningEvent.objects.count() == 1


def test_coordinator_deletes_an_event(login, published_product, carrier_coordinator):
    event = PositioningEventFactory(product=published_product)

    response = login(carrier_coordinator).post(delete_url(event))

    assert response.status_code == 302
    assert response["Location"] == published_product.get_absolute_url()
    assert PositioningEvent.objects.count() == 0


# the section of the product page


def test_product_page_lists_events_with_the_feed_link(client, published_product):
    event = PositioningEventFactory(product=published_product, title="Форум «ИТ»")

    response = client.get(published_product.get_absolute_url())

    page = response.content.decode()
    assert "Форум «ИТ»" in page
    assert detail_url(event) in page
    assert reverse("products:product_event_ical", args=[published_product.pk]) in page
    assert edit_url(event) not in page
    assert create_url(published_product) not in page


def test_product_page_gives_editors_the_event_buttons(
    login, published_product, carrier_coordinator
):
    event = PositioningEventFactory(product=published_product)

    response = login(carrier_coordinator).get(published_product.get_absolute_url())

    page = response.content.decode()
    assert create_url(published_product) in page
    assert edit_url(event) in page
    assert delete_url(event) in page


def test_draft_product_page_offers_no_feed(login, draft_product, carrier_coordinator):
    response = login(carrier_coordinator).get(draft_product.get_absolute_url())

    page = response.content.decode()
    assert reverse("products:product_event_ical", args=[draft_product.pk]) not in page
    assert create_url(draft_product) in page


def test_feed_dates_are_in_utc(client, published_product):
    PositioningEventFactory(
        product=published_product,
        starts_at=timezone.now().astimezone(UTC) + timedelta(hours=5),
    )

    body = client.get(reverse("products:event_ical")).content.decode()

    assert "DTSTART:" in body
    assert body.split("DTSTART:")[1].split("\r\n")[0].endswith("Z")

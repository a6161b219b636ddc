"""Access matrix entries of positioning events and news, and their factories.

The world's published product and its draft each get an event; the carrier
gets a published news item and a draft one. The factories are shared with
``tests/products/test_events.py`` and ``tests/products/test_news.py``.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from products.models import NewsItem, PositioningEvent
from tests.factories import ProductFactory


class PositioningEventFactory(factory.django.DjangoModelFactory):
    """A seminar of a published product, a week from now, two hours long."""

    class Meta:
        model = PositioningEvent

    product = factory.SubFactory(ProductFactory)
    kind = PositioningEvent.Kind.SEMINAR
    title = factory.Sequence(lambda n: f"Городской семинар № {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    place = "ГБУ ДППО ЦПКС, ул. Школьная, д. 5"
    audience_size = 40


class NewsItemFactory(factory.django.DjangoModelFactory):
    """Published news of the platform; pass ``organisation`` for a school's."""

    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Новость площадки № {n}")
    summary = "Кратко о главном."
    body = "Подробности **новости**."
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def arrange(world) -> None:
    """Give both products an event and the carrier two news items."""
    world.extra["event"] = PositioningEventFactory(
        product=world.product, title="Вебинар для партнёров"
    )
    world.extra["draft_event"] = PositioningEventFactory(
        product=world.draft, title="Семинар черновика"
    )
    world.extra["news"] = NewsItemFactory(
        organisation=world.organisation, author=world.people["head"]
    )
    world.extra["draft_news"] = NewsItemFactory(
        organisation=world.organisation,
        author=world.people["coordinator"],
        is_published=False,
    )


def state() -> tuple:
    return (
        list(
            PositioningEvent.objects.values_list("pk", "title", "starts_at").order_by(
                "pk"
            )
        ),
        list(
            NewsItem.objects.values_list("pk", "title", "is_published").order_by("pk")
        ),
    )


def event_of(key: str, product_key: str):
    def kwargs(w) -> dict:
        product = getattr(w, product_key)
        return {"pk": product.pk, "event_pk": w.extra[key].pk}

    return kwargs


def news(key: str):
    return lambda w: {"news_pk": w.extra[key].pk}


EVERYONE = statuses(
    anonymous=200,
    outsider=200,
    specialist=200,
    coordinator=200,
    head=200,
    expert=200,
    administrator=200,
)
NOBODY = statuses(
    anonymous=404,
    outsider=404,
    specialist=404,
    coordinator=404,
    head=404,
    expert=404,
    administrator=404,
)
# The carrier's members see the draft product; administrators and experts
# see submitted and archived products, never drafts.
CARRIER_ONLY = statuses(
    anonymous=404,
    outsider=404,
    specialist=200,
    coordinator=200,
    head=200,
    expert=404,
    administrator=404,
)

ENTRIES = {
    "products:event_calendar": {
        "kwargs": lambda w: {"year": 2025, "month": 3},
        "expect": EVERYONE,
    },
    "products:product_event_ical": {
        # Feeds exist for published products only, whoever asks.
        "kwargs": lambda w: {"pk": w.draft.pk},
        "expect": NOBODY,
    },
    "products:event_detail": {
        "kwargs": event_of("draft_event", "draft"),
        "expect": CARRIER_ONLY,
    },
    "products:event_create": {
        "kwargs": lambda w: {"pk": w.draft.pk},
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=200,
            head=200,
            expert=404,
            administrator=404,
        ),
    },
    "products:event_edit": {
        "kwargs": event_of("event", "product"),
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=200,
            head=200,
            expert=403,
            administrator=200,
        ),
    },
    "products:event_delete": {
        "kwargs": event_of("event", "product"),
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=302,
            head=302,
            expert=403,
            administrator=302,
        ),
    },
    "products:news_detail": {
        "kwargs": news("draft_news"),
        "expect": statuses(
            anonymous=404,
            outsider=404,
            specialist=404,
            coordinator=200,
            head=200,
            expert=404,
            administrator=200,
        ),
    },
    "products:news_edit": {
        "kwargs": news("news"),
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=200,
            head=200,
            expert=403,
            administrator=200,
        ),
    },
    "products:news_delete": {
        "kwargs": news("news"),
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=302,
            head=302,
            expert=403,
            administrator=302,
        ),
    },
}

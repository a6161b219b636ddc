"""Notifications of the personas, shared by the notifications tests."""

import pytest
from django.utils import timezone

from notifications.kinds import Kind
from notifications.models import Notification


def make_notification(recipient, **fields) -> Notification:
    """Create a notification for ``recipient`` directly, without emails."""
    fields.setdefault("kind", Kind.STAGE_MOVED)
    fields.setdefault("title", "Партнёрство перешло к этапу «Пакет документов»")
    return Notification.objects.create(recipient=recipient, **fields)


@pytest.fixture
def unread(recipient_head) -> Notification:
    return make_notification(recipient_head, link="/products/")


@pytest.fixture
def read(recipient_head) -> Notification:
    return make_notification(
        recipient_head,
        kind=Kind.INTEREST_ACCEPTED,
        title="Заявка принята",
        read_at=timezone.now(),
    )

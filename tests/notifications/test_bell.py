"""The bell in the page header: unread count, its cost, its accessible name."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notifications.context_processors import unread
from tests.notifications.conftest import make_notification

pytestmark = pytest.mark.django_db

BELL = re.compile(r'<a class="nav-link notification-bell"[^>]*>.*?</a>', re.DOTALL)


def bell(response) -> str:
    found = BELL.findall(response.content.decode())
    assert len(found) == 1
    return found[0]


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_bell_counts_the_users_unread(login, recipient_head, recipient_specialist):
    for _ in range(3):
        make_notification(recipient_head)
    make_notification(recipient_head, read_at=timezone.now())
    make_notification(recipient_specialist)
    client = login(recipient_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("dashboard"))

    link = bell(response)
    assert 'aria-label="Notifications: 3 unread"' in link
    assert '<span class="badge rounded-pill text-bg-danger">3<span' in link
    assert f'href="{reverse("notifications:notification_list")}"' in link


def test_bell_has_no_badge_when_everything_is_read(login, recipient_head):
    make_notification(recipient_head, read_at=timezone.now())
    client = login(recipient_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    link = bell(client.get(reverse("dashboard")))

    assert 'aria-label="Notifications: none unread"' in link
    assert "badge" not in link


def test_bell_stops_counting_at_the_cap(login, recipient_head):
    for _ in range(101):
        make_notification(recipient_head)
    client = login(recipient_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    link = bell(client.get(reverse("dashboard")))

    assert 'aria-label="Notifications: more than 99 unread"' in link
    assert ">99+<" in link


def test_guest_sees_no_bell(client):
    response = client.get(reverse("home"))

    assert not BELL.findall(response.content.decode())


def test_count_costs_nothing_until_a_template_asks(
    recipient_head, django_assert_num_queries
):
    make_notification(recipient_head)

    with django_assert_num_queries(0):
        context = unread(request_of(recipient_head))
    with django_assert_num_queries(1):
        assert context["unread_notifications"].count == 1
        assert context["unread_notifications"].badge == "1"
        assert context["unread_notifications"].count == 1


def test_count_of_a_guest_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        context = unread(request_of(AnonymousUser()))
        assert context["unread_notifications"].count == 0

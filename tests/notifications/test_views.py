"""Pages of notifications: the list, opening one, marking all, preferences."""

import pytest
from django.conf import settings
from django.urls import reverse

from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification
from tests.notifications.conftest import make_notification

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:notification_list")
MARK_ALL_URL = reverse("notifications:notification_mark_all_read")
PREFERENCES_URL = reverse("notifications:preferences")


def open_url(notification: Notification) -> str:
    return reverse("notifications:notification_open", kwargs={"pk": notification.pk})


def read_at(notification: Notification):
    notification.refresh_from_db()
    return notification.read_at


# Anonymous visitors


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", [LIST_URL, MARK_ALL_URL, PREFERENCES_URL])
def test_anonymous_is_sent_to_sign_in(client, url, method):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_open_a_notification(client, unread):
    response = client.post(open_url(unread))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert read_at(unread) is None


# The list


def test_list_shows_only_the_users_notifications_newest_first(
    login, recipient_head, recipient_specialist, unread, read
):
    make_notification(recipient_specialist, title="Чужое уведомление")
    newest = make_notification(recipient_head, title="Новый комментарий")

    response = login(recipient_head).get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [newest, read, unread]
    page = response.content.decode()
    assert "Чужое уведомление" not in page
    assert "Новый комментарий" in page


def test_list_highlights_unread_and_offers_mark_all(
    login, recipient_head, unread, read
):
    response = login(recipient_head).get(LIST_URL)

    page = response.content.decode()
    assert page.count("list-group-item list-group-item-primary") == 1
    assert f'action="{MARK_ALL_URL}"' in page
    assert f'action="{open_url(unread)}"' in page
    # A read notification without a link has nothing to open.
    assert f'action="{open_url(read)}"' not in page


def test_mark_all_is_not_offered_when_everything_is_read(login, recipient_head, read):
    response = login(recipient_head).get(LIST_URL)

    assert f'action="{MARK_ALL_URL}"' not in response.content.decode()


def test_list_is_paginated(login, recipient_head):
    for number in range(25):
        make_notification(recipient_head, title=f"Уведомление {number}")

    client = login(recipient_head)
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(
    login, recipient_head, carrier_head, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_notification(recipient_head, actor=carrier_head, link="/products/")
    client = login(recipient_head)
    client.get(LIST_URL)  # the session settles

    # session, user, is_expert (layout), count, rows with actors, unread (bell)
    with django_assert_num_queries(6):
        response = client.get(LIST_URL)

    assert len(response.context["page"].object_list) == min(rows, 20)


# Opening one


def test_owner_opens_a_notification_and_goes_to_its_link(login, recipient_head, unread):
    response = login(recipient_head).post(open_url(unread))

    assert response.status_code == 302
    assert response["Location"] == "/products/"
    assert read_at(unread) is not None


def test_opening_a_notification_without_link_returns_to_the_list(login, recipient_head):
    notification = make_notification(recipient_head, link="")

    response = login(recipient_head).post(open_url(notification))

    assert response["Location"] == LIST_URL
    assert read_at(notification) is not None


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "products/",
    ],
)
def test_an_unsafe_link_is_never_followed(login, recipient_head, link):
    notification = make_notification(recipient_head, link=link)

    response = login(recipient_head).post(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert read_at(notification) is not None


def test_opening_keeps_the_first_reading_time(login, recipient_head, read):
    first = read.read_at

    login(recipient_head).post(open_url(read))

    assert read_at(read) == first


def test_another_user_gets_404_and_nothing_changes(login, recipient_specialist, unread):
    response = login(recipient_specialist).post(open_url(unread))

    assert response.status_code == 404
    assert read_at(unread) is None


def test_opening_needs_a_post(login, recipient_head, unread):
    response = login(recipient_head).get(open_url(unread))

    assert response.status_code == 405
    assert read_at(unread) is None


# Marking all read


def test_mark_all_read_marks_only_the_users_own(
    login, recipient_head, recipient_specialist, unread
):
    other = make_notification(recipient_specialist)

    response = login(recipient_head).post(MARK_ALL_URL, follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert read_at(unread) is not None
    assert read_at(other) is None
    assert len(list(response.context["messages"])) == 1


def test_mark_all_read_needs_a_post(login, recipient_head, unread):
    response = login(recipient_head).get(MARK_ALL_URL)

    assert response.status_code == 405
    assert read_at(unread) is None


# Preferences


def test_preferences_form_ticks_every_kind_by_default(login, recipient_head):
    response = login(recipient_head).get(PREFERENCES_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="checkbox" name="kinds"') == len(Kind)
    assert page.count("checked") == len(Kind)


def test_preferences_form_shows_what_was_saved(login, recipient_head):
    EmailPreference.objects.create(
        user=recipient_head, kind=Kind.AGREEMENT_COMMENT, is_enabled=False
    )

    response = login(recipient_head).get(PREFERENCES_URL)

    assert set(response.context["form"].initial["kinds"]) == set(Kind) - {
        Kind.AGREEMENT_COMMENT
    }


def test_saving_preferences_stores_them_and_says_so(login, recipient_head):
    client = login(recipient_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        PREFERENCES_URL,
        {"kinds": [Kind.AGREEMENT_SIGNED, Kind.STAGE_MOVED]},
        follow=True,
    )

    assert response.redirect_chain == [(PREFERENCES_URL, 302)]
    enabled = set(
        EmailPreference.objects.filter(
            user=recipient_head, is_enabled=True
        ).values_list("kind", flat=True)
    )
    assert enabled == {Kind.AGREEMENT_SIGNED, Kind.STAGE_MOVED}
    assert [str(m) for m in response.context["messages"]] == ["Saved"]


def test_unticking_every_box_turns_all_email_off(login, recipient_head):
    response = login(recipient_head).post(PREFERENCES_URL, {})

    assert response.status_code == 302
    assert not EmailPreference.objects.filter(
        user=recipient_head, is_enabled=True
    ).exists()
    assert EmailPreference.objects.filter(user=recipient_head).count() == len(Kind)


def test_unknown_kind_is_an_error_and_nothing_is_saved(login, recipient_head):
    response = login(recipient_head).post(PREFERENCES_URL, {"kinds": ["lost"]})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not EmailPreference.objects.exists()


def test_preferences_belong_to_the_signed_in_user(
    login, recipient_head, recipient_specialist
):
    login(recipient_specialist).post(PREFERENCES_URL, {})

    assert not EmailPreference.objects.filter(user=recipient_head).exists()
    assert EmailPreference.objects.filter(user=recipient_specialist).count() == len(
        Kind
    )

"""The admin pages of notifications and email preferences."""

import pytest
from django.urls import reverse

from notifications.kinds import Kind
from notifications.models import EmailPreference
from tests.factories import UserFactory
from tests.notifications.conftest import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(email="root@innoteka.example", is_staff=True, is_superuser=True)


def test_notifications_are_filtered_by_read_and_found_by_recipient_email(
    login, superuser, recipient_head, recipient_specialist, read
):
    unread = make_notification(recipient_head, title="Новое")
    make_notification(recipient_specialist, title="Чужое")
    url = reverse("admin:notifications_notification_changelist")

    response = login(superuser).get(
        url, {"read": "no", "q": recipient_head.email, "kind": Kind.STAGE_MOVED}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [unread]


def test_email_preferences_are_listed(login, superuser, recipient_head):
    EmailPreference.objects.create(
        user=recipient_head, kind=Kind.AGREEMENT_COMMENT, is_enabled=False
    )
    url = reverse("admin:notifications_emailpreference_changelist")

    response = login(superuser).get(url, {"q": recipient_head.email})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


def test_notification_form_opens(login, superuser, read):
    url = reverse("admin:notifications_notification_change", args=[read.pk])

    assert login(superuser).get(url).status_code == 200

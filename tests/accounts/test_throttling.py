"""Login throttling: failures are counted per account, not per address."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
SCHOOL_ADDRESS = "10.0.0.1"


@pytest.fixture
def colleague(db):
    """Another teacher of the same school, behind the same address."""
    return UserFactory(email="colleague@school.example")


def sign_in(client, email: str, password: str, address: str = SCHOOL_ADDRESS):
    return client.post(
        LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail(client, email: str, times: int, address: str = SCHOOL_ADDRESS) -> list[int]:
    return [
        sign_in(client, email, "wrong-password", address).status_code
        for _ in range(times)
    ]


def test_four_wrong_passwords_do_not_lock_the_account(client, user, password):
    statuses = fail(client, user.email, 4)

    response = sign_in(client, user.email, password)

    assert statuses == [200, 200, 200, 200]
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_fifth_wrong_password_locks_the_account(client, user):
    statuses = fail(client, user.email, 5)

    assert statuses == [200, 200, 200, 200, 429]
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == (user.email, 5)


def test_locked_account_is_refused_even_with_the_right_password(client, user, password):
    fail(client, user.email, 5)

    response = sign_in(client, user.email, password)

    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert response.context["cooloff_minutes"] == 15
    assert reverse("accounts:password_reset") in response.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None


def test_lock_counts_the_email_in_any_case_as_one_account(client, user, password):
    for email in ["Anna.Ivanova@School.Example", "ANNA.IVANOVA@SCHOOL.EXAMPLE"]:
        fail(client, email, 2)
    fail(client, " anna.ivanova@school.example", 1)

    response = sign_in(client, user.email, password)

    assert response.status_code == 429


def test_colleague_behind_the_same_address_still_signs_in(
    client, user, colleague, password
):
    fail(client, user.email, 5)

    response = sign_in(client, colleague.email, password)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_colleague_failures_do_not_add_up_with_the_locked_account(
    client, user, colleague, password
):
    fail(client, user.email, 5)
    fail(client, colleague.email, 4)

    response = sign_in(client, colleague.email, password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_locked_account_is_refused_from_another_address_too(client, user, password):
    fail(client, user.email, 5, address="10.0.0.1")

    response = sign_in(client, user.email, password, address="192.0.2.44")

    assert response.status_code == 429


def test_successful_sign_in_resets_the_failure_count(client, user, password):
    fail(client, user.email, 4)
    sign_in(client, user.email, password)
    client.logout()

    statuses = fail(client, user.email, 4)

    assert statuses == [200, 200, 200, 200]
    assert sign_in(client, user.email, password).status_code == 302

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
LOGOUT_URL = reverse("accounts:logout")
PASSWORD_CHANGE_URL = reverse("accounts:password_change")
PASSWORD_RESET_URL = reverse("accounts:password_reset")
RESET_LINK = r"http://testserver/accounts/password/reset/[^/\s]+/[^/\s]+/"
NEW_PASSWORD = "Tverskaya-street-1905"


def login_errors(response) -> list[str]:
    return [error.code for error in response.context["form"].non_field_errors().data]


def test_confirmed_user_signs_in_and_lands_on_the_dashboard(client, user, password):
    response = client.post(
        LOGIN_URL, {"username": "anna.ivanova@school.example", "password": password}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_accepts_the_email_in_another_case(client, user, password):
    response = client.post(
        LOGIN_URL, {"username": " Anna.IVANOVA@School.Example", "password": password}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_follows_a_local_next(client, user, password):
    response = client.post(
        LOGIN_URL,
        {
            "username": user.email,
            "password": password,
            "next": reverse("accounts:profile"),
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")


def test_sign_in_ignores_a_next_on_another_host(client, user, password):
    response = client.post(
        LOGIN_URL,
        {"username": user.email, "password": password, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_unconfirmed_user_is_not_signed_in_and_gets_the_resend_link(
    client, unconfirmed_user, password
):
    response = client.post(
        LOGIN_URL, {"username": unconfirmed_user.email, "password": password}
    )

    assert response.status_code == 200
    assert login_errors(response) == ["unconfirmed"]
    resend_link = f'href="{reverse("accounts:resend_confirmation")}"'
    assert resend_link in response.content.decode()
    assert "_auth_user_id" not in client.session
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.last_login is None


def test_unconfirmed_user_with_a_wrong_password_gets_only_the_password_error(
    client, unconfirmed_user
):
    response = client.post(
        LOGIN_URL, {"username": unconfirmed_user.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert login_errors(response) == ["invalid_login"]


def test_wrong_password_is_refused(client, user):
    response = client.post(
        LOGIN_URL, {"username": user.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert login_errors(response) == ["invalid_login"]
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.last_login is None


def test_inactive_user_cannot_sign_in(client, user, password):
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.post(LOGIN_URL, {"username": user.email, "password": password})

    assert response.status_code == 200
    assert login_errors(response) == ["invalid_login"]
    assert "_auth_user_id" not in client.session


def test_login_page_sends_a_signed_in_user_to_the_dashboard(login, user):
    client = login(user)

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_logout_by_get_is_not_allowed_and_keeps_the_session(login, user):
    client = login(user)

    response = client.get(LOGOUT_URL)

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_by_post_signs_out_and_goes_home(login, user):
    client = login(user)

    response = client.post(LOGOUT_URL)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_password_change_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get(PASSWORD_CHANGE_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={PASSWORD_CHANGE_URL}"


def test_password_change_page_opens_for_a_signed_in_user(login, user):
    client = login(user)

    response = client.get(PASSWORD_CHANGE_URL)

    assert response.status_code == 200
    assert set(response.context["form"].fields) == {
        "old_password",
        "new_password1",
        "new_password2",
    }


def test_password_change_with_a_wrong_old_password_changes_nothing(
    login, user, password
):
    client = login(user)

    response = client.post(
        PASSWORD_CHANGE_URL,
        {
            "old_password": "not-the-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["old_password"]] == ["password_incorrect"]
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_change_sets_the_new_password_and_keeps_the_user_signed_in(
    login, user
):
    client = login(user)

    response = client.post(
        PASSWORD_CHANGE_URL,
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_emails_a_link_to_an_existing_account(client, user, sent_link):
    response = client.post(PASSWORD_RESET_URL, {"email": "Anna.Ivanova@School.Example"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    assert mail.outbox[0].to == ["anna.ivanova@school.example"]
    assert sent_link(RESET_LINK).startswith(
        f"http://testserver/accounts/password/reset/{uidb64}/"
    )


def test_password_reset_for_an_unknown_email_sends_nothing_but_answers_the_same(
    client, user
):
    response = client.post(PASSWORD_RESET_URL, {"email": "nobody@school.example"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_sets_the_password_and_confirms_the_email(
    client, unconfirmed_user, sent_link
):
    client.post(PASSWORD_RESET_URL, {"email": unconfirmed_user.email})
    form_page = client.get(sent_link(RESET_LINK))

    response = client.post(
        form_page.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert form_page.status_code == 302
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.check_password(NEW_PASSWORD)
    assert unconfirmed_user.email_confirmed_at is not None


def test_password_reset_link_of_a_confirmed_user_keeps_the_confirmation_time(
    client, user, sent_link
):
    confirmed_at = user.email_confirmed_at
    client.post(PASSWORD_RESET_URL, {"email": user.email})
    form_page = client.get(sent_link(RESET_LINK))

    client.post(
        form_page.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_confirmed_at == confirmed_at


def test_password_reset_with_a_short_password_changes_nothing(
    client, unconfirmed_user, password, sent_link
):
    client.post(PASSWORD_RESET_URL, {"email": unconfirmed_user.email})
    form_page = client.get(sent_link(RESET_LINK))

    response = client.post(
        form_page.url, {"new_password1": "Zq7-wX9kp", "new_password2": "Zq7-wX9kp"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["new_password2"]] == ["password_too_short"]
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.check_password(password)
    assert unconfirmed_user.email_confirmed_at is None


def test_password_reset_link_works_only_once(client, user, sent_link):
    client.post(PASSWORD_RESET_URL, {"email": user.email})
    link = sent_link(RESET_LINK)
    form_page = client.get(link)
    client.post(
        form_page.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["validlink"] is False

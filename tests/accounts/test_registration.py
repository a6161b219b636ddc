import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from accounts.models import Consent, User
from accounts.tokens import email_confirmation_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTER_URL = reverse("accounts:register")
CONFIRM_LINK = r"http://testserver/accounts/confirm/[^/\s]+/[^/\s]+/"


def registration_data(**changes) -> dict:
    return {
        "last_name": "Иванова",
        "first_name": "Анна",
        "patronymic": "Сергеевна",
        "email": "Anna.Ivanova@School.Example",
        "position": "Учитель математики",
        "password1": "Rosa-Luxemburg-1871",
        "password2": "Rosa-Luxemburg-1871",
        "consent": "on",
        **changes,
    }


def message_levels(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def confirm_url(user: User, token: str | None = None) -> str:
    return reverse(
        "accounts:confirm_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token or email_confirmation_token.make_token(user),
        },
    )


def test_registration_page_shows_the_consent_text_in_force(client, consent_version):
    first_paragraph = consent_version.text.split("\n\n")[0]

    response = client.get(REGISTER_URL)

    assert response.status_code == 200
    assert response.context["consent_version"] == consent_version
    assert escape(first_paragraph) in response.content.decode()
    assert 'name="consent"' in response.content.decode()


def test_registration_page_sends_a_signed_in_user_to_the_dashboard(login, user):
    client = login(user)

    response = client.get(REGISTER_URL)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_registration_creates_an_unconfirmed_user_with_consent_and_one_email(
    client, consent_version, django_capture_on_commit_callbacks, sent_link
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REGISTER_URL, registration_data(), REMOTE_ADDR="10.0.0.7"
        )

    assert response.status_code == 302
    assert response.url == reverse("accounts:register_done")
    user = User.objects.get()
    assert user.email == "anna.ivanova@school.example"
    assert (user.last_name, user.first_name, user.patronymic) == (
        "Иванова",
        "Анна",
        "Сергеевна",
    )
    assert user.position == "Учитель математики"
    assert user.email_confirmed_at is None
    assert user.check_password("Rosa-Luxemburg-1871")
    consent = Consent.objects.get()
    assert (consent.user, consent.version) == (user, consent_version)
    assert consent.ip_address == "10.0.0.7"
    link = sent_link(CONFIRM_LINK)
    uidb64, token = link.split("/")[-3:-1]
    assert mail.outbox[0].to == ["anna.ivanova@school.example"]
    assert uidb64 == urlsafe_base64_encode(force_bytes(user.pk))
    assert email_confirmation_token.check_token(user, token) is True
    assert "_auth_user_id" not in client.session


def test_registration_done_page_names_the_address(client, consent_version):
    client.post(REGISTER_URL, registration_data())

    response = client.get(reverse("accounts:register_done"))

    assert response.status_code == 200
    assert response.context["email"] == "anna.ivanova@school.example"


def assert_refused(response, field: str, code: str | None) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == [field]
    assert [error.code for error in errors[field]] == [code]
    assert not User.objects.exists()
    assert not Consent.objects.exists()
    assert mail.outbox == []


def test_registration_without_the_consent_box_creates_nothing(
    client, consent_version, django_capture_on_commit_callbacks
):
    data = registration_data()
    del data["consent"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER_URL, data)

    assert_refused(response, "consent", "required")


def test_registration_with_a_registered_email_in_another_case_creates_nothing(
    client, consent_version, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="anna.ivanova@school.example")
    consents_before = list(Consent.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REGISTER_URL, registration_data(email="ANNA.Ivanova@school.EXAMPLE")
        )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["email"]
    assert list(User.objects.all()) == [existing]
    assert list(Consent.objects.values_list("pk", flat=True)) == consents_before
    assert mail.outbox == []


def test_registration_with_different_passwords_creates_nothing(
    client, consent_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REGISTER_URL, registration_data(password2="Rosa-Luxemburg-1872")
        )

    assert_refused(response, "password2", None)


def test_registration_with_a_nine_character_password_creates_nothing(
    client, consent_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REGISTER_URL,
            registration_data(password1="Zq7-wX9kp", password2="Zq7-wX9kp"),
        )

    assert_refused(response, "password1", "password_too_short")


def test_registration_accepts_a_ten_character_password(
    client, consent_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REGISTER_URL,
            registration_data(password1="Zq7-wX9kp!", password2="Zq7-wX9kp!"),
        )

    assert response.status_code == 302
    assert User.objects.get().check_password("Zq7-wX9kp!")


def test_registration_with_a_password_like_the_email_creates_nothing(
    client, consent_version, django_capture_on_commit_callbacks
):
    data = registration_data(
        email="annaivanova1985@school.example",
        password1="annaivanova1985",
        password2="annaivanova1985",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER_URL, data)

    assert_refused(response, "password1", "password_too_similar")


def test_confirmation_link_confirms_signs_in_and_opens_the_dashboard(
    client, unconfirmed_user
):
    response = client.get(confirm_url(unconfirmed_user))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.email_confirmed_at is not None
    assert client.session["_auth_user_id"] == str(unconfirmed_user.pk)


def test_registration_link_from_the_email_confirms_the_address(
    client, consent_version, django_capture_on_commit_callbacks, sent_link
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER_URL, registration_data())
    link = sent_link(CONFIRM_LINK)

    response = client.get(link)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert User.objects.get().email_confirmed_at is not None


def test_second_use_of_the_confirmation_link_sends_to_login_without_signing_in(
    client, unconfirmed_user
):
    url = confirm_url(unconfirmed_user)
    client.get(url)
    unconfirmed_user.refresh_from_db()
    confirmed_at = unconfirmed_user.email_confirmed_at
    client.logout()

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert message_levels(response) == ["info"]
    assert "_auth_user_id" not in client.session
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.email_confirmed_at == confirmed_at


def test_confirmation_link_with_a_wrong_token_is_refused(client, unconfirmed_user):
    response = client.get(
        confirm_url(unconfirmed_user, token="dj110h-0123456789abcdef")
    )

    assert response.status_code == 400
    assert response.templates[0].name == "accounts/confirm_email_invalid.html"
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.email_confirmed_at is None
    assert "_auth_user_id" not in client.session


def test_confirmation_link_with_an_unknown_user_is_refused(client, db):
    url = reverse(
        "accounts:confirm_email",
        kwargs={"uidb64": urlsafe_base64_encode(b"999999"), "token": "dj110h-0"},
    )

    response = client.get(url)

    assert response.status_code == 400


def test_confirmation_link_of_another_user_is_refused(client, unconfirmed_user):
    other = UserFactory(email="other@school.example", email_confirmed_at=None)
    token = email_confirmation_token.make_token(other)

    response = client.get(confirm_url(unconfirmed_user, token=token))

    assert response.status_code == 400
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.email_confirmed_at is None


def test_confirmation_link_stops_working_after_the_email_changes(
    client, unconfirmed_user
):
    url = confirm_url(unconfirmed_user)
    unconfirmed_user.email = "oleg.smirnov@gymnasium.example"
    unconfirmed_user.save()

    response = client.get(url)

    assert response.status_code == 400
    unconfirmed_user.refresh_from_db()
    assert unconfirmed_user.email_confirmed_at is None


RESEND_URL = reverse("accounts:resend_confirmation")


def test_resend_confirmation_sends_a_working_link_to_an_unconfirmed_account(
    client, unconfirmed_user, django_capture_on_commit_callbacks, sent_link
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, {"email": "Oleg.Smirnov@School.Example"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert message_levels(response) == ["info"]
    assert mail.outbox[0].to == ["oleg.smirnov@school.example"]
    assert client.get(sent_link(CONFIRM_LINK)).url == reverse("dashboard")


@pytest.mark.parametrize(
    "email", ["nobody@school.example", "anna.ivanova@school.example"]
)
def test_resend_confirmation_answers_the_same_and_sends_nothing_otherwise(
    client, user, email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND_URL, {"email": email})

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert message_levels(response) == ["info"]
    assert mail.outbox == []


def test_resend_confirmation_with_an_invalid_address_shows_the_form(client, db):
    response = client.post(RESEND_URL, {"email": "not-an-address"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert mail.outbox == []

"""The consent middleware, the consent page and the public consent text."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Consent, ConsentVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONSENT_URL = reverse("accounts:consent")
DASHBOARD_URL = reverse("dashboard")
CONSENT_TEXT_URL = reverse("consent_text")


def test_user_who_agreed_to_the_current_text_opens_pages(login, user):
    client = login(user)

    response = client.get(DASHBOARD_URL)

    assert response.status_code == 200


def test_new_text_sends_a_signed_in_user_to_the_consent_page(
    login, user, new_consent_version
):
    client = login(user)

    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response.url == f"{CONSENT_URL}?next=%2Fdashboard%2F"


def test_new_text_interrupts_a_session_that_agreed_to_the_old_one(login, user):
    client = login(user)
    client.get(DASHBOARD_URL)
    ConsentVersion.objects.create(
        version="2.0",
        title="Согласие",
        text="Новая редакция",
        effective_at=timezone.now(),
    )
    cache.clear()

    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response.url == f"{CONSENT_URL}?next=%2Fdashboard%2F"


def test_user_without_any_consent_is_sent_to_the_consent_page(login, consent_version):
    client = login(UserFactory(consent=False))

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{CONSENT_URL}?next=%2Faccounts%2Fprofile%2F"


def test_consent_redirect_keeps_the_query_string_of_the_page(
    login, user, new_consent_version
):
    client = login(user)

    response = client.get("/organisations/?page=2")

    assert response.status_code == 302
    assert response.url == f"{CONSENT_URL}?next=%2Forganisations%2F%3Fpage%3D2"


def test_anonymous_visitor_is_not_asked_for_consent(client, new_consent_version):
    response = client.get(reverse("home"))

    assert response.status_code == 200


def test_logout_is_not_interrupted_by_a_new_text(login, user, new_consent_version):
    client = login(user)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_static_files_are_not_interrupted_by_a_new_text(
    login, user, new_consent_version
):
    client = login(user)

    response = client.get("/static/css/innoteka.css")

    assert response.status_code == 404


def test_consent_page_shows_the_new_text_and_keeps_next(
    login, user, new_consent_version
):
    client = login(user)

    response = client.get(CONSENT_URL, {"next": "/organisations/?page=2"})

    assert response.status_code == 200
    assert response.context["consent_version"] == new_consent_version
    page = response.content.decode()
    assert "<p>Новая редакция согласия.</p>" in page
    assert '<input type="hidden" name="next" value="/organisations/?page=2">' in page


def test_consent_without_the_box_shows_the_error_and_records_nothing(
    login, user, new_consent_version
):
    client = login(user)

    response = client.post(CONSENT_URL, {"next": DASHBOARD_URL})

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["consent"]] == ["required"]
    assert not Consent.objects.filter(version=new_consent_version).exists()
    assert client.get(DASHBOARD_URL).status_code == 302


def test_consent_with_the_box_is_recorded_and_returns_to_next(
    login, user, new_consent_version
):
    client = login(user)

    response = client.post(
        CONSENT_URL,
        {"consent": "on", "next": "/organisations/?page=2"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_USER_AGENT="Firefox 128",
    )

    assert response.status_code == 302
    assert response.url == "/organisations/?page=2"
    consent = Consent.objects.get(version=new_consent_version)
    assert consent.user == user
    assert (consent.ip_address, consent.user_agent) == ("10.0.0.5", "Firefox 128")
    assert client.get(DASHBOARD_URL).status_code == 200


def test_consent_ignores_a_next_on_another_host(login, user, new_consent_version):
    client = login(user)

    response = client.post(
        CONSENT_URL, {"consent": "on", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == DASHBOARD_URL


def test_consent_page_of_a_user_who_agreed_returns_to_next(login, user):
    client = login(user)

    response = client.get(CONSENT_URL, {"next": "/organisations/"})

    assert response.status_code == 302
    assert response.url == "/organisations/"


def test_consent_page_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get(CONSENT_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={CONSENT_URL}"


def test_registration_in_the_browser_does_not_excuse_another_account_from_consent(
    client, password, new_consent_version
):
    old_hand = UserFactory(email="old.hand@school.example", consent=False)
    client.post(
        reverse("accounts:register"),
        {
            "last_name": "Иванова",
            "first_name": "Анна",
            "email": "anna.ivanova@school.example",
            "password1": "Rosa-Luxemburg-1871",
            "password2": "Rosa-Luxemburg-1871",
            "consent": "on",
        },
    )
    client.post(
        reverse("accounts:login"), {"username": old_hand.email, "password": password}
    )

    response = client.get(DASHBOARD_URL)

    assert response.status_code == 302
    assert response.url == f"{CONSENT_URL}?next=%2Fdashboard%2F"


def test_public_consent_text_shows_the_current_text_to_anyone(client, consent_version):
    first_paragraph = consent_version.text.split("\n\n")[0]

    response = client.get(CONSENT_TEXT_URL)

    assert response.status_code == 200
    assert response.context["consent_version"] == consent_version
    assert escape(first_paragraph) in response.content.decode()


def test_public_consent_text_shows_a_newly_published_text(client, new_consent_version):
    response = client.get(CONSENT_TEXT_URL)

    assert response.status_code == 200
    assert "<p>Иные цели обработки данных.</p>" in response.content.decode()


def test_public_consent_text_is_404_when_none_is_published(client, db):
    ConsentVersion.objects.all().delete()

    response = client.get(CONSENT_TEXT_URL)

    assert response.status_code == 404

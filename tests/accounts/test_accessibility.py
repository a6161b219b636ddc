"""Settings of the version for the visually impaired."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import ACCESSIBILITY_SESSION_KEY

pytestmark = pytest.mark.django_db

ACCESSIBILITY_URL = reverse("accessibility")
HOME_URL = reverse("home")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def html_class(response) -> str | None:
    """Return the class attribute of the page's <html> element."""
    match = re.search(r"<html\b[^>]*>", response.content.decode())
    assert match is not None
    attribute = re.search(r'class="([^"]*)"', match.group(0))
    return attribute.group(1) if attribute else None


def preferences(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.is_accessible_version,
        user.accessible_font_size,
        user.accessible_colour_scheme,
        user.accessible_hide_images,
    )


DEFAULTS = (False, "large", "black-on-white", True)


def test_standard_version_has_no_accessibility_class(client, db):
    response = client.get(HOME_URL)

    assert html_class(response) is None


def test_accessibility_page_opens_for_an_anonymous_visitor(client, db):
    response = client.get(ACCESSIBILITY_URL)

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "enabled": "0",
        "font_size": "large",
        "colour_scheme": "black-on-white",
        "hide_images": "1",
    }


def test_guest_turning_the_version_on_gets_it_on_the_next_page(client, db):
    response = client.post(ACCESSIBILITY_URL, {"enabled": "1", "next": HOME_URL})

    assert response.status_code == 302
    assert response.url == HOME_URL
    assert client.session[ACCESSIBILITY_SESSION_KEY] == {
        "enabled": True,
        "font_size": "large",
        "colour_scheme": "black-on-white",
        "hide_images": True,
    }
    assert html_class(client.get(HOME_URL)) == (
        "a11y a11y-font-large a11y-scheme-black-on-white a11y-hide-images"
    )


def test_guest_changes_one_setting_and_keeps_the_others(client, db):
    client.post(ACCESSIBILITY_URL, {"enabled": "1"})

    client.post(ACCESSIBILITY_URL, {"font_size": "largest"})
    client.post(ACCESSIBILITY_URL, {"hide_images": "0"})

    assert html_class(client.get(HOME_URL)) == (
        "a11y a11y-font-largest a11y-scheme-black-on-white"
    )


def test_guest_settings_do_not_reach_a_new_session(client, db):
    client.post(ACCESSIBILITY_URL, {"enabled": "1"})

    response = Client().get(HOME_URL)

    assert html_class(response) is None


def test_signed_in_choice_is_stored_on_the_account(login, user):
    client = login(user)

    response = client.post(
        ACCESSIBILITY_URL,
        {
            "enabled": "1",
            "font_size": "larger",
            "colour_scheme": "white-on-black",
            "hide_images": "0",
        },
    )

    assert response.status_code == 302
    assert response.url == ACCESSIBILITY_URL
    assert preferences(user) == (True, "larger", "white-on-black", False)
    assert ACCESSIBILITY_SESSION_KEY not in client.session


def test_signed_in_choice_survives_a_new_session(login, user):
    login(user).post(
        ACCESSIBILITY_URL, {"enabled": "1", "colour_scheme": "blue-on-light-blue"}
    )
    other_browser = Client()
    other_browser.force_login(user, backend=MODEL_BACKEND)

    response = other_browser.get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert html_class(response) == (
        "a11y a11y-font-large a11y-scheme-blue-on-light-blue a11y-hide-images"
    )


def test_signed_in_user_turns_the_version_off(login, user):
    User.objects.filter(pk=user.pk).update(
        is_accessible_version=True, accessible_font_size="largest"
    )
    client = login(user)

    client.post(ACCESSIBILITY_URL, {"enabled": "0"})

    assert preferences(user) == (False, "largest", "black-on-white", True)
    assert html_class(client.get(HOME_URL)) is None


def test_unknown_font_size_is_refused_for_a_guest(client, db):
    response = client.post(ACCESSIBILITY_URL, {"enabled": "1", "font_size": "huge"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["font_size"]
    assert ACCESSIBILITY_SESSION_KEY not in client.session


def test_unknown_font_size_is_refused_for_a_signed_in_user(login, user):
    client = login(user)

    response = client.post(ACCESSIBILITY_URL, {"enabled": "1", "font_size": "huge"})

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["font_size"]] == ["invalid_choice"]
    assert preferences(user) == DEFAULTS


def test_next_on_another_host_is_ignored(client, db):
    response = client.post(
        ACCESSIBILITY_URL, {"enabled": "1", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == ACCESSIBILITY_URL


def test_protocol_relative_next_is_ignored(client, db):
    response = client.post(
        ACCESSIBILITY_URL, {"enabled": "1", "next": "//evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == ACCESSIBILITY_URL

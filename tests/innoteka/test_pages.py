import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from organisations.models import Invitation, JoinRequest, Role
from tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_home_page_speaks_russian_to_a_guest(client, django_assert_num_queries):
    OrganisationFactory.create_batch(3)

    with django_assert_num_queries(3):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ru"' in page
    assert "Пять этапов внедрения инновации" in page
    assert "Регистрация" in page
    assert response.context["counts"] == {"total": 3, "verified": 3}


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get(reverse("home"))

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_language_switch_to_english_is_remembered(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )

    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Five stages of adopting an innovation" in response.content.decode()
    assert client.get("/").content.decode().count('<html lang="en"') == 1


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_from_dashboard(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/dashboard/"


@pytest.mark.django_db
def test_dashboard_lists_memberships_invitations_and_requests(
    carrier, carrier_head, outsider, login
):
    Invitation.objects.create(
        organisation=OrganisationFactory(short_name="ГБОУ лицей № 402"),
        email=carrier_head.email,
        role=Role.COORDINATOR,
        token_hash="a" * 64,
        expires_at="2099-01-01T00:00:00Z",
    )
    JoinRequest.objects.create(organisation=carrier, user=outsider)

    response = login(carrier_head).get(reverse("dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "ГБОУ СОШ № 619" in page
    assert "ГБОУ лицей № 402" in page
    assert outsider.full_name in page


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_memberships(
    carrier_head, login, django_assert_num_queries
):
    client = login(carrier_head)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(11):
        client.get(reverse("dashboard"))

    for _ in range(10):
        OrganisationFactory().memberships.create(
            user=carrier_head, role=Role.SPECIALIST
        )
    with django_assert_num_queries(11):
        response = client.get(reverse("dashboard"))

    assert len(response.context["memberships"]) == 11


@pytest.mark.django_db
def test_unknown_page_answers_404_in_russian(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.django_db
def test_denied_action_answers_403_in_russian(carrier, carrier_specialist, login):
    response = login(carrier_specialist).get(
        reverse("organisations:organisation_edit", args=[carrier.pk])
    )

    assert response.status_code == 403
    assert "Доступ запрещён" in response.content.decode()


def test_server_error_page_stands_alone():
    page = render_to_string("500.html")

    assert "Ошибка на сервере" in page
    assert 'lang="ru"' in page


@pytest.mark.django_db
def test_csrf_failure_page_explains_in_russian(carrier_head):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(
        carrier_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.post(reverse("accounts:profile"), {"last_name": "Другая"})

    assert response.status_code == 403
    assert "Срок действия формы истёк" in response.content.decode()
    carrier_head.refresh_from_db()
    assert carrier_head.last_name != "Другая"

import pytest
from django.urls import reverse

from accounts.services import CONSENT_SESSION_KEY
from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")


def profile_data(**changes) -> dict:
    return {
        "last_name": "Петрова",
        "first_name": "Анна",
        "patronymic": "Сергеевна",
        "position": "Заместитель директора",
        "phone": "+7 812 555-12-34",
        **changes,
    }


def test_profile_sends_an_anonymous_visitor_to_login(client):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={PROFILE_URL}"


def test_profile_shows_memberships_and_consents(login, carrier_head, carrier):
    client = login(carrier_head)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    memberships = response.context["memberships"]
    assert [(m.organisation, m.role) for m in memberships] == [(carrier, Role.HEAD)]
    assert [c.version.version for c in response.context["consents"]] == ["1.0"]
    page = response.content.decode()
    assert "ГБОУ СОШ № 619" in page
    assert carrier.get_absolute_url() in page
    assert 'name="last_name"' in page


def test_profile_shows_only_the_users_own_memberships(
    login, carrier_head, recipient_head
):
    client = login(carrier_head)

    response = client.get(PROFILE_URL)

    assert [m.user for m in response.context["memberships"]] == [carrier_head]
    assert "ГБОУ гимназия № 70" not in response.content.decode()


def test_profile_saves_the_personal_details(login, user):
    client = login(user)

    response = client.post(PROFILE_URL, profile_data())

    assert response.status_code == 302
    assert response.url == PROFILE_URL
    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.patronymic) == (
        "Петрова",
        "Анна",
        "Сергеевна",
    )
    assert user.position == "Заместитель директора"
    assert user.phone == "+7 812 555-12-34"


def test_profile_does_not_change_email_even_if_posted(login, user):
    client = login(user)

    client.post(PROFILE_URL, profile_data(email="someone.else@school.example"))

    user.refresh_from_db()
    assert user.email == "anna.ivanova@school.example"


def test_profile_with_an_empty_last_name_changes_nothing(login, user):
    client = login(user)

    response = client.post(PROFILE_URL, profile_data(last_name=""))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["last_name"]
    assert [error.code for error in errors["last_name"]] == ["required"]
    user.refresh_from_db()
    assert (user.last_name, user.position, user.phone) == ("Иванова", "Учитель", "")


@pytest.mark.parametrize("extra_memberships", [0, 3])
def test_profile_page_makes_six_queries_however_many_memberships(
    login, carrier_head, extra_memberships, django_assert_num_queries
):
    for number in range(extra_memberships):
        MembershipFactory(
            user=carrier_head,
            organisation=OrganisationFactory(short_name=f"Школа № {number}"),
            role=Role.SPECIALIST,
        )
    client = login(carrier_head)
    client.get(PROFILE_URL)  # caches the consent text and marks the session

    # Session, user, expert group, memberships with organisations, consents
    # with their versions, unread notifications (the bell).
    with django_assert_num_queries(6):
        response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert len(response.context["memberships"]) == 1 + extra_memberships


def test_first_page_of_a_session_checks_consent_once(
    login, carrier_head, consent_version, django_assert_num_queries
):
    client = login(carrier_head)

    # The six queries of the page, the consent text, the consent check and
    # the session write (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert client.session[CONSENT_SESSION_KEY] == consent_version.pk

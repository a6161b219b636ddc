"""Views of organisations: list, detail, create, edit and verify."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from organisations.models import Membership, Organisation, Role
from tests.factories import OrganisationFactory, UserFactory
from tests.organisations.helpers import login_redirect, message_levels, snapshot

UNVERIFIED_WARNING = (
    "The organisation has not been verified by an administrator yet. Until then "
    "it cannot sign agreements or publish products."
)


def list_url() -> str:
    return reverse("organisations:organisation_list")


def detail_url(organisation) -> str:
    return reverse("organisations:organisation_detail", args=[organisation.pk])


def edit_url(organisation) -> str:
    return reverse("organisations:organisation_edit", args=[organisation.pk])


def verify_url(organisation) -> str:
    return reverse("organisations:organisation_verify", args=[organisation.pk])


def create_url() -> str:
    return reverse("organisations:organisation_create")


def form_data(**overrides) -> dict:
    """A complete registration form of a lyceum."""
    data = {
        "full_name": "Государственное бюджетное общеобразовательное учреждение "
        "лицей № 239 Центрального района Санкт-Петербурга",
        "short_name": "ГБОУ лицей № 239",
        "kind": "lyceum",
        "region": "78",
        "district": "Центральный район",
        "city": "Санкт-Петербург",
        "address": "Кирочная ул., д. 8",
        "inn": "7830002293",
        "ogrn": "1027700132195",
        "website": "https://239.ru",
        "email": "info@239.example",
        "phone": "+7 812 000-00-00",
        "head_name": "Иванов Сергей Петрович",
        "head_position": "Директор",
    }
    data.update(overrides)
    return data


def listed(response) -> list[str]:
    return [organisation.short_name for organisation in response.context["page"]]


# organisation_list


def test_anonymous_visitor_sees_the_organisation_list(
    client, carrier, recipient, unrelated_school
):
    response = client.get(list_url())

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(
        ["ГБОУ гимназия № 70", "ГБОУ СОШ № 619", "МБОУ СОШ № 8"]
    )
    assert response.context["page"].paginator.count == 3


def test_organisation_list_is_ordered_by_short_name(client, db):
    for name in ["Школа № 3", "Гимназия № 1", "Лицей № 2"]:
        OrganisationFactory(short_name=name)

    response = client.get(list_url())

    assert listed(response) == ["Гимназия № 1", "Лицей № 2", "Школа № 3"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("гимназия", ["ГБОУ гимназия № 70"]),
        ("ГИМНАЗИЯ", ["ГБОУ гимназия № 70"]),
        ("Гимназия", ["ГБОУ гимназия № 70"]),
        ("гбоу", ["ГБОУ гимназия № 70", "ГБОУ СОШ № 619"]),
        ("сош", ["ГБОУ СОШ № 619", "МБОУ СОШ № 8"]),
        ("вологда", ["МБОУ СОШ № 8"]),
        ("петроградский", ["ГБОУ гимназия № 70"]),
        ("гимназия 70", ["ГБОУ гимназия № 70"]),
        ("гимназия 619", []),
        ("лицей", []),
    ],
)
def test_organisation_list_searches_names_cities_and_districts_ignoring_case(
    client, carrier, recipient, unrelated_school, query, expected
):
    response = client.get(list_url(), {"q": query})

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(expected)


def test_search_finds_a_capitalised_word_typed_in_lower_case(client, db):
    OrganisationFactory(short_name="МАОУ Лицей № 1")
    OrganisationFactory(short_name="МАОУ СОШ № 2")

    response = client.get(list_url(), {"q": "лицей"})

    assert listed(response) == ["МАОУ Лицей № 1"]


def test_organisation_list_filters_by_region(
    client, carrier, recipient, unrelated_school
):
    response = client.get(list_url(), {"region": "35"})

    assert listed(response) == ["МБОУ СОШ № 8"]


def test_organisation_list_combines_search_and_region(
    client, carrier, recipient, unrelated_school
):
    response = client.get(list_url(), {"q": "СОШ", "region": "78"})

    assert listed(response) == ["ГБОУ СОШ № 619"]


def test_organisation_list_ignores_an_unknown_region(
    client, carrier, recipient, unrelated_school
):
    response = client.get(list_url(), {"region": "zz"})

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["region"]] == [
        "invalid_choice"
    ]
    assert response.context["page"].paginator.count == 3


def test_organisation_list_shows_twenty_a_page(client, db):
    for number in range(1, 26):
        OrganisationFactory(short_name=f"ГБОУ СОШ № {number:03d}")

    first = client.get(list_url())
    second = client.get(list_url(), {"page": 2})

    assert len(first.context["page"]) == 20
    assert listed(second) == [f"ГБОУ СОШ № {number:03d}" for number in range(21, 26)]
    assert second.context["page"].paginator.num_pages == 2


def test_organisation_list_pages_keep_the_search(client, db):
    for number in range(1, 26):
        OrganisationFactory(short_name=f"ГБОУ СОШ № {number:03d}", region="78")

    response = client.get(list_url(), {"region": "78", "page": 2})

    assert len(response.context["page"]) == 5
    assert response.context["query_string"] == "region=78"
    assert 'href="?region=78&amp;page=1"' in response.content.decode()


# organisation_detail


def test_anonymous_visitor_sees_an_organisation_page_with_a_sign_in_link(
    client, carrier
):
    response = client.get(detail_url(carrier))

    assert response.status_code == 200
    assert response.context["organisation"] == carrier
    assert response.context["role"] is None
    assert response.context["can_edit"] is False
    assert response.context["can_view_members"] is False
    assert response.context["can_request_to_join"] is False
    assert f'href="/accounts/login/?next={detail_url(carrier)}"' in (
        response.content.decode()
    )


def test_organisation_page_of_an_unknown_organisation_is_404(client, db):
    response = client.get("/organisations/999999/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "role", "can_edit", "can_view_members", "can_request_to_join"),
    [
        ("carrier_head", "head", True, True, False),
        ("carrier_coordinator", "coordinator", True, True, False),
        ("carrier_specialist", "specialist", False, True, False),
        ("outsider", None, False, False, True),
        ("expert", None, False, False, True),
        ("administrator", None, True, True, True),
    ],
)
def test_organisation_page_tells_each_persona_what_they_may_do(
    request,
    login,
    carrier,
    persona,
    role,
    can_edit,
    can_view_members,
    can_request_to_join,
):
    user = request.getfixturevalue(persona)

    response = login(user).get(detail_url(carrier))

    assert response.status_code == 200
    context = response.context
    assert context["role"] == role
    assert context["role_display"] == (str(Role(role).label) if role else "")
    assert context["can_edit"] is can_edit
    assert context["can_view_members"] is can_view_members
    assert context["can_request_to_join"] is can_request_to_join
    assert (edit_url(carrier) in response.content.decode()) is can_edit


def test_organisation_page_shows_the_pending_request_of_the_visitor(
    login, carrier, join_request, applicant
):
    response = login(applicant).get(detail_url(carrier))

    assert response.context["pending_request"] == join_request


def test_unverified_organisation_page_warns_that_it_is_not_verified(client, db):
    organisation = OrganisationFactory(is_verified=False)
    with override("ru"):
        warning = gettext(UNVERIFIED_WARNING)

    response = client.get(detail_url(organisation))

    assert warning in response.content.decode()


def test_verified_organisation_page_has_no_warning(client, carrier):
    with override("ru"):
        warning = gettext(UNVERIFIED_WARNING)

    response = client.get(detail_url(carrier))

    assert warning not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("administrator", True),
        ("carrier_head", False),
        ("expert", False),
        ("outsider", False),
    ],
)
def test_verify_button_is_shown_only_to_administrators(
    request, login, carrier, carrier_head, persona, shown
):
    carrier.is_verified = False
    carrier.save()
    user = request.getfixturevalue(persona)

    response = login(user).get(detail_url(carrier))

    assert response.context["can_verify"] is shown
    assert (f'action="{verify_url(carrier)}"' in response.content.decode()) is shown


def test_verify_button_is_hidden_once_verified(login, carrier, administrator):
    response = login(administrator).get(detail_url(carrier))

    assert response.context["can_verify"] is False
    assert verify_url(carrier) not in response.content.decode()


# organisation_create


def test_anonymous_visitor_is_sent_to_sign_in_to_register_an_organisation(client, db):
    before = snapshot()

    get = client.get(create_url())
    post = client.post(create_url(), form_data())

    assert get.status_code == 302
    assert get.url == login_redirect(create_url())
    assert post.status_code == 302
    assert post.url == login_redirect(create_url())
    assert snapshot() == before


def test_signed_in_user_sees_the_registration_form(login, applicant):
    response = login(applicant).get(create_url())

    assert response.status_code == 200
    assert response.context["form"].instance.pk is None


def test_signed_in_user_registers_an_organisation_and_becomes_its_head(
    login, applicant, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(), form_data())

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(organisation)
    assert organisation.short_name == "ГБОУ лицей № 239"
    assert organisation.inn == "7830002293"
    assert organisation.is_verified is False
    assert organisation.created_by == applicant
    assert list(Membership.objects.values_list("user", "organisation", "role")) == [
        (applicant.pk, organisation.pk, "head")
    ]
    assert message_levels(response) == ["success"]
    assert [message.to for message in mailoutbox] == [["admin@innoteka.example"]]


def test_registering_with_a_wrong_inn_shows_the_error_and_creates_nothing(
    login, applicant
):
    before = snapshot()

    response = login(applicant).post(create_url(), form_data(inn="7830002294"))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["inn"]
    assert [error.code for error in errors["inn"]] == ["inn_checksum"]
    assert snapshot() == before


def test_registering_without_required_fields_shows_the_errors(login, applicant):
    before = snapshot()

    response = login(applicant).post(
        create_url(), form_data(short_name="", region="", head_name="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert {field: [e.code for e in errs] for field, errs in errors.items()} == {
        "short_name": ["required"],
        "region": ["required"],
        "head_name": ["required"],
    }
    assert snapshot() == before


def test_registering_an_inn_that_is_already_registered_is_refused(
    login, carrier, applicant
):
    carrier.inn = "7830002293"
    carrier.save()
    before = snapshot()

    response = login(applicant).post(create_url(), form_data())

    assert response.status_code == 200
    constraint = Organisation._meta.constraints[0]
    assert response.context["form"].non_field_errors() == [
        str(constraint.violation_error_message)
    ]
    assert snapshot() == before


def test_registering_with_an_unconfirmed_email_is_forbidden(login, db):
    unconfirmed = UserFactory(email_confirmed_at=None)
    before = snapshot()

    response = login(unconfirmed).post(create_url(), form_data())

    assert response.status_code == 403
    assert snapshot() == before


# organisation_edit


def test_anonymous_visitor_is_sent_to_sign_in_to_edit(client, carrier):
    before = snapshot()

    get = client.get(edit_url(carrier))
    post = client.post(edit_url(carrier), form_data())

    assert (get.status_code, get.url) == (302, login_redirect(edit_url(carrier)))
    assert (post.status_code, post.url) == (302, login_redirect(edit_url(carrier)))
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "expert"])
def test_non_member_gets_404_for_the_edit_page(request, login, carrier, persona):
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    get = client.get(edit_url(carrier))
    post = client.post(edit_url(carrier), form_data())

    assert get.status_code == 404
    assert post.status_code == 404
    assert snapshot() == before


def test_specialist_is_forbidden_to_edit_the_organisation(
    login, carrier, carrier_specialist
):
    client = login(carrier_specialist)
    before = snapshot()

    get = client.get(edit_url(carrier))
    post = client.post(edit_url(carrier), form_data())

    assert get.status_code == 403
    assert post.status_code == 403
    assert snapshot() == before


def test_edit_of_an_unknown_organisation_is_404(login, carrier_head):
    response = login(carrier_head).get("/organisations/999999/edit/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "administrator"]
)
def test_edit_page_shows_the_form_of_the_organisation(request, login, carrier, persona):
    response = login(request.getfixturevalue(persona)).get(edit_url(carrier))

    assert response.status_code == 200
    assert response.context["form"].instance == carrier
    assert response.context["organisation"] == carrier


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "administrator"]
)
def test_valid_edit_saves_the_details_and_returns_to_the_page(
    request, login, carrier, persona
):
    client = login(request.getfixturevalue(persona))

    response = client.post(
        edit_url(carrier),
        form_data(short_name="ГБОУ школа № 619", phone="+7 812 417-00-00"),
    )

    carrier.refresh_from_db()
    assert response.status_code == 302
    assert response.url == detail_url(carrier)
    assert carrier.short_name == "ГБОУ школа № 619"
    assert carrier.phone == "+7 812 417-00-00"
    assert message_levels(response) == ["success"]


def test_edit_keeps_the_verification(login, carrier, carrier_head):
    verified_before = (carrier.is_verified, carrier.verified_at)

    login(carrier_head).post(edit_url(carrier), form_data(short_name="Новое имя"))

    carrier.refresh_from_db()
    assert (carrier.is_verified, carrier.verified_at) == verified_before


def test_invalid_edit_shows_the_errors_and_changes_nothing(
    login, carrier, carrier_head
):
    before = snapshot()

    response = login(carrier_head).post(
        edit_url(carrier), form_data(inn="78300022", ogrn="1027700132196")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert {field: [e.code for e in errs] for field, errs in errors.items()} == {
        "inn": ["inn_format"],
        "ogrn": ["ogrn_checksum"],
    }
    assert snapshot() == before


# organisation_verify


@pytest.fixture
def unverified(carrier):
    carrier.is_verified = False
    carrier.save()
    return carrier


def test_administrator_verifies_an_organisation(login, unverified, administrator):
    response = login(administrator).post(verify_url(unverified))

    unverified.refresh_from_db()
    assert response.status_code == 302
    assert response.url == detail_url(unverified)
    assert unverified.is_verified is True
    assert unverified.verified_by == administrator
    assert unverified.verified_at is not None
    assert message_levels(response) == ["success"]


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "outsider", "expert"]
)
def test_anyone_but_an_administrator_is_forbidden_to_verify(
    request, login, unverified, persona
):
    client = login(request.getfixturevalue(persona))
    before = snapshot()

    response = client.post(verify_url(unverified))

    unverified.refresh_from_db()
    assert response.status_code == 403
    assert unverified.is_verified is False
    assert snapshot() == before


def test_staff_account_outside_any_group_counts_as_administrator(login, unverified):
    # DESIGN: administrators = staff. is_administrator() reads is_staff alone.
    staff = UserFactory(is_staff=True)

    response = login(staff).post(verify_url(unverified))

    unverified.refresh_from_db()
    assert response.status_code == 302
    assert unverified.is_verified is True


def test_anonymous_visitor_is_sent_to_sign_in_to_verify(client, unverified):
    before = snapshot()

    response = client.post(verify_url(unverified))

    assert (response.status_code, response.url) == (
        302,
        login_redirect(verify_url(unverified)),
    )
    assert snapshot() == before


def test_verify_refuses_get(login, unverified, administrator):
    before = snapshot()

    response = login(administrator).get(verify_url(unverified))

    assert response.status_code == 405
    assert snapshot() == before


def test_verifying_a_verified_organisation_changes_nothing(
    login, carrier, administrator
):
    before = snapshot()

    response = login(administrator).post(verify_url(carrier))

    assert response.status_code == 302
    assert snapshot() == before


def test_verifying_an_unknown_organisation_is_404(login, administrator):
    response = login(administrator).post("/organisations/999999/verify/")

    assert response.status_code == 404

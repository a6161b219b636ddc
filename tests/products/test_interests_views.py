"""Pages of declared interest and of the carrier's partners database."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from products.models import Interest, PositioningEvent
from tests.factories import OrganisationFactory, ProductFactory, member


def make_interest(product, organisation, **fields) -> Interest:
    declarer = fields.pop("declared_by", None) or member(organisation, Role.HEAD)
    return Interest.objects.create(
        product=product,
        organisation=organisation,
        declared_by=declarer,
        message=fields.pop("message", "Хотим внедрить продукт в 7-х классах."),
        **fields,
    )


@pytest.fixture
def interest(published_product, recipient, recipient_head) -> Interest:
    return make_interest(published_product, recipient, declared_by=recipient_head)


@pytest.fixture
def foreign_interest(recipient) -> Interest:
    """An interest in a product of another carrier."""
    return make_interest(ProductFactory(), recipient)


def login_url_of(url: str) -> str:
    return f"{reverse('accounts:login')}?next={url}"


def form_error_codes(response, form="form") -> dict:
    return {
        field: [error.code for error in errors]
        for field, errors in response.context[form].errors.as_data().items()
    }


def snapshot(interest: Interest) -> tuple:
    interest.refresh_from_db()
    return (interest.status, interest.decline_reason, interest.carrier_notes)


# interest_create


def create_url(product) -> str:
    return reverse("products:interest_create", args=[product.pk])


def test_anonymous_is_sent_to_sign_in_to_declare(published_product, login):
    url = create_url(published_product)

    response = login(None).get(url)

    assert response.status_code == 302
    assert response["Location"] == login_url_of(url)


def test_outsider_gets_404_for_interest_in_a_draft(draft_product, outsider, login):
    response = login(outsider).get(create_url(draft_product))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona",
    ["carrier_specialist", "carrier_head", "recipient_specialist", "expert"],
)
def test_who_may_not_declare_gets_403(published_product, persona, request, login):
    user = request.getfixturevalue(persona)

    response = login(user).get(create_url(published_product))

    assert response.status_code == 403


def test_recipient_head_sees_the_form_without_organisation_choice(
    published_product, recipient_head, login
):
    response = login(recipient_head).get(create_url(published_product))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["message", "expected_start"]


def test_form_offers_organisations_and_events_when_there_are_several(
    published_product, recipient, recipient_head, login
):
    lyceum = OrganisationFactory(short_name="ГБОУ лицей № 239")
    member(lyceum, Role.COORDINATOR, email=recipient_head.email)
    event = PositioningEvent.objects.create(
        product=published_product,
        kind=PositioningEvent.Kind.WEBINAR,
        title="Вебинар о лаборатории",
        starts_at=timezone.now(),
    )

    response = login(recipient_head).get(create_url(published_product))

    form = response.context["form"]
    assert list(form.fields["organisation"].queryset) == [recipient, lyceum]
    assert list(form.fields["source_event"].queryset) == [event]


def test_valid_post_declares_interest_and_returns_to_the_product(
    published_product, recipient, recipient_head, login
):
    event = PositioningEvent.objects.create(
        product=published_product,
        kind=PositioningEvent.Kind.SEMINAR,
        title="Семинар",
        starts_at=timezone.now(),
    )
    start = timezone.localdate() + timedelta(days=30)

    response = login(recipient_head).post(
        create_url(published_product),
        {
            "message": "Готовы начать в сентябре.",
            "expected_start": start.isoformat(),
            "source_event": event.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == published_product.get_absolute_url()
    interest = Interest.objects.get()
    assert (interest.organisation, interest.declared_by) == (recipient, recipient_head)
    assert (interest.message, interest.expected_start) == (
        "Готовы начать в сентябре.",
        start,
    )
    assert interest.source_event == event


def test_invalid_post_shows_errors_and_declares_nothing(
    published_product, recipient_head, login
):
    yesterday = timezone.localdate() - timedelta(days=1)

    response = login(recipient_head).post(
        create_url(published_product),
        {"message": "", "expected_start": yesterday.isoformat()},
    )

    assert response.status_code == 200
    assert form_error_codes(response) == {
        "message": ["required"],
        "expected_start": ["past"],
    }
    assert Interest.objects.count() == 0


def test_double_submitted_form_declares_once(published_product, recipient_head, login):
    client = login(recipient_head)
    data = {"message": "Хотим внедрить."}
    client.post(create_url(published_product), data)

    response = client.post(create_url(published_product), data)

    assert response.status_code == 200
    assert form_error_codes(response) == {"__all__": ["already_declared"]}
    assert Interest.objects.count() == 1


def test_event_of_another_product_is_not_accepted_by_the_form(
    published_product, recipient_head, login
):
    PositioningEvent.objects.create(
        product=published_product,
        kind=PositioningEvent.Kind.FORUM,
        title="Форум",
        starts_at=timezone.now(),
    )
    foreign = PositioningEvent.objects.create(
        product=ProductFactory(),
        kind=PositioningEvent.Kind.FORUM,
        title="Чужой форум",
        starts_at=timezone.now(),
    )

    response = login(recipient_head).post(
        create_url(published_product),
        {"message": "Хотим.", "source_event": foreign.pk},
    )

    assert form_error_codes(response) == {"source_event": ["invalid_choice"]}
    assert Interest.objects.count() == 0


# The interest card of the product page


def test_guest_is_invited_to_sign_in_on_the_product_page(published_product, login):
    response = login(None).get(published_product.get_absolute_url())

    assert reverse("accounts:login") in response.content.decode()
    assert create_url(published_product) not in response.content.decode()


def test_recipient_head_sees_the_button_to_declare(
    published_product, recipient_head, login
):
    response = login(recipient_head).get(published_product.get_absolute_url())

    assert create_url(published_product) in response.content.decode()


def test_recipient_head_sees_the_status_instead_of_the_button(
    interest, recipient_head, login
):
    response = login(recipient_head).get(interest.product.get_absolute_url())

    page = response.content.decode()
    assert create_url(interest.product) not in page
    assert reverse("products:my_interests") in page


def test_carrier_editor_sees_the_partners_database_of_the_product(
    interest, carrier_coordinator, login
):
    response = login(carrier_coordinator).get(interest.product.get_absolute_url())

    page = response.content.decode()
    link = f"{reverse('products:partner_database')}?product={interest.product.pk}"
    assert link in page
    assert create_url(interest.product) not in page


# partner_database

DATABASE_URL = "/products/partners/"


def test_anonymous_is_sent_to_sign_in_for_the_database(db, login):
    response = login(None).get(reverse("products:partner_database"))

    assert response.status_code == 302
    assert response["Location"] == login_url_of(DATABASE_URL)


@pytest.mark.parametrize("persona", ["carrier_specialist", "expert", "administrator"])
def test_who_leads_no_organisation_gets_403_for_the_database(persona, request, login):
    user = request.getfixturevalue(persona)

    response = login(user).get(reverse("products:partner_database"))

    assert response.status_code == 403


def test_database_lists_interests_of_own_products_only(
    interest, foreign_interest, carrier_coordinator, login
):
    response = login(carrier_coordinator).get(reverse("products:partner_database"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [interest]


def test_outsider_sees_an_empty_database_of_their_own(interest, outsider, login):
    response = login(outsider).get(reverse("products:partner_database"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


@pytest.fixture
def several(published_product, carrier, recipient):
    """Interests in two products of the carrier, from three regions."""
    second = ProductFactory(carrier=carrier, title="Школьный медиацентр")
    vologda = OrganisationFactory(short_name="МБОУ СОШ № 8", region="35")
    kazan = OrganisationFactory(
        short_name="МБОУ Гимназия № 2",
        full_name="Муниципальное бюджетное общеобразовательное учреждение "
        "«Гимназия № 2» города Казани",
        region="16",
    )
    return {
        "gymnasium": make_interest(published_product, recipient),
        "vologda": make_interest(
            published_product, vologda, status=Interest.Status.IN_CONTACT
        ),
        "kazan": make_interest(second, kazan),
        "second": second,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "in_contact"}, ["vologda"]),
        ({"region": "16"}, ["kazan"]),
        ({"q": "гимназия"}, ["kazan", "gymnasium"]),
        ({"q": "ГИМНАЗИЯ казани"}, ["kazan"]),
        ({"status": "new", "region": "78"}, ["gymnasium"]),
        ({"status": "bogus"}, ["kazan", "vologda", "gymnasium"]),
    ],
)
def test_database_filters(several, carrier_head, login, query, expected):
    response = login(carrier_head).get(reverse("products:partner_database"), query)

    assert list(response.context["page"].object_list) == [
        several[name] for name in expected
    ]


def test_database_filters_by_product(several, carrier_head, login):
    response = login(carrier_head).get(
        reverse("products:partner_database"), {"product": several["second"].pk}
    )

    assert list(response.context["page"].object_list) == [several["kazan"]]
    assert response.context["query_string"] == f"product={several['second'].pk}"


def test_database_shows_25_interests_a_page(published_product, carrier_head, login):
    for _ in range(30):
        make_interest(published_product, OrganisationFactory())

    response = login(carrier_head).get(
        reverse("products:partner_database"), {"page": 2, "status": "new"}
    )

    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 5
    assert response.context["query_string"] == "status=new"


@pytest.mark.parametrize("rows", [3, 30])
def test_database_queries_do_not_grow_with_rows(
    published_product, carrier_head, login, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_interest(
            published_product,
            OrganisationFactory(),
            status=Interest.Status.ACCEPTED,
            decided_by=carrier_head,
            decided_at=timezone.now(),
        )
    client = login(carrier_head)
    url = reverse("products:partner_database")
    client.get(url)  # the first visit also records consent in the session

    # session, user, led organisations, count, is_expert and unread
    # notifications (layout), product choices, rows
    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["page"].object_list) == min(rows, 25)


# interest_detail and the POST endpoints


def detail_url(interest) -> str:
    return reverse("products:interest_detail", args=[interest.pk])


def test_anonymous_is_sent_to_sign_in_for_an_interest(interest, login):
    url = detail_url(interest)

    response = login(None).get(url)

    assert response["Location"] == login_url_of(url)


@pytest.mark.parametrize("persona", ["outsider", "recipient_head", "administrator"])
def test_who_is_not_of_the_carrier_gets_404_for_an_interest(
    interest, persona, request, login
):
    user = request.getfixturevalue(persona)

    response = login(user).get(detail_url(interest))

    assert response.status_code == 404


def test_interest_of_another_carrier_is_404(foreign_interest, carrier_head, login):
    response = login(carrier_head).get(detail_url(foreign_interest))

    assert response.status_code == 404


def test_carrier_specialist_gets_403_for_an_interest(
    interest, carrier_specialist, login
):
    response = login(carrier_specialist).get(detail_url(interest))

    assert response.status_code == 403


def test_detail_shows_the_history_of_the_status(
    interest, carrier_coordinator, recipient_head, login
):
    client = login(carrier_coordinator)
    client.post(
        reverse("products:interest_status", args=[interest.pk]),
        {"status": "in_contact", "reason": "Позвонили"},
    )

    response = client.get(detail_url(interest))

    assert response.status_code == 200
    history = response.context["history"]
    assert [(c.old, c.new, c.reason) for c in history] == [
        ("—", "Новая", ""),
        ("Новая", "На связи", "Позвонили"),
    ]
    assert history[1].who == carrier_coordinator.full_name


def test_status_post_moves_interest_in_contact_and_returns_to_the_list(
    interest, carrier_coordinator, login
):
    back = f"{DATABASE_URL}?status=new"

    response = login(carrier_coordinator).post(
        reverse("products:interest_status", args=[interest.pk]),
        {"status": "in_contact", "next": back},
    )

    assert response["Location"] == back
    assert snapshot(interest)[0] == Interest.Status.IN_CONTACT


def test_invalid_status_post_shows_errors_and_changes_nothing(
    interest, carrier_coordinator, login
):
    before = snapshot(interest)

    response = login(carrier_coordinator).post(
        reverse("products:interest_status", args=[interest.pk]),
        {"status": "accepted"},
    )

    assert response.status_code == 200
    assert form_error_codes(response, "status_form") == {"status": ["invalid_choice"]}
    assert snapshot(interest) == before


def test_specialist_gets_403_on_status_post(interest, carrier_specialist, login):
    before = snapshot(interest)

    response = login(carrier_specialist).post(
        reverse("products:interest_status", args=[interest.pk]),
        {"status": "in_contact"},
    )

    assert response.status_code == 403
    assert snapshot(interest) == before


def test_outsider_gets_404_on_accept(interest, outsider, login):
    response = login(outsider).post(
        reverse("products:interest_accept", args=[interest.pk])
    )

    assert response.status_code == 404
    assert snapshot(interest)[0] == Interest.Status.NEW


def test_accept_post_accepts_and_opens_the_partnership(interest, carrier_head, login):
    response = login(carrier_head).post(
        reverse("products:interest_accept", args=[interest.pk]),
        {"next": "https://evil.example/"},
    )

    interest.refresh_from_db()
    assert response["Location"] == interest.partnership.get_absolute_url()
    assert (interest.status, interest.decided_by) == ("accepted", carrier_head)


def test_accepting_a_declined_interest_is_refused(interest, carrier_head, login):
    Interest.objects.filter(pk=interest.pk).update(
        status=Interest.Status.DECLINED, decline_reason="Нет мест"
    )
    before = snapshot(interest)

    response = login(carrier_head).post(
        reverse("products:interest_accept", args=[interest.pk]), follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert snapshot(interest) == before


def test_decline_without_reason_shows_errors_and_changes_nothing(
    interest, carrier_head, login
):
    before = snapshot(interest)

    response = login(carrier_head).post(
        reverse("products:interest_decline", args=[interest.pk]), {"reason": ""}
    )

    assert response.status_code == 200
    assert form_error_codes(response, "decline_form") == {"reason": ["required"]}
    assert snapshot(interest) == before


def test_decline_post_declines_with_the_reason(interest, carrier_head, login):
    response = login(carrier_head).post(
        reverse("products:interest_decline", args=[interest.pk]),
        {"reason": "Группа набрана"},
    )

    assert response["Location"] == detail_url(interest)
    assert snapshot(interest)[:2] == ("declined", "Группа набрана")


def test_notes_post_saves_the_notes(interest, carrier_coordinator, login):
    response = login(carrier_coordinator).post(
        reverse("products:interest_notes", args=[interest.pk]),
        {"notes": "Перезвонить в пятницу"},
    )

    assert response.status_code == 302
    assert snapshot(interest)[2] == "Перезвонить в пятницу"


def test_too_long_notes_show_errors_and_change_nothing(
    interest, carrier_coordinator, login
):
    response = login(carrier_coordinator).post(
        reverse("products:interest_notes", args=[interest.pk]), {"notes": "я" * 5001}
    )

    assert form_error_codes(response, "notes_form") == {"notes": ["max_length"]}
    assert snapshot(interest)[2] == ""


@pytest.mark.parametrize(
    "name",
    ["interest_status", "interest_accept", "interest_decline", "interest_notes"],
)
def test_actions_refuse_get(interest, carrier_head, login, name):
    response = login(carrier_head).get(reverse(f"products:{name}", args=[interest.pk]))

    assert response.status_code == 405


# my_interests


def test_anonymous_is_sent_to_sign_in_for_my_interests(db, login):
    url = reverse("products:my_interests")

    response = login(None).get(url)

    assert response["Location"] == login_url_of(url)


def test_member_sees_the_interests_of_their_organisation(
    interest, foreign_interest, recipient_specialist, login
):
    other = make_interest(ProductFactory(), OrganisationFactory())

    response = login(recipient_specialist).get(reverse("products:my_interests"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [foreign_interest, interest]
    assert other not in response.context["page"].object_list


def test_outsider_sees_no_interests_of_others(interest, outsider, login):
    response = login(outsider).get(reverse("products:my_interests"))

    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("rows", [3, 30])
def test_my_interests_queries_do_not_grow_with_rows(
    recipient, recipient_head, login, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_interest(ProductFactory(), recipient, declared_by=recipient_head)
    client = login(recipient_head)
    url = reverse("products:my_interests")
    client.get(url)

    # session, user, count, is_expert and unread notifications (layout), rows
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["page"].object_list) == min(rows, 25)


def test_form_is_not_offered_when_every_organisation_has_declared(
    interest, recipient_head, login
):
    response = login(recipient_head).get(create_url(interest.product))

    assert response.status_code == 200
    assert response.context["can_declare"] is False
    assert response.context["open_interests"] == [interest]

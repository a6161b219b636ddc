"""Products pages that name no object, and denied version POSTs, by persona.

The access matrix (tests/test_access_matrix.py) only reaches URLs with a
path parameter, and sends GET to the version form; these pages and the
version POST are checked here for every persona.
"""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organisations.models import Role
from products.models import Interest, Product, ProductVersion
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProductFactory,
    member,
)

pytestmark = pytest.mark.django_db

DENIED = "Доступ запрещён"


def login_url_of(url: str) -> str:
    return f"{reverse('accounts:login')}?next={url}"


def moment(month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(2030, month, day, 10, 0))


def product_of(organisation, title: str, status: str, **fields) -> Product:
    published_at = moment(1, 10) if status == Product.Status.PUBLISHED else None
    return ProductFactory(
        carrier=organisation,
        title=title,
        status=status,
        published_at=published_at,
        **fields,
    )


@pytest.fixture
def submitted_product(carrier, carrier_coordinator) -> Product:
    return product_of(
        carrier,
        "Сетевая проектная школа",
        Product.Status.SUBMITTED,
        coordinator=carrier_coordinator,
        submitted_at=moment(3, 3),
    )


@pytest.fixture
def shelf(
    carrier, unrelated_school, published_product, draft_product, submitted_product
) -> dict[str, Product]:
    """Products of the carrier and of the outsider's school in every status.

    The outsider's school sent its product to moderation before the carrier
    did, so the queue's order is told apart from the order of creation.
    """
    return {
        "published": published_product,
        "draft": draft_product,
        "submitted": submitted_product,
        "archived": product_of(
            carrier, "Архивный кружок робототехники", Product.Status.ARCHIVED
        ),
        "foreign_draft": product_of(
            unrelated_school,
            "Черновик: вологодский краеведческий музей",
            Product.Status.DRAFT,
        ),
        "foreign_submitted": product_of(
            unrelated_school,
            "Музей под открытым небом",
            Product.Status.SUBMITTED,
            submitted_at=moment(2, 14),
        ),
        "foreign_published": product_of(
            unrelated_school,
            "Вологодское кружево в технологии",
            Product.Status.PUBLISHED,
        ),
    }


def titles_in(response, shelf: dict[str, Product]) -> set[str]:
    """Return the keys of the ``shelf`` products whose titles the page shows."""
    page = response.content.decode()
    return {key for key, product in shelf.items() if product.title in page}


# moderation_queue

QUEUE_URL = reverse("products:moderation_queue")


def test_anonymous_is_sent_to_sign_in_for_the_moderation_queue(login, shelf):
    response = login(None).get(QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"] == login_url_of(QUEUE_URL)


@pytest.mark.parametrize(
    "persona",
    [
        "outsider",
        "carrier_specialist",
        "carrier_coordinator",
        "carrier_head",
        "recipient_head",
    ],
)
def test_who_moderates_nothing_gets_403_for_the_queue(request, login, shelf, persona):
    user = request.getfixturevalue(persona)

    response = login(user).get(QUEUE_URL)

    assert response.status_code == 403
    assert DENIED in response.content.decode()
    assert titles_in(response, shelf) == set()


@pytest.mark.parametrize("persona", ["expert", "administrator"])
def test_moderator_sees_only_submitted_products_oldest_first(
    request, login, shelf, persona
):
    user = request.getfixturevalue(persona)

    response = login(user).get(QUEUE_URL)

    assert response.status_code == 200
    assert list(response.context["products"]) == [
        shelf["foreign_submitted"],
        shelf["submitted"],
    ]
    page = response.content.decode()
    assert "Продукты, ожидающие модерации" in page
    assert titles_in(response, shelf) == {"submitted", "foreign_submitted"}
    assert "ГБОУ СОШ № 619, отправлен 3 марта 2030 г." in page
    assert "МБОУ СОШ № 8, отправлен 14 февраля 2030 г." in page


def test_moderator_is_told_when_nothing_waits(login, administrator, shelf):
    Product.objects.filter(status=Product.Status.SUBMITTED).update(
        status=Product.Status.DRAFT
    )

    response = login(administrator).get(QUEUE_URL)

    assert list(response.context["products"]) == []
    assert "Нет продуктов, ожидающих модерации." in response.content.decode()
    assert titles_in(response, shelf) == set()


def test_moderation_queue_queries_do_not_grow_with_its_rows(
    login, expert, shelf, django_assert_max_num_queries
):
    client = login(expert)
    # A session's first page also checks the consent and saves the session.
    client.get(QUEUE_URL)
    with django_assert_max_num_queries(5):
        client.get(QUEUE_URL)
    for n in range(10):
        product_of(
            OrganisationFactory(),
            f"Продукт в очереди № {n}",
            Product.Status.SUBMITTED,
            submitted_at=moment(4, n + 1),
        )

    with django_assert_max_num_queries(5):
        response = client.get(QUEUE_URL)

    assert len(response.context["products"]) == 12


# my_products

MINE_URL = reverse("products:my_products")
CARRIER_PRODUCTS = {"published", "draft", "submitted", "archived"}
FOREIGN_PRODUCTS = {"foreign_draft", "foreign_submitted", "foreign_published"}
BADGE = '<span class="badge text-bg-light border">'


def groups_of(response) -> list[tuple[str, set[str]]]:
    return [
        (group["membership"].organisation.short_name, set(group["products"]))
        for group in response.context["groups"]
    ]


def test_anonymous_is_sent_to_sign_in_for_my_products(login, shelf):
    response = login(None).get(MINE_URL)

    assert response.status_code == 302
    assert response["Location"] == login_url_of(MINE_URL)


@pytest.mark.parametrize(
    ("persona", "may_create"),
    [
        ("carrier_head", True),
        ("carrier_coordinator", True),
        ("carrier_specialist", False),
    ],
)
def test_carrier_member_sees_every_own_product_and_no_other_carriers(
    request, login, carrier, shelf, persona, may_create
):
    user = request.getfixturevalue(persona)

    response = login(user).get(MINE_URL)

    assert response.status_code == 200
    assert groups_of(response) == [
        ("ГБОУ СОШ № 619", {shelf[key] for key in CARRIER_PRODUCTS})
    ]
    page = response.content.decode()
    assert titles_in(response, shelf) == CARRIER_PRODUCTS
    draft_row = f"{shelf['draft'].title}</a>{BADGE}Черновик</span>"
    assert draft_row in page
    create_url = reverse("products:product_create", args=[carrier.pk])
    assert (create_url in page) is may_create


def test_outsider_sees_own_school_products_and_not_the_carriers(login, outsider, shelf):
    response = login(outsider).get(MINE_URL)

    assert groups_of(response) == [
        ("МБОУ СОШ № 8", {shelf[key] for key in FOREIGN_PRODUCTS})
    ]
    assert titles_in(response, shelf) == FOREIGN_PRODUCTS


def test_recipient_head_is_told_the_organisation_has_no_products(
    login, recipient_head, shelf
):
    response = login(recipient_head).get(MINE_URL)

    assert groups_of(response) == [("ГБОУ гимназия № 70", set())]
    page = response.content.decode()
    assert "Продуктов пока нет." in page
    assert titles_in(response, shelf) == set()


@pytest.mark.parametrize("persona", ["expert", "administrator"])
def test_moderator_without_organisation_is_told_so_and_sees_no_products(
    request, login, shelf, persona
):
    user = request.getfixturevalue(persona)

    response = login(user).get(MINE_URL)

    assert response.status_code == 200
    assert response.context["groups"] == []
    page = response.content.decode()
    assert "Вы пока не состоите ни в одной организации." in page
    # Moderators may open submitted products, but none of them is theirs.
    assert titles_in(response, shelf) == set()


def test_member_of_two_organisations_sees_each_products_under_it(
    login, unrelated_school, carrier_coordinator, shelf
):
    MembershipFactory(
        user=carrier_coordinator, organisation=unrelated_school, role=Role.SPECIALIST
    )

    response = login(carrier_coordinator).get(MINE_URL)

    assert sorted(groups_of(response)) == sorted(
        [
            ("ГБОУ СОШ № 619", {shelf[key] for key in CARRIER_PRODUCTS}),
            ("МБОУ СОШ № 8", {shelf[key] for key in FOREIGN_PRODUCTS}),
        ]
    )


def test_my_products_queries_do_not_grow_with_its_rows(
    login, carrier, carrier_coordinator, shelf, django_assert_max_num_queries
):
    client = login(carrier_coordinator)
    # A session's first page also checks the consent and saves the session.
    client.get(MINE_URL)
    with django_assert_max_num_queries(6):
        client.get(MINE_URL)
    for n in range(10):
        product_of(carrier, f"Ещё один продукт школы № {n}", Product.Status.DRAFT)

    with django_assert_max_num_queries(6):
        response = client.get(MINE_URL)

    assert len(groups_of(response)[0][1]) == 14


# partner_database_export


def export_url(fmt: str) -> str:
    return reverse("products:partner_database_export", kwargs={"fmt": fmt})


@pytest.fixture
def interests(published_product, recipient, recipient_head, shelf) -> None:
    """The recipient wants the carrier's product; a lyceum wants the outsider's."""
    Interest.objects.create(
        product=published_product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить лабораторию в 7-х классах.",
    )
    lyceum = OrganisationFactory(short_name="МБОУ лицей № 2", region="16")
    Interest.objects.create(
        product=shelf["foreign_published"],
        organisation=lyceum,
        declared_by=member(lyceum, Role.HEAD),
        message="Интересно для кружка.",
    )


def exported_rows(response, fmt: str) -> list[tuple[str, str]]:
    """Return (organisation, product) of every row below the header."""
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Организация"
    return sorted((row[0], row[3]) for row in rows[1:])


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_anonymous_is_sent_to_sign_in_and_gets_no_file(login, interests, fmt):
    url = export_url(fmt)

    response = login(None).get(url)

    assert response.status_code == 302
    assert response["Location"] == login_url_of(url)
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "persona",
    ["expert", "administrator", "carrier_specialist", "recipient_specialist"],
)
def test_who_leads_no_organisation_gets_403_and_no_file(
    request, login, interests, persona, fmt
):
    user = request.getfixturevalue(persona)

    response = login(user).get(export_url(fmt))

    assert response.status_code == 403
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert DENIED in page
    assert "Хотим внедрить" not in page


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "carrier_head",
            [("ГБОУ гимназия № 70", "Цифровая лаборатория в основной школе")],
        ),
        (
            "carrier_coordinator",
            [("ГБОУ гимназия № 70", "Цифровая лаборатория в основной школе")],
        ),
        ("outsider", [("МБОУ лицей № 2", "Вологодское кружево в технологии")]),
        # The recipient declared interest, but the rows are a carrier's.
        ("recipient_head", []),
    ],
)
def test_leader_exports_only_interests_in_own_products(
    request, login, interests, persona, expected, fmt
):
    user = request.getfixturevalue(persona)

    response = login(user).get(export_url(fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="potentsialnye-partnery-'
    )
    assert exported_rows(response, fmt) == expected


# version_create

VERSION = {
    "number": "2.0",
    "released_on": "2030-11-01",
    "changes": "Новые практикумы",
    "reason": "Замечания партнёров",
}


@pytest.fixture
def first_versions(published_product, draft_product, submitted_product) -> None:
    """A version of each product, so an unchanged count is not merely zero."""
    for product in (published_product, draft_product, submitted_product):
        ProductVersion.objects.create(
            product=product, number="1.0", changes="Первая версия", reason="Запуск"
        )


def version_url(request, product_fixture: str) -> str:
    product = request.getfixturevalue(product_fixture)
    return reverse("products:version_create", args=[product.pk])


def test_anonymous_post_records_no_version(request, login, first_versions):
    url = version_url(request, "published_product")

    response = login(None).post(url, VERSION)

    assert response.status_code == 302
    assert response["Location"] == login_url_of(url)
    assert ProductVersion.objects.count() == 3


@pytest.mark.parametrize(
    ("persona", "product_fixture", "status"),
    [
        ("outsider", "published_product", 403),
        ("outsider", "draft_product", 404),
        ("recipient_head", "published_product", 403),
        ("carrier_specialist", "published_product", 403),
        ("carrier_specialist", "draft_product", 403),
        ("expert", "published_product", 403),
        ("expert", "submitted_product", 403),
        ("expert", "draft_product", 404),
        # Administrators edit any product they can see, never a draft.
        ("administrator", "draft_product", 404),
    ],
)
def test_denied_post_records_no_version(
    request, login, first_versions, persona, product_fixture, status
):
    user = request.getfixturevalue(persona)
    url = version_url(request, product_fixture)

    response = login(user).post(url, VERSION)

    assert response.status_code == status
    if status == 403:
        assert DENIED in response.content.decode()
    assert ProductVersion.objects.count() == 3
    assert not ProductVersion.objects.filter(number="2.0").exists()


@pytest.mark.parametrize(
    ("persona", "product_fixture"),
    [
        ("carrier_head", "draft_product"),
        ("carrier_coordinator", "draft_product"),
        ("carrier_coordinator", "published_product"),
        ("administrator", "published_product"),
    ],
)
def test_editor_post_records_the_version(
    request, login, first_versions, persona, product_fixture
):
    user = request.getfixturevalue(persona)
    product = request.getfixturevalue(product_fixture)

    client = login(user)

    response = client.post(version_url(request, product_fixture), VERSION)

    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    version = product.versions.get(number="2.0")
    assert version.created_by == user
    assert version.changes == "Новые практикумы"
    assert ProductVersion.objects.count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Версия зафиксирована." in page


def test_repeated_version_number_is_refused_and_records_nothing(
    request, login, carrier_coordinator, first_versions
):
    url = version_url(request, "published_product")

    response = login(carrier_coordinator).post(url, {**VERSION, "number": "1.0"})

    assert response.status_code == 200
    assert "Версия 1.0 уже существует." in response.content.decode()
    assert ProductVersion.objects.count() == 3

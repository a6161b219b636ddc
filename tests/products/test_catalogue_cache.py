"""The catalogue's cached parts: served again without queries, made stale by
every change of what the catalogue shows, never by one it does not."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from organisations.models import EquipmentType
from products import catalogue
from products.catalogue import CatalogueQuery
from products.forms import catalogue_query, catalogue_query_string
from products.models import (
    EducationLevel,
    Product,
    RequiredEquipment,
    ReviewCriterion,
    SubjectArea,
)
from products.services.lifecycle import moderate_product
from products.services.reviews import submit_review
from tests.factories import OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("products:product_catalogue")


@pytest.fixture
def reading(carrier):
    return ProductFactory(
        carrier=carrier,
        title="Методика смыслового чтения",
        levels=["primary"],
        areas=["Начальная школа"],
    )


def page(client, **params) -> str:
    """The catalogue's filters and results, without the page's frame."""
    html = client.get(CATALOGUE, params).content.decode()
    return html[html.index('id="catalogue-body"') : html.index("</main>")]


def test_a_page_served_again_costs_no_query(client, reading, django_assert_num_queries):
    first = page(client, q="чтения")

    with django_assert_num_queries(0):
        again = page(client, q="чтения")

    assert again == first
    assert "Методика смыслового чтения" in again


def test_the_next_page_of_a_search_reuses_its_filters(
    client, carrier, django_assert_max_num_queries
):
    ProductFactory.create_batch(25, carrier=carrier)
    page(client)

    # Two savepoint statements, the ids of the page and its rows with two
    # prefetches; no facet is counted again.
    with django_assert_max_num_queries(6):
        second = page(client, page=2)

    assert "Страница 2 из 2" in second
    assert "Калининский район" in second


def test_a_published_product_appears_at_once(
    client, reading, administrator, django_capture_on_commit_callbacks
):
    submitted = ProductFactory(
        carrier=reading.carrier,
        title="Цифровая лаборатория",
        status=Product.Status.SUBMITTED,
        published_at=None,
    )
    assert "Цифровая лаборатория" not in page(client)

    with django_capture_on_commit_callbacks(execute=True):
        moderate_product(product=submitted, actor=administrator, approve=True)

    refreshed = page(client)
    assert "Цифровая лаборатория" in refreshed
    assert "Найдены 2 продукта" in refreshed


def test_a_carriers_new_district_reaches_the_filters(
    client, reading, django_capture_on_commit_callbacks
):
    assert "Калининский район" in page(client)

    with django_capture_on_commit_callbacks(execute=True):
        reading.carrier.district = "Выборгский район"
        reading.carrier.save()

    refreshed = page(client)
    assert "Выборгский район" in refreshed
    assert "Калининский район" not in refreshed


def test_a_new_review_moves_the_rating_filter(
    client, reading, expert, django_capture_on_commit_callbacks
):
    assert "4.5 и выше" not in page(client)
    criteria = ReviewCriterion.objects.filter(is_active=True).values_list(
        "pk", flat=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        submit_review(
            product=reading,
            expert=expert,
            scores=dict.fromkeys(criteria, 5),
            conclusion="Применимо в начальной школе.",
            recommendation="recommended",
        )

    assert "4.5 и выше" in page(client)


def rename(area: SubjectArea) -> None:
    area.name = "Начальное общее образование"
    area.save()


@pytest.mark.parametrize(
    "change",
    [
        lambda product: product.subject_areas.add(
            SubjectArea.objects.get(name="Физика")
        ),
        lambda product: product.education_levels.add(
            EducationLevel.objects.get(code="basic")
        ),
        lambda product: RequiredEquipment.objects.create(
            product=product,
            equipment_type=EquipmentType.objects.get(name="3D-принтер"),
        ),
        lambda product: product.equipment.add(
            EquipmentType.objects.get(name="3D-принтер"),
            through_defaults={"quantity": 2},
        ),
        lambda product: rename(SubjectArea.objects.get(name="Начальная школа")),
        lambda product: product.subject_areas.clear(),
        lambda product: EducationLevel.objects.get(code="vocational").delete(),
        lambda product: EquipmentType.objects.create(name="Проектор").delete(),
    ],
    ids=[
        "subject area",
        "education level",
        "equipment",
        "equipment added through the product",
        "area renamed",
        "areas cleared",
        "level deleted",
        "equipment type deleted",
    ],
)
def test_a_change_of_classification_makes_the_cache_stale(
    reading, change, django_capture_on_commit_callbacks
):
    before = catalogue.generation()

    with django_capture_on_commit_callbacks(execute=True):
        change(reading)

    assert catalogue.generation() > before


def test_a_draft_never_published_leaves_the_cache_alone(
    carrier, django_capture_on_commit_callbacks
):
    before = catalogue.generation()

    with django_capture_on_commit_callbacks(execute=True):
        draft = ProductFactory(
            carrier=carrier, status=Product.Status.DRAFT, published_at=None
        )
        draft.title = "Новое название черновика"
        draft.save()

    assert catalogue.generation() == before


def test_a_change_acts_only_when_its_transaction_commits(
    reading, django_capture_on_commit_callbacks
):
    before = catalogue.generation()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reading.title = "Методика осмысленного чтения"
        reading.save()

    assert catalogue.generation() == before
    assert callbacks


def test_a_lost_generation_is_never_one_used_before(db):
    first = catalogue.generation()
    catalogue._next_generation()
    second = catalogue.generation()

    cache.clear()

    assert second == first + 1
    assert catalogue.generation() > second


def test_links_carry_the_search_not_what_else_the_address_had(client, carrier):
    ProductFactory.create_batch(25, carrier=carrier)

    html = page(client, q="продукт", utm_source="mail", kind="nope")

    assert "?q=%D0%BF%D1%80%D0%BE%D0%B4%D1%83%D0%BA%D1%82&amp;page=2" in html
    assert "utm_source" not in html
    assert "nope" not in html


def test_the_query_string_reads_back_as_the_same_search():
    area = 7
    query = CatalogueQuery(
        text="смысловое чтение",
        kinds=["methodology"],
        subject_areas=[area],
        levels=["primary", "basic"],
        regions=["78"],
        districts=["Выборгский район"],
        equipment=[3],
        min_rating=Decimal("4.5"),
        sort="rating",
    )

    assert catalogue_query(QueryDict(catalogue_query_string(query))) == query
    assert catalogue_query_string(CatalogueQuery()) == ""


def test_another_language_gets_its_own_rendering(client, reading):
    russian = page(client)
    client.cookies["django_language"] = "en"

    english = page(client)

    assert "Фильтры" in russian
    assert "Filters" in english


def test_other_carriers_products_are_counted_once_published(
    client, reading, django_capture_on_commit_callbacks
):
    other = OrganisationFactory(short_name="ГБОУ СОШ № 482")
    page(client)

    with django_capture_on_commit_callbacks(execute=True):
        ProductFactory(carrier=other, title="Инженерная школа робототехники")

    assert "Инженерная школа робототехники" in page(client)


def test_an_archived_product_leaves_the_cached_page(
    client, reading, administrator, django_capture_on_commit_callbacks
):
    assert "Методика смыслового чтения" in page(client)
    archived = Product.objects.get(pk=reading.pk)

    with django_capture_on_commit_callbacks(execute=True):
        archived.status = Product.Status.ARCHIVED
        archived.save()

    assert "Методика смыслового чтения" not in page(client)


def test_a_status_set_in_the_admin_reaches_the_page(
    client, carrier, django_capture_on_commit_callbacks
):
    # The admin's form may publish a product without setting its date.
    waiting = ProductFactory(
        carrier=carrier,
        title="Школьный медиацентр",
        status=Product.Status.SUBMITTED,
        published_at=None,
    )
    assert "Школьный медиацентр" not in page(client)
    loaded = Product.objects.get(pk=waiting.pk)

    with django_capture_on_commit_callbacks(execute=True):
        loaded.status = Product.Status.PUBLISHED
        loaded.save()

    assert "Школьный медиацентр" in page(client)

    with django_capture_on_commit_callbacks(execute=True):
        loaded.status = Product.Status.DRAFT
        loaded.save()

    assert "Школьный медиацентр" not in page(client)


def test_a_product_whose_status_was_not_read_is_assumed_to_concern_it(
    reading, django_capture_on_commit_callbacks
):
    before = catalogue.generation()
    partial = Product.objects.only("pk", "title").get(pk=reading.pk)

    with django_capture_on_commit_callbacks(execute=True):
        partial.title = "Методика осмысленного чтения"
        partial.save(update_fields=["title"])

    assert catalogue.generation() > before


def test_a_deleted_product_leaves_the_cached_page(
    client, reading, django_capture_on_commit_callbacks
):
    assert "Методика смыслового чтения" in page(client)

    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.get(pk=reading.pk).delete()

    assert "Методика смыслового чтения" not in page(client)


def test_a_drafts_equipment_and_carrier_leave_the_cache_alone(
    django_capture_on_commit_callbacks,
):
    lonely = OrganisationFactory(short_name="ГБОУ СОШ № 100")
    draft = ProductFactory(
        carrier=lonely, status=Product.Status.DRAFT, published_at=None
    )
    before = catalogue.generation()

    with django_capture_on_commit_callbacks(execute=True):
        RequiredEquipment.objects.create(
            product=draft, equipment_type=EquipmentType.objects.get(name="3D-принтер")
        )
        lonely.district = "Выборгский район"
        lonely.save()

    assert catalogue.generation() == before


def test_a_cache_out_of_reach_does_not_fail_the_write(
    reading, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache is down")

    monkeypatch.setattr(cache, "incr", unreachable)

    with django_capture_on_commit_callbacks(execute=True):
        reading.title = "Методика осмысленного чтения"
        reading.save()

    reading.refresh_from_db()
    assert reading.title == "Методика осмысленного чтения"
    assert "cache is down" in caplog.text


@pytest.mark.parametrize("failing", ["redis", "socket"])
def test_a_cache_out_of_reach_serves_the_catalogue_from_the_database(
    client, reading, monkeypatch, caplog, failing
):
    error = (
        RedisConnectionError("Connection refused")
        if failing == "redis"
        else ConnectionRefusedError("Connection refused")
    )

    def unreachable(*args, **kwargs):
        raise error

    for method in ("get", "get_many", "add", "set", "set_many"):
        monkeypatch.setattr(cache, method, unreachable)

    response = client.get(CATALOGUE, {"q": "чтение", "level": "primary"})

    assert response.status_code == 200
    assert "Методика смыслового чтения" in response.text
    assert "Начальное общее образование" in response.text
    assert "The cache is out of reach" in caplog.text


def test_an_error_of_the_cache_other_than_reach_is_not_hidden(
    client, reading, monkeypatch
):
    def broken(*args, **kwargs):
        raise TypeError("cannot pickle")

    monkeypatch.setattr(cache, "set_many", broken)

    with pytest.raises(TypeError):
        client.get(CATALOGUE)


def test_a_migration_makes_the_cache_stale(db, django_capture_on_commit_callbacks):
    before = catalogue.generation()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", "products", verbosity=0)

    assert catalogue.generation() > before


@pytest.fixture
def two_products(reading, carrier):
    """The older reading method rated higher than the newer laboratory."""
    Product.objects.filter(pk=reading.pk).update(rating=Decimal("4.80"))
    ProductFactory(
        carrier=carrier,
        title="Цифровая лаборатория",
        kind=Product.Kind.DIGITAL_RESOURCE,
        rating=Decimal("4.10"),
    )


def first_title(html: str) -> str:
    shown = {
        html.index(title): title
        for title in ("Методика смыслового чтения", "Цифровая лаборатория")
        if title in html
    }
    return shown[min(shown)]


@pytest.mark.parametrize(
    "asked, then, first",
    [
        ({"q": "чтения"}, {"q": "лаборатория"}, "Цифровая лаборатория"),
        ({"kind": "methodology"}, {"kind": "digital"}, "Цифровая лаборатория"),
        ({"sort": "newest"}, {"sort": "rating"}, "Методика смыслового чтения"),
        ({"page": 1, "sort": "rating"}, {"sort": "newest"}, "Цифровая лаборатория"),
    ],
    ids=["words", "kind", "sort", "sort after page"],
)
def test_each_part_of_a_search_is_served_its_own_page(
    client, two_products, asked, then, first
):
    page(client, **asked)

    assert first_title(page(client, **then)) == first


def test_another_language_gets_its_own_results(client, two_products):
    page(client)
    client.cookies["django_language"] = "en"

    english = page(client)

    assert "2 products found" in english
    assert "Найдены" not in english


def address(**lists) -> QueryDict:
    params = QueryDict(mutable=True)
    for name, values in lists.items():
        params.setlist(name, values)
    return params


def test_an_address_asks_only_for_what_the_catalogue_offers():
    query = catalogue_query(
        address(
            kind=["methodology", "methodology", "nope"],
            area=["7", "7", "²", "-3", "1" * 20],
            district=["", "  ", " Выборгский район ", "Выборгский район"],
            rating=["4.2"],
            page=["²"],
        )
    )

    assert query == CatalogueQuery(
        kinds=["methodology"], subject_areas=[7], districts=["Выборгский район"]
    )


@pytest.mark.parametrize(
    "written, step", [("4.50", Decimal("4.5")), ("3", Decimal("3")), ("5", None)]
)
def test_a_rating_is_one_of_the_offered_thresholds(written, step):
    assert catalogue_query(address(rating=[written])).min_rating == step


def test_a_page_number_beyond_reason_opens_the_first_page(client, reading):
    html = page(client, page="9" * 5000)

    assert "Методика смыслового чтения" in html

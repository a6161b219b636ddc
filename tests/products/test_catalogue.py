"""The public catalogue: search in Russian, typos, facets, sorting, pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from organisations.models import EquipmentType
from products import catalogue
from products.catalogue import CatalogueQuery
from products.models import Product, RequiredEquipment, SubjectArea
from tests.factories import OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(carrier):
    """Three published products of two districts and one draft."""
    vyborg = OrganisationFactory(
        short_name="ГБОУ СОШ № 482", district="Выборгский район"
    )
    digital = ProductFactory(
        carrier=carrier,
        title="Инновационный подход к цифровой лаборатории",
        summary="Исследовательские практикумы с цифровыми датчиками.",
        kind=Product.Kind.DIGITAL_RESOURCE,
        levels=["basic"],
        areas=["Физика"],
        rating=Decimal("4.50"),
    )
    reading = ProductFactory(
        carrier=vyborg,
        title="Методика смыслового чтения",
        summary="Приёмы читательской грамотности для начальной школы.",
        description="Инновационные приёмы работы с текстом.",
        levels=["primary"],
        areas=["Начальная школа"],
        rating=Decimal("3.20"),
    )
    robots = ProductFactory(
        carrier=vyborg,
        title="Инженерная школа робототехники",
        summary="Внеурочная программа.",
        description="Конструирование и программирование моделей.",
        kind=Product.Kind.PROGRAMME,
        levels=["basic", "additional"],
        areas=["Технология"],
    )
    RequiredEquipment.objects.create(
        product=robots,
        equipment_type=EquipmentType.objects.get(name="3D-принтер"),
    )
    ProductFactory(
        carrier=carrier,
        title="Инновационный черновик",
        status=Product.Status.DRAFT,
        published_at=None,
    )
    return {"digital": digital, "reading": reading, "robots": robots}


def titles(result) -> list[str]:
    return [product.title for product in result.products]


def test_empty_query_lists_published_products_newest_first(shelf):
    result = catalogue.search(CatalogueQuery())

    assert result.total == 3
    assert titles(result) == [
        "Инженерная школа робототехники",
        "Методика смыслового чтения",
        "Инновационный подход к цифровой лаборатории",
    ]


def test_search_finds_another_form_of_the_word(shelf):
    result = catalogue.search(CatalogueQuery(text="инновационные"))

    assert set(titles(result)) == {
        "Инновационный подход к цифровой лаборатории",
        "Методика смыслового чтения",
    }
    assert result.corrected_text == ""


def test_search_is_case_insensitive_for_cyrillic(shelf):
    result = catalogue.search(CatalogueQuery(text="РОБОТОТЕХНИКИ"))

    assert titles(result) == ["Инженерная школа робототехники"]


def test_misspelt_search_finds_the_product_and_says_so(shelf):
    result = catalogue.search(CatalogueQuery(text="робототехнеки"))

    assert titles(result) == ["Инженерная школа робототехники"]
    assert result.corrected_text == "робототехники"


def test_misspelt_word_of_a_query_is_corrected_and_the_rest_kept(shelf):
    result = catalogue.search(CatalogueQuery(text="школа робототехнеки"))

    assert titles(result) == ["Инженерная школа робототехники"]
    assert result.corrected_text == "школа робототехники"


def test_a_word_found_only_outside_the_filters_is_no_typo(shelf):
    result = catalogue.search(CatalogueQuery(text="робототехника", levels=["primary"]))

    assert result.total == 0
    assert result.corrected_text == ""
    levels = {facet.value: facet.count for facet in result.facets["level"]}
    assert levels == {"primary": 0, "basic": 1, "additional": 1}


def test_a_typo_is_corrected_within_the_filters(shelf):
    result = catalogue.search(CatalogueQuery(text="робототехнеки", levels=["basic"]))

    assert titles(result) == ["Инженерная школа робототехники"]
    assert result.corrected_text == "робототехники"


def test_typos_are_never_corrected_to_words_of_drafts(shelf):
    result = catalogue.search(CatalogueQuery(text="черновек"))

    assert result.total == 0
    assert result.corrected_text == ""


def test_drafts_never_appear(shelf):
    result = catalogue.search(CatalogueQuery(text="черновик"))

    assert result.total == 0


def test_filters_by_district_and_level(shelf):
    result = catalogue.search(
        CatalogueQuery(districts=["Выборгский район"], levels=["basic"])
    )

    assert titles(result) == ["Инженерная школа робототехники"]


def test_filters_by_required_equipment_and_rating(shelf):
    printer = EquipmentType.objects.get(name="3D-принтер")

    by_equipment = catalogue.search(CatalogueQuery(equipment=[printer.pk]))
    by_rating = catalogue.search(CatalogueQuery(min_rating=Decimal("4")))

    assert titles(by_equipment) == ["Инженерная школа робототехники"]
    assert titles(by_rating) == ["Инновационный подход к цифровой лаборатории"]


def test_facets_count_the_matches(shelf):
    result = catalogue.search(CatalogueQuery())

    districts = {f.value: f.count for f in result.facets["district"]}
    kinds = {f.value: f.count for f in result.facets["kind"]}
    levels = {f.value: f.count for f in result.facets["level"]}
    assert districts == {"Выборгский район": 2, "Калининский район": 1}
    assert kinds == {"digital": 1, "methodology": 1, "programme": 1}
    assert levels == {"basic": 2, "primary": 1, "additional": 1}
    assert [f.count for f in result.facets["rating"]] == [1, 1, 2]


def facet(result, name) -> dict:
    return {f.value: (f.count, f.selected) for f in result.facets[name]}


def test_a_ticked_district_keeps_the_other_districts_on_offer(shelf):
    result = catalogue.search(CatalogueQuery(districts=["Выборгский район"]))

    assert len(result.products) == 2
    assert facet(result, "district") == {
        "Выборгский район": (2, True),
        "Калининский район": (1, False),
    }
    # The other groups count among the results.
    assert facet(result, "level") == {
        "basic": (1, False),
        "primary": (1, False),
        "additional": (1, False),
    }


def test_a_search_keeps_the_other_values_of_a_ticked_group(shelf):
    result = catalogue.search(
        CatalogueQuery(text="инновационный", districts=["Выборгский район"])
    )

    assert titles(result) == ["Методика смыслового чтения"]
    assert facet(result, "district") == {
        "Выборгский район": (1, True),
        "Калининский район": (1, False),
    }
    assert facet(result, "kind") == {"methodology": (1, False)}


def test_a_ticked_value_without_matches_stays_to_be_unticked(shelf):
    result = catalogue.search(
        CatalogueQuery(text="робототехники", districts=["Калининский район"])
    )

    assert result.products == []
    assert facet(result, "district") == {
        "Выборгский район": (1, False),
        "Калининский район": (0, True),
    }


@pytest.mark.parametrize(
    "group, ticked, value",
    [
        ("kinds", ["methodology"], "methodology"),
        ("subject_areas", "Физика", None),
        ("levels", ["primary"], "primary"),
        ("regions", ["47"], "47"),
        ("min_rating", Decimal("4.5"), "4.5"),
    ],
)
def test_every_ticked_value_without_matches_stays_to_be_unticked(
    shelf, group, ticked, value
):
    if group == "subject_areas":
        area = SubjectArea.objects.get(name=ticked)
        ticked, value = [area.pk], str(area.pk)
    query = CatalogueQuery(text="робототехники", **{group: ticked})

    result = catalogue.search(query)

    assert result.products == []
    name = {
        "kinds": "kind",
        "subject_areas": "subject_area",
        "levels": "level",
        "regions": "region",
        "min_rating": "rating",
    }[group]
    assert facet(result, name)[value] == (0, True)


def test_a_district_no_organisation_has_is_not_offered(shelf):
    result = catalogue.search(
        CatalogueQuery(districts=["Калининский район", "<b>Реклама</b>"])
    )

    assert set(facet(result, "district")) == {
        "Калининский район",
        "Выборгский район",
    }


def test_a_chosen_rating_keeps_the_other_thresholds(shelf):
    result = catalogue.search(CatalogueQuery(min_rating=Decimal("4")))

    assert facet(result, "rating") == {
        "4.5": (1, False),
        "4": (1, True),
        "3": (2, False),
    }


def test_required_equipment_is_counted_among_the_results(shelf):
    printer = EquipmentType.objects.get(name="3D-принтер")

    result = catalogue.search(CatalogueQuery(equipment=[printer.pk]))

    assert facet(result, "equipment") == {str(printer.pk): (1, True)}
    assert facet(result, "kind") == {"programme": (1, False)}


def test_every_ticked_item_of_equipment_is_required(shelf):
    printer = EquipmentType.objects.get(name="3D-принтер")
    drone = EquipmentType.objects.get(name="Квадрокоптер учебный")

    neither = catalogue.search(CatalogueQuery(equipment=[printer.pk, drone.pk]))
    RequiredEquipment.objects.create(product=shelf["robots"], equipment_type=drone)
    both = catalogue.search(CatalogueQuery(equipment=[printer.pk, drone.pk]))
    printer_only = catalogue.search(CatalogueQuery(equipment=[printer.pk]))

    assert neither.products == []
    assert facet(neither, "equipment") == {
        str(printer.pk): (0, True),
        str(drone.pk): (0, True),
    }
    assert titles(both) == ["Инженерная школа робототехники"]
    assert facet(printer_only, "equipment") == {
        str(printer.pk): (1, True),
        str(drone.pk): (1, False),
    }


def test_rating_sort_puts_unrated_last(shelf):
    result = catalogue.search(CatalogueQuery(sort="rating"))

    assert titles(result) == [
        "Инновационный подход к цифровой лаборатории",
        "Методика смыслового чтения",
        "Инженерная школа робототехники",
    ]


def test_relevance_prefers_the_title(shelf):
    if connection.vendor != "postgresql":
        pytest.skip("ranking by relevance needs PostgreSQL full-text search")

    result = catalogue.search(CatalogueQuery(text="инновационный"))

    assert titles(result)[0] == "Инновационный подход к цифровой лаборатории"


def test_pages_hold_twenty_and_stop_at_the_last(carrier):
    ProductFactory.create_batch(45, carrier=carrier)

    second = catalogue.search(CatalogueQuery(page=2))
    beyond = catalogue.search(CatalogueQuery(page=99))

    assert (second.total, second.pages, len(second.products)) == (45, 3, 20)
    assert (beyond.page, len(beyond.products)) == (3, 5)


def test_catalogue_page_is_shareable_and_shows_results(client, shelf):
    response = client.get(
        reverse("products:product_catalogue"),
        {"q": "инновационные", "district": "Выборгский район"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Методика смыслового чтения" in page
    assert "Инновационный подход к цифровой лаборатории" not in page
    assert response.context["result"].total == 1


def test_htmx_request_gets_only_the_results(client, shelf):
    response = client.get(
        reverse("products:product_catalogue"), {"q": "чтения"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert "Методика смыслового чтения" in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_htmx_restoring_its_history_gets_the_whole_page(client, shelf):
    response = client.get(
        reverse("products:product_catalogue"),
        {"q": "чтения"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    page = response.content.decode()
    assert "<html" in page
    assert "Методика смыслового чтения" in page
    assert "HX-Request" in response["Vary"]


def test_bad_parameters_are_ignored_not_fatal(client, shelf):
    response = client.get(
        reverse("products:product_catalogue"),
        {"page": "abc", "rating": "x", "region": "999", "kind": "nope", "area": "1;"},
    )

    assert response.status_code == 200
    assert response.context["result"].total == 3


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_queries_do_not_grow_with_rows(
    client, carrier, count, django_assert_num_queries
):
    ProductFactory.create_batch(count, carrier=carrier)
    expected = 15

    with django_assert_num_queries(expected):
        response = client.get(reverse("products:product_catalogue"), {"q": "продукт"})

    assert response.context["result"].total == count


def ten_districts(carrier) -> None:
    for number in range(1, 11):
        ProductFactory(
            carrier=OrganisationFactory(district=f"Район {number:02}"),
            title=f"Продукт района {number}",
        )


def filters_html(client, **params) -> str:
    html = client.get(reverse("products:product_catalogue"), params).content.decode()
    return html[
        html.index('id="filters-heading"') : html.index('id="catalogue-results"')
    ]


def test_a_long_group_shows_its_first_values_and_the_rest_on_demand(client, carrier):
    ten_districts(carrier)

    html = filters_html(client)

    shown, rest = html.split('<details class="facet-more">')
    assert "Район 01" in shown and "Район 08" in shown
    assert "Показать ещё 2" in rest
    assert "Район 09" in rest and "Район 10" in rest


def test_a_ticked_value_among_the_rest_keeps_them_open(client, carrier):
    ten_districts(carrier)

    html = filters_html(client, district="Район 10")

    assert '<details class="facet-more" open>' in html


def test_the_most_frequent_regions_come_first(carrier):
    for _ in range(2):
        ProductFactory(carrier=OrganisationFactory(region="47"))
    ProductFactory(carrier=carrier)

    result = catalogue.search(CatalogueQuery())

    assert [f.value for f in result.facets["region"]] == ["47", "78"]


@pytest.mark.parametrize(
    ("sort", "note"),
    [
        ("", "Отсортировано по релевантности среди первых 1000"),
        ("newest", "Показаны первые 1000 совпадений в этом порядке"),
        ("rating", "Показаны первые 1000 совпадений в этом порядке"),
    ],
)
def test_a_capped_search_says_what_its_pages_hold(
    client, shelf, monkeypatch, sort, note
):
    # Two of the three «инновационн…» matches stand for the thousand.
    monkeypatch.setattr(catalogue, "RANKED_CANDIDATES", 2)

    page = client.get(
        reverse("products:product_catalogue"), {"q": "инновационный", "sort": sort}
    ).content.decode()

    assert note in page
    other = {
        "Отсортировано по релевантности среди первых 1000",
        "Показаны первые 1000 совпадений в этом порядке",
    } - {note}
    assert other.pop() not in page

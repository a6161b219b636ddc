"""The product's «История изменений»: what each reader sees of it, and how
the changes read."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import EquipmentType, Role
from products.history import one_record
from products.models import EducationLevel, Product, SubjectArea
from products.selectors import product_timeline
from products.services import lifecycle
from products.services.materials import delete_material
from tests.factories import member
from tests.products.access_events import PositioningEventFactory
from tests.products.test_admin import submitted_form
from tests.products.test_materials_views import material_of
from tests.products.test_passport_views import passport_data

pytestmark = pytest.mark.django_db

REASON = "Не описаны ожидаемые результаты для 9 класса."


@pytest.fixture
def published_after_rejection(draft_product, carrier_coordinator, expert):
    """A draft rejected once with a reason, corrected and then published."""
    draft_product.summary = "Черновое описание, которое никто не должен видеть."
    draft_product.save()
    lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)
    lifecycle.moderate_product(
        product=draft_product, actor=expert, approve=False, reason=REASON
    )
    product = Product.objects.get(pk=draft_product.pk)
    product.summary = "Школьный медиацентр: газета, радио и видеостудия."
    product.save()
    lifecycle.submit_product(product=product, actor=carrier_coordinator)
    lifecycle.moderate_product(product=product, actor=expert, approve=True)
    product = Product.objects.get(pk=draft_product.pk)
    product.title = "Школьный медиацентр"
    product.save()
    return product


def history_page(client, product) -> str:
    response = client.get(reverse("products:product_history", args=[product.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", [None, "outsider", "recipient_head"])
def test_others_read_the_history_from_the_publication_on(
    client, login, request, published_after_rejection, persona
):
    login(request.getfixturevalue(persona) if persona else None)

    html = history_page(client, published_after_rejection)

    assert "Школьный медиацентр" in html
    assert "опубликован" in html
    assert REASON not in html
    assert "Черновое описание" not in html
    assert "Причина отклонения" not in html
    assert "отправлен на модерацию" not in html.lower()


@pytest.mark.parametrize(
    "persona", ["carrier_coordinator", "carrier_specialist", "expert", "administrator"]
)
def test_the_carrier_and_moderators_read_the_whole_history(
    client, login, request, published_after_rejection, persona
):
    login(request.getfixturevalue(persona))

    html = history_page(client, published_after_rejection)

    assert REASON in html
    assert "Черновое описание" in html
    assert "создан" in html


def test_a_product_never_published_has_no_public_history(draft_product):
    assert product_timeline(draft_product, full=False) == []
    assert product_timeline(draft_product, full=True)[-1].action == "создан"


def test_people_and_dates_read_as_names_and_local_dates(
    published_product, carrier, carrier_coordinator
):
    deputy = member(carrier, Role.COORDINATOR, email="deputy@school619.example")
    published_product.coordinator = deputy
    published_product.published_at = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("UTC"))
    published_product.save()

    [change] = product_timeline(published_product, full=False)[:1]

    assert (
        "ответственный координатор",
        carrier_coordinator.full_name,
        deputy.full_name,
    ) in [(label.lower(), old, new) for label, old, new in change.changes]
    published = {label: new for label, _, new in change.changes}
    assert "2 марта 2026 г. 12:30" in published["дата публикации"]


def test_a_long_text_shows_the_part_that_changed(published_product):
    start = "Обучающиеся ведут наблюдения в цифровой лаборатории. " * 6
    end = " Результаты обсуждаются на итоговой конференции." * 6
    published_product.description = start + "Работа идёт в парах." + end
    published_product.save()
    published_product.description = start + "Работа идёт в группах по четыре." + end
    published_product.save()

    [(_, old, new)] = product_timeline(published_product, full=True)[0].changes

    assert "в парах" in old and "в группах по четыре" in new
    assert old.startswith("…") and old.endswith("…")
    assert len(new) < 200


def test_the_rating_moved_by_reviews_is_not_credited_to_the_next_editor(
    published_product, carrier_coordinator
):
    Product.objects.filter(pk=published_product.pk).update(
        rating=Decimal("4.30"), review_count=2
    )
    product = Product.objects.get(pk=published_product.pk)
    product._history_user = carrier_coordinator
    product.target_audience = "Учителя физики и химии"
    product.save()

    [labels] = [
        [label for label, _, _ in entry.changes]
        for entry in product_timeline(product, full=True)[:1]
    ]

    assert labels == ["целевая аудитория"]


def test_the_history_page_costs_the_same_however_long_the_history(
    client, login, published_product, carrier, carrier_coordinator
):
    deputy = member(carrier, Role.COORDINATOR, email="deputy@school619.example")
    login(carrier_coordinator)
    url = reverse("products:product_history", args=[published_product.pk])

    def edits_then_queries(count: int) -> int:
        for number in range(count):
            published_product.coordinator = (
                deputy if number % 2 == 0 else carrier_coordinator
            )
            published_product.target_audience = f"Учителя, поток {number}"
            published_product.save()
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert edits_then_queries(2) == edits_then_queries(10)


def edit(client, product, **changes):
    response = client.post(
        reverse("products:product_edit", args=[product.pk]),
        passport_data(coordinator=str(product.coordinator_id), **changes),
    )
    assert response.status_code == 302, response.context["form"].errors


def test_one_saving_of_the_passport_is_one_record_with_its_classification(
    client, login, published_product, carrier_coordinator
):
    login(carrier_coordinator)
    edit(client, published_product)
    records = published_product.history.count()
    equipment = published_product.required_equipment.get()

    edit(
        client,
        published_product,
        subject_areas=[
            str(SubjectArea.objects.get(name=name).pk) for name in ("Физика", "Химия")
        ],
        education_levels=[
            str(EducationLevel.objects.get(code=code).pk)
            for code in ("basic", "secondary")
        ],
        **{
            "equipment-TOTAL_FORMS": "2",
            "equipment-INITIAL_FORMS": "1",
            "equipment-0-id": str(equipment.pk),
            "equipment-0-quantity": "2",
            "equipment-1-equipment_type": str(
                EquipmentType.objects.get(name="3D-принтер").pk
            ),
            "equipment-1-is_mandatory": "",
        },
    )

    assert published_product.history.count() == records + 1
    [latest] = product_timeline(published_product, full=True)[:1]
    assert latest.who == carrier_coordinator.full_name
    assert latest.changes == [
        ("предметные области", "Искусство", "Физика, Химия"),
        (
            "уровни образования",
            "Основное общее образование",
            "Основное общее образование, Среднее общее образование",
        ),
        (
            "необходимое оборудование",
            "Мультимедийный проектор, 1 шт.",
            "3D-принтер, 1 шт. (необязательно); Мультимедийный проектор, 2 шт.",
        ),
    ]


def test_a_new_product_starts_its_history_with_one_record_of_all_it_has(
    client, login, carrier, carrier_coordinator
):
    login(carrier_coordinator)
    response = client.post(
        reverse("products:product_create", args=[carrier.pk]),
        passport_data(coordinator=str(carrier_coordinator.pk)),
    )
    assert response.status_code == 302

    product = Product.objects.get()
    [record] = product.history.all()
    assert record.history_type == "+"
    assert record.history_user == carrier_coordinator
    assert [r.subjectarea.name for r in record.subject_areas.all()] == ["Искусство"]
    assert product.history.count() == 1


def test_a_passport_saved_in_the_admin_is_one_record(
    client, login, administrator, published_product
):
    login(administrator)
    url = reverse("admin:products_product_change", args=[published_product.pk])
    records = published_product.history.count()
    data = submitted_form(
        client.get(url),
        subject_areas=[str(SubjectArea.objects.get(name="Химия").pk)],
        target_audience="Учителя химии",
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert published_product.history.count() == records + 1
    [latest] = product_timeline(published_product, full=True)[:1]
    assert latest.who == administrator.full_name
    assert ("предметные области", "Химия") in [
        (label, new) for label, _, new in latest.changes
    ]


@pytest.mark.django_db(transaction=True)
def test_records_made_before_classification_was_kept_are_given_todays(
    reference_data, published_product, carrier_coordinator
):
    before = [("products", "0009_event_changed_at_and_score_history")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("products")
    executor.migrate(before)

    MigrationExecutor(connection).migrate(latest)

    product = Product.objects.get(pk=published_product.pk)
    product._history_user = carrier_coordinator
    product.target_audience = "Учителя физики"
    with one_record(product):
        product.save()
    [entry] = product_timeline(product, full=True)[:1]
    assert [label for label, _, _ in entry.changes] == ["целевая аудитория"]


def test_materials_and_events_join_the_timeline_as_each_reader_may_see_them(
    client, login, published_product, carrier_coordinator
):
    open_file = material_of(
        published_product, visibility="public", title="Статья в журнале"
    )
    material_of(published_product, title="Методические рекомендации для партнёров")
    delete_material(material=open_file, actor=carrier_coordinator)
    PositioningEventFactory(product=published_product, title="Городской семинар")

    full = [e.action for e in product_timeline(published_product, full=True)]
    public = [e.action for e in product_timeline(published_product, full=False)]

    assert full[:4] == [
        "записано мероприятие «Городской семинар»",
        "удалён материал «Статья в журнале»",
        "добавлен материал «Методические рекомендации для партнёров»",
        "добавлен материал «Статья в журнале»",
    ]
    assert public[:3] == [
        "записано мероприятие «Городской семинар»",
        "удалён материал «Статья в журнале»",
        "добавлен материал «Статья в журнале»",
    ]
    login(None)
    assert "Методические рекомендации" not in history_page(client, published_product)

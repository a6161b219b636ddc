"""Pages of the product passport for each persona."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from organisations.models import EquipmentType
from products.models import EducationLevel, Product, RequiredEquipment, SubjectArea

pytestmark = pytest.mark.django_db


def passport_data(**changes) -> dict:
    data = {
        "title": "Школьный театр как пространство воспитания",
        "summary": "Модель школьного театра.",
        "description": "## Суть\n\nТеатральные студии в каждой параллели.",
        "kind": Product.Kind.ORGANISATIONAL_MODEL,
        "subject_areas": [str(SubjectArea.objects.get(name="Искусство").pk)],
        "education_levels": [str(EducationLevel.objects.get(code="basic").pk)],
        "target_audience": "Педагоги-организаторы",
        "problem": "Низкая вовлечённость",
        "expected_results": "Студии в каждой параллели",
        "change_level": Product.ChangeLevel.MODULAR,
        "implementation_months": "12",
        "required_staff": "Педагог дополнительного образования",
        "required_time": "4 часа в неделю",
        "required_budget": "",
        "budget_note": "",
        "contact_email": "theatre@school619.example",
        "contact_phone": "",
        "equipment-TOTAL_FORMS": "2",
        "equipment-INITIAL_FORMS": "0",
        "equipment-MIN_NUM_FORMS": "0",
        "equipment-MAX_NUM_FORMS": "1000",
        "equipment-0-equipment_type": str(
            EquipmentType.objects.get(name="Мультимедийный проектор").pk
        ),
        "equipment-0-quantity": "1",
        "equipment-0-is_mandatory": "on",
        "equipment-1-equipment_type": "",
        "equipment-1-quantity": "1",
        "equipment-1-is_mandatory": "on",
    }
    data.update(changes)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def test_guest_sees_a_published_product_with_its_passport(client, published_product):
    response = client.get(
        reverse("products:product_detail", args=[published_product.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Цифровая лаборатория в основной школе" in page
    assert "<strong>методики</strong>" in page
    assert response.context["can_edit"] is False


@pytest.mark.parametrize("persona", [None, "outsider", "expert", "administrator"])
def test_draft_is_404_outside_the_carrier(request, login, draft_product, persona):
    user = request.getfixturevalue(persona) if persona else None

    response = login(user).get(
        reverse("products:product_detail", args=[draft_product.pk])
    )

    assert response.status_code == 404


def test_specialist_sees_own_draft_but_cannot_edit(
    login, carrier_specialist, draft_product
):
    client = login(carrier_specialist)

    detail = client.get(reverse("products:product_detail", args=[draft_product.pk]))
    edit = client.get(reverse("products:product_edit", args=[draft_product.pk]))

    assert detail.status_code == 200
    assert edit.status_code == 403


def test_coordinator_creates_a_product_with_equipment_and_cover(
    login, carrier, carrier_coordinator
):
    data = passport_data(coordinator=str(carrier_coordinator.pk))
    data["cover"] = SimpleUploadedFile("обложка.png", png_bytes(), "image/png")

    response = login(carrier_coordinator).post(
        reverse("products:product_create", args=[carrier.pk]), data
    )

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert product.status == Product.Status.DRAFT
    assert product.carrier == carrier
    assert list(
        product.required_equipment.values_list("equipment_type__name", "quantity")
    ) == [("Мультимедийный проектор", 1)]
    cover = login(carrier_coordinator).get(
        reverse("products:product_cover", args=[product.pk])
    )
    assert cover.status_code == 200
    assert b"".join(cover.streaming_content) == png_bytes()


def test_invalid_passport_shows_errors_and_saves_nothing(
    login, carrier, carrier_coordinator
):
    data = passport_data(coordinator=str(carrier_coordinator.pk), title="")
    data["implementation_months"] = "0"
    data["cover"] = SimpleUploadedFile("cover.png", b"not an image", "image/png")

    response = login(carrier_coordinator).post(
        reverse("products:product_create", args=[carrier.pk]), data
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert set(errors) >= {"title", "implementation_months", "cover"}
    assert not Product.objects.exists()
    assert not RequiredEquipment.objects.exists()


def test_the_same_equipment_twice_is_refused_in_russian_and_saves_nothing(
    login, carrier, carrier_coordinator
):
    projector = str(EquipmentType.objects.get(name="Мультимедийный проектор").pk)
    data = passport_data(coordinator=str(carrier_coordinator.pk))
    data["equipment-1-equipment_type"] = projector

    response = login(carrier_coordinator).post(
        reverse("products:product_create", args=[carrier.pk]), data
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Одно и то же оборудование указано дважды" in page
    assert "поле &quot;equipment_type&quot;" not in page
    assert 'поле "equipment_type"' not in page
    assert not Product.objects.exists()


def test_outsider_cannot_create_products_for_another_school(login, carrier, outsider):
    response = login(outsider).post(
        reverse("products:product_create", args=[carrier.pk]), passport_data()
    )

    assert response.status_code == 404
    assert not Product.objects.exists()


def test_editing_changes_the_passport_and_records_history(
    login, carrier_coordinator, published_product
):
    data = passport_data(
        coordinator=str(carrier_coordinator.pk), title="Цифровая лаборатория 2.0"
    )

    response = login(carrier_coordinator).post(
        reverse("products:product_edit", args=[published_product.pk]), data
    )

    assert response.status_code == 302
    published_product.refresh_from_db()
    assert published_product.title == "Цифровая лаборатория 2.0"
    history = login(carrier_coordinator).get(
        reverse("products:product_history", args=[published_product.pk])
    )
    assert "Цифровая лаборатория 2.0" in history.content.decode()
    assert history.context["timeline"][0].who == carrier_coordinator.full_name


def test_submit_and_moderate_through_the_pages(
    login, carrier_coordinator, expert, draft_product
):
    login(carrier_coordinator).post(
        reverse("products:product_submit", args=[draft_product.pk])
    )
    queue = login(expert).get(reverse("products:moderation_queue"))
    response = login(expert).post(
        reverse("products:product_moderate", args=[draft_product.pk]),
        {"decision": "publish"},
    )

    assert draft_product in queue.context["products"]
    assert response.status_code == 302
    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.PUBLISHED


def test_moderation_queue_is_for_moderators_only(login, carrier_head):
    url = reverse("products:moderation_queue")

    assert login(carrier_head).get(url).status_code == 403
    assert login(None).get(url).status_code == 302


def test_my_products_lists_drafts_of_my_organisations(
    login, carrier_specialist, draft_product, published_product
):
    response = login(carrier_specialist).get(reverse("products:my_products"))

    products = response.context["groups"][0]["products"]
    assert set(products) == {draft_product, published_product}


def test_version_form_records_a_version(login, carrier_coordinator, published_product):
    response = login(carrier_coordinator).post(
        reverse("products:version_create", args=[published_product.pk]),
        {
            "number": "2.0",
            "released_on": "2026-11-01",
            "changes": "Новые практикумы",
            "reason": "Замечания партнёров",
        },
    )

    assert response.status_code == 302
    assert published_product.versions.get().number == "2.0"


def test_product_page_queries_are_bounded(
    client, published_product, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("products:product_detail", args=[published_product.pk])
        )

    assert response.status_code == 200

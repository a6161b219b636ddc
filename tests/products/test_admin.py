"""Products in the admin: who edits a product follows its carrier there too."""

import pytest
from django.db.models.fields.files import FieldFile
from django.forms import MultiWidget
from django.urls import reverse

from organisations.models import Role
from products.models import NewsItem, Product
from tests.factories import ProductFactory, member
from tests.products.access_events import PositioningEventFactory

pytestmark = pytest.mark.django_db


def posted(form) -> dict:
    """What a browser posts of ``form`` left as it is: no file chosen, an
    unticked box left out."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False or isinstance(value, FieldFile):
            continue
        widget = field.field.widget
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{field.html_name}_{index}"] = part
        else:
            data[field.html_name] = value
    return data


def submitted_form(response, **changes) -> dict:
    """The admin form of ``response``, with its inlines, as its browser
    would post it back, with ``changes``."""
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(posted(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(posted(form))
    data.update(changes)
    return data


def test_a_product_moved_to_another_carrier_is_edited_by_its_staff_alone(
    client, login, administrator, carrier, carrier_coordinator, recipient
):
    product = ProductFactory(carrier=carrier, title="Методика смыслового чтения")
    new_coordinator = member(recipient, Role.COORDINATOR, email="c@gymnasium70.example")
    assert carrier_coordinator.has_perm("products.change_product", product)
    login(administrator)
    url = reverse("admin:products_product_change", args=[product.pk])

    response = client.post(url, submitted_form(client.get(url), carrier=recipient.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.carrier == recipient
    # Permissions are cached per user object; read them afresh.
    carrier_coordinator = type(carrier_coordinator).objects.get(
        pk=carrier_coordinator.pk
    )
    assert not carrier_coordinator.has_perm("products.change_product", product)
    assert not carrier_coordinator.has_perm("products.view_product", product)
    assert new_coordinator.has_perm("products.change_product", product)


def test_a_product_saved_without_moving_keeps_its_editors(
    client, login, administrator, carrier, carrier_coordinator
):
    product = ProductFactory(carrier=carrier, title="Методика смыслового чтения")
    login(administrator)
    url = reverse("admin:products_product_change", args=[product.pk])

    response = client.post(
        url, submitted_form(client.get(url), title="Методика осмысленного чтения")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.title == "Методика осмысленного чтения"
    assert carrier_coordinator.has_perm("products.change_product", product)


def test_a_product_added_in_the_admin_is_edited_by_its_carriers_staff(
    client, login, administrator, carrier, carrier_coordinator, published_product
):
    login(administrator)
    url = reverse("admin:products_product_add")
    # Fill the form from an existing product's page, then change the title.
    template = client.get(
        reverse("admin:products_product_change", args=[published_product.pk])
    )
    data = submitted_form(template, title="Школьная медиатека")
    for prefix in ("equipment", "versions"):
        for key in [k for k in data if k.startswith(f"{prefix}-")]:
            del data[key]
    blank = client.get(url)
    for inline in blank.context["inline_admin_formsets"]:
        for field in inline.formset.management_form:
            data[field.html_name] = field.value()

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Product.objects.get(title="Школьная медиатека")
    assert carrier_coordinator.has_perm("products.change_product", added)
    assert added.created_by == administrator


def test_a_version_added_on_the_product_page_records_who_added_it(
    client, login, administrator, published_product
):
    login(administrator)
    url = reverse("admin:products_product_change", args=[published_product.pk])
    data = submitted_form(client.get(url))
    added = int(data["versions-TOTAL_FORMS"])
    data.update(
        {
            "versions-TOTAL_FORMS": added + 1,
            f"versions-{added}-number": "2.0",
            f"versions-{added}-released_on": "2026-11-30",
            f"versions-{added}-changes": "Добавлены задания для 8 класса.",
            f"versions-{added}-reason": "Замечания школ-партнёров.",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    version = published_product.versions.get(number="2.0")
    assert version.created_by == administrator


def test_an_event_whose_author_has_left_can_still_be_saved(
    client, login, administrator, published_product, carrier_specialist
):
    event = PositioningEventFactory(
        product=published_product, created_by=carrier_specialist
    )
    carrier_specialist.delete()
    login(administrator)
    url = reverse("admin:products_positioningevent_change", args=[event.pk])
    page = client.get(url)
    assert "created_by" not in page.context["adminform"].form.fields

    response = client.post(url, submitted_form(page, audience_size=120))

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.audience_size, event.created_by) == (120, None)


def test_news_added_in_the_admin_is_signed_by_the_administrator(
    client, login, administrator
):
    login(administrator)
    url = reverse("admin:products_newsitem_add")
    data = submitted_form(
        client.get(url),
        title="Открыт приём заявок на площадку",
        summary="Школы подают заявки до 1 февраля.",
        body="Подробности в положении о площадке.",
        is_published="on",
        published_at_0="2026-12-01",
        published_at_1="10:00",
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert NewsItem.objects.get().author == administrator

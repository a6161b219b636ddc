"""What a partner keeps of the product when the partnership ends: a completed
partnership keeps its partner in the circle, a terminated one does not."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Partnership
from products.models import Product
from tests.products.test_materials_views import download_url, material_of


def opens(client, path: str) -> int:
    response = client.get(path)
    # Reading a served file to its end closes it the way the test client
    # expects; closing the response would close the database connection.
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.mark.parametrize(
    ("ending", "expected"),
    [(None, 200), (Partnership.Status.COMPLETED, 200), ("terminated", 404)],
)
def test_a_partner_keeps_the_products_circle_unless_the_partnership_broke_off(
    client,
    login,
    partnership,
    recipient_head,
    recipient_specialist,
    carrier_coordinator,
    ending,
    expected,
):
    product = partnership.product
    material = material_of(product)
    if ending == "terminated":
        services.terminate_partnership(
            partnership=partnership,
            actor=recipient_head,
            reason="Школа переходит на другую программу.",
        )
    elif ending is not None:
        Partnership.objects.filter(pk=partnership.pk).update(status=ending)
    login(recipient_specialist)

    assert opens(client, download_url(material)) == expected
    Product.objects.filter(pk=product.pk).update(status=Product.Status.ARCHIVED)
    assert opens(client, reverse("products:product_detail", args=[product.pk])) == (
        expected
    )
    login(carrier_coordinator)
    assert opens(client, download_url(material)) == 200

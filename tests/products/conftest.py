"""Products of the carrier persona's school, shared by the products tests."""

import pytest

from products.models import Product
from tests.factories import ProductFactory


@pytest.fixture
def published_product(carrier, carrier_coordinator):
    return ProductFactory(
        carrier=carrier,
        coordinator=carrier_coordinator,
        title="Цифровая лаборатория в основной школе",
    )


@pytest.fixture
def draft_product(carrier, carrier_coordinator):
    return ProductFactory(
        carrier=carrier,
        coordinator=carrier_coordinator,
        title="Черновик: школьный медиацентр",
        status=Product.Status.DRAFT,
        published_at=None,
    )

"""Products of the carrier persona's school, shared by the products tests."""

import importlib

import pytest
from django.apps import apps

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


@pytest.fixture
def reference_data(db):
    """The levels, subject areas and review criteria that migration 0003
    creates, made again when a transactional test before this one has
    emptied the database (data migrations do not run again after a flush)."""
    migration = importlib.import_module("products.migrations.0003_reference_data")
    migration.create(apps, None)

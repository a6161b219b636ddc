"""The catalogue on the cache production uses: Redis, shared by every process.

Runs against the Redis at ``TEST_REDIS_URL`` (by default the local one, in a
database of its own and under a prefix of its own); without a Redis there
the tests are skipped with a message locally, and fail in CI (``CI`` set).
"""

import os
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from products import catalogue
from products.models import Product
from products.services.lifecycle import moderate_product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CATALOGUE = reverse("products:product_catalogue")


@pytest.fixture
def redis_cache(settings):
    """Point the default cache at Redis under a fresh prefix; remove what
    the test wrote afterwards."""
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError as error:
        message = f"Redis at {REDIS_URL} is out of reach: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    server.close()


def page(client, **params) -> str:
    html = client.get(CATALOGUE, params).content.decode()
    return html[html.index('id="catalogue-body"') : html.index("</main>")]


def test_a_page_served_again_comes_from_redis(
    client, carrier, redis_cache, django_assert_num_queries
):
    ProductFactory(carrier=carrier, title="Методика смыслового чтения")
    first = page(client, q="чтение")
    assert redis_cache.get(catalogue.GENERATION_KEY) is not None

    with django_assert_num_queries(0):
        again = page(client, q="чтение")

    assert again == first
    assert "Методика смыслового чтения" in again


def test_a_change_reaches_every_process_at_once(
    client, carrier, administrator, redis_cache, django_capture_on_commit_callbacks
):
    ProductFactory(carrier=carrier, title="Методика смыслового чтения")
    submitted = ProductFactory(
        carrier=carrier,
        title="Цифровая лаборатория",
        status=Product.Status.SUBMITTED,
        published_at=None,
    )
    assert "Цифровая лаборатория" not in page(client)
    # Another process reads the generation from the same server.
    before = redis_cache.get(catalogue.GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        moderate_product(product=submitted, actor=administrator, approve=True)

    assert redis_cache.get(catalogue.GENERATION_KEY) > before
    assert "Цифровая лаборатория" in page(client)

"""The cache as the catalogue uses it: something that speeds pages up, never
something a page depends on.

When the cache cannot be reached (Redis restarting, a network fault), a read
answers as a miss and a write is skipped, each with a warning in the log; the
catalogue is then served from the database, as on its first request.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

# What a cache backend raises when it cannot be reached: the socket's errors
# (ConnectionError and TimeoutError among them) and the Redis client's.
UNREACHABLE = (OSError, RedisError)

logger = logging.getLogger(__name__)


def _out_of_reach(error: Exception) -> None:
    logger.warning("The cache is out of reach, serving without it: %s", error)


def get(key: str, default: Any = None) -> Any:
    try:
        return cache.get(key, default)
    except UNREACHABLE as error:
        _out_of_reach(error)
        return default


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    try:
        return cache.get_many(keys)
    except UNREACHABLE as error:
        _out_of_reach(error)
        return {}


def add(key: str, value: Any, timeout: float | None) -> None:
    try:
        cache.add(key, value, timeout)
    except UNREACHABLE as error:
        _out_of_reach(error)


def set(key: str, value: Any, timeout: float | None) -> None:
    try:
        cache.set(key, value, timeout)
    except UNREACHABLE as error:
        _out_of_reach(error)


def set_many(values: dict[str, Any], timeout: float | None) -> None:
    try:
        cache.set_many(values, timeout)
    except UNREACHABLE as error:
        _out_of_reach(error)

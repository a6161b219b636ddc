"""Fixtures of the accounts tests.

``UserFactory`` records consent to the text in force; pass ``consent=False``
for a user who has not agreed.
"""

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from accounts.models import ConsentVersion, User
from tests.factories import UserFactory


@pytest.fixture
def consent_version(db) -> ConsentVersion:
    """The consent text in force: version 1.0, published by a migration."""
    return ConsentVersion.objects.get(version="1.0")


@pytest.fixture
def user(consent_version) -> User:
    """A confirmed user who agreed to the consent text in force."""
    return UserFactory(
        email="anna.ivanova@school.example",
        last_name="Иванова",
        first_name="Анна",
        patronymic="Сергеевна",
    )


@pytest.fixture
def unconfirmed_user(consent_version) -> User:
    """A user who registered but has not followed the confirmation link."""
    return UserFactory(
        email="oleg.smirnov@school.example",
        last_name="Смирнов",
        first_name="Олег",
        patronymic="",
        email_confirmed_at=None,
    )


@pytest.fixture
def new_consent_version(consent_version) -> ConsentVersion:
    """Publish version 2.0, in force from now, and forget the cached one."""
    version = ConsentVersion.objects.create(
        version="2.0",
        title="Согласие на обработку персональных данных",
        text="Новая редакция согласия.\n\nИные цели обработки данных.",
        effective_at=timezone.now(),
    )
    cache.clear()
    return version


@pytest.fixture
def sent_link() -> Callable[[str], str]:
    """Return a function that finds the one link of the only email sent."""

    def find(pattern: str) -> str:
        assert len(mail.outbox) == 1
        links = re.findall(pattern, mail.outbox[0].body)
        assert len(links) == 1
        return links[0]

    return find

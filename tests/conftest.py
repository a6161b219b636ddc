"""Personas and helpers shared by the whole suite.

The personas live in two organisations that will meet in a partnership (a
carrier and a recipient) and one unrelated school (the outsider's).
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from organisations.models import Role
from organisations.roles import ADMINISTRATORS_GROUP, EXPERTS_GROUP
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, member

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def carrier(db):
    return OrganisationFactory(
        short_name="ГБОУ СОШ № 619", district="Калининский район"
    )


@pytest.fixture
def recipient(db):
    return OrganisationFactory(
        short_name="ГБОУ гимназия № 70", district="Петроградский район"
    )


@pytest.fixture
def unrelated_school(db):
    return OrganisationFactory(short_name="МБОУ СОШ № 8", region="35", city="Вологда")


@pytest.fixture
def carrier_head(carrier):
    return member(carrier, Role.HEAD, email="head@school619.example")


@pytest.fixture
def carrier_coordinator(carrier):
    return member(carrier, Role.COORDINATOR, email="coordinator@school619.example")


@pytest.fixture
def carrier_specialist(carrier):
    return member(carrier, Role.SPECIALIST, email="teacher@school619.example")


@pytest.fixture
def recipient_head(recipient):
    return member(recipient, Role.HEAD, email="head@gymnasium70.example")


@pytest.fixture
def recipient_specialist(recipient):
    return member(recipient, Role.SPECIALIST, email="teacher@gymnasium70.example")


@pytest.fixture
def outsider(unrelated_school):
    return member(unrelated_school, Role.HEAD, email="head@school8.example")


@pytest.fixture
def expert(db):
    user = UserFactory(email="expert@innoteka.example", position="Эксперт")
    user.groups.add(Group.objects.get(name=EXPERTS_GROUP))
    return user


@pytest.fixture
def administrator(db):
    user = UserFactory(email="admin@innoteka.example", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


@pytest.fixture
def login(client):
    """Return a function that signs ``client`` in as a user (or out, for None)."""

    def sign_in(user) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in

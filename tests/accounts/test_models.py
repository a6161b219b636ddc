from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import ConsentVersion, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_stores_email_trimmed_and_lower_case():
    user = User.objects.create_user(
        email="  Anna.Ivanova@School.Example ",
        password="x" * 12,
        last_name="Иванова",
        first_name="Анна",
    )

    user.refresh_from_db()
    assert user.email == "anna.ivanova@school.example"


def test_save_normalises_an_email_changed_on_the_instance():
    user = UserFactory(email="anna@school.example")
    user.email = " NEW.Address@School.Example"

    user.save()

    user.refresh_from_db()
    assert user.email == "new.address@school.example"


def test_create_user_refuses_an_empty_email():
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password="x" * 12)

    assert not User.objects.exists()


def test_the_same_email_in_another_case_cannot_be_registered_twice():
    UserFactory(email="anna@school.example")

    with pytest.raises(IntegrityError):
        User.objects.create_user(email="ANNA@School.Example", password="x" * 12)


def test_full_name_is_last_first_and_patronymic():
    user = User(last_name="Иванова", first_name="Анна", patronymic="Сергеевна")

    assert user.full_name == "Иванова Анна Сергеевна"
    assert user.get_full_name() == "Иванова Анна Сергеевна"


def test_short_name_has_initials_of_first_name_and_patronymic():
    user = User(last_name="Иванова", first_name="Анна", patronymic="Сергеевна")

    assert user.short_name == "Иванова А. С."
    assert user.get_short_name() == "Иванова А. С."


def test_names_without_patronymic_have_no_trailing_parts():
    user = User(last_name="Петров", first_name="Иван", patronymic="")

    assert user.full_name == "Петров Иван"
    assert user.short_name == "Петров И."


def test_str_falls_back_to_email_without_a_name():
    user = User(email="anna@school.example")

    assert str(user) == "anna@school.example"


def test_natural_key_lookup_ignores_case_and_spaces():
    user = UserFactory(email="anna.ivanova@school.example")

    found = User.objects.get_by_natural_key(" Anna.Ivanova@SCHOOL.example ")

    assert found == user


def test_natural_key_lookup_of_an_unknown_email_raises_does_not_exist():
    UserFactory(email="anna.ivanova@school.example")

    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("anna.petrova@school.example")


def test_create_user_leaves_email_unconfirmed():
    user = User.objects.create_user(email="anna@school.example", password="x" * 12)

    assert user.email_confirmed_at is None
    assert user.has_confirmed_email is False
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_create_superuser_confirms_email():
    now = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.get_current_timezone())

    with mock.patch("django.utils.timezone.now", return_value=now):
        user = User.objects.create_superuser(
            email="Admin@Innoteka.Example", password="x" * 12
        )

    user.refresh_from_db()
    assert user.email == "admin@innoteka.example"
    assert user.email_confirmed_at == now
    assert user.has_confirmed_email is True
    assert (user.is_staff, user.is_superuser) == (True, True)


def test_current_consent_version_is_the_latest_already_in_force(consent_version):
    ConsentVersion.objects.create(
        version="0.9",
        title="Старая редакция",
        text="Старый текст",
        effective_at=consent_version.effective_at - timedelta(days=365),
    )
    ConsentVersion.objects.create(
        version="3.0",
        title="Будущая редакция",
        text="Будущий текст",
        effective_at=timezone.now() + timedelta(days=1),
    )

    current = ConsentVersion.current()

    assert current == consent_version

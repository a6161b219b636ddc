"""factory_boy factories for the models of every app."""

import factory
from django.utils import timezone

from accounts.models import Consent, ConsentVersion, User
from organisations.models import Membership, Organisation, Role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@school.example")
    password = factory.django.Password(PASSWORD)
    last_name = factory.Iterator(["Иванова", "Петров", "Сидорова", "Кузнецов"])
    first_name = factory.Iterator(["Анна", "Иван", "Мария", "Пётр"])
    patronymic = factory.Iterator(["Сергеевна", "Петрович", "Ивановна", ""])
    position = "Учитель"
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consent(user, create, extracted, **kwargs):
        """Agree to the consent text in force, as registration does.

        ``UserFactory(consent=False)`` makes a user who has not agreed.
        """
        version = ConsentVersion.current()
        if create and extracted is not False and version is not None:
            Consent.objects.get_or_create(user=user, version=version)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    full_name = factory.Sequence(
        lambda n: (
            f"Государственное бюджетное общеобразовательное учреждение "
            f"средняя общеобразовательная школа № {n + 100}"
        )
    )
    short_name = factory.Sequence(lambda n: f"ГБОУ СОШ № {n + 100}")
    kind = Organisation.Kind.SCHOOL
    region = "78"
    district = "Калининский район"
    city = "Санкт-Петербург"
    address = "ул. Школьная, д. 1"
    head_name = "Воронцова Елена Николаевна"
    is_verified = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SPECIALIST


def member(organisation: Organisation, role: str, **user_fields) -> User:
    """Create a user who belongs to ``organisation`` in ``role``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user

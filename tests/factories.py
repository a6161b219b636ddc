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


class ProductFactory(factory.django.DjangoModelFactory):
    """A published product; pass ``status=Product.Status.DRAFT`` for a draft.

    The carrier's role groups get their permissions, as the service does.
    """

    class Meta:
        model = "products.Product"
        skip_postgeneration_save = True

    carrier = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Инновационный продукт № {n}")
    summary = "Методика формирования функциональной грамотности обучающихся."
    description = "Подробное описание **методики** с этапами внедрения."
    kind = "methodology"
    target_audience = "Учителя основной школы"
    problem = "Низкий уровень функциональной грамотности"
    expected_results = "Рост результатов диагностики на 15 %"
    change_level = "modular"
    implementation_months = 12
    required_staff = "Учителя-предметники, прошедшие курс (36 часов)"
    required_time = "2 часа в неделю"
    coordinator = factory.SubFactory(UserFactory)
    contact_email = "coordinator@school.example"
    status = "published"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def grants(product, create, extracted, **kwargs):
        if create:
            from products.services.lifecycle import grant_carrier_permissions

            grant_carrier_permissions(product)

    @factory.post_generation
    def levels(product, create, extracted, **kwargs):
        from products.models import EducationLevel

        if create:
            codes = extracted if extracted is not None else ["basic"]
            product.education_levels.set(EducationLevel.objects.filter(code__in=codes))

    @factory.post_generation
    def areas(product, create, extracted, **kwargs):
        from products.models import SubjectArea

        if create:
            names = extracted if extracted is not None else ["Математика"]
            product.subject_areas.set(SubjectArea.objects.filter(name__in=names))

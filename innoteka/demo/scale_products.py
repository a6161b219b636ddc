"""Generated published products in bulk, for the catalogue benchmark.

Titles and descriptions are composed from pieces so that some words are
common (about half the products say «инновационный») and some are rare, as
in a real catalogue. PostgreSQL fills the search vector by its trigger; the
lower-cased text for SQLite is computed here, as ``Product.save`` would.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from organisations.models import EquipmentType, Membership, Role, RoleGroup
from products.models import (
    EducationLevel,
    Product,
    ProductGroupObjectPermission,
    RequiredEquipment,
    SubjectArea,
)
from products.services.lifecycle import CARRIER_PERMISSIONS
from products.text import search_text_of

PER_SCALE = 500
BATCH = 2000
MARK = "[сгенерировано]"

QUALITIES = [
    "Инновационная",
    "Современная",
    "Сетевая",
    "Цифровая",
    "Авторская",
    "Интегрированная",
    "Практико-ориентированная",
    "Вариативная",
]
NOUNS = ["методика", "модель", "программа", "технология", "система", "практика"]
TOPICS = [
    "формирования функциональной грамотности",
    "развития читательской грамотности",
    "проектной деятельности",
    "инженерного образования",
    "профориентации",
    "наставничества",
    "инклюзивного образования",
    "смешанного обучения",
    "естественнонаучных исследований",
    "финансовой грамотности",
    "патриотического воспитания",
    "здоровьесбережения",
    "медиаобразования",
    "развития критического мышления",
    "сетевого взаимодействия школ",
    "оценивания образовательных результатов",
    "работы с одарёнными детьми",
    "цифровой образовательной среды",
    "краеведения",
    "экологического воспитания",
]
RARE = [
    "геокешинг",
    "биоинформатика",
    "дендрохронология",
    "каллиграфия",
    "астрофотография",
    "спелеология",
    "орнитология",
    "ботаникум",
]
SENTENCES = [
    "Продукт разработан педагогическим коллективом и апробирован в течение "
    "двух учебных лет.",
    "Инновационный подход позволяет вовлечь обучающихся в активную "
    "познавательную деятельность.",
    "Методические материалы включают сценарии занятий и диагностические задания.",
    "Внедрение сопровождается консультациями авторов и дистанционным курсом.",
    "Результаты подтверждены независимой диагностикой образовательных достижений.",
    "Модель легко адаптируется к условиям городской и сельской школы.",
    "Педагоги осваивают новые форматы работы на стажировках и мастер-классах.",
    "Особое внимание уделяется индивидуальным образовательным маршрутам.",
]


def _title(rng: random.Random, index: int) -> str:
    quality = "Инновационная" if rng.random() < 0.5 else rng.choice(QUALITIES)
    title = f"{quality} {rng.choice(NOUNS)} {rng.choice(TOPICS)}"
    if index % 997 == 0:
        title += f": {rng.choice(RARE)}"
    return title


@transaction.atomic
def seed_scale_products(scale: int) -> int:
    """Bring the generated products up to ``scale`` × 500; return how many new."""
    wanted = scale * PER_SCALE
    existing = Product.objects.filter(summary__endswith=MARK).count()
    if wanted <= existing:
        return 0

    carriers = list(
        Membership.objects.filter(role=Role.COORDINATOR)
        .values_list("organisation_id", "user_id")
        .order_by("organisation_id")
    )
    if not carriers:
        return 0
    rng = random.Random(existing)
    now = timezone.now()
    products = []
    for index in range(existing, wanted):
        organisation_id, coordinator_id = carriers[index % len(carriers)]
        title = _title(rng, index)
        description = " ".join(rng.sample(SENTENCES, 4))
        summary = f"{rng.choice(SENTENCES)} {MARK}"
        products.append(
            Product(
                carrier_id=organisation_id,
                coordinator_id=coordinator_id,
                title=title,
                summary=summary,
                description=description,
                kind=rng.choice(Product.Kind.values),
                target_audience="Педагоги образовательных организаций",
                problem="Потребность в обновлении содержания и методов обучения.",
                expected_results="Рост образовательных результатов обучающихся.",
                change_level=rng.choice(Product.ChangeLevel.values),
                implementation_months=rng.choice([6, 9, 12, 18, 24]),
                required_staff="Педагоги, прошедшие обучение",
                required_time="2 часа в неделю",
                contact_email="coordinator@example.org",
                status=Product.Status.PUBLISHED,
                published_at=now - timedelta(minutes=index),
                rating=Decimal(rng.randint(25, 50)) / 10
                if rng.random() < 0.3
                else None,
                search_text=search_text_of(title, summary, description),
            )
        )
    created = []
    for start in range(0, len(products), BATCH):
        created += Product.objects.bulk_create(products[start : start + BATCH])

    _relations(created, rng)
    _grants(created)
    return len(created)


def _relations(products: list[Product], rng: random.Random) -> None:
    areas = list(SubjectArea.objects.values_list("pk", flat=True))
    levels = list(EducationLevel.objects.values_list("pk", flat=True))
    equipment = list(EquipmentType.objects.values_list("pk", flat=True))
    area_links, level_links, needs = [], [], []
    for product in products:
        for area_id in rng.sample(areas, 2):
            area_links.append(
                Product.subject_areas.through(
                    product_id=product.pk, subjectarea_id=area_id
                )
            )
        for level_id in rng.sample(levels, rng.randint(1, 2)):
            level_links.append(
                Product.education_levels.through(
                    product_id=product.pk, educationlevel_id=level_id
                )
            )
        if rng.random() < 0.4:
            needs.append(
                RequiredEquipment(
                    product_id=product.pk,
                    equipment_type_id=rng.choice(equipment),
                    quantity=rng.randint(1, 15),
                )
            )
    Product.subject_areas.through.objects.bulk_create(area_links, batch_size=BATCH)
    Product.education_levels.through.objects.bulk_create(level_links, batch_size=BATCH)
    RequiredEquipment.objects.bulk_create(needs, batch_size=BATCH)


def _grants(products: list[Product]) -> None:
    """Write the carrier groups' permissions that create_product would grant."""
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label="products")
    }
    carrier_ids = {product.carrier_id for product in products}
    groups = {
        (rg.organisation_id, rg.role): rg.group_id
        for rg in RoleGroup.objects.filter(organisation_id__in=carrier_ids)
    }
    grants = [
        ProductGroupObjectPermission(
            group_id=groups[(product.carrier_id, role)],
            permission=permissions[codename],
            content_object_id=product.pk,
        )
        for product in products
        for role, codenames in CARRIER_PERMISSIONS.items()
        for codename in codenames
        if (product.carrier_id, role) in groups
    ]
    ProductGroupObjectPermission.objects.bulk_create(grants, batch_size=BATCH)

"""Demo innovation products with materials, events, interests and reviews."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from innoteka.demo.people import DEMO_DOMAIN
from organisations.models import EquipmentType, Organisation
from products.history import one_record
from products.models import (
    EducationLevel,
    ExpertReview,
    Interest,
    Material,
    NewsItem,
    PositioningEvent,
    Product,
    ProductVersion,
    RequiredEquipment,
    ReviewCriterion,
    ReviewScore,
    SubjectArea,
)
from products.services.lifecycle import grant_carrier_permissions
from products.services.reviews import recompute_rating


@dataclass
class DemoProduct:
    carrier: str
    coordinator: str
    title: str
    summary: str
    kind: str
    levels: list[str]
    areas: list[str]
    problem: str
    results: str
    audience: str
    change_level: str = Product.ChangeLevel.MODULAR
    months: int = 12
    staff: str = "Учителя-предметники, прошедшие курсы повышения квалификации (36 ч)"
    time: str = "2 часа в неделю на педагога в течение учебного года"
    budget: Decimal | None = None
    budget_note: str = ""
    equipment: list[tuple[str, int, bool]] = field(default_factory=list)
    status: str = Product.Status.PUBLISHED
    description: str = ""


DESCRIPTION = """\
**{title}** — инновационный продукт, разработанный и апробированный \
коллективом {carrier}.

### Суть продукта
{summary}

### Этапы внедрения
1. Диагностика готовности педагогов и анализ условий организации.
2. Обучение команды на дистанционном курсе и стажировка на базе носителя.
3. Апробирование в одном-двух классах с сопровождением консультационного пункта.
4. Распространение опыта внутри организации и оценка результатов.

### Что получает организация-партнёр
- методические рекомендации и сценарии занятий;
- диагностические материалы для оценки результатов;
- консультации авторов продукта до окончания срока соглашения.
"""

PRODUCTS = [
    DemoProduct(
        "school619",
        "coordinator619",
        "Цифровая образовательная среда как ресурс формирования функциональной "
        "грамотности",
        "Модель использования цифровых ресурсов на уроках и во внеурочной "
        "деятельности для развития читательской, математической и "
        "естественнонаучной грамотности обучающихся 5–9 классов.",
        Product.Kind.ORGANISATIONAL_MODEL,
        ["basic"],
        ["Цифровая образовательная среда", "Математика", "Русский язык и литература"],
        "Обучающиеся затрудняются применять знания в жизненных ситуациях; "
        "цифровые ресурсы школы используются разрозненно.",
        "Рост доли обучающихся, достигших базового уровня функциональной "
        "грамотности, на 15 % за учебный год; единая система цифровых заданий.",
        "Учителя 5–9 классов, заместители директора по УВР",
        change_level=Product.ChangeLevel.SYSTEMIC,
        months=18,
        budget=Decimal("350000"),
        budget_note="ноутбуки для обучающихся и лицензии LMS",
        equipment=[
            ("Ноутбук для обучающегося", 15, True),
            ("Интерактивная панель", 1, True),
            ("Лицензия на LMS (система дистанционного обучения)", 1, False),
        ],
    ),
    DemoProduct(
        "school619",
        "coordinator619",
        "Технология смешанного обучения «Перевёрнутый класс» в основной школе",
        "Инновационный подход к организации урока: обучающиеся изучают теорию "
        "дома по видеоурокам, а время в классе отдают практике и проектам.",
        Product.Kind.TECHNOLOGY,
        ["basic", "secondary"],
        ["Физика", "Математика", "Информатика"],
        "На уроке не хватает времени на практику и индивидуальную работу.",
        "Вдвое больше времени на практику; рост качества знаний по предмету.",
        "Учителя физики, математики и информатики",
        months=9,
        equipment=[
            ("Документ-камера", 1, True),
            ("Беспроводная сеть в учебном кабинете", 1, True),
        ],
    ),
    DemoProduct(
        "school619",
        "coordinator619",
        "Программа внеурочной деятельности «Инженерная школа: робототехника и "
        "3D-моделирование»",
        "Инновационная программа для обучающихся 5–8 классов: от первых "
        "моделей на конструкторе до собственного инженерного проекта.",
        Product.Kind.PROGRAMME,
        ["basic", "additional"],
        ["Технология", "Информатика", "Профориентация"],
        "Мало возможностей для ранней инженерной профориентации.",
        "Каждый участник выполняет инженерный проект; рост числа участников "
        "инженерных конкурсов.",
        "Педагоги дополнительного образования, учителя технологии",
        budget=Decimal("420000"),
        budget_note="конструкторы и 3D-принтер",
        equipment=[
            ("Образовательный конструктор по робототехнике", 8, True),
            ("3D-принтер", 1, True),
            ("Ноутбук для обучающегося", 8, True),
        ],
    ),
    DemoProduct(
        "school619",
        "coordinator619",
        "Школьный медиацентр как пространство воспитания",
        "Модель школьного медиацентра, где обучающиеся выпускают новости, "
        "подкасты и видеоролики о жизни школы.",
        Product.Kind.ORGANISATIONAL_MODEL,
        ["basic", "secondary"],
        ["Воспитательная работа"],
        "Низкая вовлечённость старшеклассников в школьную жизнь.",
        "Работающая редакция из обучающихся; регулярный выпуск материалов.",
        "Заместители директора по воспитательной работе, педагоги-организаторы",
        status=Product.Status.DRAFT,
    ),
    DemoProduct(
        "lyceum_kolpino",
        "head402",
        "Методика формирования читательской грамотности «Читаем вместе»",
        "Система приёмов смыслового чтения для начальной школы с "
        "диагностикой читательских умений.",
        Product.Kind.METHODOLOGY,
        ["primary"],
        ["Начальная школа", "Русский язык и литература"],
        "Младшие школьники читают, но не понимают и не используют прочитанное.",
        "Рост результатов диагностики читательской грамотности на 20 %.",
        "Учителя начальных классов",
        change_level=Product.ChangeLevel.LOCAL,
        months=6,
    ),
    DemoProduct(
        "imc_kalininsky",
        "methodist",
        "Модель сетевого наставничества молодых педагогов",
        "Организационная модель наставничества, объединяющая школы района: "
        "пары «наставник — молодой педагог», сетевые мастерские, супервизия.",
        Product.Kind.ORGANISATIONAL_MODEL,
        ["basic", "primary", "secondary"],
        ["Управление образовательной организацией"],
        "Молодые педагоги уходят из профессии в первые три года работы.",
        "Снижение оттока молодых педагогов; индивидуальные планы развития.",
        "Руководители школ, методисты, педагоги-наставники",
        change_level=Product.ChangeLevel.SYSTEMIC,
        months=24,
    ),
    DemoProduct(
        "school_vyborg",
        "head482",
        "Цифровая лаборатория по естествознанию: исследовательские практикумы",
        "Комплект исследовательских практикумов по физике, химии и биологии "
        "с цифровыми датчиками для 7–9 классов.",
        Product.Kind.DIGITAL_RESOURCE,
        ["basic"],
        ["Физика", "Химия", "Биология"],
        "Лабораторное оборудование школы простаивает, эксперимент заменён "
        "демонстрацией.",
        "Каждый обучающийся выполняет не менее 10 исследований за год.",
        "Учителя физики, химии и биологии",
        budget=Decimal("280000"),
        budget_note="цифровые лаборатории",
        equipment=[
            ("Цифровая лаборатория по физике", 4, True),
            ("Цифровая лаборатория по химии", 4, True),
            ("Цифровой микроскоп", 4, False),
        ],
    ),
    DemoProduct(
        "novgorod_kindergarten",
        "head-novgorod",
        "Инклюзивная образовательная среда для детей с ОВЗ в детском саду",
        "Модель инклюзивных групп с тьюторским сопровождением и "
        "индивидуальными образовательными маршрутами.",
        Product.Kind.ORGANISATIONAL_MODEL,
        ["preschool"],
        ["Инклюзивное образование", "Дошкольное воспитание"],
        "Детям с ОВЗ трудно включиться в жизнь общей группы.",
        "Индивидуальные маршруты для каждого ребёнка с ОВЗ; обученные тьюторы.",
        "Воспитатели, тьюторы, педагоги-психологи",
        months=12,
    ),
    DemoProduct(
        "kazan_school",
        "head-kazan",
        "Билингвальная модель обучения в начальной школе",
        "Инновационная модель преподавания отдельных предметов на двух "
        "языках с первого класса.",
        Product.Kind.METHODOLOGY,
        ["primary"],
        ["Иностранные языки", "Начальная школа"],
        "Низкая мотивация к изучению иностранного языка.",
        "Свободное чтение и общение на втором языке к концу 4 класса.",
        "Учителя начальных классов и иностранного языка",
        months=36,
    ),
    DemoProduct(
        "petrozavodsk_lyceum",
        "head-petrozavodsk",
        "Проектная лаборатория «Город будущего»",
        "Межпредметные проекты старшеклассников по развитию городской среды "
        "вместе с партнёрами из вузов.",
        Product.Kind.PROGRAMME,
        ["secondary"],
        ["География", "История и обществознание", "Профориентация"],
        "Проекты старшеклассников оторваны от реальных задач.",
        "Проекты, представленные городской администрации.",
        "Учителя старших классов, тьюторы проектов",
        status=Product.Status.SUBMITTED,
    ),
]

EVENT_PLAN = [
    (
        PositioningEvent.Kind.SEMINAR,
        "Городской семинар «Функциональная грамотность: от диагностики к практике»",
        -40,
        "Санкт-Петербург, ГБОУ СОШ № 619",
        60,
    ),
    (
        PositioningEvent.Kind.WEBINAR,
        "Вебинар для школ-партнёров: первые шаги внедрения",
        14,
        "",
        120,
    ),
    (
        PositioningEvent.Kind.CONFERENCE,
        "Региональная конференция «Петербургская школа: инновационные практики»",
        35,
        "Санкт-Петербург, АППО",
        250,
    ),
]


def _user(login: str) -> User:
    return User.objects.get(email=f"{login}@{DEMO_DOMAIN}")


def _small_pdf(title: str) -> bytes:
    """Render a one-page PDF with WeasyPrint (the project's PDF engine)."""
    from weasyprint import HTML

    html = (
        "<html lang='ru'><body style='font-family: DejaVu Sans'>"
        f"<h1>{title}</h1><p>Методические рекомендации для организаций-партнёров."
        "</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _create_product(spec: DemoProduct, organisations: dict, now) -> Product:
    carrier = organisations[spec.carrier]
    coordinator = _user(spec.coordinator)
    published = spec.status in (Product.Status.PUBLISHED, Product.Status.ARCHIVED)
    product = Product(
        carrier=carrier,
        title=spec.title,
        summary=spec.summary,
        description=spec.description
        or DESCRIPTION.format(
            title=spec.title, carrier=carrier.short_name, summary=spec.summary
        ),
        kind=spec.kind,
        target_audience=spec.audience,
        problem=spec.problem,
        expected_results=spec.results,
        change_level=spec.change_level,
        implementation_months=spec.months,
        required_staff=spec.staff,
        required_time=spec.time,
        required_budget=spec.budget,
        budget_note=spec.budget_note,
        coordinator=coordinator,
        contact_email=coordinator.email,
        contact_phone="+7 812 417-00-00",
        status=spec.status,
        published_at=now - timedelta(days=60) if published else None,
        submitted_at=now - timedelta(days=3)
        if spec.status == Product.Status.SUBMITTED
        else None,
        created_by=coordinator,
    )
    product._history_user = coordinator
    with one_record(product):
        product.save()
        product.subject_areas.set(SubjectArea.objects.filter(name__in=spec.areas))
        product.education_levels.set(
            EducationLevel.objects.filter(code__in=spec.levels)
        )
        for name, quantity, mandatory in spec.equipment:
            RequiredEquipment.objects.create(
                product=product,
                equipment_type=EquipmentType.objects.get(name=name),
                quantity=quantity,
                is_mandatory=mandatory,
            )
    grant_carrier_permissions(product)
    return product


def _materials(product: Product, uploader: User) -> None:
    link = Material(
        product=product,
        kind=Material.Kind.PUBLICATION,
        title="Статья об опыте внедрения в журнале «Школьные технологии»",
        url="https://example.org/publikatsiya",
        visibility=Material.Visibility.PUBLIC,
        uploaded_by=uploader,
    )
    # The product's history says who added each material and event.
    link._history_user = uploader
    link.save()
    material = Material(
        product=product,
        kind=Material.Kind.METHODOLOGICAL,
        title="Методические рекомендации для организаций-партнёров",
        description="Пошаговое описание внедрения, сценарии занятий.",
        visibility=Material.Visibility.PARTNERS,
        uploaded_by=uploader,
        original_name="Методические рекомендации.pdf",
        content_type="application/pdf",
    )
    content = _small_pdf(product.title)
    material.size = len(content)
    material.file.save("metodicheskie-rekomendatsii.pdf", ContentFile(content), False)
    material._history_user = uploader
    material.save()


def _at(now, days: int, hour: int):
    """Return ``hour`` o'clock local time, ``days`` from ``now``."""
    moment = timezone.localtime(now) + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _events(product: Product, author: User, now) -> list[PositioningEvent]:
    events = []
    for kind, title, days, place, audience in EVENT_PLAN:
        event = PositioningEvent(
            product=product,
            kind=kind,
            title=title,
            starts_at=_at(now, days, 11),
            ends_at=_at(now, days, 13),
            place=place,
            url="https://example.org/webinar"
            if kind == PositioningEvent.Kind.WEBINAR
            else "",
            audience_size=audience,
            outcome="Заявки на сотрудничество от трёх школ района" if days < 0 else "",
            created_by=author,
        )
        event._history_user = author
        event.save()
        events.append(event)
    return events


def _interests(products: dict, organisations: dict, events) -> None:
    plan = [
        ("gymnasium70", 0, "head70", Interest.Status.NEW, ""),
        ("gatchina_school", 0, "head-gatchina", Interest.Status.IN_CONTACT, ""),
        ("pskov_gymnasium", 2, "head-pskov", Interest.Status.IN_CONTACT, ""),
        (
            "kazan_school",
            1,
            "head-kazan",
            Interest.Status.DECLINED,
            "В этом учебном году набор партнёров закрыт; предлагаем вернуться "
            "к вопросу в сентябре.",
        ),
    ]
    for org_key, product_index, login, status, reason in plan:
        Interest.objects.create(
            product=products[product_index],
            organisation=organisations[org_key],
            declared_by=_user(login),
            message="Просим рассмотреть нашу организацию в качестве партнёра: "
            "педагогический коллектив готов к апробации в следующем полугодии.",
            expected_start=timezone.localdate() + timedelta(days=90),
            source_event=events[0] if product_index == 0 else None,
            status=status,
            decline_reason=reason,
        )


def _reviews(products: list[Product]) -> None:
    experts = [_user("expert"), _user("expert2")]
    criteria = list(ReviewCriterion.objects.filter(is_active=True))
    plans = [
        (0, [5, 4, 5, 4, 4], [5, 5, 4, 4, 3]),
        (1, [4, 4, 4, 5, 5], [4, 3, 4, 4, 5]),
        (2, [5, 5, 4, 3, 3], None),
        (4, [4, 3, 4, 4, 5], None),
    ]
    for index, first, second in plans:
        for expert, scores in zip(experts, (first, second), strict=True):
            if scores is None:
                continue
            review = ExpertReview.objects.create(
                product=products[index],
                expert=expert,
                conclusion="Продукт актуален и хорошо описан; результаты "
                "апробации подтверждены данными диагностики. Рекомендуется "
                "уточнить требования к подготовке педагогов.",
                recommendation=ExpertReview.Recommendation.RECOMMENDED
                if sum(scores) >= 21
                else ExpertReview.Recommendation.WITH_REVISIONS,
                average_score=Decimal(sum(scores)) / len(scores),
            )
            ReviewScore.objects.bulk_create(
                ReviewScore(review=review, criterion=c, score=s)
                for c, s in zip(criteria, scores, strict=False)
            )
        recompute_rating(products[index])


def _news(organisations: dict) -> None:
    NewsItem.objects.create(
        title="Открыт приём заявок на сетевое внедрение инновационных продуктов",
        summary="Школы Санкт-Петербурга и Ленинградской области могут заявить "
        "о заинтересованности в продуктах платформы «Иннотека».",
        body="Региональная инновационная площадка приглашает образовательные "
        "организации к сотрудничеству. Выберите продукт в каталоге и нажмите "
        "«Заявить о заинтересованности».",
        author=_user("admin"),
    )
    NewsItem.objects.create(
        title="ГБОУ СОШ № 619 провела семинар по функциональной грамотности",
        summary="Более 60 педагогов района познакомились с моделью цифровой "
        "образовательной среды.",
        body="На семинаре были представлены приёмы работы с цифровыми заданиями "
        "и результаты апробации модели в 5–9 классах.",
        organisation=organisations["school619"],
        author=_user("coordinator619"),
        published_at=timezone.now() - timedelta(days=40),
    )


@transaction.atomic
def seed_products(organisations: dict[str, Organisation]) -> int:
    """Create the demo products once; return how many exist."""
    if Product.objects.filter(carrier=organisations["school619"]).exists():
        return Product.objects.count()
    now = timezone.now()
    products = [_create_product(spec, organisations, now) for spec in PRODUCTS]
    flagship = products[0]
    for product in products:
        if product.status == Product.Status.PUBLISHED:
            _materials(product, product.coordinator)
    events = _events(flagship, flagship.coordinator, now)
    _events(products[2], products[2].coordinator, now - timedelta(days=20))
    ProductVersion.objects.create(
        product=flagship,
        number="1.1",
        released_on=timezone.localdate() - timedelta(days=20),
        changes="Добавлены цифровые задания по естественнонаучной грамотности.",
        reason="Замечания организаций-партнёров по итогам апробации.",
        created_by=flagship.coordinator,
    )
    _interests(products, organisations, events)
    _reviews(products)
    _news(organisations)
    return Product.objects.count()

"""Demo organisations and people: School 619, its partners, expert, admin.

Every demo account has the password DEMO_PASSWORD. It is for demonstration
only and is printed in the README.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import current_consent_version, record_consent
from organisations.models import Membership, Organisation, Role
from organisations.roles import EXPERTS_GROUP

DEMO_PASSWORD = "innoteka-demo-2026"
DEMO_DOMAIN = "demo.innoteka.ru"


def inn_for(number: int) -> str:
    """Return a ten-digit INN with a correct check digit (fictional)."""
    body = f"78{number:07d}"[-9:]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10
    return f"{body}{check}"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    full_name: str
    short_name: str
    kind: str
    region: str
    district: str
    city: str
    address: str
    head_name: str
    head_position: str = "Директор"
    is_verified: bool = True


@dataclass(frozen=True)
class DemoPerson:
    email: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    organisation: str | None = None
    role: str | None = None


ORGANISATIONS = [
    DemoOrganisation(
        "school619",
        "Государственное бюджетное общеобразовательное учреждение средняя "
        "общеобразовательная школа № 619 Калининского района Санкт-Петербурга",
        "ГБОУ СОШ № 619",
        Organisation.Kind.SCHOOL,
        "78",
        "Калининский район",
        "Санкт-Петербург",
        "ул. Учительская, д. 9",
        "Воронцова Елена Николаевна",
    ),
    DemoOrganisation(
        "gymnasium70",
        "Государственное бюджетное общеобразовательное учреждение гимназия № 70 "
        "Петроградского района Санкт-Петербурга",
        "ГБОУ гимназия № 70",
        Organisation.Kind.GYMNASIUM,
        "78",
        "Петроградский район",
        "Санкт-Петербург",
        "ул. Лизы Чайкиной, д. 13",
        "Белова Татьяна Игоревна",
    ),
    DemoOrganisation(
        "school_vyborg",
        "Государственное бюджетное общеобразовательное учреждение средняя "
        "общеобразовательная школа № 482 Выборгского района Санкт-Петербурга",
        "ГБОУ СОШ № 482",
        Organisation.Kind.SCHOOL,
        "78",
        "Выборгский район",
        "Санкт-Петербург",
        "пр. Культуры, д. 12, корп. 2",
        "Соколов Андрей Петрович",
    ),
    DemoOrganisation(
        "lyceum_kolpino",
        "Государственное бюджетное общеобразовательное учреждение лицей № 402 "
        "Колпинского района Санкт-Петербурга",
        "ГБОУ лицей № 402",
        Organisation.Kind.LYCEUM,
        "78",
        "Колпинский район",
        "Колпино",
        "ул. Веры Слуцкой, д. 20",
        "Кузнецова Ирина Владимировна",
    ),
    DemoOrganisation(
        "imc_kalininsky",
        "Государственное бюджетное учреждение дополнительного профессионального "
        "образования «Информационно-методический центр» Калининского района "
        "Санкт-Петербурга",
        "ГБУ ДППО ИМЦ Калининского района",
        Organisation.Kind.METHODOLOGICAL_CENTRE,
        "78",
        "Калининский район",
        "Санкт-Петербург",
        "Гражданский пр., д. 84",
        "Орлова Светлана Юрьевна",
    ),
    DemoOrganisation(
        "ddt_primorsky",
        "Государственное бюджетное учреждение дополнительного образования Дом "
        "детского творчества Приморского района Санкт-Петербурга",
        "ГБУ ДО ДДТ Приморского района",
        Organisation.Kind.ADDITIONAL_EDUCATION,
        "78",
        "Приморский район",
        "Санкт-Петербург",
        "Богатырский пр., д. 44",
        "Морозов Денис Александрович",
    ),
    DemoOrganisation(
        "gatchina_school",
        "Муниципальное бюджетное общеобразовательное учреждение «Гатчинская "
        "средняя общеобразовательная школа № 9»",
        "МБОУ «Гатчинская СОШ № 9»",
        Organisation.Kind.SCHOOL,
        "47",
        "Гатчинский муниципальный район",
        "Гатчина",
        "ул. Чехова, д. 5",
        "Лебедева Наталья Олеговна",
    ),
    DemoOrganisation(
        "petrozavodsk_lyceum",
        "Муниципальное автономное общеобразовательное учреждение Петрозаводского "
        "городского округа «Лицей № 1»",
        "МАОУ «Лицей № 1»",
        Organisation.Kind.LYCEUM,
        "10",
        "Петрозаводский городской округ",
        "Петрозаводск",
        "ул. Кирова, д. 11",
        "Никитин Сергей Валентинович",
    ),
    DemoOrganisation(
        "pskov_gymnasium",
        "Муниципальное бюджетное общеобразовательное учреждение «Псковская "
        "инженерно-лингвистическая гимназия»",
        "МБОУ «ПИЛГ»",
        Organisation.Kind.GYMNASIUM,
        "60",
        "город Псков",
        "Псков",
        "ул. Народная, д. 10",
        "Фёдорова Ольга Михайловна",
    ),
    DemoOrganisation(
        "novgorod_kindergarten",
        "Муниципальное автономное дошкольное образовательное учреждение «Детский "
        "сад № 21 комбинированного вида»",
        "МАДОУ «Детский сад № 21»",
        Organisation.Kind.KINDERGARTEN,
        "53",
        "Великий Новгород",
        "Великий Новгород",
        "ул. Большая Московская, д. 30",
        "Григорьева Анна Сергеевна",
        head_position="Заведующий",
    ),
    DemoOrganisation(
        "kazan_school",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 39» Вахитовского района г. Казани",
        "МБОУ «СОШ № 39»",
        Organisation.Kind.SCHOOL,
        "16",
        "Вахитовский район",
        "Казань",
        "ул. Достоевского, д. 40",
        "Хабибуллин Рустем Ильдарович",
    ),
    DemoOrganisation(
        "murmansk_college",
        "Государственное автономное профессиональное образовательное учреждение "
        "Мурманской области «Мурманский педагогический колледж»",
        "ГАПОУ МО «МПК»",
        Organisation.Kind.COLLEGE,
        "51",
        "город Мурманск",
        "Мурманск",
        "ул. Капитана Буркова, д. 3",
        "Павлова Виктория Андреевна",
    ),
    DemoOrganisation(
        "vologda_school",
        "Муниципальное общеобразовательное учреждение «Средняя "
        "общеобразовательная школа № 8» г. Вологды",
        "МОУ «СОШ № 8»",
        Organisation.Kind.SCHOOL,
        "35",
        "город Вологда",
        "Вологда",
        "ул. Ленинградская, д. 71",
        "Смирнов Алексей Дмитриевич",
        is_verified=False,
    ),
]

PEOPLE = [
    DemoPerson(
        f"admin@{DEMO_DOMAIN}",
        "Администратов",
        "Павел",
        "Игоревич",
        "Администратор платформы",
    ),
    DemoPerson(
        f"expert@{DEMO_DOMAIN}",
        "Смирнова",
        "Ольга",
        "Викторовна",
        "Эксперт, кандидат педагогических наук",
    ),
    DemoPerson(
        f"expert2@{DEMO_DOMAIN}",
        "Крылов",
        "Игорь",
        "Станиславович",
        "Эксперт, методист",
    ),
    DemoPerson(
        f"head619@{DEMO_DOMAIN}",
        "Воронцова",
        "Елена",
        "Николаевна",
        "Директор",
        "school619",
        Role.HEAD,
    ),
    DemoPerson(
        f"coordinator619@{DEMO_DOMAIN}",
        "Петрова",
        "Мария",
        "Александровна",
        "Заместитель директора по УВР",
        "school619",
        Role.COORDINATOR,
    ),
    DemoPerson(
        f"teacher619@{DEMO_DOMAIN}",
        "Иванов",
        "Дмитрий",
        "Сергеевич",
        "Учитель информатики",
        "school619",
        Role.SPECIALIST,
    ),
    DemoPerson(
        f"head70@{DEMO_DOMAIN}",
        "Белова",
        "Татьяна",
        "Игоревна",
        "Директор",
        "gymnasium70",
        Role.HEAD,
    ),
    DemoPerson(
        f"coordinator70@{DEMO_DOMAIN}",
        "Ковалёва",
        "Юлия",
        "Павловна",
        "Заместитель директора по ОЭР",
        "gymnasium70",
        Role.COORDINATOR,
    ),
    DemoPerson(
        f"teacher70@{DEMO_DOMAIN}",
        "Зайцев",
        "Никита",
        "Олегович",
        "Учитель физики",
        "gymnasium70",
        Role.SPECIALIST,
    ),
    DemoPerson(
        f"head482@{DEMO_DOMAIN}",
        "Соколов",
        "Андрей",
        "Петрович",
        "Директор",
        "school_vyborg",
        Role.HEAD,
    ),
    DemoPerson(
        f"head402@{DEMO_DOMAIN}",
        "Кузнецова",
        "Ирина",
        "Владимировна",
        "Директор",
        "lyceum_kolpino",
        Role.HEAD,
    ),
    DemoPerson(
        f"methodist@{DEMO_DOMAIN}",
        "Орлова",
        "Светлана",
        "Юрьевна",
        "Директор",
        "imc_kalininsky",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-ddt@{DEMO_DOMAIN}",
        "Морозов",
        "Денис",
        "Александрович",
        "Директор",
        "ddt_primorsky",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-gatchina@{DEMO_DOMAIN}",
        "Лебедева",
        "Наталья",
        "Олеговна",
        "Директор",
        "gatchina_school",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-petrozavodsk@{DEMO_DOMAIN}",
        "Никитин",
        "Сергей",
        "Валентинович",
        "Директор",
        "petrozavodsk_lyceum",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-pskov@{DEMO_DOMAIN}",
        "Фёдорова",
        "Ольга",
        "Михайловна",
        "Директор",
        "pskov_gymnasium",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-novgorod@{DEMO_DOMAIN}",
        "Григорьева",
        "Анна",
        "Сергеевна",
        "Заведующий",
        "novgorod_kindergarten",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-kazan@{DEMO_DOMAIN}",
        "Хабибуллин",
        "Рустем",
        "Ильдарович",
        "Директор",
        "kazan_school",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-murmansk@{DEMO_DOMAIN}",
        "Павлова",
        "Виктория",
        "Андреевна",
        "Директор",
        "murmansk_college",
        Role.HEAD,
    ),
    DemoPerson(
        f"head-vologda@{DEMO_DOMAIN}",
        "Смирнов",
        "Алексей",
        "Дмитриевич",
        "Директор",
        "vologda_school",
        Role.HEAD,
    ),
]

# The logins the README and the run command print.
DEMO_LOGINS = [
    (f"head619@{DEMO_DOMAIN}", "руководитель ГБОУ СОШ № 619 (носитель)"),
    (f"coordinator619@{DEMO_DOMAIN}", "координатор ГБОУ СОШ № 619 (носитель)"),
    (f"teacher619@{DEMO_DOMAIN}", "педагог ГБОУ СОШ № 619"),
    (f"head70@{DEMO_DOMAIN}", "руководитель ГБОУ гимназии № 70 (реципиент)"),
    (f"teacher70@{DEMO_DOMAIN}", "педагог ГБОУ гимназии № 70 (реципиент)"),
    (f"expert@{DEMO_DOMAIN}", "эксперт платформы"),
    (f"admin@{DEMO_DOMAIN}", "администратор платформы (/admin/)"),
]


def _organisation(spec: DemoOrganisation, number: int, admin: User) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        short_name=spec.short_name,
        region=spec.region,
        defaults={
            "full_name": spec.full_name,
            "kind": spec.kind,
            "district": spec.district,
            "city": spec.city,
            "address": spec.address,
            "head_name": spec.head_name,
            "head_position": spec.head_position,
            "inn": inn_for(number),
            "email": f"{spec.key}@{DEMO_DOMAIN}",
            "is_verified": spec.is_verified,
            "verified_at": timezone.now() if spec.is_verified else None,
            "verified_by": admin if spec.is_verified else None,
        },
    )
    return organisation


@cache
def demo_password_hash() -> str:
    """Hash the demo password once: hashing is deliberately slow."""
    return make_password(DEMO_PASSWORD)


def _person(spec: DemoPerson, **extra) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create(
            email=spec.email,
            password=demo_password_hash(),
            last_name=spec.last_name,
            first_name=spec.first_name,
            patronymic=spec.patronymic,
            position=spec.position,
            email_confirmed_at=timezone.now(),
            **extra,
        )
    version = current_consent_version()
    if version is not None:
        record_consent(user=user, version=version)
    return user


@transaction.atomic
def seed_people() -> dict[str, Organisation]:
    """Create the demo organisations and people; return organisations by key."""
    admin = _person(PEOPLE[0], is_staff=True, is_superuser=True)
    experts = Group.objects.get_or_create(name=EXPERTS_GROUP)[0]
    for spec in PEOPLE[1:3]:
        _person(spec).groups.add(experts)

    organisations = {
        spec.key: _organisation(spec, number, admin)
        for number, spec in enumerate(ORGANISATIONS, start=619)
    }
    for spec in PEOPLE[3:]:
        user = _person(spec)
        Membership.objects.get_or_create(
            user=user,
            organisation=organisations[spec.organisation],
            defaults={"role": spec.role},
        )
    return organisations

"""Generated organisations and users in bulk, for benchmarks.

Bulk inserts bypass model signals, so this module writes what the signals
would: the role groups, their object permissions and the users' group
memberships.
"""

import random

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from innoteka.demo.people import DEMO_DOMAIN, demo_password_hash
from organisations.models import (
    Membership,
    Organisation,
    OrganisationGroupObjectPermission,
    Role,
    RoleGroup,
    organisation_search_text,
)
from organisations.regions import Region
from organisations.roles import ORGANISATION_PERMISSIONS, group_name

PER_SCALE = 13
BATCH = 2000
PREFIX = "Сгенерированная"

KINDS = [
    (Organisation.Kind.SCHOOL, "МБОУ СОШ", "средняя общеобразовательная школа"),
    (Organisation.Kind.GYMNASIUM, "МАОУ гимназия", "гимназия"),
    (Organisation.Kind.LYCEUM, "МБОУ лицей", "лицей"),
    (Organisation.Kind.KINDERGARTEN, "МБДОУ детский сад", "детский сад"),
]
LAST_NAMES = [
    "Иванова",
    "Смирнова",
    "Кузнецова",
    "Попова",
    "Васильева",
    "Петрова",
    "Соколова",
    "Михайлова",
    "Новикова",
    "Фёдорова",
    "Морозова",
    "Волкова",
]
FIRST_NAMES = [
    "Анна",
    "Елена",
    "Ольга",
    "Наталья",
    "Мария",
    "Ирина",
    "Татьяна",
    "Светлана",
    "Юлия",
    "Екатерина",
]
PATRONYMICS = [
    "Сергеевна",
    "Александровна",
    "Николаевна",
    "Владимировна",
    "Игоревна",
    "Петровна",
    "Андреевна",
]


def _person(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), rng.choice(PATRONYMICS)


@transaction.atomic
def seed_scale(scale: int) -> tuple[int, int]:
    """Bring the generated set up to ``scale`` × 13 organisations, 3 users each.

    Returns the numbers of organisations and users created now; running it
    again with the same scale creates nothing.
    """
    wanted = scale * PER_SCALE
    existing = Organisation.objects.filter(full_name__startswith=PREFIX).count()
    if wanted <= existing:
        return 0, 0

    rng = random.Random(existing)
    regions = [code for code, _ in Region.choices]
    organisations = []
    for index in range(existing, wanted):
        kind, short, full = rng.choice(KINDS)
        region = rng.choice(regions)
        number = index + 1
        head = " ".join(_person(rng))
        organisations.append(
            Organisation(
                full_name=f"{PREFIX} {full} № {number}",
                short_name=f"{short} № {number}",
                kind=kind,
                region=region,
                district=f"район № {number % 40 + 1}",
                city=Region(region).label,
                address=f"ул. Школьная, д. {number % 90 + 1}",
                head_name=head,
                is_verified=True,
                verified_at=timezone.now(),
            )
        )
    for organisation in organisations:
        organisation.search_text = organisation_search_text(organisation)
    created_orgs = []
    for start in range(0, len(organisations), BATCH):
        created_orgs += Organisation.objects.bulk_create(
            organisations[start : start + BATCH]
        )

    _create_role_groups(created_orgs)
    users = _create_members(created_orgs, rng, offset=existing)
    return len(created_orgs), users


def _create_role_groups(organisations: list[Organisation]) -> None:
    groups = [
        Group(name=group_name(org, role)) for org in organisations for role in Role
    ]
    # bulk_create returns primary keys on PostgreSQL and SQLite 3.35+.
    Group.objects.bulk_create(groups, batch_size=BATCH)
    by_name = {g.name: g for g in groups}
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(content_type__app_label="organisations")
    }
    role_groups, grants = [], []
    for org in organisations:
        for role in Role:
            group = by_name[group_name(org, role)]
            role_groups.append(RoleGroup(organisation=org, role=role, group=group))
            grants += [
                OrganisationGroupObjectPermission(
                    group=group,
                    permission=permissions[codename],
                    content_object=org,
                )
                for codename in ORGANISATION_PERMISSIONS[role]
            ]
    RoleGroup.objects.bulk_create(role_groups, batch_size=BATCH)
    OrganisationGroupObjectPermission.objects.bulk_create(grants, batch_size=BATCH)


def _create_members(
    organisations: list[Organisation], rng: random.Random, offset: int
) -> int:
    password = demo_password_hash()
    now = timezone.now()
    users, roles = [], []
    for index, org in enumerate(organisations, start=offset + 1):
        for role in Role:
            last, first, middle = _person(rng)
            users.append(
                User(
                    email=f"{role}{index}@scale.{DEMO_DOMAIN}",
                    password=password,
                    last_name=last,
                    first_name=first,
                    patronymic=middle,
                    email_confirmed_at=now,
                )
            )
            roles.append((org, role))
    User.objects.bulk_create(users, batch_size=BATCH)

    memberships, group_links = [], []
    groups = {
        (rg.organisation_id, rg.role): rg.group_id
        for rg in RoleGroup.objects.filter(
            organisation_id__gte=organisations[0].pk,
            organisation_id__lte=organisations[-1].pk,
        )
    }
    for user, (org, role) in zip(users, roles, strict=True):
        memberships.append(Membership(user=user, organisation=org, role=role))
        group_links.append(
            User.groups.through(user_id=user.pk, group_id=groups[(org.pk, role)])
        )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    User.groups.through.objects.bulk_create(group_links, batch_size=BATCH)
    return len(users)

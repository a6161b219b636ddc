from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command

from accounts.models import Consent, User
from innoteka.demo.people import DEMO_LOGINS, DEMO_PASSWORD
from organisations.models import (
    Membership,
    Organisation,
    OrganisationGroupObjectPermission,
    Role,
    RoleGroup,
)


def counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        RoleGroup.objects.count(),
        Consent.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_world_once():
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    assert first[0] == 13
    school = Organisation.objects.get(short_name="ГБОУ СОШ № 619")
    assert school.district == "Калининский район"
    assert school.is_verified
    assert Organisation.objects.filter(is_verified=False).count() == 1
    assert set(school.memberships.values_list("user__email", "role")) == {
        ("head619@demo.innoteka.ru", Role.HEAD),
        ("coordinator619@demo.innoteka.ru", Role.COORDINATOR),
        ("teacher619@demo.innoteka.ru", Role.SPECIALIST),
    }


@pytest.mark.django_db
def test_every_documented_demo_login_works():
    call_command("seed_demo", stdout=StringIO())

    for email, _ in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert check_password(DEMO_PASSWORD, user.password), email
        assert user.has_confirmed_email
        assert user.consents.exists()
    admin = User.objects.get(email="admin@demo.innoteka.ru")
    assert admin.is_staff and admin.is_superuser
    assert (
        User.objects.get(email="expert@demo.innoteka.ru")
        .groups.filter(name="experts")
        .exists()
    )


@pytest.mark.django_db
def test_seed_demo_scale_adds_organisations_with_working_permissions():
    call_command("seed_demo", "--scale", "2", stdout=StringIO())
    call_command("seed_demo", "--scale", "2", stdout=StringIO())

    generated = Organisation.objects.filter(full_name__startswith="Сгенерированная")
    assert generated.count() == 26
    assert RoleGroup.objects.filter(organisation__in=generated).count() == 78
    assert (
        OrganisationGroupObjectPermission.objects.filter(
            content_object__in=generated
        ).count()
        == 26 * 7
    )
    organisation = generated.first()
    coordinator = organisation.memberships.get(role=Role.COORDINATOR).user
    specialist = organisation.memberships.get(role=Role.SPECIALIST).user
    assert coordinator.has_perm("organisations.change_organisation", organisation)
    assert not specialist.has_perm("organisations.change_organisation", organisation)
    assert specialist.has_perm("organisations.view_members", organisation)

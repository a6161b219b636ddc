import hashlib
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Consent, User
from innoteka.demo.people import DEMO_LOGINS, DEMO_PASSWORD
from innoteka.demo.scale_partnerships import focus_coordinator, network
from innoteka.demo.scale_products import MARK
from innoteka.pdf import file_sha256
from notifications.models import Notification
from organisations.models import (
    Membership,
    Organisation,
    OrganisationGroupObjectPermission,
    Role,
    RoleGroup,
)
from partnerships.models import (
    Agreement,
    AgreementComment,
    Partnership,
    PartnershipGroupObjectPermission,
    Side,
    Signature,
    StageMove,
)
from partnerships.selectors import visible_partnerships
from products.models import Interest


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


def partnership_counts() -> tuple[int, ...]:
    return (
        Partnership.objects.count(),
        Agreement.objects.count(),
        Signature.objects.count(),
        StageMove.objects.count(),
        AgreementComment.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_plays_partnerships_at_every_stage_once():
    call_command("seed_demo", stdout=StringIO())
    first = partnership_counts()
    call_command("seed_demo", stdout=StringIO())

    assert partnership_counts() == first
    school = Organisation.objects.get(short_name="ГБОУ СОШ № 619")
    own = Partnership.objects.filter(carrier=school)
    active_stages = own.filter(status=Partnership.Status.ACTIVE).values_list(
        "stage", flat=True
    )
    assert set(active_stages) == {2, 3, 4, 5}
    assert own.filter(status=Partnership.Status.COMPLETED, stage=5).count() == 1
    assert own.filter(status=Partnership.Status.TERMINATED).count() == 1
    assert Partnership.objects.filter(recipient=school).count() == 1
    assert not Interest.objects.filter(
        status=Interest.Status.ACCEPTED, partnership__isnull=True
    ).exists()
    assert Notification.objects.exists()


@pytest.mark.django_db
def test_demo_stage_history_runs_step_by_step_to_the_current_stage():
    call_command("seed_demo", stdout=StringIO())

    for partnership in Partnership.objects.all():
        moves = list(partnership.stage_moves.order_by("moved_at", "pk"))
        path = [(move.from_stage, move.to_stage) for move in moves]
        expected = [(stage, stage + 1) for stage in range(1, partnership.stage)]
        assert path == expected, partnership


@pytest.mark.django_db
def test_demo_agreements_are_in_every_state():
    call_command("seed_demo", stdout=StringIO())

    agreements = Agreement.objects.filter(
        partnership__carrier__short_name="ГБОУ СОШ № 619"
    )
    assert set(agreements.values_list("status", flat=True)) == set(
        Agreement.Status.values
    )
    agreed = agreements.filter(status=Agreement.Status.AGREED)
    assert sorted(a.signatures.count() for a in agreed) == [0, 1]
    supplement = agreements.get(parent__isnull=False)
    assert supplement.status == Agreement.Status.DRAFT
    assert supplement.parent.status == Agreement.Status.SIGNED
    assert supplement.parent.partnership.stage == 4
    draft = agreements.get(parent__isnull=True, status=Agreement.Status.DRAFT)
    assert set(draft.comments.values_list("side", flat=True)) == {
        Side.CARRIER,
        Side.RECIPIENT,
    }
    assert draft.partnership.negotiation_notes.exists()
    expired = agreements.get(status=Agreement.Status.EXPIRED)
    assert expired.expiry_date < timezone.localdate()
    assert expired.partnership.status == Partnership.Status.COMPLETED
    terminated = agreements.get(status=Agreement.Status.TERMINATED)
    assert terminated.end_reason
    assert terminated.partnership.status == Partnership.Status.TERMINATED


@pytest.mark.django_db
def test_demo_signed_agreements_store_the_pdf_whose_hash_is_recorded():
    call_command("seed_demo", stdout=StringIO())

    signed = Agreement.objects.filter(signed_at__isnull=False)
    assert set(signed.values_list("status", flat=True)) == {
        Agreement.Status.SIGNED,
        Agreement.Status.EXPIRED,
        Agreement.Status.TERMINATED,
    }
    for agreement in signed:
        with agreement.signed_document.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-")
        assert hashlib.sha256(content).hexdigest() == agreement.signed_sha256
        assert file_sha256(agreement.document) == agreement.document_sha256
        assert set(agreement.signatures.values_list("side", flat=True)) == {
            Side.CARRIER,
            Side.RECIPIENT,
        }
        assert set(agreement.signatures.values_list("document_sha256", flat=True)) == {
            agreement.document_sha256
        }
    one_side = Signature.objects.get(agreement__status=Agreement.Status.AGREED)
    assert one_side.document_sha256 == file_sha256(one_side.agreement.document)
    assert not one_side.agreement.signed_document


@pytest.mark.django_db
def test_seed_demo_scale_adds_partnerships_with_permissions_of_both_sides():
    call_command("seed_demo", "--scale", "2", stdout=StringIO())
    call_command("seed_demo", "--scale", "2", stdout=StringIO())

    generated = Partnership.objects.filter(product__summary__endswith=MARK)
    assert generated.count() == 2 * 2000
    assert (
        PartnershipGroupObjectPermission.objects.filter(
            content_object__in=generated
        ).count()
        == 2 * 2000 * 10
    )
    main_agreements = Agreement.objects.filter(
        partnership__in=generated, parent__isnull=True
    )
    assert main_agreements.count() == 2 * 2000
    assert set(main_agreements.values_list("status", flat=True)) == set(
        Agreement.Status.values
    )
    partnership = generated.filter(status=Partnership.Status.ACTIVE).first()
    carrier_coordinator = partnership.carrier.memberships.get(
        role=Role.COORDINATOR
    ).user
    recipient_specialist = partnership.recipient.memberships.get(
        role=Role.SPECIALIST
    ).user
    assert carrier_coordinator.has_perm("partnerships.change_partnership", partnership)
    assert recipient_specialist.has_perm("partnerships.view_partnership", partnership)
    assert not recipient_specialist.has_perm(
        "partnerships.change_partnership", partnership
    )
    outsider = (
        Membership.objects.filter(organisation__full_name__startswith="Сгенерированная")
        .exclude(
            user__memberships__organisation__in=[
                partnership.carrier,
                partnership.recipient,
            ]
        )
        .first()
        .user
    )
    assert not visible_partnerships(outsider).filter(pk=partnership.pk).exists()


@pytest.mark.django_db
def test_the_focus_coordinator_sees_one_generated_partnership_in_forty():
    call_command("seed_demo", "--scale", "2", stdout=StringIO())

    focus, *schools = network()
    coordinator = focus_coordinator()
    generated = Partnership.objects.filter(product__summary__endswith=MARK)
    assert visible_partnerships(coordinator).count() == 2 * 2000 // 40
    assert generated.filter(carrier=focus).count() == 30
    assert generated.filter(recipient=focus).count() == 10
    assert generated.filter(carrier__in=schools).count() == 60
    assert set(coordinator.memberships.values_list("role", flat=True)) == {
        Role.COORDINATOR
    }
    assert coordinator.consents.exists()

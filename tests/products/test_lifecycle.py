"""The product passport: creation, moderation, archive, versions, history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from products.models import EducationLevel, Product, ProductVersion, SubjectArea
from products.selectors import product_timeline, visible_products
from products.services import lifecycle
from tests.factories import OrganisationFactory, ProductFactory

pytestmark = pytest.mark.django_db


def new_product(**fields) -> Product:
    values = {
        "title": "Модель сетевого наставничества",
        "summary": "Наставничество молодых педагогов.",
        "description": "Описание.",
        "kind": Product.Kind.ORGANISATIONAL_MODEL,
        "target_audience": "Руководители школ",
        "problem": "Отток молодых педагогов",
        "expected_results": "Снижение оттока",
        "change_level": Product.ChangeLevel.SYSTEMIC,
        "implementation_months": 24,
        "required_staff": "Наставники",
        "required_time": "1 час в неделю",
        "contact_email": "imc@example.org",
    }
    values.update(fields)
    return Product(**values)


def test_coordinator_creates_a_draft_that_only_the_carrier_sees(
    carrier, carrier_coordinator, carrier_specialist, outsider
):
    product = lifecycle.create_product(
        product=new_product(coordinator=carrier_coordinator),
        carrier=carrier,
        actor=carrier_coordinator,
        subject_areas=SubjectArea.objects.filter(name="Математика"),
        education_levels=EducationLevel.objects.filter(code="basic"),
    )

    assert product.status == Product.Status.DRAFT
    assert product.created_by == carrier_coordinator
    assert carrier_coordinator.has_perm("products.change_product", product)
    assert carrier_specialist.has_perm("products.view_product", product)
    assert not carrier_specialist.has_perm("products.change_product", product)
    assert product in visible_products(carrier_specialist)
    assert product not in visible_products(outsider)


def test_specialist_cannot_create_a_product(carrier, carrier_specialist):
    with pytest.raises(PermissionDenied):
        lifecycle.create_product(
            product=new_product(coordinator=carrier_specialist),
            carrier=carrier,
            actor=carrier_specialist,
        )

    assert not Product.objects.exists()


def test_submitting_sends_the_draft_to_moderators(
    draft_product,
    carrier_coordinator,
    expert,
    administrator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)

    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.SUBMITTED
    assert draft_product.submitted_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [expert.email, administrator.email]
    )


def test_unverified_carrier_cannot_submit(carrier, carrier_coordinator, draft_product):
    carrier.is_verified = False
    carrier.save()

    with pytest.raises(ValidationError):
        lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)

    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.DRAFT


def test_incomplete_passport_cannot_be_submitted(draft_product, carrier_coordinator):
    draft_product.education_levels.clear()

    with pytest.raises(ValidationError) as refusal:
        lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)

    assert "уровни образования" in str(refusal.value)
    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.DRAFT


def test_expert_publishes_a_submitted_product(
    draft_product,
    carrier_coordinator,
    expert,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.moderate_product(product=draft_product, actor=expert, approve=True)

    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.PUBLISHED
    assert draft_product.published_at is not None
    assert draft_product.moderated_by == expert
    assert mailoutbox[-1].to == [carrier_coordinator.email]


def test_rejection_needs_a_reason_and_returns_to_draft(
    draft_product, carrier_coordinator, administrator
):
    lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)

    with pytest.raises(ValidationError):
        lifecycle.moderate_product(
            product=draft_product, actor=administrator, approve=False, reason="  "
        )
    lifecycle.moderate_product(
        product=draft_product,
        actor=administrator,
        approve=False,
        reason="Опишите результаты апробации.",
    )

    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.DRAFT
    assert draft_product.rejection_reason == "Опишите результаты апробации."


def test_carrier_member_cannot_moderate_own_product(
    draft_product, carrier_coordinator, expert, carrier
):
    lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)
    carrier.memberships.create(user=expert, role="specialist")

    with pytest.raises(PermissionDenied):
        lifecycle.moderate_product(product=draft_product, actor=expert, approve=True)

    draft_product.refresh_from_db()
    assert draft_product.status == Product.Status.SUBMITTED


def test_archive_and_restore(published_product, carrier_head, outsider):
    with pytest.raises(PermissionDenied):
        lifecycle.archive_product(product=published_product, actor=outsider)

    lifecycle.archive_product(product=published_product, actor=carrier_head)
    assert published_product not in visible_products(outsider)
    lifecycle.restore_product(product=published_product, actor=carrier_head)

    assert published_product in visible_products(outsider)


def test_versions_are_numbered_once(published_product, carrier_coordinator):
    lifecycle.add_version(
        product=published_product,
        actor=carrier_coordinator,
        number="1.1",
        changes="Новые задания",
        reason="Замечания партнёров",
    )

    with pytest.raises(ValidationError):
        lifecycle.add_version(
            product=published_product,
            actor=carrier_coordinator,
            number="1.1",
            changes="Ещё раз",
            reason="—",
        )
    assert ProductVersion.objects.filter(product=published_product).count() == 1


def test_timeline_says_who_changed_what(published_product, carrier_coordinator):
    published_product._history_user = carrier_coordinator
    published_product.title = "Новое название"
    published_product.save()

    timeline = product_timeline(published_product, full=True)

    assert timeline[0].who == carrier_coordinator.full_name
    assert timeline[0].changes == [
        ("название", "Цифровая лаборатория в основной школе", "Новое название")
    ]
    assert timeline[-1].action == "создан"


def test_moderators_see_submitted_but_not_drafts(expert, carrier):
    draft = ProductFactory(carrier=carrier, status=Product.Status.DRAFT)
    submitted = ProductFactory(carrier=carrier, status=Product.Status.SUBMITTED)
    other = ProductFactory(carrier=OrganisationFactory())

    visible = set(visible_products(expert))

    assert submitted in visible
    assert other in visible
    assert draft not in visible

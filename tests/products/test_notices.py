"""What stage 1 tells people: each event in the bell of those it concerns,
with its kind and link, and by email unless they turned that kind off."""

import pytest
from django.urls import reverse

from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification
from products.models import ExpertReview, Interest, Product, ReviewCriterion
from products.services import interests, lifecycle, reviews

pytestmark = pytest.mark.django_db


def bell(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values_list("kind", "link")
    )


@pytest.fixture
def interest(
    published_product, recipient, recipient_head, carrier_head, carrier_coordinator
):
    return interests.declare_interest(
        product=published_product,
        organisation=recipient,
        actor=recipient_head,
        message="Хотим внедрить цифровую лабораторию в 7 классах.",
    )


def test_a_declared_interest_rings_the_carriers_leads(
    interest, published_product, carrier_head, carrier_coordinator, carrier_specialist
):
    link = f"{reverse('products:partner_database')}?product={published_product.pk}"

    assert bell(carrier_head) == [(Kind.INTEREST_DECLARED, link)]
    assert bell(carrier_coordinator) == [(Kind.INTEREST_DECLARED, link)]
    assert bell(carrier_specialist) == []
    notice = Notification.objects.get(recipient=carrier_coordinator)
    assert notice.title == (
        "Новая заявка о заинтересованности от организации ГБОУ гимназия № 70"
    )
    assert "Хотим внедрить цифровую лабораторию в 7 классах." in notice.body


def test_a_decision_on_the_interest_rings_who_declared_it(
    interest, recipient_head, carrier_coordinator
):
    interests.decline_interest(
        interest=interest,
        actor=carrier_coordinator,
        reason="Нет свободных наставников.",
    )

    assert bell(recipient_head) == [
        (Kind.INTEREST_DECLINED, reverse("products:my_interests"))
    ]
    notice = Notification.objects.get(recipient=recipient_head)
    assert "Нет свободных наставников." in notice.body
    assert notice.actor == carrier_coordinator


def test_acceptance_rings_who_declared_it(
    interest, recipient_head, carrier_coordinator
):
    interests.record_interest_acceptance(interest=interest, actor=carrier_coordinator)

    assert [kind for kind, _ in bell(recipient_head)] == [Kind.INTEREST_ACCEPTED]


def test_moderation_rings_the_moderators_then_the_coordinator(
    draft_product, carrier_coordinator, expert, administrator
):
    lifecycle.submit_product(product=draft_product, actor=carrier_coordinator)

    link = draft_product.get_absolute_url()
    assert bell(expert) == [(Kind.PRODUCT_TO_MODERATE, link)]
    assert bell(administrator) == [(Kind.PRODUCT_TO_MODERATE, link)]
    assert bell(carrier_coordinator) == []

    lifecycle.moderate_product(
        product=draft_product, actor=expert, approve=False, reason="Нет целей."
    )

    assert bell(carrier_coordinator) == [(Kind.PRODUCT_MODERATED, link)]
    notice = Notification.objects.get(recipient=carrier_coordinator)
    assert notice.title.startswith("Возвращён на доработку")
    assert "Нет целей." in notice.body


def test_a_review_rings_the_coordinator(published_product, expert, carrier_coordinator):
    reviews.submit_review(
        product=published_product,
        expert=expert,
        scores=dict.fromkeys(
            ReviewCriterion.objects.filter(is_active=True).values_list("pk", flat=True),
            4,
        ),
        conclusion="Продукт применим в основной школе.",
        recommendation=ExpertReview.Recommendation.RECOMMENDED,
    )

    assert bell(carrier_coordinator) == [
        (
            Kind.REVIEW_SUBMITTED,
            reverse("products:product_reviews", args=[published_product.pk]),
        )
    ]


def test_who_turned_a_kind_off_gets_the_bell_without_the_letter(
    published_product,
    recipient,
    recipient_head,
    carrier_head,
    carrier_coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    EmailPreference.objects.create(
        user=carrier_head, kind=Kind.INTEREST_DECLARED, is_enabled=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        interests.declare_interest(
            product=published_product,
            organisation=recipient,
            actor=recipient_head,
            message="Хотим внедрить.",
        )

    assert [m.to for m in mailoutbox] == [[carrier_coordinator.email]]
    assert bell(carrier_head) != []
    assert Interest.objects.count() == 1
    assert Product.objects.get().pk == published_product.pk

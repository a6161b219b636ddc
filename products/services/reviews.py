"""Expert reviews of products and the product's expert rating.

A review scores every criterion in use from 1 to 5 and ends with a written
conclusion and a recommendation. ``Product.rating`` (the mean of the reviews'
average scores) and ``Product.review_count`` are copies kept for the
catalogue's sorting and facets; every change of reviews recomputes them in
the same transaction, with the product row locked.
"""

import logging
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from notifications.kinds import Kind
from products import catalogue, notices, permissions
from products.models import ExpertReview, Product, ReviewCriterion, ReviewScore

logger = logging.getLogger(__name__)

MIN_SCORE = 1
MAX_SCORE = 5
CENTS = Decimal("0.01")


def active_criteria() -> list[ReviewCriterion]:
    """Return the criteria a review must score, in their order."""
    return list(ReviewCriterion.objects.filter(is_active=True))


@transaction.atomic
def submit_review(
    *,
    product: Product,
    expert: User,
    scores: Mapping[int, int],
    conclusion: str,
    recommendation: str,
) -> ExpertReview:
    """Write ``expert``'s review of ``product``, or rewrite it.

    ``scores`` maps the id of every criterion in use to a whole score from 1
    to 5; a missing, unknown or out-of-range score refuses the whole review.
    Rewriting replaces the earlier scores. The product's rating and review
    count are recomputed, the change is historised, and the product's
    coordinator gets an email after the commit.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not permissions.can_review_product(expert, product):
        raise PermissionDenied
    checked = _checked_scores(scores, active_criteria())
    conclusion = conclusion.strip()
    if not conclusion:
        raise ValidationError(_("Write the conclusion."), code="no_conclusion")
    if recommendation not in ExpertReview.Recommendation.values:
        raise ValidationError(
            _("Choose a recommendation."), code="unknown_recommendation"
        )

    review = product.expert_reviews.filter(expert=expert).first()
    is_new = review is None
    if is_new:
        review = ExpertReview(product=product, expert=expert)
    review.conclusion = conclusion
    review.recommendation = recommendation
    review.average_score = _mean(checked.values())
    review._history_user = expert
    review.save()
    # Each earlier score is deleted, and each new one created, with its
    # history record.
    for earlier in review.scores.all():
        earlier._history_user = expert
        earlier.delete()
    bulk_create_with_history(
        [
            ReviewScore(review=review, criterion_id=criterion_id, score=score)
            for criterion_id, score in checked.items()
        ],
        ReviewScore,
        default_user=expert,
    )
    recompute_rating(product)

    notices.tell(
        users=[product.coordinator],
        kind=Kind.REVIEW_SUBMITTED,
        notice="review_submitted",
        context={"product": product, "review": review, "is_new": is_new},
        link=reverse("products:product_reviews", args=[product.pk]),
        actor=expert,
    )
    logger.info(
        "Review %s of product %s %s by user %s",
        review.pk,
        product.pk,
        "written" if is_new else "rewritten",
        expert.pk,
    )
    return review


@transaction.atomic
def withdraw_review(*, review: ExpertReview, actor: User) -> Product:
    """Delete ``review`` and recompute its product's rating.

    Only the review's author or an administrator may; the deletion is
    historised. Return the product with its new rating.
    """
    product = Product.objects.select_for_update().get(pk=review.product_id)
    if not permissions.can_withdraw_review(actor, review):
        raise PermissionDenied

    review_id = review.pk
    review._history_user = actor
    review.delete()
    recompute_rating(product)
    logger.info(
        "Review %s of product %s withdrawn by user %s", review_id, product.pk, actor.pk
    )
    return product


def recompute_rating(product: Product) -> Product:
    """Store the mean of ``product``'s review averages and their number.

    One aggregate query and one update; the rating is rounded half up to two
    places, and is None without reviews. Call it in the transaction that
    changed the reviews, holding the product row (``select_for_update``), so
    that concurrent reviews cannot store a stale rating. The passport's
    history and ``updated_at`` are left alone: the rating is derived data.
    """
    totals = ExpertReview.objects.filter(product=product).aggregate(
        total=Sum("average_score"), count=Count("pk")
    )
    count = totals["count"]
    # The sum of two-place decimals is exact; dividing here, not in SQL,
    # keeps the rounding the same on SQLite and PostgreSQL.
    rating = (totals["total"] / count).quantize(CENTS, ROUND_HALF_UP) if count else None
    Product.objects.filter(pk=product.pk).update(rating=rating, review_count=count)
    catalogue.changed()
    product.rating = rating
    product.review_count = count
    return product


def _mean(scores) -> Decimal:
    scores = list(scores)
    return (Decimal(sum(scores)) / len(scores)).quantize(CENTS, ROUND_HALF_UP)


def _checked_scores(
    scores: Mapping[int, int], criteria: list[ReviewCriterion]
) -> dict[int, int]:
    """Return ``scores`` keyed by criterion id, or refuse them.

    Every active criterion needs a score, and nothing else may have one.
    """
    if not criteria:
        raise ValidationError(
            _("No review criteria are in use; ask an administrator to set them."),
            code="no_criteria",
        )
    by_id = {criterion.pk: criterion for criterion in criteria}
    unknown = set(scores) - set(by_id)
    if unknown:
        raise ValidationError(
            _(
                "Some scores are for criteria that are no longer in use. "
                "Open the form again and score the current criteria."
            ),
            code="unknown_criteria",
        )
    missing = [criterion.name for pk, criterion in by_id.items() if pk not in scores]
    if missing:
        raise ValidationError(
            _("Score every criterion; missing: %(names)s."),
            code="missing_scores",
            params={"names": ", ".join(missing)},
        )
    for pk, score in scores.items():
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not MIN_SCORE <= score <= MAX_SCORE
        ):
            raise ValidationError(
                _(
                    "A score is a whole number from %(min)s to %(max)s; "
                    "“%(name)s” has %(score)s."
                ),
                code="score_out_of_range",
                params={
                    "min": MIN_SCORE,
                    "max": MAX_SCORE,
                    "name": by_id[pk].name,
                    "score": score,
                },
            )
    return {pk: scores[pk] for pk in by_id}

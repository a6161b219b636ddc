"""Expert reviews: writing, rewriting, refusing, withdrawing, the rating."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from organisations.models import Role
from organisations.roles import EXPERTS_GROUP
from products.catalogue import CatalogueQuery, search
from products.models import ExpertReview, Product, ReviewCriterion, ReviewScore
from products.services.reviews import (
    recompute_rating,
    submit_review,
    withdraw_review,
)
from tests.factories import ProductFactory, UserFactory, member

RECOMMENDED = ExpertReview.Recommendation.RECOMMENDED


def make_expert(email: str):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name=EXPERTS_GROUP))
    return user


def scores_of(*values: int) -> dict[int, int]:
    """Map the active criteria, in their order, to ``values``."""
    criteria = ReviewCriterion.objects.filter(is_active=True)
    return dict(zip(criteria.values_list("pk", flat=True), values, strict=True))


def review(product, expert, *values: int, **fields) -> ExpertReview:
    return submit_review(
        product=product,
        expert=expert,
        scores=scores_of(*values),
        conclusion=fields.get("conclusion", "Продукт применим в основной школе."),
        recommendation=fields.get("recommendation", RECOMMENDED),
    )


def reviews_state() -> tuple:
    return (
        list(ExpertReview.objects.values_list("pk", "conclusion", "average_score")),
        list(ReviewScore.objects.values_list("pk", "score").order_by("pk")),
        list(Product.objects.values_list("pk", "rating", "review_count")),
    )


def test_five_criteria_are_in_use_from_the_start(db):
    names = list(
        ReviewCriterion.objects.filter(is_active=True).values_list("name", flat=True)
    )

    assert names == [
        "Актуальность",
        "Новизна",
        "Результативность",
        "Тиражируемость",
        "Ресурсоёмкость",
    ]


def test_expert_writes_a_review_with_a_score_per_criterion(published_product, expert):
    result = review(published_product, expert, 4, 4, 4, 5, 4)

    result.refresh_from_db()
    assert result.average_score == Decimal("4.20")
    assert result.recommendation == RECOMMENDED
    assert result.conclusion == "Продукт применим в основной школе."
    assert sorted(result.scores.values_list("score", flat=True)) == [4, 4, 4, 4, 5]
    published_product.refresh_from_db()
    assert published_product.rating == Decimal("4.20")
    assert published_product.review_count == 1


def test_expert_reviews_a_submitted_product(published_product, expert):
    Product.objects.filter(pk=published_product.pk).update(
        status=Product.Status.SUBMITTED
    )

    result = review(published_product, expert, 3, 3, 3, 3, 3)

    assert result.average_score == Decimal("3.00")


def test_rewriting_replaces_the_scores_and_keeps_one_review(published_product, expert):
    first = review(published_product, expert, 5, 5, 5, 5, 5)

    second = review(
        published_product,
        expert,
        2,
        3,
        3,
        2,
        3,
        conclusion="  После апробации: нужны доработки.  ",
        recommendation=ExpertReview.Recommendation.WITH_REVISIONS,
    )

    assert second.pk == first.pk
    assert ExpertReview.objects.count() == 1
    second.refresh_from_db()
    assert second.conclusion == "После апробации: нужны доработки."
    assert second.recommendation == ExpertReview.Recommendation.WITH_REVISIONS
    assert second.average_score == Decimal("2.60")
    assert ReviewScore.objects.count() == 5
    assert sorted(second.scores.values_list("score", flat=True)) == [2, 2, 3, 3, 3]
    published_product.refresh_from_db()
    assert published_product.rating == Decimal("2.60")
    assert published_product.review_count == 1


def test_rewriting_is_historised(published_product, expert):
    first = review(published_product, expert, 5, 5, 5, 5, 5)

    review(published_product, expert, 4, 4, 4, 4, 4)

    records = first.history.order_by("history_date")
    assert [r.history_type for r in records] == ["+", "~"]
    assert [r.average_score for r in records] == [Decimal("5.00"), Decimal("4.00")]
    assert records.last().history_user == expert


def test_rewriting_keeps_the_earlier_scores_in_the_history(published_product, expert):
    first = review(published_product, expert, 5, 5, 5, 5, 5)

    review(published_product, expert, 4, 3, 4, 3, 4)

    history = ReviewScore.history.filter(review_id=first.pk)
    deleted = history.filter(history_type="-").order_by("criterion__order")
    created = history.filter(history_type="+").order_by("history_id")
    assert [r.score for r in deleted] == [5, 5, 5, 5, 5]
    assert [r.score for r in created] == [5, 5, 5, 5, 5, 4, 3, 4, 3, 4]
    assert {r.history_user for r in history} == {expert}
    assert sorted(first.scores.values_list("score", flat=True)) == [3, 3, 4, 4, 4]


@pytest.mark.django_db(transaction=True)
def test_scores_given_before_their_history_enter_it_once(
    reference_data, published_product, expert
):
    written = review(published_product, expert, 5, 4, 5, 4, 5)
    before = [("products", "0008_event_dates_and_listing_indexes")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("products")
    executor.migrate(before)

    MigrationExecutor(connection).migrate(latest)

    written.refresh_from_db()
    history = ReviewScore.history.filter(review_id=written.pk)
    assert sorted(
        (r.criterion_id, r.score, r.history_type, r.history_user_id, r.history_date)
        for r in history
    ) == sorted(
        (s.criterion_id, s.score, "+", expert.pk, written.updated_at)
        for s in written.scores.all()
    )


def test_two_experts_give_the_mean_of_their_averages(published_product, expert):
    second_expert = make_expert("second.expert@innoteka.example")

    review(published_product, expert, 4, 4, 4, 5, 4)
    review(published_product, second_expert, 4, 4, 3, 4, 3)

    published_product.refresh_from_db()
    assert published_product.rating == Decimal("3.90")
    assert published_product.review_count == 2


def test_rating_is_rounded_half_up_to_two_places(published_product, expert):
    others = [make_expert(f"expert{n}@innoteka.example") for n in (2, 3)]

    review(published_product, expert, 4, 4, 4, 5, 4)
    review(published_product, others[0], 4, 4, 4, 5, 4)
    review(published_product, others[1], 4, 4, 4, 5, 5)

    published_product.refresh_from_db()
    # (4.20 + 4.20 + 4.40) / 3 = 4.2666…
    assert published_product.rating == Decimal("4.27")
    assert published_product.review_count == 3


def test_a_missing_criterion_refuses_the_review(published_product, expert):
    scores = scores_of(4, 4, 4, 4, 4)
    scores.pop(next(iter(scores)))

    with pytest.raises(ValidationError) as refused:
        submit_review(
            product=published_product,
            expert=expert,
            scores=scores,
            conclusion="Без оценки актуальности.",
            recommendation=RECOMMENDED,
        )

    assert refused.value.code == "missing_scores"
    assert refused.value.params == {"names": "Актуальность"}
    assert ExpertReview.objects.count() == 0


@pytest.mark.parametrize("bad_score", [0, 6, -1, True, "5", 4.5])
def test_a_score_outside_one_to_five_refuses_the_review(
    published_product, expert, bad_score
):
    scores = scores_of(4, 4, 4, 4, 4)
    scores[next(iter(scores))] = bad_score

    with pytest.raises(ValidationError) as refused:
        submit_review(
            product=published_product,
            expert=expert,
            scores=scores,
            conclusion="Оценка вне шкалы.",
            recommendation=RECOMMENDED,
        )

    assert refused.value.code == "score_out_of_range"
    assert ExpertReview.objects.count() == 0
    published_product.refresh_from_db()
    assert published_product.rating is None


def test_rewriting_with_a_bad_score_leaves_the_earlier_review(
    published_product, expert
):
    review(published_product, expert, 5, 5, 5, 5, 5)
    before = reviews_state()

    with pytest.raises(ValidationError):
        review(published_product, expert, 5, 5, 5, 5, 6)

    assert reviews_state() == before


def test_an_inactive_criterion_is_not_scored(published_product, expert):
    ReviewCriterion.objects.filter(name="Ресурсоёмкость").update(is_active=False)

    result = review(published_product, expert, 5, 4, 4, 4)

    assert result.average_score == Decimal("4.25")
    assert [s.criterion.name for s in result.scores.all()] == [
        "Актуальность",
        "Новизна",
        "Результативность",
        "Тиражируемость",
    ]


def test_a_score_for_an_inactive_criterion_is_refused(published_product, expert):
    scores = scores_of(5, 4, 4, 4, 4)
    ReviewCriterion.objects.filter(name="Ресурсоёмкость").update(is_active=False)

    with pytest.raises(ValidationError) as refused:
        submit_review(
            product=published_product,
            expert=expert,
            scores=scores,
            conclusion="Оценка по старому критерию.",
            recommendation=RECOMMENDED,
        )

    assert refused.value.code == "unknown_criteria"
    assert ExpertReview.objects.count() == 0


def test_a_review_without_active_criteria_is_refused(published_product, expert):
    ReviewCriterion.objects.update(is_active=False)

    with pytest.raises(ValidationError) as refused:
        review(published_product, expert)

    assert refused.value.code == "no_criteria"


def test_a_blank_conclusion_is_refused(published_product, expert):
    with pytest.raises(ValidationError) as refused:
        review(published_product, expert, 4, 4, 4, 4, 4, conclusion="   ")

    assert refused.value.code == "no_conclusion"
    assert ExpertReview.objects.count() == 0


def test_an_unknown_recommendation_is_refused(published_product, expert):
    with pytest.raises(ValidationError) as refused:
        review(published_product, expert, 4, 4, 4, 4, 4, recommendation="maybe")

    assert refused.value.code == "unknown_recommendation"
    assert ExpertReview.objects.count() == 0


def test_an_expert_of_the_carrier_may_not_review(published_product, carrier):
    colleague = member(carrier, Role.SPECIALIST, email="expert@school619.example")
    colleague.groups.add(Group.objects.get(name=EXPERTS_GROUP))

    with pytest.raises(PermissionDenied):
        review(published_product, colleague, 5, 5, 5, 5, 5)

    assert ExpertReview.objects.count() == 0
    published_product.refresh_from_db()
    assert published_product.review_count == 0


@pytest.mark.parametrize("persona", ["outsider", "administrator", "recipient_head"])
def test_a_non_expert_may_not_review(published_product, persona, request):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        review(published_product, user, 5, 5, 5, 5, 5)

    assert ExpertReview.objects.count() == 0


def test_a_draft_may_not_be_reviewed(draft_product, expert):
    with pytest.raises(PermissionDenied):
        review(draft_product, expert, 5, 5, 5, 5, 5)

    assert ExpertReview.objects.count() == 0


def test_the_coordinator_is_emailed_after_the_commit(
    published_product,
    expert,
    carrier_coordinator,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review(published_product, expert, 4, 4, 4, 5, 4)
    assert mailoutbox == []

    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [carrier_coordinator.email]
    assert published_product.title in mailoutbox[0].subject
    assert f"/products/{published_product.pk}/reviews/" in mailoutbox[0].body


def test_a_refused_review_emails_nobody(
    published_product, expert, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        review(published_product, expert, 4, 4, 4, 4, 9)

    assert mailoutbox == []


def test_rewriting_emails_the_coordinator_again(
    published_product, expert, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        review(published_product, expert, 4, 4, 4, 5, 4)
    with django_capture_on_commit_callbacks(execute=True):
        review(published_product, expert, 5, 5, 5, 5, 5)

    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject != mailoutbox[1].subject


def test_withdrawing_recomputes_the_rating(published_product, expert):
    second_expert = make_expert("second.expert@innoteka.example")
    review(published_product, expert, 4, 4, 4, 5, 4)
    withdrawn = review(published_product, second_expert, 4, 4, 3, 4, 3)
    withdrawn_id = withdrawn.pk

    product = withdraw_review(review=withdrawn, actor=second_expert)

    assert product.rating == Decimal("4.20")
    published_product.refresh_from_db()
    assert published_product.rating == Decimal("4.20")
    assert published_product.review_count == 1
    assert not ExpertReview.objects.filter(pk=withdrawn_id).exists()
    assert not ReviewScore.objects.filter(review_id=withdrawn_id).exists()


def test_withdrawing_the_last_review_clears_the_rating(published_product, expert):
    only = review(published_product, expert, 4, 4, 4, 5, 4)
    review_id = only.pk

    withdraw_review(review=only, actor=expert)

    published_product.refresh_from_db()
    assert published_product.rating is None
    assert published_product.review_count == 0
    record = ExpertReview.history.filter(id=review_id).latest("history_date")
    assert record.history_type == "-"
    assert record.history_user == expert


def test_an_administrator_withdraws_any_review(
    published_product, expert, administrator
):
    written = review(published_product, expert, 4, 4, 4, 5, 4)

    withdraw_review(review=written, actor=administrator)

    assert ExpertReview.objects.count() == 0
    published_product.refresh_from_db()
    assert published_product.review_count == 0


@pytest.mark.parametrize("persona", ["carrier_coordinator", "outsider", "other"])
def test_others_may_not_withdraw_a_review(published_product, expert, persona, request):
    written = review(published_product, expert, 4, 4, 4, 5, 4)
    actor = (
        make_expert("other.expert@innoteka.example")
        if persona == "other"
        else request.getfixturevalue(persona)
    )
    before = reviews_state()

    with pytest.raises(PermissionDenied):
        withdraw_review(review=written, actor=actor)

    assert reviews_state() == before


def test_recompute_rating_repairs_a_stale_copy(published_product, expert):
    review(published_product, expert, 4, 4, 4, 5, 4)
    Product.objects.filter(pk=published_product.pk).update(
        rating=Decimal("1.00"), review_count=7
    )

    recompute_rating(published_product)

    published_product.refresh_from_db()
    assert published_product.rating == Decimal("4.20")
    assert published_product.review_count == 1


def test_recompute_rating_takes_one_aggregate_query_and_one_update(
    published_product, expert, django_assert_num_queries
):
    review(published_product, expert, 4, 4, 4, 5, 4)

    with django_assert_num_queries(2):
        recompute_rating(published_product)


def test_catalogue_sorts_by_rating_after_reviews(carrier, carrier_coordinator, expert):
    second_expert = make_expert("second.expert@innoteka.example")
    unrated = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    middling = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    best = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    review(middling, expert, 4, 4, 3, 4, 3)
    review(best, expert, 4, 4, 4, 5, 4)
    review(best, second_expert, 5, 5, 5, 5, 5)

    result = search(CatalogueQuery(sort="rating"))

    assert [p.pk for p in result.products] == [best.pk, middling.pk, unrated.pk]
    assert [p.rating for p in result.products] == [
        Decimal("4.60"),
        Decimal("3.60"),
        None,
    ]


def test_catalogue_rating_facet_counts_reviewed_products(
    carrier, carrier_coordinator, expert
):
    rated = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    review(rated, expert, 4, 4, 4, 5, 4)

    result = search(CatalogueQuery(min_rating=Decimal("4")))

    assert [p.pk for p in result.products] == [rated.pk]
    assert [(f.value, f.count) for f in result.facets["rating"]] == [
        ("4", 1),
        ("3", 1),
    ]

"""Pages of expert reviews, persona by persona."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from organisations.roles import EXPERTS_GROUP
from products.models import ExpertReview, Product, ReviewCriterion, ReviewScore
from products.services.reviews import submit_review
from products.views import reviews as views
from tests.factories import MembershipFactory, ProductFactory, UserFactory, member

RECOMMENDED = ExpertReview.Recommendation.RECOMMENDED


def make_expert(email: str):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name=EXPERTS_GROUP))
    return user


def criteria() -> list[ReviewCriterion]:
    return list(ReviewCriterion.objects.filter(is_active=True))


def review(product, expert, *values: int) -> ExpertReview:
    return submit_review(
        product=product,
        expert=expert,
        scores=dict(zip([c.pk for c in criteria()], values, strict=True)),
        conclusion="Продукт применим в основной школе.",
        recommendation=RECOMMENDED,
    )


def form_data(*values: int, **fields) -> dict:
    data = {f"score_{c.pk}": str(v) for c, v in zip(criteria(), values, strict=True)}
    data["conclusion"] = fields.get("conclusion", "Методика проработана.")
    data["recommendation"] = fields.get("recommendation", RECOMMENDED)
    return data


def reviews_state() -> tuple:
    return (
        list(ExpertReview.objects.values_list("pk", "conclusion", "average_score")),
        list(ReviewScore.objects.values_list("pk", "score").order_by("pk")),
        list(Product.objects.values_list("pk", "rating", "review_count")),
    )


def form_url(product) -> str:
    return reverse("products:review_form", args=[product.pk])


def withdraw_url(product) -> str:
    return reverse("products:review_withdraw", args=[product.pk])


def reviews_url(product) -> str:
    return reverse("products:product_reviews", args=[product.pk])


QUEUE_URL = reverse("products:expert_queue")


# The review form


def test_anonymous_is_sent_to_sign_in_from_the_review_form(published_product, login):
    client = login(None)

    response = client.get(form_url(published_product))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "persona",
    ["outsider", "recipient_head", "carrier_coordinator", "administrator"],
)
def test_a_non_expert_gets_403_for_the_review_form(
    published_product, persona, request, login
):
    client = login(request.getfixturevalue(persona))

    response = client.get(form_url(published_product))

    assert response.status_code == 403


def test_an_expert_of_the_carrier_gets_403_for_the_review_form(
    published_product, carrier, login
):
    colleague = member(carrier, Role.HEAD, email="expert@school619.example")
    colleague.groups.add(Group.objects.get(name=EXPERTS_GROUP))
    client = login(colleague)

    response = client.get(form_url(published_product))

    assert response.status_code == 403


def test_an_expert_gets_404_for_the_review_form_of_a_draft(
    draft_product, expert, login
):
    client = login(expert)

    response = client.get(form_url(draft_product))

    assert response.status_code == 404


def test_an_expert_gets_an_empty_review_form(published_product, expert, login):
    client = login(expert)

    response = client.get(form_url(published_product))

    assert response.status_code == 200
    form = response.context["form"]
    assert [f.name for f in form.score_fields()] == [
        f"score_{c.pk}" for c in criteria()
    ]
    assert [f.label for f in form.score_fields()] == [c.name for c in criteria()]
    assert form.initial == {}
    assert response.context["review"] is None
    content = response.content.decode()
    assert 'type="radio"' in content
    assert criteria()[0].description in content


def test_an_expert_gets_the_form_of_a_submitted_product(
    published_product, expert, login
):
    Product.objects.filter(pk=published_product.pk).update(
        status=Product.Status.SUBMITTED
    )
    client = login(expert)

    response = client.get(form_url(published_product))

    assert response.status_code == 200


def test_the_review_form_is_filled_with_the_earlier_review(
    published_product, expert, login
):
    earlier = review(published_product, expert, 4, 4, 4, 5, 4)
    client = login(expert)

    response = client.get(form_url(published_product))

    assert response.context["review"] == earlier
    assert response.context["form"].initial == {
        "conclusion": "Продукт применим в основной школе.",
        "recommendation": RECOMMENDED,
        **{
            f"score_{c.pk}": v for c, v in zip(criteria(), [4, 4, 4, 5, 4], strict=True)
        },
    }


def test_an_expert_posts_a_review(published_product, expert, login):
    client = login(expert)

    response = client.post(form_url(published_product), form_data(4, 4, 4, 5, 4))

    assert response.status_code == 302
    assert response["Location"] == reviews_url(published_product)
    written = ExpertReview.objects.get()
    assert written.expert == expert
    assert written.average_score == Decimal("4.20")
    assert written.conclusion == "Методика проработана."
    published_product.refresh_from_db()
    assert published_product.rating == Decimal("4.20")
    assert published_product.review_count == 1


def test_an_expert_rewrites_the_review(published_product, expert, login):
    earlier = review(published_product, expert, 5, 5, 5, 5, 5)
    client = login(expert)

    response = client.post(
        form_url(published_product),
        form_data(2, 2, 2, 2, 3, recommendation="not_recommended"),
    )

    assert response.status_code == 302
    rewritten = ExpertReview.objects.get()
    assert rewritten.pk == earlier.pk
    assert rewritten.recommendation == "not_recommended"
    assert rewritten.average_score == Decimal("2.20")
    assert ReviewScore.objects.count() == 5


def test_a_missing_score_shows_errors_and_saves_nothing(
    published_product, expert, login
):
    client = login(expert)
    data = form_data(4, 4, 4, 5, 4)
    missing = f"score_{criteria()[2].pk}"
    del data[missing]

    response = client.post(form_url(published_product), data)

    assert response.status_code == 200
    assert response.context["form"].errors.get_json_data()[missing][0]["code"] == (
        "required"
    )
    assert ExpertReview.objects.count() == 0


@pytest.mark.parametrize("bad_score", ["0", "6", "abc"])
def test_a_score_off_the_scale_shows_errors_and_saves_nothing(
    published_product, expert, login, bad_score
):
    client = login(expert)
    data = form_data(4, 4, 4, 5, 4)
    field = f"score_{criteria()[0].pk}"
    data[field] = bad_score

    response = client.post(form_url(published_product), data)

    assert response.status_code == 200
    assert response.context["form"].errors.get_json_data()[field][0]["code"] == (
        "invalid_choice"
    )
    assert ExpertReview.objects.count() == 0


def test_a_blank_conclusion_shows_errors_and_keeps_the_earlier_review(
    published_product, expert, login
):
    review(published_product, expert, 5, 5, 5, 5, 5)
    before = reviews_state()
    client = login(expert)

    response = client.post(
        form_url(published_product), form_data(1, 1, 1, 1, 1, conclusion="  ")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.get_json_data()
    assert errors["conclusion"][0]["code"] == "required"
    assert reviews_state() == before


def test_a_refusal_of_the_service_is_shown_on_the_form(
    published_product, expert, login, monkeypatch
):
    # An administrator switching a criterion off while the expert writes: the
    # form is valid, the service refuses.
    def refuse(**kwargs):
        raise ValidationError("stale criteria", code="unknown_criteria")

    monkeypatch.setattr(views.services, "submit_review", refuse)
    client = login(expert)

    response = client.post(form_url(published_product), form_data(4, 4, 4, 5, 4))

    assert response.status_code == 200
    errors = response.context["form"].errors.get_json_data()
    assert errors["__all__"][0]["code"] == "unknown_criteria"
    assert ExpertReview.objects.count() == 0


# Withdrawal


def test_anonymous_is_sent_to_sign_in_from_withdrawal(published_product, login):
    client = login(None)

    response = client.post(withdraw_url(published_product))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_expert_withdraws_the_review(published_product, expert, login):
    review(published_product, expert, 4, 4, 4, 5, 4)
    client = login(expert)

    response = client.post(withdraw_url(published_product))

    assert response.status_code == 302
    assert response["Location"] == reviews_url(published_product)
    assert ExpertReview.objects.count() == 0
    published_product.refresh_from_db()
    assert published_product.rating is None
    assert published_product.review_count == 0


def test_withdrawal_needs_post(published_product, expert, login):
    review(published_product, expert, 4, 4, 4, 5, 4)
    client = login(expert)

    response = client.get(withdraw_url(published_product))

    assert response.status_code == 405
    assert ExpertReview.objects.count() == 1


@pytest.mark.parametrize("persona", ["expert", "outsider", "administrator"])
def test_withdrawing_without_an_own_review_gets_404(
    published_product, persona, request, login
):
    review(published_product, make_expert("author@innoteka.example"), 5, 5, 5, 5, 5)
    before = reviews_state()
    client = login(request.getfixturevalue(persona))

    response = client.post(withdraw_url(published_product))

    assert response.status_code == 404
    assert reviews_state() == before


def test_an_administrator_withdraws_a_named_review(
    published_product, expert, administrator, login
):
    written = review(published_product, expert, 4, 4, 4, 5, 4)
    client = login(administrator)

    response = client.post(withdraw_url(published_product), {"review": written.pk})

    assert response.status_code == 302
    assert ExpertReview.objects.count() == 0


def test_an_expert_gets_403_withdrawing_another_experts_review(
    published_product, expert, login
):
    written = review(
        published_product, make_expert("a@innoteka.example"), 5, 5, 5, 5, 5
    )
    review(published_product, expert, 4, 4, 4, 5, 4)
    before = reviews_state()
    client = login(expert)

    response = client.post(withdraw_url(published_product), {"review": written.pk})

    assert response.status_code == 403
    assert reviews_state() == before


def test_a_review_of_another_product_cannot_be_named(
    published_product, carrier, carrier_coordinator, expert, administrator, login
):
    other = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    written = review(other, expert, 4, 4, 4, 5, 4)
    before = reviews_state()
    client = login(administrator)

    response = client.post(withdraw_url(published_product), {"review": written.pk})

    assert response.status_code == 404
    assert reviews_state() == before


def test_withdrawal_of_a_draft_gets_404_for_outsiders(draft_product, outsider, login):
    client = login(outsider)

    response = client.post(withdraw_url(draft_product))

    assert response.status_code == 404


# All reviews of a product


def test_everyone_reads_the_reviews_of_a_published_product(
    published_product, expert, login
):
    second = make_expert("second.expert@innoteka.example")
    first_review = review(published_product, expert, 4, 4, 4, 5, 4)
    second_review = review(published_product, second, 4, 4, 3, 4, 3)
    client = login(None)

    response = client.get(reviews_url(published_product))

    assert response.status_code == 200
    assert response.context["reviews"] == [second_review, first_review]
    assert [
        (row["criterion__name"], row["average"], row["count"])
        for row in response.context["criterion_averages"]
    ] == [
        ("Актуальность", 4.0, 2),
        ("Новизна", 4.0, 2),
        ("Результативность", 3.5, 2),
        ("Тиражируемость", 4.5, 2),
        ("Ресурсоёмкость", 3.5, 2),
    ]
    assert response.context["can_review"] is False
    assert response.context["withdrawable"] == set()
    content = response.content.decode()
    assert '<th scope="row">Результативность</th>' in content
    assert expert.full_name in content


def test_the_reviews_page_of_a_draft_is_404_for_outsiders(
    draft_product, outsider, login
):
    client = login(outsider)

    response = client.get(reviews_url(draft_product))

    assert response.status_code == 404


def test_the_reviews_page_offers_the_expert_their_own_review(
    published_product, expert, login
):
    own = review(published_product, expert, 4, 4, 4, 5, 4)
    client = login(expert)

    response = client.get(reviews_url(published_product))

    assert response.context["own_review"] == own
    assert response.context["can_review"] is True
    assert response.context["withdrawable"] == {own.pk}


def test_an_administrator_may_withdraw_every_review(
    published_product, expert, administrator, login
):
    own = review(published_product, expert, 4, 4, 4, 5, 4)
    client = login(administrator)

    response = client.get(reviews_url(published_product))

    assert response.context["withdrawable"] == {own.pk}
    assert f'name="review" value="{own.pk}"' in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "expert"])
def test_the_reviews_page_costs_the_same_for_one_and_six_reviews(
    published_product, persona, login, django_assert_num_queries
):
    experts = [make_expert(f"expert{n}@innoteka.example") for n in range(6)]
    review(published_product, experts[0], 4, 4, 4, 5, 4)
    viewer = None if persona == "anonymous" else make_expert("viewer@innoteka.ex")
    client = login(viewer)
    client.get(reviews_url(published_product))  # the session settles
    queries = 4 if persona == "anonymous" else 9

    with django_assert_num_queries(queries):
        client.get(reviews_url(published_product))
    for expert in experts[1:]:
        review(published_product, expert, 3, 4, 5, 3, 4)
    with django_assert_num_queries(queries):
        response = client.get(reviews_url(published_product))

    assert len(response.context["reviews"]) == 6


# The section of the product page


def test_the_product_page_shows_the_rating_and_latest_reviews(published_product, login):
    experts = [make_expert(f"expert{n}@innoteka.example") for n in range(4)]
    reviews = [review(published_product, e, 4, 4, 4, 5, 4) for e in experts]
    client = login(None)

    response = client.get(published_product.get_absolute_url())

    content = response.content.decode()
    assert 'id="reviews-heading"' in content
    assert "4,20" in content or "4.20" in content
    assert reviews_url(published_product) in content
    shown = [r for r in reviews if f'id="review-{r.pk}-heading"' in content]
    assert shown == reviews[1:]
    assert form_url(published_product) not in content


def test_the_product_page_invites_an_expert_to_write(published_product, expert, login):
    client = login(expert)

    response = client.get(published_product.get_absolute_url())

    content = response.content.decode()
    assert form_url(published_product) in content
    assert withdraw_url(published_product) not in content


def test_the_product_page_lets_an_expert_edit_and_withdraw(
    published_product, expert, login
):
    others = [make_expert(f"expert{n}@innoteka.example") for n in range(3)]
    review(published_product, expert, 4, 4, 4, 5, 4)
    for other in others:
        review(published_product, other, 3, 3, 3, 3, 3)
    client = login(expert)

    response = client.get(published_product.get_absolute_url())

    content = response.content.decode()
    assert form_url(published_product) in content
    assert withdraw_url(published_product) in content


def test_the_product_page_offers_nothing_to_the_carrier(
    published_product, carrier_coordinator, login
):
    client = login(carrier_coordinator)

    response = client.get(published_product.get_absolute_url())

    assert form_url(published_product) not in response.content.decode()


# The expert's queue


def test_anonymous_is_sent_to_sign_in_from_the_queue(db, login):
    client = login(None)

    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "persona", ["outsider", "carrier_coordinator", "administrator"]
)
def test_a_non_expert_gets_403_for_the_queue(persona, request, login):
    client = login(request.getfixturevalue(persona))

    response = client.get(QUEUE_URL)

    assert response.status_code == 403


def test_the_queue_lists_unreviewed_open_products_oldest_first(
    carrier, carrier_coordinator, unrelated_school, expert, login
):
    now = timezone.now()
    days = timezone.timedelta(days=1)

    def product(**fields):
        return ProductFactory(
            carrier=carrier, coordinator=carrier_coordinator, **fields
        )

    newest = product(published_at=now)
    submitted = product(
        status=Product.Status.SUBMITTED, published_at=None, submitted_at=now - 2 * days
    )
    oldest = product(published_at=now - 5 * days, submitted_at=now - 6 * days)
    reviewed = product(published_at=now - 9 * days)
    product(status=Product.Status.DRAFT, published_at=None)
    product(status=Product.Status.ARCHIVED, published_at=now - 9 * days)
    MembershipFactory(user=expert, organisation=unrelated_school)
    ProductFactory(carrier=unrelated_school, published_at=now - 9 * days)
    review(reviewed, expert, 4, 4, 4, 4, 4)
    client = login(expert)

    response = client.get(QUEUE_URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [oldest, submitted, newest]


def test_the_queue_is_paginated_at_a_constant_cost(
    carrier, carrier_coordinator, expert, login, django_assert_num_queries
):
    ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    client = login(expert)
    client.get(QUEUE_URL)  # the session settles
    with django_assert_num_queries(6):
        client.get(QUEUE_URL)
    ProductFactory.create_batch(24, carrier=carrier, coordinator=carrier_coordinator)

    with django_assert_num_queries(6):
        response = client.get(QUEUE_URL, {"page": 2})

    page = response.context["page"]
    assert page.paginator.count == 25
    assert page.number == 2
    assert len(page.object_list) == 5

"""Access matrix entries of expert reviews."""

from products.models import ExpertReview, Product, ReviewCriterion, ReviewScore
from products.services.reviews import submit_review


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def arrange(world) -> None:
    """The expert persona has reviewed the published product."""
    criteria = ReviewCriterion.objects.filter(is_active=True)
    world.extra["review"] = submit_review(
        product=world.product,
        expert=world.people["expert"],
        scores={criterion.pk: 4 for criterion in criteria},
        conclusion="Продукт готов к тиражированию.",
        recommendation=ExpertReview.Recommendation.RECOMMENDED,
    )


def state() -> tuple:
    return (
        list(
            ExpertReview.objects.values_list(
                "pk", "product_id", "expert_id", "conclusion", "average_score"
            ).order_by("pk")
        ),
        list(ReviewScore.objects.values_list("pk", "score").order_by("pk")),
        list(
            Product.objects.values_list("pk", "rating", "review_count").order_by("pk")
        ),
    )


def product(w) -> dict:
    return {"pk": w.product.pk}


ENTRIES = {
    "products:review_form": {
        "kwargs": product,
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=403,
            head=403,
            expert=200,
            administrator=403,
        ),
    },
    "products:review_withdraw": {
        # Without a named review, the user's own one: only the expert has one.
        "kwargs": product,
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=404,
            coordinator=404,
            head=404,
            expert=302,
            administrator=404,
        ),
    },
    "products:product_reviews": {
        "kwargs": product,
        "expect": statuses(
            anonymous=200,
            outsider=200,
            specialist=200,
            coordinator=200,
            head=200,
            expert=200,
            administrator=200,
        ),
    },
}

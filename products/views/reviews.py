"""Expert reviews: the review form, withdrawal, a product's reviews, the queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations import permissions as org_permissions
from organisations.models import Membership
from products import permissions
from products.forms_reviews import ReviewForm
from products.models import ExpertReview, Product, ReviewScore
from products.services import reviews as services
from products.views.passport import visible_product

QUEUE_PAGE_SIZE = 20


def _scores() -> Prefetch:
    return Prefetch(
        "scores",
        queryset=ReviewScore.objects.select_related("criterion").order_by(
            "criterion__order", "criterion__name"
        ),
    )


@login_required
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not permissions.can_review_product(request.user, product):
        raise PermissionDenied

    review = (
        product.expert_reviews.filter(expert=request.user)
        .prefetch_related(_scores())
        .first()
    )
    form = ReviewForm(
        request.POST or None, criteria=services.active_criteria(), review=review
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_review(
                product=product,
                expert=request.user,
                scores=form.scores(),
                conclusion=form.cleaned_data["conclusion"],
                recommendation=form.cleaned_data["recommendation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your conclusion is saved."))
            return redirect("products:product_reviews", pk=product.pk)
    return render(
        request,
        "products/reviews/review_form.html",
        {"form": form, "product": product, "review": review},
    )


@login_required
@require_POST
def review_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the user's own review, or the one named by ``review``.

    Naming another expert's review is for administrators.
    """
    product = visible_product(request, pk)
    reviews = product.expert_reviews.all()
    review_pk = request.POST.get("review", "")
    if review_pk.isdigit():
        review = get_object_or_404(reviews, pk=review_pk)
    else:
        review = get_object_or_404(reviews, expert=request.user)
    if not permissions.can_withdraw_review(request.user, review):
        raise PermissionDenied

    services.withdraw_review(review=review, actor=request.user)
    messages.success(request, _("The conclusion is withdrawn."))
    return redirect("products:product_reviews", pk=product.pk)


def product_reviews(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    reviews = list(
        product.expert_reviews.select_related("expert").prefetch_related(_scores())
    )
    criterion_averages = (
        ReviewScore.objects.filter(review__product=product)
        .values("criterion__name")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by("criterion__order", "criterion__name")
    )

    user = request.user
    own_review = next((r for r in reviews if r.expert_id == user.pk), None)
    return render(
        request,
        "products/reviews/product_reviews.html",
        {
            "product": product,
            "reviews": reviews,
            "criterion_averages": list(criterion_averages),
            "own_review": own_review,
            "can_review": permissions.can_review_product(user, product),
            "withdrawable": {
                r.pk for r in reviews if permissions.can_withdraw_review(user, r)
            },
        },
    )


def _awaiting_review(user) -> QuerySet[Product]:
    """Published and submitted products ``user`` may review but has not.

    Oldest first: in the order they were opened to experts.
    """
    reviewed = ExpertReview.objects.filter(expert=user, product=OuterRef("pk"))
    own_carrier = Membership.objects.filter(user=user, organisation=OuterRef("carrier"))
    return (
        Product.objects.filter(
            status__in=[Product.Status.PUBLISHED, Product.Status.SUBMITTED]
        )
        .exclude(Exists(reviewed))
        .exclude(Exists(own_carrier))
        .select_related("carrier")
        .annotate(open_since=Coalesce("submitted_at", "published_at", "created_at"))
        .order_by("open_since", "pk")
    )


@login_required
def expert_queue(request: HttpRequest) -> HttpResponse:
    if not org_permissions.is_expert(request.user):
        raise PermissionDenied

    page = Paginator(_awaiting_review(request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "products/reviews/expert_queue.html", {"page": page})

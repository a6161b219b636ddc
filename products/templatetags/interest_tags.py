"""The interest card of the product page: what the visitor has declared."""

from dataclasses import dataclass, field

from django import template

from organisations.models import Organisation
from products import permissions
from products.models import Interest, Product

register = template.Library()


@dataclass
class InterestState:
    """The newest interest of each of the user's organisations in a product."""

    interests: list[Interest] = field(default_factory=list)
    can_declare: bool = False


@register.simple_tag
def interest_state(
    product: Product, user, organisations: list[Organisation] | None = None
) -> InterestState:
    """Return what ``user``'s organisations have declared in ``product``.

    ``organisations`` are those the user may declare for (computed when not
    given). ``can_declare`` tells whether one of them has neither an open
    interest nor a live partnership on the product.
    """
    if organisations is None:
        organisations = permissions.interest_organisations(user, product)
    if not organisations:
        return InterestState()
    newest: dict[int, Interest] = {}
    for interest in (
        Interest.objects.filter(product=product, organisation__in=organisations)
        .select_related("organisation", "partnership")
        .order_by("-created_at", "-pk")
    ):
        newest.setdefault(interest.organisation_id, interest)
    # An open interest, or one that led to a live partnership, waits.
    busy = {
        pk
        for pk, interest in newest.items()
        if interest.is_open or interest.active_partnership
    }
    return InterestState(
        interests=list(newest.values()),
        can_declare=any(o.pk not in busy for o in organisations),
    )


@register.simple_tag
def new_interest_count(product: Product) -> int:
    """Return how many interests in ``product`` nobody has looked at yet."""
    return Interest.objects.filter(product=product, status=Interest.Status.NEW).count()

"""Access matrix entries of the product passport pages."""

from products.models import Product, ProductVersion


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def arrange(world) -> None:
    """The world's published product and draft are enough here."""


def state() -> tuple:
    return (
        list(Product.objects.values_list("pk", "status", "title").order_by("pk")),
        ProductVersion.objects.count(),
    )


def product(w) -> dict:
    return {"pk": w.product.pk}


def draft(w) -> dict:
    return {"pk": w.draft.pk}


EVERYONE = statuses(
    anonymous=200,
    outsider=200,
    specialist=200,
    coordinator=200,
    head=200,
    expert=200,
    administrator=200,
)

ENTRIES = {
    "products:product_detail": {"kwargs": product, "expect": EVERYONE},
    "products:product_history": {"kwargs": product, "expect": EVERYONE},
    "products:product_cover": {
        # The factories' products have no cover: 404 for all, after the
        # visibility check that the draft entries exercise.
        "kwargs": draft,
        "expect": statuses(
            anonymous=404,
            outsider=404,
            specialist=404,
            coordinator=404,
            head=404,
            expert=404,
            administrator=404,
        ),
    },
    "products:product_edit": {
        "kwargs": draft,
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=200,
            head=200,
            expert=404,
            administrator=404,
        ),
    },
    "products:product_submit": {
        "kwargs": draft,
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=302,
            head=302,
            expert=404,
            administrator=404,
        ),
    },
    "products:product_moderate": {
        "kwargs": product,
        "method": "post",
        "data": {"decision": "publish"},
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=403,
            head=403,
            expert=403,
            administrator=403,
        ),
    },
    "products:product_archive": {
        "kwargs": product,
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=302,
            head=302,
            expert=403,
            administrator=302,
        ),
    },
    "products:version_create": {
        "kwargs": draft,
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=200,
            head=200,
            expert=404,
            administrator=404,
        ),
    },
    "products:product_create": {
        "kwargs": lambda w: {"organisation_pk": w.organisation.pk},
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=200,
            head=200,
            expert=404,
            administrator=404,
        ),
    },
}

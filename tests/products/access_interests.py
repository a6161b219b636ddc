"""Access matrix entries of declared interest and the partners database."""

from organisations.models import Role
from products.models import Interest
from tests.factories import OrganisationFactory, member


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def arrange(world) -> None:
    """A recipient school declares interest in the world's published product."""
    school = OrganisationFactory(short_name="ГБОУ гимназия № 70")
    head = member(school, Role.HEAD, email="head@gymnasium70.example")
    world.extra["interest"] = Interest.objects.create(
        product=world.product,
        organisation=school,
        declared_by=head,
        message="Хотим внедрить продукт.",
    )


def state() -> tuple:
    return (
        list(
            Interest.objects.values_list(
                "pk", "status", "decline_reason", "carrier_notes", "decided_by"
            ).order_by("pk")
        ),
    )


def interest(w) -> dict:
    return {"interest_pk": w.extra["interest"].pk}


# A head of a verified school other than the carrier may declare: in the
# matrix that is the outsider.
DECLARE = statuses(
    anonymous=302,
    outsider=200,
    specialist=403,
    coordinator=403,
    head=403,
    expert=403,
    administrator=403,
)
CARRIER_PAGE = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=200,
    head=200,
    expert=404,
    administrator=404,
)
CARRIER_ACTION = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=302,
    head=302,
    expert=404,
    administrator=404,
)

ENTRIES = {
    "products:interest_create": {
        "kwargs": lambda w: {"pk": w.product.pk},
        "expect": DECLARE,
    },
    "products:interest_detail": {"kwargs": interest, "expect": CARRIER_PAGE},
    "products:interest_status": {
        "kwargs": interest,
        "method": "post",
        "data": {"status": "in_contact"},
        "expect": CARRIER_ACTION,
    },
    "products:interest_accept": {
        "kwargs": interest,
        "method": "post",
        "expect": CARRIER_ACTION,
    },
    "products:interest_decline": {
        "kwargs": interest,
        "method": "post",
        "data": {"reason": "Группа на этот год набрана."},
        "expect": CARRIER_ACTION,
    },
    "products:interest_notes": {
        "kwargs": interest,
        "method": "post",
        "data": {"notes": "Позвонить директору."},
        "expect": CARRIER_ACTION,
    },
    "products:partner_database_export": {
        # Whoever heads or coordinates an organisation gets its own rows.
        "kwargs": lambda w: {"fmt": "csv"},
        "expect": statuses(
            anonymous=302,
            outsider=200,
            specialist=403,
            coordinator=200,
            head=200,
            expert=403,
            administrator=403,
        ),
    },
}

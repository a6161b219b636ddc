"""Reads that partnership pages share, permission filtering included."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organisations.models import Membership
from partnerships.models import Agreement, Partnership, Signature
from partnerships.permissions import visibility_filter
from partnerships.progress import describe


def visible_partnerships(user) -> QuerySet[Partnership]:
    """Partnerships ``user`` may see: one statement, never a list of ids."""
    return Partnership.objects.filter(visibility_filter(user))


def visible_agreements(user) -> QuerySet[Agreement]:
    """Agreements of the partnerships ``user`` may see."""
    return Agreement.objects.filter(
        partnership__in=visible_partnerships(user).values("pk")
    )


def with_main_agreement(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Annotate each partnership with its current main agreement's state.

    The current main agreement is the newest one that is not terminated; the
    board and the lists show its status, number and expiry without a query
    per row.
    """
    main = Agreement.objects.filter(
        partnership=OuterRef("pk"), parent__isnull=True
    ).order_by("-created_at")
    return queryset.annotate(
        agreement_id=Subquery(main.values("pk")[:1]),
        agreement_status=Subquery(main.values("status")[:1]),
        agreement_number=Subquery(main.values("number")[:1]),
        agreement_expiry=Subquery(main.values("expiry_date")[:1]),
    )


def main_agreement(partnership: Partnership) -> Agreement | None:
    """The newest main agreement of ``partnership``, whatever its state."""
    return (
        partnership.agreements.filter(parent__isnull=True)
        .order_by("-created_at")
        .first()
    )


def consultation_until(partnership: Partnership):
    """The date the partners' consultation rights end: the expiry of the
    signed main agreement, or None while there is none."""
    agreement = (
        partnership.agreements.filter(
            parent__isnull=True, status=Agreement.Status.SIGNED
        )
        .order_by("-signed_at")
        .first()
    )
    return agreement.expiry_date if agreement else None


def with_signatures(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Annotate whether each side has signed the current main agreement."""

    def signed(side):
        return Exists(
            Signature.objects.filter(agreement_id=OuterRef("agreement_id"), side=side)
        )

    return queryset.annotate(
        carrier_signed=signed("carrier"), recipient_signed=signed("recipient")
    )


def with_viewer_side(queryset: QuerySet[Partnership], user) -> QuerySet[Partnership]:
    """Annotate whether ``user`` belongs to the carrier or the recipient."""
    return queryset.annotate(
        in_carrier=Exists(
            Membership.objects.filter(user=user, organisation=OuterRef("carrier"))
        ),
        in_recipient=Exists(
            Membership.objects.filter(user=user, organisation=OuterRef("recipient"))
        ),
    )


PERSON_FIELDS = ("last_name", "first_name", "patronymic", "email")
ORGANISATION_FIELDS = ("short_name", "full_name", "region", "district")


def listing(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """What a row of a list or a card of the board needs, in one statement.

    The related rows are read narrowly: a product's description and search
    vector would otherwise travel with every row of a page.
    """
    related = [
        "product__title",
        *(
            f"{side}__{field}"
            for side in ("carrier", "recipient")
            for field in ORGANISATION_FIELDS
        ),
        *(
            f"{side}_contact__{field}"
            for side in ("carrier", "recipient")
            for field in PERSON_FIELDS
        ),
    ]
    own = [field.attname for field in Partnership._meta.concrete_fields]
    return (
        with_signatures(with_main_agreement(queryset))
        .select_related(
            "product", "carrier", "recipient", "carrier_contact", "recipient_contact"
        )
        .only(*own, *related)
    )


@dataclass(frozen=True)
class Change:
    when: object
    who: str
    changes: list  # (field label, old, new)
    reason: str = ""


AGREEMENT_TRACKED = (
    "number",
    "agreement_date",
    "subject",
    "carrier_obligations",
    "recipient_obligations",
    "changes_procedure",
    "termination_procedure",
    "expiry_date",
    "product_version",
    "carrier_signatory",
    "recipient_signatory",
    "status",
)


def agreement_timeline(agreement: Agreement, limit: int = 100) -> list[Change]:
    """Who changed what in ``agreement``, newest first, in readable words."""
    records = list(
        agreement.history.select_related("history_user").order_by("-history_date")[
            : limit + 1
        ]
    )
    people = _people_of(records)
    versions = {
        version.pk: version.number
        for version in agreement.partnership.product.versions.all()
    }
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        who = newer.history_user.full_name if newer.history_user else _("system")
        reason = newer.history_change_reason or ""
        if older is None:
            entries.append(Change(newer.history_date, who, [], reason or _("Drafted")))
            continue
        delta = newer.diff_against(older, included_fields=list(AGREEMENT_TRACKED))
        changes = [
            (
                str(Agreement._meta.get_field(change.field).verbose_name),
                _shown(change.field, change.old, people, versions),
                _shown(change.field, change.new, people, versions),
            )
            for change in delta.changes
        ]
        if changes or reason:
            entries.append(Change(newer.history_date, who, changes, reason))
    return entries


def _people_of(records) -> dict:
    ids = set()
    for record in records:
        ids.update(
            {record.carrier_signatory_id, record.recipient_signatory_id} - {None}
        )
    return {user.pk: user.full_name for user in User.objects.filter(pk__in=ids)}


def _shown(field: str, value, people: dict, versions: dict) -> str:
    if value in (None, ""):
        return "—"
    if field in ("carrier_signatory", "recipient_signatory"):
        return people.get(value, str(value))
    if field == "product_version":
        return str(versions.get(value, value))
    if field == "status":
        return str(Agreement.Status(value).label)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "…"


def dashboard_partnerships(user, limit: int = 5) -> dict:
    """The user's active partnerships, most recently changed first."""
    queryset = with_viewer_side(
        listing(visible_partnerships(user).filter(status=Partnership.Status.ACTIVE)),
        user,
    ).filter(Q(in_carrier=True) | Q(in_recipient=True))
    rows = list(queryset.order_by("-updated_at", "-pk")[:limit])
    describe(rows)
    return {"partnerships": rows, "partnerships_more": len(rows) == limit}

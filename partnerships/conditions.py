"""The exit conditions and package items this app produces itself.

Loaded by ``PartnershipsConfig.ready()``; the roadmaps and courses apps
provide theirs the same way.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement
from partnerships.registry import ItemState, PackageEntry, registry
from products.models import Material

AGREEMENT_ITEM_STATES = {
    Agreement.Status.DRAFT: ItemState.DRAFT,
    Agreement.Status.AGREED: ItemState.AGREED,
    Agreement.Status.SIGNED: ItemState.SIGNED,
}


def _live_agreement(partnership) -> Agreement | None:
    return (
        partnership.agreements.filter(
            parent__isnull=True, status__in=Agreement.LIVE_STATUSES
        )
        .order_by("-created_at")
        .first()
    )


def agreement_draft_exists(partnership) -> bool:
    return _live_agreement(partnership) is not None


def agreement_signed(partnership) -> bool:
    return partnership.agreements.filter(
        parent__isnull=True, status=Agreement.Status.SIGNED
    ).exists()


def agreement_link(partnership) -> str:
    agreement = _live_agreement(partnership)
    if agreement is None:
        return reverse("partnerships:package", args=[partnership.pk])
    return agreement.get_absolute_url()


def agreement_entry(partnership) -> PackageEntry:
    agreement = _live_agreement(partnership)
    if agreement is None:
        return PackageEntry(
            url=reverse("partnerships:package", args=[partnership.pk]),
            note=_("The carrier drafts it from the platform's template."),
        )
    return PackageEntry(
        state=AGREEMENT_ITEM_STATES[agreement.status],
        url=agreement.get_absolute_url(),
        note=_("No. %(number)s, valid until %(date)s")
        % {
            "number": agreement.number,
            "date": agreement.expiry_date.strftime("%d.%m.%Y"),
        },
    )


def instructions_entry(partnership) -> PackageEntry:
    count = Material.objects.filter(
        product_id=partnership.product_id, kind=Material.Kind.INSTRUCTIONS
    ).count()
    url = reverse("products:product_detail", args=[partnership.product_id])
    if not count:
        return PackageEntry(
            url=url, note=_("The carrier adds them to the product's materials.")
        )
    return PackageEntry(
        state=ItemState.AVAILABLE,
        url=url + "#materials",
        note=_("%(count)s in the product's materials") % {"count": count},
    )


registry.provide_condition("agreement_draft", agreement_draft_exists, agreement_link)
registry.provide_condition("agreement_signed", agreement_signed, agreement_link)
registry.provide_package_item("agreement", agreement_entry)
registry.provide_package_item("instructions", instructions_entry)

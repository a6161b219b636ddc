"""Reads of products shared by pages, with permission filtering."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import PurePosixPath

from django.db import models
from django.db.models import QuerySet
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from organisations.models import Membership, Role
from products import permissions
from products.models import (
    PASSPORT_HISTORY,
    ExpertReview,
    Interest,
    Material,
    PositioningEvent,
    Product,
    RequiredEquipment,
)


def visible_products(user) -> QuerySet[Product]:
    """Return the products ``user`` may open, as one SQL statement."""
    return Product.objects.filter(permissions.visibility_filter(user)).select_related(
        "carrier", "coordinator"
    )


def visible_materials(user, product: Product) -> list[Material]:
    """Return the materials of ``product`` that ``user`` may see."""
    materials = list(product.materials.order_by("kind", "title"))
    if any(m.visibility == Material.Visibility.PARTNERS for m in materials):
        sees_private = (
            permissions.is_carrier_member(user, product)
            or permissions.is_moderator(user)
            or permissions.is_partner(user, product)
        )
        if not sees_private:
            materials = [
                m for m in materials if m.visibility == Material.Visibility.PUBLIC
            ]
    return materials


def latest_reviews(product: Product, limit: int = 3) -> list[ExpertReview]:
    """Return the newest reviews of ``product`` for its page."""
    return list(
        product.expert_reviews.select_related("expert").order_by("-updated_at")[:limit]
    )


def own_review(product: Product, user) -> ExpertReview | None:
    """Return the review ``user`` wrote of ``product``, if any."""
    if not user.is_authenticated:
        return None
    return product.expert_reviews.filter(expert=user).first()


def product_page(product: Product, user) -> dict:
    """Return what the product page shows to ``user``."""
    can_edit = permissions.can_edit_product(user, product)
    can_review = permissions.can_review_product(user, product)
    interest_organisations = permissions.interest_organisations(user, product)
    return {
        "product": product,
        "subject_areas": list(product.subject_areas.all()),
        "education_levels": list(product.education_levels.all()),
        "equipment": list(
            product.required_equipment.select_related("equipment_type").order_by(
                "-is_mandatory", "equipment_type__name"
            )
        ),
        "materials": visible_materials(user, product),
        "events": list(product.events.order_by("-starts_at")[:10]),
        "reviews": latest_reviews(product),
        "own_review": own_review(product, user) if can_review else None,
        "versions": list(product.versions.all()[:5]),
        "can_edit": can_edit,
        "can_submit": permissions.can_submit_product(user, product),
        "can_moderate": permissions.can_moderate_product(user, product),
        "can_review": can_review,
        "can_manage_interests": permissions.can_manage_interests(user, product),
        "interest_organisations": interest_organisations,
        "is_carrier_member": permissions.is_carrier_member(user, product),
    }


def awaiting_moderation() -> QuerySet[Product]:
    return (
        Product.objects.filter(status=Product.Status.SUBMITTED)
        .select_related("carrier")
        .order_by("submitted_at")
    )


def products_of_my_organisations(user) -> list[dict]:
    """Return ``[{"membership": m, "products": [...], "can_create": bool}, …]``
    for ``user``."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    products = Product.objects.filter(
        carrier__in=[m.organisation_id for m in memberships]
    ).order_by("status", "-updated_at")
    by_carrier: dict[int, list[Product]] = {}
    for product in products:
        by_carrier.setdefault(product.carrier_id, []).append(product)
    return [
        {
            "membership": m,
            "products": by_carrier.get(m.organisation_id, []),
            # ``permissions.can_create_product``, read off the membership.
            "can_create": m.role in (Role.HEAD, Role.COORDINATOR),
        }
        for m in memberships
    ]


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]


# The rating and the number of reviews are moved by the reviews service with
# ``update``, which the history does not see: the next saved record would
# credit its author with them.
TRACKED_FIELDS = {
    field.name: field
    for field in Product._meta.fields
    if field.name
    not in {"search_text", "search_vector", "updated_at", "rating", "review_count"}
}
# What moderation leaves on a product is for its carrier and the moderators.
INTERNAL_FIELDS = {"rejection_reason", "moderated_by", "submitted_at", "created_by"}
# A text longer than this shows the changed part with some words around it.
TEXT_SHOWN = 200
TEXT_CONTEXT = 60


def product_timeline(
    product: Product, *, full: bool, limit: int = 100
) -> list[TimelineEntry]:
    """Return the readable history of ``product``, newest first.

    Each entry says who changed which passport fields from what to what.
    ``full`` is for the carrier and the moderators; everyone else reads the
    history from the first publication on, without what moderation left
    (a rejection's reason, the moderator, the dates of submission).
    """
    history = product.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    if not full:
        first_published = (
            product.history.filter(status=Product.Status.PUBLISHED)
            .order_by("history_date", "history_id")
            .values_list("history_date", flat=True)
            .first()
        )
        if first_published is None:
            return []
        history = history.filter(history_date__gte=first_published)
    else:
        first_published = None
    records = list(history[: limit + 1])
    fields = (
        TRACKED_FIELDS
        if full
        else {k: v for k, v in TRACKED_FIELDS.items() if k not in INTERNAL_FIELDS}
    )
    deltas = [
        newer.diff_against(older, included_fields=list(fields))
        for newer, older in pairwise(records)
    ]
    names = _related_names(deltas, fields)
    sets = [*_classification(records), _equipment(product, records)]
    entries = []
    for index, newer in enumerate(records[:limit]):
        who = newer.history_user.full_name if newer.history_user else _("system")
        if index == len(deltas):
            action = _("created") if full else pgettext("product", "published")
            entries.append(TimelineEntry(newer.history_date, who, action, []))
            continue
        changes = [
            (
                str(fields[change.field].verbose_name),
                *_shown(fields[change.field], change.old, change.new, names),
            )
            for change in deltas[index].changes
        ]
        older = records[index + 1]
        for label, values in sets:
            was, became = values.get(older.history_id), values.get(newer.history_id)
            if was != became:
                changes.append((label, was or "—", became or "—"))
        if changes:
            entries.append(
                TimelineEntry(newer.history_date, who, _("changed"), changes)
            )
    entries += _attachments(product, full=full, since=first_published, limit=limit)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


ATTACHMENT_ACTIONS = {
    "material": {
        "+": gettext_lazy("material “%(title)s” added"),
        "~": gettext_lazy("material “%(title)s” changed"),
        "-": gettext_lazy("material “%(title)s” deleted"),
    },
    "event": {
        "+": gettext_lazy("event “%(title)s” recorded"),
        "~": gettext_lazy("event “%(title)s” changed"),
        "-": gettext_lazy("event “%(title)s” deleted"),
    },
}


def _attachments(product: Product, *, full: bool, since, limit: int):
    """The materials and positioning events added, changed and deleted, as
    entries of the timeline; a reader outside the carrier and the
    moderators sees public materials only, from the publication on."""
    materials = Material.history.filter(product_id=product.pk)
    events = PositioningEvent.history.filter(product_id=product.pk)
    if not full:
        materials = materials.filter(visibility=Material.Visibility.PUBLIC)
    if since is not None:
        materials = materials.filter(history_date__gte=since)
        events = events.filter(history_date__gte=since)
    entries = []
    for what, records in (("material", materials), ("event", events)):
        for record in records.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:limit]:
            who = record.history_user.full_name if record.history_user else _("system")
            action = ATTACHMENT_ACTIONS[what][record.history_type] % {
                "title": record.title
            }
            entries.append(TimelineEntry(record.history_date, who, action, []))
    return entries


def _classification(records) -> list[tuple[str, dict[int, str]]]:
    """The subject areas and education levels each record keeps, as text,
    by record; one query for each."""
    ids = [record.history_id for record in records]
    sets = []
    for field, target in (
        ("subject_areas", "subjectarea"),
        ("education_levels", "educationlevel"),
    ):
        kept = PASSPORT_HISTORY.m2m_models[Product._meta.get_field(field)]
        by_record: dict[int, list[str]] = {}
        for history_id, name in (
            kept.objects.filter(history_id__in=ids)
            .order_by(f"{target}__order", f"{target}__name")
            .values_list("history_id", f"{target}__name")
        ):
            by_record.setdefault(history_id, []).append(name or _("deleted"))
        label = str(Product._meta.get_field(field).verbose_name)
        sets.append((label, {pk: ", ".join(names) for pk, names in by_record.items()}))
    return sets


def _equipment(product: Product, records) -> tuple[str, dict[int, str]]:
    """The required equipment as it stood at each record, as text: the
    equipment's own history replayed up to the record's moment."""
    changes = RequiredEquipment.history.filter(product_id=product.pk).order_by(
        "history_date", "history_id"
    )
    rows = list(
        changes.values_list(
            "id",
            "history_type",
            "history_date",
            "equipment_type__name",
            "quantity",
            "is_mandatory",
        )
    )
    standing: dict[int, str] = {}
    by_record: dict[int, str] = {}
    at = 0
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        while at < len(rows) and rows[at][2] <= record.history_date:
            pk, kind, _when, name, quantity, mandatory = rows[at]
            if kind == "-":
                standing.pop(pk, None)
            else:
                standing[pk] = _equipment_item(name, quantity, mandatory)
            at += 1
        by_record[record.history_id] = "; ".join(sorted(standing.values()))
    label = str(Product._meta.get_field("equipment").verbose_name)
    return label, by_record


def _equipment_item(name: str | None, quantity: int, mandatory: bool) -> str:
    item = _("%(name)s, %(quantity)s pcs.") % {
        "name": name or _("deleted"),
        "quantity": quantity,
    }
    return item if mandatory else _("%(item)s (optional)") % {"item": item}


def _related_names(deltas, fields) -> dict[tuple[str, object], str]:
    """Name the people and organisations the changes point to, one query per
    kind of thing."""
    wanted: dict[type, set] = {}
    for delta in deltas:
        for change in delta.changes:
            field = fields[change.field]
            if field.is_relation:
                model = field.related_model
                wanted.setdefault(model, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    names = {}
    for model, keys in wanted.items():
        for pk, obj in model._default_manager.in_bulk(keys).items():
            names[(model, pk)] = str(obj)
    return names


def _shown(field, old, new, names) -> tuple[str, str]:
    """The two values of a change as a reader wants them."""
    if isinstance(old, str) and isinstance(new, str) and not field.choices:
        return _changed_part(old, new)
    return _display(field, old, names), _display(field, new, names)


def _display(field, value, names) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), _("deleted"))
    if isinstance(field, models.FileField):
        return _("file %(name)s") % {"name": PurePosixPath(str(value)).name}
    if isinstance(field, models.DateTimeField):
        return date_format(localtime(value), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return date_format(value, "DATE_FORMAT")
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal | int):
        return number_format(value)
    return str(value)


def _changed_part(old: str, new: str) -> tuple[str, str]:
    """Two long texts cut to where they differ, with some text around it."""
    if not old:
        old = "—"
    if not new:
        new = "—"
    if len(old) <= TEXT_SHOWN and len(new) <= TEXT_SHOWN:
        return old, new
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1

    def cut(text: str) -> str:
        begin = max(0, start - TEXT_CONTEXT)
        finish = min(len(text), len(text) - end + TEXT_CONTEXT)
        part = text[begin:finish]
        if len(part) > TEXT_SHOWN:
            part = part[: TEXT_SHOWN - 1].rstrip() + "…"
        return ("…" if begin else "") + part + ("…" if finish < len(text) else "")

    return cut(old), cut(new)


def dashboard_summary(user) -> dict:
    """Return the products part of a user's dashboard, in a few queries."""
    leads = Membership.objects.filter(
        user=user, role__in=[Role.HEAD, Role.COORDINATOR]
    ).values("organisation")
    summary = {
        "leads_an_organisation": leads.exists(),
        "new_interests": Interest.objects.filter(
            product__carrier__in=leads, status=Interest.Status.NEW
        ).count(),
        "is_moderator": permissions.is_moderator(user),
        "awaiting_moderation": 0,
    }
    if summary["is_moderator"]:
        summary["awaiting_moderation"] = awaiting_moderation().count()
    return summary

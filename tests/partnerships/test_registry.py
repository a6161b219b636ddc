"""The registry of stage exit conditions and document-package items."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Stage
from partnerships.registry import (
    ItemState,
    PackageEntry,
    Registry,
    registry,
)
from products.models import Material
from tests.partnerships.conftest import agree, sign

# Conditions and items that apps building on partnerships will provide.
FOREIGN_CONDITIONS = {
    "roadmap_draft",
    "roadmap_approved",
    "readiness_monitored",
    "schedule_agreed",
}
FOREIGN_ITEMS = ("course_programme", "diagnostics", "roadmap")


def package(partnership) -> dict:
    return {item.key: entry for item, entry in registry.package_of(partnership)}


def missing_keys(partnership, stage: int) -> list[str]:
    return [state.condition.key for state in registry.missing(partnership, stage)]


# The registry itself, on a fresh instance


def test_declaring_again_keeps_the_first_declaration():
    fresh = Registry()
    fresh.declare_condition("plan", 2, "First")

    fresh.declare_condition("plan", 3, "Second")

    assert (fresh.conditions["plan"].stage, fresh.conditions["plan"].label) == (
        2,
        "First",
    )


def test_an_undeclared_condition_cannot_be_provided():
    fresh = Registry()

    with pytest.raises(KeyError):
        fresh.provide_condition("plan", lambda partnership: True)


def test_conditions_are_evaluated_in_declaration_order():
    fresh = Registry()
    fresh.declare_condition("b", 2, "B")
    fresh.declare_condition("other", 3, "Other")
    fresh.declare_condition("a", 2, "A")
    fresh.provide_condition("a", lambda partnership: True, lambda p: "/a/")

    states = fresh.evaluate(object(), 2)

    assert [(s.condition.key, s.met, s.provided, s.url) for s in states] == [
        ("b", False, False, ""),
        ("a", True, True, "/a/"),
    ]
    assert [s.condition.key for s in fresh.missing(object(), 2)] == ["b"]


def test_an_unprovided_package_item_is_missing():
    fresh = Registry()
    fresh.declare_package_item("plan", "Plan", "What it is")

    [(item, entry)] = fresh.package_of(object())

    assert (item.key, item.description) == ("plan", "What it is")
    assert entry == PackageEntry()
    assert entry.state == ItemState.MISSING
    assert entry.state_label == ItemState.LABELS[ItemState.MISSING]


# The project's registry


def test_every_stage_exit_of_the_design_is_declared():
    assert {key: c.stage for key, c in registry.conditions.items()} == {
        "agreement_draft": Stage.DOCUMENTS,
        "roadmap_draft": Stage.DOCUMENTS,
        "agreement_signed": Stage.COMMUNITY,
        "roadmap_approved": Stage.COMMUNITY,
        "readiness_monitored": Stage.PREPARATION,
        "schedule_agreed": Stage.PREPARATION,
    }
    assert list(registry.package) == [
        "course_programme",
        "diagnostics",
        "agreement",
        "roadmap",
        "instructions",
    ]


def test_partnerships_provides_only_its_own_conditions():
    provided = {key for key, c in registry.conditions.items() if c.check}

    assert provided == {"agreement_draft", "agreement_signed"}
    assert not provided & FOREIGN_CONDITIONS


def test_declared_but_unprovided_conditions_count_as_missing(partnership):
    assert missing_keys(partnership, Stage.DOCUMENTS) == [
        "agreement_draft",
        "roadmap_draft",
    ]
    assert missing_keys(partnership, Stage.PREPARATION) == [
        "readiness_monitored",
        "schedule_agreed",
    ]
    states = {s.condition.key: s for s in registry.evaluate(partnership, 2)}
    assert states["agreement_draft"].provided
    assert not states["roadmap_draft"].provided
    assert states["agreement_draft"].url == reverse(
        "partnerships:package", args=[partnership.pk]
    )


def test_a_draft_meets_the_agreement_condition(partnership, draft_agreement):
    states = {s.condition.key: s for s in registry.evaluate(partnership, 2)}

    assert states["agreement_draft"].met
    assert states["agreement_draft"].url == draft_agreement.get_absolute_url()
    assert missing_keys(partnership, Stage.DOCUMENTS) == ["roadmap_draft"]
    assert missing_keys(partnership, Stage.COMMUNITY) == [
        "agreement_signed",
        "roadmap_approved",
    ]


def test_a_terminated_draft_no_longer_counts(
    partnership, draft_agreement, carrier_coordinator
):
    services.terminate_agreement(
        agreement=draft_agreement, actor=carrier_coordinator, reason="Заново."
    )

    assert "agreement_draft" in missing_keys(partnership, Stage.DOCUMENTS)


def test_signed_agreement_meets_both_agreement_conditions(
    partnership, signed_agreement
):
    assert missing_keys(partnership, Stage.DOCUMENTS) == ["roadmap_draft"]
    assert missing_keys(partnership, Stage.COMMUNITY) == ["roadmap_approved"]


def test_package_items_of_later_apps_are_missing(partnership):
    entries = package(partnership)

    for key in FOREIGN_ITEMS:
        assert entries[key] == PackageEntry(), key


def test_package_agreement_without_a_draft(partnership):
    entry = package(partnership)["agreement"]

    assert entry.state == ItemState.MISSING
    assert entry.url == reverse("partnerships:package", args=[partnership.pk])
    assert entry.note


def test_package_agreement_follows_the_agreement(
    partnership, draft_agreement, recipient_head, carrier_head
):
    entry = package(partnership)["agreement"]
    assert entry.state == ItemState.DRAFT
    assert entry.url == draft_agreement.get_absolute_url()
    assert draft_agreement.number in str(entry.note)
    assert draft_agreement.expiry_date.strftime("%d.%m.%Y") in str(entry.note)

    agree(draft_agreement, recipient_head)
    assert package(partnership)["agreement"].state == ItemState.AGREED

    sign(draft_agreement, carrier_head)
    sign(draft_agreement, recipient_head)
    assert package(partnership)["agreement"].state == ItemState.SIGNED


def test_package_instructions_come_from_the_products_materials(partnership, product):
    product_url = reverse("products:product_detail", args=[product.pk])
    entry = package(partnership)["instructions"]
    assert (entry.state, entry.url) == (ItemState.MISSING, product_url)

    Material.objects.create(
        product=product,
        kind=Material.Kind.METHODOLOGICAL,
        title="Методические рекомендации",
        url="https://example.org/methods",
    )
    assert package(partnership)["instructions"].state == ItemState.MISSING

    for number in (1, 2):
        Material.objects.create(
            product=product,
            kind=Material.Kind.INSTRUCTIONS,
            title=f"Инструкция {number}",
            url=f"https://example.org/guide-{number}",
        )
    entry = package(partnership)["instructions"]
    assert entry.state == ItemState.AVAILABLE
    assert entry.url == product_url + "#materials"
    assert "2" in str(entry.note)

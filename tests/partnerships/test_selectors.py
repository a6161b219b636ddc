"""Reads shared by partnership pages: visibility, annotations, timeline."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from partnerships import selectors, services
from partnerships.models import Agreement, Partnership, Side, Stage
from partnerships.progress import describe, waiting_on
from tests.factories import ProductFactory
from tests.partnerships.conftest import agree, new_partner, set_stage, sign


def listed(user, queryset=None) -> list[Partnership]:
    rows = selectors.with_viewer_side(
        selectors.listing(queryset or selectors.visible_partnerships(user)), user
    )
    return list(rows.order_by("pk"))


def described(user) -> Partnership:
    [row] = listed(user)
    describe([row])
    return row


# visible_partnerships and visible_agreements


@pytest.mark.parametrize(
    "persona",
    [
        "carrier_head",
        "carrier_coordinator",
        "carrier_specialist",
        "recipient_head",
        "recipient_coordinator",
        "recipient_specialist",
    ],
)
def test_members_of_both_sides_see_the_partnership(request, partnership, persona):
    user = request.getfixturevalue(persona)

    assert list(selectors.visible_partnerships(user)) == [partnership]


def test_strangers_see_nothing(partnership, outsider, expert):
    for user in (outsider, expert, AnonymousUser()):
        assert not selectors.visible_partnerships(user).exists()
        assert not selectors.visible_agreements(user).exists()


def test_administrator_sees_every_partnership(
    partnership, administrator, outsider, unrelated_school
):
    product = ProductFactory(carrier=unrelated_school, coordinator=outsider)
    other = new_partner(product, outsider)

    assert set(selectors.visible_partnerships(administrator)) == {partnership, other}


def test_a_school_sees_only_its_own_partnerships(
    partnership, product, carrier_coordinator, recipient_head
):
    other = new_partner(product, carrier_coordinator)

    assert set(selectors.visible_partnerships(carrier_coordinator)) == {
        partnership,
        other,
    }
    assert list(selectors.visible_partnerships(recipient_head)) == [partnership]
    assert list(selectors.visible_partnerships(other.recipient_contact)) == [other]


def test_visibility_is_one_statement(
    partnership, product, carrier_coordinator, django_assert_num_queries
):
    for _ in range(3):
        new_partner(product, carrier_coordinator)

    with django_assert_num_queries(1):
        assert len(list(selectors.visible_partnerships(carrier_coordinator))) == 4


def test_agreements_are_visible_with_their_partnership(
    draft_agreement, recipient_specialist, outsider
):
    assert list(selectors.visible_agreements(recipient_specialist)) == [draft_agreement]
    assert not selectors.visible_agreements(outsider).exists()


# main agreement, signatures, viewer side


def test_partnership_without_an_agreement(partnership, carrier_head):
    [row] = listed(carrier_head)

    assert row.agreement_id is None
    assert row.agreement_status is None
    assert (row.carrier_signed, row.recipient_signed) == (False, False)
    assert selectors.main_agreement(partnership) is None
    assert selectors.consultation_until(partnership) is None


def test_rows_carry_the_main_agreements_state(draft_agreement, carrier_head):
    [row] = listed(carrier_head)

    assert row.agreement_id == draft_agreement.pk
    assert row.agreement_status == Agreement.Status.DRAFT
    assert row.agreement_number == draft_agreement.number
    assert row.agreement_expiry == draft_agreement.expiry_date


def test_the_newest_main_agreement_is_current(
    partnership, draft_agreement, carrier_coordinator, carrier_head
):
    services.terminate_agreement(
        agreement=draft_agreement, actor=carrier_coordinator, reason="Заново."
    )
    second = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator
    )
    # Both were drafted within the same instant on a fast machine.
    Agreement.objects.filter(pk=draft_agreement.pk).update(
        created_at=second.created_at - timedelta(minutes=1)
    )

    [row] = listed(carrier_head)

    assert row.agreement_id == second.pk
    assert selectors.main_agreement(partnership) == second


def test_signatures_are_annotated_per_side(agreed_agreement, carrier_head):
    sign(agreed_agreement, carrier_head)

    [row] = listed(carrier_head)

    assert (row.carrier_signed, row.recipient_signed) == (True, False)


def test_consultation_lasts_until_the_signed_agreement_expires(
    partnership, signed_agreement
):
    assert selectors.consultation_until(partnership) == signed_agreement.expiry_date


@pytest.mark.parametrize(
    ("persona", "sides"),
    [
        ("carrier_specialist", (True, False)),
        ("recipient_head", (False, True)),
        ("expert", (False, False)),
    ],
)
def test_rows_say_which_side_the_viewer_is_on(
    request, partnership, administrator, persona, sides
):
    user = request.getfixturevalue(persona)
    queryset = selectors.visible_partnerships(administrator)

    [row] = listed(user, queryset)

    assert (row.in_carrier, row.in_recipient) == sides


def test_listing_is_one_query_whatever_the_number_of_rows(
    partnership, product, carrier_coordinator, django_assert_num_queries
):
    for _ in range(3):
        agreement = services.draft_agreement(
            partnership=new_partner(product, carrier_coordinator),
            actor=carrier_coordinator,
        )
        assert agreement.pk

    with django_assert_num_queries(1):
        rows = listed(carrier_coordinator)
        shown = [
            (
                row.product.title,
                row.carrier.short_name,
                row.recipient.short_name,
                row.carrier_contact.full_name,
                row.recipient_contact.full_name,
                row.agreement_status,
                row.carrier_signed,
                row.in_carrier,
            )
            for row in rows
        ]

    assert len(shown) == 4
    assert [status for *_, status, _, _ in shown] == [None, "draft", "draft", "draft"]


# agreement_timeline


def test_timeline_starts_with_the_draft(draft_agreement, carrier_coordinator):
    [entry] = selectors.agreement_timeline(draft_agreement)

    assert entry.who == carrier_coordinator.full_name
    assert entry.changes == []
    assert "Типовое соглашение о сотрудничестве" in entry.reason


def test_timeline_shows_changes_in_readable_words(
    draft_agreement, carrier_head, carrier_coordinator, recipient_head
):
    old_subject = draft_agreement.subject
    new_expiry = draft_agreement.expiry_date + timedelta(days=31)
    services.update_agreement(
        agreement=draft_agreement,
        actor=carrier_head,
        data={
            "subject": "Короткий предмет.",
            "carrier_signatory": carrier_coordinator,
            "expiry_date": new_expiry,
        },
        expected_version=1,
    )

    with translation.override("en"):
        latest = selectors.agreement_timeline(draft_agreement)[0]

    assert latest.who == carrier_head.full_name
    changes = {label: (old, new) for label, old, new in latest.changes}
    assert set(changes) == {
        "subject of the agreement",
        "signs for the carrier",
        "valid until",
    }
    old, new = changes["subject of the agreement"]
    assert len(old_subject) > 300
    assert old == old_subject[:297] + "…"
    assert new == "Короткий предмет."
    assert changes["signs for the carrier"] == (
        carrier_head.full_name,
        carrier_coordinator.full_name,
    )
    assert changes["valid until"] == (
        draft_agreement.expiry_date.strftime("%d.%m.%Y"),
        new_expiry.strftime("%d.%m.%Y"),
    )


def test_timeline_names_status_and_version(draft_agreement, recipient_head):
    services.update_agreement(
        agreement=draft_agreement,
        actor=recipient_head,
        data={"product_version": None},
        expected_version=1,
    )
    agree(draft_agreement, recipient_head)

    with translation.override("en"):
        agreed, unversioned, _drafted = selectors.agreement_timeline(draft_agreement)

    assert ("status", "Draft", "Agreed") in agreed.changes
    assert agreed.reason
    assert unversioned.changes == [("product version", "2.0", "—")]


def test_timeline_is_limited(draft_agreement, carrier_head):
    for number in range(3):
        services.update_agreement(
            agreement=draft_agreement,
            actor=carrier_head,
            data={"number": f"Н-{number}"},
            expected_version=number + 1,
        )

    entries = selectors.agreement_timeline(draft_agreement, limit=2)

    assert [entry.changes[0][2] for entry in entries] == ["Н-2", "Н-1"]


# dashboard_partnerships and what each side is expected to do


def test_dashboard_lists_the_users_active_partnerships(
    partnership, product, carrier_coordinator, recipient_head
):
    ended = new_partner(product, carrier_coordinator)
    services.terminate_partnership(
        partnership=ended, actor=carrier_coordinator, reason="Не сложилось."
    )
    newest = new_partner(product, carrier_coordinator)

    board = selectors.dashboard_partnerships(carrier_coordinator, limit=5)

    assert board["partnerships"] == [newest, partnership]
    assert board["partnerships_more"] is False
    assert [row.my_side for row in board["partnerships"]] == [Side.CARRIER] * 2
    assert selectors.dashboard_partnerships(recipient_head)["partnerships"] == [
        partnership
    ]


def test_dashboard_says_when_there_are_more(partnership, product, carrier_coordinator):
    new_partner(product, carrier_coordinator)

    board = selectors.dashboard_partnerships(carrier_coordinator, limit=2)

    assert len(board["partnerships"]) == 2
    assert board["partnerships_more"] is True


def test_dashboard_is_for_members_only(partnership, administrator, expert):
    services.set_experts(partnership=partnership, actor=administrator, experts=[expert])

    for user in (administrator, expert):
        assert selectors.dashboard_partnerships(user)["partnerships"] == []


def test_carrier_is_expected_to_draft_first(partnership, carrier_head, recipient_head):
    with translation.override("en"):
        carrier_row = described(carrier_head)
        recipient_row = described(recipient_head)

        assert carrier_row.expected == (
            "The carrier drafts the cooperation agreement and the document package."
        )
        assert str(recipient_row.expected).startswith("Waiting for the other side: ")
    assert (carrier_row.my_side, recipient_row.my_side) == (
        Side.CARRIER,
        Side.RECIPIENT,
    )
    assert carrier_row.agreement_status_label == ""


def test_recipient_is_expected_to_review_the_draft(draft_agreement, recipient_head):
    with translation.override("en"):
        row = described(recipient_head)

        assert str(row.expected).startswith("The recipient reviews the draft")
        assert row.agreement_status_label == "Draft"


def test_both_heads_are_expected_to_sign(
    agreed_agreement, carrier_head, recipient_head
):
    with translation.override("en"):
        assert described(carrier_head).expected == "Both heads sign the agreement."

        sign(agreed_agreement, carrier_head)

        assert str(described(carrier_head).expected) == (
            "Waiting for the other side: The recipient's head signs the agreement."
        )
        assert described(recipient_head).expected == (
            "The recipient's head signs the agreement."
        )


def test_after_signing_the_stage_activities_are_expected(
    partnership, signed_agreement, carrier_head
):
    with translation.override("en"):
        assert str(described(carrier_head).expected).startswith(
            "The carrier completes the document package"
        )

        set_stage(partnership, Stage.COMMUNITY)

        assert str(described(carrier_head).expected).startswith("The heads negotiate")


def test_nothing_is_expected_of_an_ended_partnership(partnership, carrier_head):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_head, reason="Не сложилось."
    )

    with translation.override("en"):
        [row] = listed(carrier_head)
        side, text = waiting_on(row)

        assert side is None
        assert str(text) == "Nothing: the partnership is terminated."

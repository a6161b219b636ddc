"""Services of partnerships: accepting an interest, stages, ending, experts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.services import absolute_url
from notifications.kinds import Kind
from notifications.models import Notification
from organisations.models import Membership, Role
from partnerships import permissions, selectors, services
from partnerships.models import (
    Agreement,
    NegotiationNote,
    Partnership,
    Stage,
    StageMove,
)
from partnerships.registry import registry
from partnerships.services import partnerships as partnership_services
from products.models import Interest
from products.services.interests import (
    declare_interest,
    decline_interest,
    record_interest_acceptance,
)
from tests.factories import member
from tests.partnerships.conftest import (
    notified,
    postgresql_only,
    run_concurrently,
    set_stage,
    slowed,
)

MISSING_MESSAGE = (
    "To move to the stage «%(stage)s», the following is missing: %(missing)s."
)


def accept(interest, actor) -> Partnership:
    return services.accept_interest(interest=interest, actor=actor)


def provide(monkeypatch, key: str) -> None:
    """Let a declared condition count as met for this test only."""
    monkeypatch.setattr(registry.conditions[key], "check", lambda partnership: True)


def language_marked(message: str) -> str:
    """A stand-in for gettext that shows the language active when called."""
    return f"[{translation.get_language()}] {message}"


def snapshot(partnership: Partnership) -> tuple:
    partnership.refresh_from_db()
    return (
        partnership.stage,
        partnership.status,
        partnership.end_reason,
        partnership.stage_moves.count(),
    )


# accept_interest


def test_accepting_an_interest_creates_the_partnership_at_stage_2(
    interest, product, carrier, recipient, carrier_head, carrier_coordinator
):
    partnership = accept(interest, carrier_coordinator)

    partnership.refresh_from_db()
    interest.refresh_from_db()
    assert partnership.product == product
    assert partnership.interest == interest
    assert (partnership.carrier, partnership.recipient) == (carrier, recipient)
    assert partnership.carrier_contact == carrier_coordinator
    assert partnership.recipient_contact == interest.declared_by
    assert partnership.stage == Stage.DOCUMENTS
    assert partnership.status == Partnership.Status.ACTIVE
    assert partnership.created_by == carrier_coordinator
    assert partnership.history.get().history_user == carrier_coordinator
    assert interest.status == Interest.Status.ACCEPTED
    assert interest.decided_by == carrier_coordinator
    move = StageMove.objects.get(partnership=partnership)
    assert (move.from_stage, move.to_stage, move.actor) == (
        Stage.POSITIONING,
        Stage.DOCUMENTS,
        carrier_coordinator,
    )
    assert move.reason


def test_carrier_contact_is_the_products_coordinator_whoever_accepts(
    interest, carrier_head, carrier_coordinator
):
    partnership = accept(interest, carrier_head)

    assert partnership.carrier_contact == carrier_coordinator
    assert partnership.created_by == carrier_head


def test_both_organisations_role_groups_get_their_rights(
    interest,
    carrier_head,
    carrier_coordinator,
    carrier_specialist,
    recipient_head,
    recipient_coordinator,
    recipient_specialist,
    outsider,
    expert,
):
    partnership = accept(interest, carrier_coordinator)

    for lead in (
        carrier_head,
        carrier_coordinator,
        recipient_head,
        recipient_coordinator,
    ):
        assert lead.has_perm("partnerships.view_partnership", partnership)
        assert lead.has_perm("partnerships.change_partnership", partnership)
        assert list(selectors.visible_partnerships(lead)) == [partnership]
    for specialist in (carrier_specialist, recipient_specialist):
        assert specialist.has_perm("partnerships.view_partnership", partnership)
        assert not specialist.has_perm("partnerships.change_partnership", partnership)
        assert list(selectors.visible_partnerships(specialist)) == [partnership]
    for stranger in (outsider, expert):
        assert not stranger.has_perm("partnerships.view_partnership", partnership)
        assert not selectors.visible_partnerships(stranger).exists()


def test_access_follows_membership_without_regranting(partnership, recipient):
    newcomer = member(recipient, Role.SPECIALIST, email="newcomer@gymnasium70.example")

    assert newcomer.has_perm("partnerships.view_partnership", partnership)
    assert selectors.visible_partnerships(newcomer).get() == partnership

    Membership.objects.get(user=newcomer).delete()
    newcomer.refresh_from_db()

    assert not newcomer.has_perm("partnerships.view_partnership", partnership)
    assert not selectors.visible_partnerships(newcomer).exists()


def test_accepting_twice_returns_the_same_partnership(
    partnership, interest, carrier_coordinator, carrier_head
):
    again = accept(interest, carrier_head)

    assert again.pk == partnership.pk
    assert Partnership.objects.count() == 1
    assert StageMove.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.INTEREST_ACCEPTED).count() == 2


def test_declined_interest_cannot_be_accepted(interest, carrier_coordinator):
    decline_interest(
        interest=interest, actor=carrier_coordinator, reason="Нет свободных мест."
    )

    with pytest.raises(ValidationError) as error:
        accept(interest, carrier_coordinator)

    assert error.value.code == "declined"
    assert not Partnership.objects.exists()
    interest.refresh_from_db()
    assert interest.status == Interest.Status.DECLINED


@pytest.mark.parametrize(
    "persona", ["recipient_head", "carrier_specialist", "outsider", "administrator"]
)
def test_only_the_carriers_leads_accept(request, interest, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        accept(interest, actor)

    assert not Partnership.objects.exists()
    interest.refresh_from_db()
    assert interest.status == Interest.Status.NEW


def second_interest(product, recipient, recipient_head) -> Interest:
    """A new interest of the partner, written past ``declare_interest`` (which
    refuses it while the partnership lives): one declared at the very moment
    the first was accepted, or entered by an administrator."""
    return Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим ещё раз: пришла новая команда.",
    )


def test_second_active_partnership_on_the_product_is_refused(
    partnership, product, recipient, recipient_head, carrier_coordinator
):
    again = second_interest(product, recipient, recipient_head)

    with pytest.raises(ValidationError) as error:
        accept(again, carrier_coordinator)

    assert error.value.code == "already_partners"
    assert Partnership.objects.get() == partnership
    again.refresh_from_db()
    assert again.status == Interest.Status.NEW


def test_simultaneous_acceptance_is_refused_by_the_constraint(
    partnership, product, recipient, recipient_head, carrier_coordinator, monkeypatch
):
    # The other request's partnership is not visible to the check yet (it
    # commits in between); the database constraint then refuses the insert.
    again = second_interest(product, recipient, recipient_head)
    manager = Partnership.objects
    real_filter = manager.filter

    def not_yet_visible(*args, **kwargs):
        if kwargs.get("status") == Partnership.Status.ACTIVE:
            return real_filter(pk__in=[])
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(manager, "filter", not_yet_visible)

    with pytest.raises(ValidationError) as error:
        accept(again, carrier_coordinator)

    monkeypatch.undo()
    assert error.value.code == "already_partners"
    assert Partnership.objects.get() == partnership
    again.refresh_from_db()
    assert again.status == Interest.Status.NEW


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_acceptances_create_one_partnership(
    interest, carrier_head, carrier_coordinator, monkeypatch
):
    # The first holds its transaction open while the second arrives.
    monkeypatch.setattr(
        permissions, "grant_permissions", slowed(permissions.grant_permissions)
    )

    outcomes = run_concurrently(
        lambda: accept(interest, carrier_coordinator),
        lambda: accept(interest, carrier_head),
    )

    assert [type(outcome) for outcome in outcomes] == [Partnership, Partnership]
    assert outcomes[0].pk == outcomes[1].pk
    assert Partnership.objects.count() == 1
    assert StageMove.objects.count() == 1


def test_after_termination_the_recipient_may_become_a_partner_again(
    partnership, product, recipient, recipient_head, carrier_coordinator
):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_coordinator, reason="Смена команды."
    )
    again = second_interest(product, recipient, recipient_head)

    second = accept(again, carrier_coordinator)

    assert second.pk != partnership.pk
    assert second.is_active


def test_both_sides_leads_are_notified_except_the_actor(
    interest,
    carrier_head,
    carrier_coordinator,
    carrier_specialist,
    recipient_head,
    recipient_coordinator,
    recipient_specialist,
):
    partnership = accept(interest, carrier_coordinator)

    assert notified(Kind.INTEREST_ACCEPTED) == {
        carrier_head.pk,
        recipient_head.pk,
        recipient_coordinator.pk,
    }
    notification = Notification.objects.filter(kind=Kind.INTEREST_ACCEPTED).first()
    assert notification.link == partnership.get_absolute_url()
    assert notification.actor == carrier_coordinator


def test_notification_text_is_in_the_site_language(
    interest, carrier_coordinator, monkeypatch
):
    monkeypatch.setattr(partnership_services, "_", language_marked)

    with translation.override("en"):
        accept(interest, carrier_coordinator)

    notification = Notification.objects.filter(kind=Kind.INTEREST_ACCEPTED).first()
    assert notification.title.startswith("[ru] ")
    assert notification.body.startswith("[ru] ")
    assert StageMove.objects.get().reason.startswith("[ru] ")


def test_products_sends_no_email_of_its_own_when_partnerships_accepts(
    interest,
    carrier_head,
    carrier_coordinator,
    recipient_head,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        partnership = accept(interest, carrier_coordinator)

    products_link = absolute_url(reverse("products:my_interests"))
    assert not [mail for mail in mailoutbox if products_link in mail.body]
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [carrier_head.email, recipient_head.email]
    )
    partnership_link = absolute_url(partnership.get_absolute_url())
    assert all(partnership_link in mail.body for mail in mailoutbox)


def test_products_email_to_the_declarer_is_recognisable(
    interest,
    carrier_coordinator,
    recipient_head,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # The control of the test above: when products accepts on its own, its
    # email to the declarer carries the link to the organisation's interests.
    with django_capture_on_commit_callbacks(execute=True):
        record_interest_acceptance(interest=interest, actor=carrier_coordinator)

    products_link = absolute_url(reverse("products:my_interests"))
    assert [mail.to for mail in mailoutbox if products_link in mail.body] == [
        [recipient_head.email]
    ]


# advance_stage


def refusal(partnership, actor) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        services.advance_stage(partnership=partnership, actor=actor)
    return error.value


def test_advance_names_every_missing_condition(partnership, carrier_coordinator):
    with translation.override("en"):
        error = refusal(partnership, carrier_coordinator)

    assert error.code == "conditions_missing"
    assert error.messages == [
        "To move to the stage «Network community», the following is missing: "
        "The draft of the cooperation agreement exists; "
        "The draft of the roadmap exists."
    ]
    assert snapshot(partnership) == (Stage.DOCUMENTS, "active", "", 1)


def test_advance_refusal_is_in_russian_when_the_catalog_has_it(
    partnership, carrier_coordinator
):
    with translation.override("ru"):
        translated = translation.gettext(MISSING_MESSAGE)
        labels = [str(c.label) for c in registry.conditions_of(Stage.DOCUMENTS)]
        stage = str(Stage.COMMUNITY.label)
    if translated == MISSING_MESSAGE:
        pytest.skip("The Russian catalog does not translate the refusal yet.")

    with translation.override("ru"):
        error = refusal(partnership, carrier_coordinator)

    assert error.messages == [
        translated % {"stage": stage, "missing": "; ".join(labels)}
    ]


def test_roadmap_is_still_missing_with_an_agreement_draft(
    partnership, draft_agreement, carrier_coordinator
):
    # Roadmaps are declared but not provided yet: stage 2 cannot end.
    with translation.override("en"):
        error = refusal(partnership, carrier_coordinator)

    assert error.code == "conditions_missing"
    assert "The draft of the roadmap exists" in error.messages[0]
    assert "cooperation agreement" not in error.messages[0]
    assert snapshot(partnership)[0] == Stage.DOCUMENTS


def test_agreement_draft_is_missing_when_only_the_roadmap_is_provided(
    partnership, carrier_coordinator, monkeypatch
):
    provide(monkeypatch, "roadmap_draft")

    with translation.override("en"):
        error = refusal(partnership, carrier_coordinator)

    assert "The draft of the cooperation agreement exists" in error.messages[0]
    assert "roadmap" not in error.messages[0]


def test_carrier_advances_when_the_stage_is_done(
    partnership,
    draft_agreement,
    carrier_head,
    carrier_coordinator,
    recipient_head,
    monkeypatch,
):
    provide(monkeypatch, "roadmap_draft")

    moved = services.advance_stage(partnership=partnership, actor=carrier_head)

    partnership.refresh_from_db()
    assert moved.stage == partnership.stage == Stage.COMMUNITY
    move = partnership.stage_moves.first()
    assert (move.from_stage, move.to_stage, move.actor) == (2, 3, carrier_head)
    assert not move.is_back
    assert partnership.history.first().history_user == carrier_head
    assert notified(Kind.STAGE_MOVED) == {carrier_coordinator.pk, recipient_head.pk}
    with translation.override("ru"):
        label = str(Stage.COMMUNITY.label)
    notification = Notification.objects.filter(kind=Kind.STAGE_MOVED).first()
    assert notification.body == f"{label}."


def test_monkeypatched_condition_is_restored():
    # The test above provides the roadmap condition for itself only.
    assert registry.conditions["roadmap_draft"].check is None


def test_stage_3_needs_the_signed_agreement(
    partnership, draft_agreement, carrier_coordinator, monkeypatch
):
    set_stage(partnership, Stage.COMMUNITY)
    provide(monkeypatch, "roadmap_approved")

    with translation.override("en"):
        error = refusal(partnership, carrier_coordinator)

    assert error.messages == [
        "To move to the stage «Preparation», the following is missing: "
        "The cooperation agreement is signed by both sides."
    ]


def test_stage_4_conditions_are_declared_but_not_provided(
    partnership, carrier_coordinator
):
    set_stage(partnership, Stage.PREPARATION)

    with translation.override("en"):
        error = refusal(partnership, carrier_coordinator)

    assert error.messages == [
        "To move to the stage «Practical implementation», the following is "
        "missing: Readiness monitoring (equipment, specialists) is done; "
        "The calendar schedule is agreed."
    ]


def test_the_last_stage_has_no_next_one(partnership, carrier_coordinator):
    set_stage(partnership, Stage.IMPLEMENTATION)

    error = refusal(partnership, carrier_coordinator)

    assert error.code == "last_stage"
    assert snapshot(partnership)[0] == Stage.IMPLEMENTATION


def test_an_ended_partnership_does_not_move(partnership, carrier_coordinator):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_coordinator, reason="Смена команды."
    )

    error = refusal(partnership, carrier_coordinator)

    assert error.code == "not_active"


@pytest.mark.parametrize(
    "persona",
    [
        "recipient_head",
        "recipient_coordinator",
        "carrier_specialist",
        "outsider",
        "expert",
        "administrator",
    ],
)
def test_only_the_carriers_leads_move_stages(
    request, partnership, persona, monkeypatch
):
    actor = request.getfixturevalue(persona)
    for key in ("agreement_draft", "roadmap_draft"):
        provide(monkeypatch, key)

    with pytest.raises(PermissionDenied):
        services.advance_stage(partnership=partnership, actor=actor)

    assert snapshot(partnership) == (Stage.DOCUMENTS, "active", "", 1)


def test_stage_notification_is_in_the_site_language(
    partnership, carrier_coordinator, monkeypatch
):
    set_stage(partnership, Stage.COMMUNITY)
    monkeypatch.setattr(partnership_services, "_", language_marked)

    with translation.override("en"):
        services.move_stage_back(
            partnership=partnership, actor=carrier_coordinator, reason="Правки."
        )

    title = Notification.objects.filter(kind=Kind.STAGE_MOVED).first().title
    assert title.startswith("[ru] ")


# move_stage_back


def test_carrier_returns_the_partnership_a_stage_back(
    partnership, carrier_coordinator, carrier_head, recipient_head
):
    set_stage(partnership, Stage.COMMUNITY)

    services.move_stage_back(
        partnership=partnership,
        actor=carrier_coordinator,
        reason="  Нужно переделать дорожную карту.  ",
    )

    partnership.refresh_from_db()
    assert partnership.stage == Stage.DOCUMENTS
    move = partnership.stage_moves.first()
    assert (move.from_stage, move.to_stage) == (Stage.COMMUNITY, Stage.DOCUMENTS)
    assert move.is_back
    assert move.reason == "Нужно переделать дорожную карту."
    assert partnership.history.first().history_change_reason == move.reason
    assert notified(Kind.STAGE_MOVED) == {carrier_head.pk, recipient_head.pk}
    with translation.override("ru"):
        label = str(Stage.DOCUMENTS.label)
    assert Notification.objects.filter(kind=Kind.STAGE_MOVED).first().body == (
        f"{label}. Нужно переделать дорожную карту."
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_moving_back_needs_a_reason(partnership, carrier_coordinator, reason):
    set_stage(partnership, Stage.COMMUNITY)

    with pytest.raises(ValidationError) as error:
        services.move_stage_back(
            partnership=partnership, actor=carrier_coordinator, reason=reason
        )

    assert error.value.code == "reason_required"
    assert snapshot(partnership) == (Stage.COMMUNITY, "active", "", 1)


def test_partnership_never_goes_below_stage_2(partnership, carrier_coordinator):
    with pytest.raises(ValidationError) as error:
        services.move_stage_back(
            partnership=partnership, actor=carrier_coordinator, reason="Назад."
        )

    assert error.value.code == "first_stage"
    assert snapshot(partnership) == (Stage.DOCUMENTS, "active", "", 1)


@pytest.mark.parametrize("persona", ["recipient_head", "carrier_specialist"])
def test_only_the_carrier_moves_back(request, partnership, persona):
    actor = request.getfixturevalue(persona)
    set_stage(partnership, Stage.COMMUNITY)

    with pytest.raises(PermissionDenied):
        services.move_stage_back(partnership=partnership, actor=actor, reason="Назад.")

    assert snapshot(partnership) == (Stage.COMMUNITY, "active", "", 1)


# complete_partnership and terminate_partnership


def test_carrier_completes_a_partnership_at_stage_5(
    partnership, carrier_coordinator, carrier_head, recipient_head
):
    set_stage(partnership, Stage.IMPLEMENTATION)

    services.complete_partnership(partnership=partnership, actor=carrier_coordinator)

    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.COMPLETED
    assert partnership.ended_at is not None
    assert partnership.end_reason == ""
    assert notified(Kind.STAGE_MOVED) == {carrier_head.pk, recipient_head.pk}


def test_only_stage_5_can_be_completed(partnership, carrier_coordinator):
    with pytest.raises(ValidationError) as error:
        services.complete_partnership(
            partnership=partnership, actor=carrier_coordinator
        )

    assert error.value.code == "not_last_stage"
    assert snapshot(partnership) == (Stage.DOCUMENTS, "active", "", 1)


def test_recipient_does_not_complete(partnership, recipient_head):
    set_stage(partnership, Stage.IMPLEMENTATION)

    with pytest.raises(PermissionDenied):
        services.complete_partnership(partnership=partnership, actor=recipient_head)

    assert snapshot(partnership)[1] == "active"


def test_a_completed_partnership_is_not_completed_again(
    partnership, carrier_coordinator
):
    set_stage(partnership, Stage.IMPLEMENTATION)
    services.complete_partnership(partnership=partnership, actor=carrier_coordinator)

    with pytest.raises(ValidationError) as error:
        services.complete_partnership(
            partnership=partnership, actor=carrier_coordinator
        )

    assert error.value.code == "not_active"


def test_recipient_terminates_with_its_agreement(
    partnership, draft_agreement, recipient_head, carrier_head, carrier_coordinator
):
    services.terminate_partnership(
        partnership=partnership, actor=recipient_head, reason="  Сменилась команда.  "
    )

    partnership.refresh_from_db()
    draft_agreement.refresh_from_db()
    assert partnership.status == Partnership.Status.TERMINATED
    assert partnership.end_reason == "Сменилась команда."
    assert partnership.ended_at is not None
    assert draft_agreement.status == Agreement.Status.TERMINATED
    assert draft_agreement.end_reason == "Сменилась команда."
    assert draft_agreement.history.first().history_user == recipient_head
    assert notified(Kind.STAGE_MOVED) == {carrier_head.pk, carrier_coordinator.pk}
    notification = Notification.objects.filter(kind=Kind.STAGE_MOVED).first()
    assert notification.body == "Сменилась команда."


def test_terminating_needs_a_reason(partnership, draft_agreement, carrier_coordinator):
    with pytest.raises(ValidationError) as error:
        services.terminate_partnership(
            partnership=partnership, actor=carrier_coordinator, reason=" "
        )

    assert error.value.code == "reason_required"
    assert snapshot(partnership) == (Stage.DOCUMENTS, "active", "", 1)
    draft_agreement.refresh_from_db()
    assert draft_agreement.status == Agreement.Status.DRAFT


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "recipient_specialist", "outsider", "expert"]
)
def test_only_leads_terminate(request, partnership, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.terminate_partnership(
            partnership=partnership, actor=actor, reason="Хватит."
        )

    assert snapshot(partnership) == (Stage.DOCUMENTS, "active", "", 1)


def test_a_terminated_partnership_is_not_terminated_again(
    partnership, carrier_coordinator
):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_coordinator, reason="Первая причина."
    )

    with pytest.raises(ValidationError) as error:
        services.terminate_partnership(
            partnership=partnership, actor=carrier_coordinator, reason="Вторая."
        )

    assert error.value.code == "not_active"
    partnership.refresh_from_db()
    assert partnership.end_reason == "Первая причина."


# set_experts


def test_administrator_assigns_and_removes_an_expert(
    partnership, administrator, expert
):
    services.set_experts(partnership=partnership, actor=administrator, experts=[expert])

    assert list(partnership.experts.all()) == [expert]
    assert expert.has_perm("partnerships.view_partnership", partnership)
    assert not expert.has_perm("partnerships.change_partnership", partnership)
    assert selectors.visible_partnerships(expert).get() == partnership

    services.set_experts(partnership=partnership, actor=administrator, experts=[])

    assert not partnership.experts.exists()
    assert not expert.has_perm("partnerships.view_partnership", partnership)
    assert not selectors.visible_partnerships(expert).exists()


def test_keeping_an_expert_keeps_the_right(partnership, administrator, expert):
    services.set_experts(partnership=partnership, actor=administrator, experts=[expert])

    services.set_experts(partnership=partnership, actor=administrator, experts=[expert])

    assert expert.has_perm("partnerships.view_partnership", partnership)


@pytest.mark.parametrize("persona", ["carrier_head", "recipient_head", "expert"])
def test_only_administrators_assign_experts(request, partnership, expert, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.set_experts(partnership=partnership, actor=actor, experts=[expert])

    assert not partnership.experts.exists()
    assert not expert.has_perm("partnerships.view_partnership", partnership)


def test_only_experts_accompany(partnership, administrator, outsider):
    with pytest.raises(ValidationError) as error:
        services.set_experts(
            partnership=partnership, actor=administrator, experts=[outsider]
        )

    assert error.value.code == "not_expert"
    assert not partnership.experts.exists()
    assert not outsider.has_perm("partnerships.view_partnership", partnership)


# set_contacts


def test_lead_names_the_responsible_person_of_their_side(
    partnership, carrier_head, carrier_specialist
):
    services.set_contacts(
        partnership=partnership,
        actor=carrier_head,
        side="carrier",
        contact=carrier_specialist,
    )

    partnership.refresh_from_db()
    assert partnership.carrier_contact == carrier_specialist

    services.set_contacts(
        partnership=partnership, actor=carrier_head, side="carrier", contact=None
    )

    partnership.refresh_from_db()
    assert partnership.carrier_contact is None


def test_responsible_person_is_named_by_their_own_side(
    partnership, recipient_head, carrier_head, carrier_coordinator
):
    with pytest.raises(PermissionDenied):
        services.set_contacts(
            partnership=partnership,
            actor=recipient_head,
            side="carrier",
            contact=carrier_head,
        )

    partnership.refresh_from_db()
    assert partnership.carrier_contact == carrier_coordinator


def test_responsible_person_belongs_to_the_side(
    partnership, recipient_head, carrier_head
):
    with pytest.raises(ValidationError) as error:
        services.set_contacts(
            partnership=partnership,
            actor=recipient_head,
            side="recipient",
            contact=carrier_head,
        )

    assert error.value.code == "not_member"
    partnership.refresh_from_db()
    assert partnership.recipient_contact == recipient_head


# add_negotiation_note


def note(partnership, actor, text="Договорились о сроках курсов.", **fields):
    return services.add_negotiation_note(
        partnership=partnership,
        actor=actor,
        held_on=fields.pop("held_on", timezone.localdate()),
        text=text,
    )


def test_leads_of_both_sides_record_negotiations(
    partnership, carrier_head, recipient_head
):
    first = note(partnership, carrier_head, "  Курсы в октябре.  ")
    second = note(partnership, recipient_head, "Встреча в ноябре.")

    assert first.text == "Курсы в октябре."
    assert (first.author, second.author) == (carrier_head, recipient_head)
    assert NegotiationNote.objects.filter(partnership=partnership).count() == 2


def test_repeated_note_is_recorded_once(partnership, carrier_head):
    first = note(partnership, carrier_head)

    again = note(partnership, carrier_head)

    assert again.pk == first.pk
    assert NegotiationNote.objects.count() == 1


def test_the_same_text_after_a_while_is_a_new_note(partnership, carrier_head):
    first = note(partnership, carrier_head)
    NegotiationNote.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )

    again = note(partnership, carrier_head)

    assert again.pk != first.pk


@pytest.mark.parametrize("text", ["", "   ", "я" * 5001])
def test_note_needs_a_sensible_text(partnership, carrier_head, text):
    with pytest.raises(ValidationError) as error:
        note(partnership, carrier_head, text)

    assert error.value.code == "invalid_text"
    assert not NegotiationNote.objects.exists()


def test_note_is_not_for_a_future_date(partnership, carrier_head):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        note(partnership, carrier_head, held_on=tomorrow)

    assert error.value.code == "future_date"
    assert not NegotiationNote.objects.exists()


@pytest.mark.parametrize("persona", ["recipient_specialist", "outsider", "expert"])
def test_only_leads_record_negotiations(request, partnership, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        note(partnership, actor)

    assert not NegotiationNote.objects.exists()


def test_no_notes_on_an_ended_partnership(partnership, carrier_head):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_head, reason="Смена команды."
    )

    with pytest.raises(ValidationError) as error:
        note(partnership, carrier_head)

    assert error.value.code == "not_active"


def test_partner_cannot_declare_interest_again_while_the_partnership_lives(
    partnership, product, recipient, recipient_head
):
    with pytest.raises(ValidationError) as error:
        declare_interest(
            product=product,
            organisation=recipient,
            actor=recipient_head,
            message="Хотим ещё раз.",
        )

    assert error.value.code == "already_partner"
    assert Interest.objects.filter(product=product, organisation=recipient).count() == 1


def test_interest_may_be_declared_again_after_the_partnership_ends(
    partnership, product, recipient, recipient_head
):
    services.terminate_partnership(
        partnership=partnership, actor=recipient_head, reason="Сменился директор."
    )

    interest = declare_interest(
        product=product,
        organisation=recipient,
        actor=recipient_head,
        message="Новый директор готов продолжить.",
    )

    assert interest.status == Interest.Status.NEW

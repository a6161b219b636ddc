"""Services of declared interest: declaring, the carrier's decisions, emails."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from organisations.models import Role
from products.models import Interest, PositioningEvent
from products.services import interests as services
from tests.factories import OrganisationFactory, ProductFactory, member


def event_of(product, title="Семинар для директоров") -> PositioningEvent:
    return PositioningEvent.objects.create(
        product=product,
        kind=PositioningEvent.Kind.SEMINAR,
        title=title,
        starts_at=timezone.now() - timedelta(days=10),
    )


def declare(product, organisation, actor, **fields) -> Interest:
    return services.declare_interest(
        product=product,
        organisation=organisation,
        actor=actor,
        message=fields.pop("message", "Хотим внедрить цифровую лабораторию."),
        **fields,
    )


@pytest.fixture
def interest(published_product, recipient, recipient_head) -> Interest:
    return declare(published_product, recipient, recipient_head)


def snapshot(interest: Interest) -> tuple:
    interest.refresh_from_db()
    return (
        interest.status,
        interest.decline_reason,
        interest.carrier_notes,
        interest.decided_by_id,
        interest.decided_at,
    )


# declare_interest


def test_head_of_recipient_declares_interest(
    published_product, recipient, recipient_head
):
    event = event_of(published_product)

    interest = declare(
        published_product,
        recipient,
        recipient_head,
        message="  Хотим внедрить с сентября.  ",
        expected_start=date(2031, 9, 1),
        source_event=event,
    )

    interest.refresh_from_db()
    assert interest.product == published_product
    assert interest.organisation == recipient
    assert interest.declared_by == recipient_head
    assert interest.message == "Хотим внедрить с сентября."
    assert interest.expected_start == date(2031, 9, 1)
    assert interest.source_event == event
    assert interest.status == Interest.Status.NEW
    assert interest.history.get().history_user == recipient_head


def test_coordinator_of_recipient_declares_interest(published_product, recipient):
    coordinator = member(recipient, Role.COORDINATOR, email="coord@gymnasium70.example")

    interest = declare(published_product, recipient, coordinator)

    assert interest.declared_by == coordinator
    assert Interest.objects.count() == 1


def test_declaring_twice_is_refused(published_product, recipient, recipient_head):
    declare(published_product, recipient, recipient_head)

    with pytest.raises(ValidationError) as error:
        declare(published_product, recipient, recipient_head, message="Ещё раз")

    assert error.value.code == "already_declared"
    assert Interest.objects.count() == 1


def test_declaring_while_in_contact_is_refused(interest, recipient_head):
    Interest.objects.filter(pk=interest.pk).update(status=Interest.Status.IN_CONTACT)

    with pytest.raises(ValidationError) as error:
        declare(interest.product, interest.organisation, recipient_head)

    assert error.value.code == "already_declared"
    assert Interest.objects.count() == 1


def test_double_submit_that_passes_the_check_creates_one_interest(
    published_product, recipient, recipient_head, monkeypatch
):
    declare(published_product, recipient, recipient_head)
    # The second request checked before the first one committed.
    real_check = services._has_open_interest
    answers = iter([False])
    monkeypatch.setattr(
        services, "_has_open_interest", lambda *args: next(answers, real_check(*args))
    )

    with pytest.raises(ValidationError) as error:
        declare(published_product, recipient, recipient_head)

    assert error.value.code == "already_declared"
    assert Interest.objects.count() == 1


def test_declaring_again_after_decline_is_allowed(
    interest, carrier_coordinator, recipient_head
):
    services.decline_interest(
        interest=interest, actor=carrier_coordinator, reason="Нет мест."
    )

    again = declare(interest.product, interest.organisation, recipient_head)

    assert again.pk != interest.pk
    assert again.status == Interest.Status.NEW


def test_one_user_declares_for_each_of_their_organisations(
    published_product, recipient, recipient_head
):
    second = OrganisationFactory(short_name="ГБОУ лицей № 239")
    member(second, Role.COORDINATOR, email="head@gymnasium70.example")

    declare(published_product, recipient, recipient_head)
    declare(published_product, second, recipient_head)

    assert set(Interest.objects.values_list("organisation__short_name", flat=True)) == {
        "ГБОУ гимназия № 70",
        "ГБОУ лицей № 239",
    }


def test_unverified_organisation_cannot_declare(published_product):
    school = OrganisationFactory(is_verified=False)
    head = member(school, Role.HEAD)

    with pytest.raises(PermissionDenied):
        declare(published_product, school, head)

    assert Interest.objects.count() == 0


def test_carrier_cannot_declare_for_itself(published_product, carrier, carrier_head):
    with pytest.raises(PermissionDenied):
        declare(published_product, carrier, carrier_head)

    assert Interest.objects.count() == 0


def test_specialist_cannot_declare(published_product, recipient, recipient_specialist):
    with pytest.raises(PermissionDenied):
        declare(published_product, recipient, recipient_specialist)

    assert Interest.objects.count() == 0


def test_head_cannot_declare_for_another_organisation(
    published_product, recipient, outsider
):
    with pytest.raises(PermissionDenied):
        declare(published_product, recipient, outsider)

    assert Interest.objects.count() == 0


def test_draft_product_is_refused(draft_product, recipient, recipient_head):
    with pytest.raises(ValidationError) as error:
        declare(draft_product, recipient, recipient_head)

    assert error.value.code == "not_published"
    assert Interest.objects.count() == 0


def test_event_of_another_product_is_refused(
    published_product, recipient, recipient_head
):
    foreign = event_of(ProductFactory(), title="Чужой вебинар")

    with pytest.raises(ValidationError) as error:
        declare(published_product, recipient, recipient_head, source_event=foreign)

    assert error.value.code == "foreign_event"
    assert Interest.objects.count() == 0


def test_empty_message_is_refused(published_product, recipient, recipient_head):
    with pytest.raises(ValidationError) as error:
        declare(published_product, recipient, recipient_head, message="   ")

    assert error.value.code == "invalid_message"
    assert Interest.objects.count() == 0


def test_declaring_emails_carrier_heads_and_coordinators_after_commit(
    published_product,
    recipient,
    recipient_head,
    carrier_head,
    carrier_specialist,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        declare(published_product, recipient, recipient_head)
        assert mailoutbox == []
    for callback in callbacks:
        callback()

    assert sorted(m.to[0] for m in mailoutbox) == [
        "coordinator@school619.example",
        "head@school619.example",
    ]
    link = f"/products/partners/?product={published_product.pk}"
    assert all(link in m.body for m in mailoutbox)
    assert all("ГБОУ гимназия № 70" in m.subject for m in mailoutbox)


def test_refused_declaration_sends_nothing(
    published_product,
    recipient,
    recipient_head,
    carrier_head,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    declare(published_product, recipient, recipient_head)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        declare(published_product, recipient, recipient_head)

    assert mailoutbox == []


# set_interest_status


def test_coordinator_marks_interest_in_contact_with_a_comment(
    interest, carrier_coordinator
):
    services.set_interest_status(
        interest=interest,
        actor=carrier_coordinator,
        status=Interest.Status.IN_CONTACT,
        reason="Созвонились с директором",
    )

    interest.refresh_from_db()
    assert interest.status == Interest.Status.IN_CONTACT
    record = interest.history.latest()
    assert record.history_user == carrier_coordinator
    assert record.history_change_reason == "Созвонились с директором"


def test_interest_in_contact_goes_back_to_new(interest, carrier_head):
    services.set_interest_status(
        interest=interest, actor=carrier_head, status=Interest.Status.IN_CONTACT
    )

    services.set_interest_status(
        interest=interest, actor=carrier_head, status=Interest.Status.NEW
    )

    interest.refresh_from_db()
    assert interest.status == Interest.Status.NEW
    assert interest.history.count() == 3


def test_setting_the_same_status_changes_nothing(interest, carrier_head):
    services.set_interest_status(
        interest=interest, actor=carrier_head, status=Interest.Status.NEW
    )

    assert interest.history.count() == 1


@pytest.mark.parametrize("status", ["accepted", "declined", "bogus"])
def test_status_change_refuses_decisions_and_unknown_statuses(
    interest, carrier_head, status
):
    before = snapshot(interest)

    with pytest.raises(ValidationError) as error:
        services.set_interest_status(
            interest=interest, actor=carrier_head, status=status
        )

    assert error.value.code == "invalid_status"
    assert snapshot(interest) == before


def test_status_of_a_decided_interest_cannot_change(interest, carrier_head):
    services.record_interest_acceptance(interest=interest, actor=carrier_head)
    before = snapshot(interest)

    with pytest.raises(ValidationError) as error:
        services.set_interest_status(
            interest=interest, actor=carrier_head, status=Interest.Status.NEW
        )

    assert error.value.code == "already_decided"
    assert snapshot(interest) == before


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "recipient_head", "outsider", "expert"]
)
def test_only_carrier_heads_and_coordinators_change_status(interest, persona, request):
    actor = request.getfixturevalue(persona)
    before = snapshot(interest)

    with pytest.raises(PermissionDenied):
        services.set_interest_status(
            interest=interest, actor=actor, status=Interest.Status.IN_CONTACT
        )

    assert snapshot(interest) == before


# decline_interest


def test_decline_without_reason_is_refused(interest, carrier_coordinator):
    before = snapshot(interest)

    with pytest.raises(ValidationError) as error:
        services.decline_interest(
            interest=interest, actor=carrier_coordinator, reason="  "
        )

    assert error.value.code == "reason_required"
    assert snapshot(interest) == before


def test_decline_records_reason_and_decider(interest, carrier_coordinator):
    services.decline_interest(
        interest=interest, actor=carrier_coordinator, reason=" Набор закрыт. "
    )

    interest.refresh_from_db()
    assert interest.status == Interest.Status.DECLINED
    assert interest.decline_reason == "Набор закрыт."
    assert interest.decided_by == carrier_coordinator
    assert interest.decided_at is not None


def test_decline_emails_the_declarer_after_commit(
    interest, carrier_coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_interest(
            interest=interest, actor=carrier_coordinator, reason="Набор закрыт."
        )

    assert [m.to for m in mailoutbox] == [["head@gymnasium70.example"]]
    assert "Набор закрыт." in mailoutbox[0].body


def test_accepted_interest_cannot_be_declined(interest, carrier_coordinator):
    services.record_interest_acceptance(interest=interest, actor=carrier_coordinator)
    before = snapshot(interest)

    with pytest.raises(ValidationError) as error:
        services.decline_interest(
            interest=interest, actor=carrier_coordinator, reason="Передумали."
        )

    assert error.value.code == "already_decided"
    assert snapshot(interest) == before


def test_recipient_cannot_decline(interest, recipient_head):
    before = snapshot(interest)

    with pytest.raises(PermissionDenied):
        services.decline_interest(
            interest=interest, actor=recipient_head, reason="Сами передумали."
        )

    assert snapshot(interest) == before


# update_interest_notes


def test_carrier_keeps_notes_on_a_decided_interest(interest, carrier_head):
    services.record_interest_acceptance(interest=interest, actor=carrier_head)

    services.update_interest_notes(
        interest=interest, actor=carrier_head, notes="Встреча 12 марта"
    )

    interest.refresh_from_db()
    assert interest.carrier_notes == "Встреча 12 марта"
    assert interest.status == Interest.Status.ACCEPTED


def test_specialist_cannot_edit_notes(interest, carrier_specialist):
    before = snapshot(interest)

    with pytest.raises(PermissionDenied):
        services.update_interest_notes(
            interest=interest, actor=carrier_specialist, notes="Заметка"
        )

    assert snapshot(interest) == before


# record_interest_acceptance and accept_interest


def test_acceptance_records_the_decision(interest, carrier_head):
    accepted = services.record_interest_acceptance(
        interest=interest, actor=carrier_head
    )

    interest.refresh_from_db()
    assert accepted.status == interest.status == Interest.Status.ACCEPTED
    assert interest.decided_by == carrier_head
    assert interest.decided_at is not None
    assert interest.history.latest().history_user == carrier_head


def test_acceptance_of_an_interest_in_contact(interest, carrier_head):
    services.set_interest_status(
        interest=interest, actor=carrier_head, status=Interest.Status.IN_CONTACT
    )

    services.record_interest_acceptance(interest=interest, actor=carrier_head)

    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED


def test_acceptance_is_idempotent(
    interest,
    carrier_head,
    carrier_coordinator,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.record_interest_acceptance(interest=interest, actor=carrier_head)
    before = snapshot(interest)
    history = interest.history.count()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.record_interest_acceptance(
            interest=interest, actor=carrier_coordinator
        )

    assert again.pk == interest.pk
    assert snapshot(interest) == before
    assert interest.decided_by == carrier_head
    assert interest.history.count() == history
    assert len(mailoutbox) == 1


def test_declined_interest_cannot_be_accepted(interest, carrier_head):
    services.decline_interest(interest=interest, actor=carrier_head, reason="Нет.")
    before = snapshot(interest)

    with pytest.raises(ValidationError) as error:
        services.record_interest_acceptance(interest=interest, actor=carrier_head)

    assert error.value.code == "declined"
    assert snapshot(interest) == before


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "recipient_head", "outsider", "expert"]
)
def test_only_carrier_editors_accept(interest, persona, request):
    actor = request.getfixturevalue(persona)
    before = snapshot(interest)

    with pytest.raises(PermissionDenied):
        services.record_interest_acceptance(interest=interest, actor=actor)

    assert snapshot(interest) == before


def test_acceptance_emails_the_declarer_after_commit(
    interest, carrier_head, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_interest_acceptance(interest=interest, actor=carrier_head)
        assert mailoutbox == []
    for callback in callbacks:
        callback()

    assert [m.to for m in mailoutbox] == [["head@gymnasium70.example"]]
    assert "/products/interests/mine/" in mailoutbox[0].body


def test_acceptance_rolled_back_by_the_caller_changes_and_sends_nothing(
    interest, carrier_head, django_capture_on_commit_callbacks, mailoutbox
):
    # The partnerships app calls the service inside its own transaction.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.record_interest_acceptance(interest=interest, actor=carrier_head)
        raise RuntimeError("the partnership could not be created")

    interest.refresh_from_db()
    assert interest.status == Interest.Status.NEW
    assert mailoutbox == []


def test_accept_interest_records_the_acceptance(interest, carrier_coordinator):
    services.accept_interest(interest=interest, actor=carrier_coordinator)

    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED
    assert interest.decided_by == carrier_coordinator

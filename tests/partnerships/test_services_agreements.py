"""Services of agreements: drafting, editing, agreeing, signing, ending."""

import logging
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from innoteka.pdf import file_sha256, sha256_hex
from notifications.kinds import Kind
from notifications.models import Notification
from organisations.models import Role
from partnerships import services
from partnerships.models import (
    Agreement,
    AgreementComment,
    AgreementTemplate,
    Side,
    Signature,
    Stage,
)
from partnerships.services import agreements as agreement_services
from partnerships.services.agreements import WrongPassword, add_months
from products.models import ProductVersion
from tests.factories import ProductFactory
from tests.partnerships.conftest import (
    SIGNER_IP,
    agree,
    notified,
    postgresql_only,
    run_concurrently,
    set_stage,
    sign,
    slowed,
)


def update(agreement, actor, expected_version=None, **data) -> Agreement:
    if expected_version is None:
        agreement.refresh_from_db()
        expected_version = agreement.version
    return services.update_agreement(
        agreement=agreement, actor=actor, data=data, expected_version=expected_version
    )


def snapshot(agreement: Agreement) -> tuple:
    agreement.refresh_from_db()
    return (
        agreement.status,
        agreement.version,
        agreement.subject,
        agreement.carrier_signatory_id,
        agreement.recipient_signatory_id,
        agreement.expiry_date,
        agreement.document.name,
        agreement.signatures.count(),
    )


def storage_has(field_file_name: str) -> bool:
    storage = Agreement._meta.get_field("document").storage
    return storage.exists(field_file_name)


# add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 9, 1), 12, date(2027, 9, 1)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
    ],
)
def test_add_months_keeps_the_day_within_the_month(start, months, expected):
    assert add_months(start, months) == expected


# draft_agreement


def test_carrier_drafts_from_the_default_template(
    partnership,
    product,
    carrier,
    recipient,
    carrier_head,
    recipient_head,
    carrier_coordinator,
):
    agreement = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator
    )

    agreement.refresh_from_db()
    template = AgreementTemplate.objects.get(is_default=True)
    today = timezone.localdate()
    assert agreement.number == f"{today.year}/{partnership.pk}"
    assert agreement.agreement_date == today
    assert agreement.expiry_date == add_months(today, template.term_months)
    assert agreement.subject == template.subject.format(
        carrier=carrier.full_name,
        recipient=recipient.full_name,
        product=product.title,
        version="2.0",
    )
    assert f"«{product.title}» (версия 2.0)" in agreement.subject
    assert agreement.carrier_obligations == template.carrier_obligations
    assert agreement.recipient_obligations == template.recipient_obligations
    assert agreement.changes_procedure == template.changes_procedure
    assert agreement.termination_procedure == template.termination_procedure
    assert agreement.product_version == product.versions.get(number="2.0")
    assert agreement.carrier_signatory == carrier_head
    assert agreement.recipient_signatory == recipient_head
    assert (agreement.status, agreement.version) == (Agreement.Status.DRAFT, 1)
    assert agreement.created_by == carrier_coordinator
    record = agreement.history.get()
    assert record.history_user == carrier_coordinator
    assert template.name in record.history_change_reason


def test_draft_takes_the_latest_released_version(
    partnership, product, carrier_coordinator
):
    ProductVersion.objects.create(
        product=product,
        number="1.5",
        released_on=timezone.localdate() - timedelta(days=30),
        changes="Старые правки.",
        reason="Отзыв.",
    )

    agreement = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator
    )

    assert agreement.product_version.number == "2.0"


def test_drafting_twice_returns_the_same_draft(
    draft_agreement, partnership, carrier_head
):
    again = services.draft_agreement(partnership=partnership, actor=carrier_head)

    assert again.pk == draft_agreement.pk
    assert Agreement.objects.count() == 1


def test_draft_from_a_chosen_template_keeps_unknown_placeholders(
    partnership, carrier, carrier_coordinator
):
    template = AgreementTemplate.objects.create(
        name="Краткое соглашение",
        subject="{carrier} и {partner} договорились о {product}.",
        carrier_obligations="Сопровождать {term_months} месяцев.",
        recipient_obligations="Скобка { остаётся как есть.",
        changes_procedure="Письменно.",
        termination_procedure="По соглашению сторон.",
        term_months=6,
    )

    agreement = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator, template=template
    )

    assert agreement.subject == (
        f"{carrier.full_name} и {{partner}} договорились о {partnership.product.title}."
    )
    assert agreement.carrier_obligations == "Сопровождать 6 месяцев."
    assert agreement.recipient_obligations == "Скобка { остаётся как есть."
    assert agreement.expiry_date == add_months(timezone.localdate(), 6)


def test_draft_of_a_product_without_versions_names_no_empty_version(
    partnership, product, carrier_coordinator
):
    product.versions.all().delete()

    agreement = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator
    )

    assert agreement.product_version is None
    assert "(версия )" not in agreement.subject


def test_draft_is_allowed_at_the_network_community(partnership, carrier_coordinator):
    set_stage(partnership, Stage.COMMUNITY)

    agreement = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator
    )

    assert agreement.status == Agreement.Status.DRAFT


@pytest.mark.parametrize("stage", [Stage.PREPARATION, Stage.IMPLEMENTATION])
def test_draft_is_refused_at_later_stages(partnership, carrier_coordinator, stage):
    set_stage(partnership, stage)

    with pytest.raises(ValidationError) as error:
        services.draft_agreement(partnership=partnership, actor=carrier_coordinator)

    assert error.value.code == "wrong_stage"
    assert not Agreement.objects.exists()


def test_draft_needs_a_template(partnership, carrier_coordinator):
    AgreementTemplate.objects.all().delete()

    with pytest.raises(ValidationError) as error:
        services.draft_agreement(partnership=partnership, actor=carrier_coordinator)

    assert error.value.code == "no_template"
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    "persona", ["recipient_head", "carrier_specialist", "outsider", "administrator"]
)
def test_only_the_carriers_leads_draft(request, partnership, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.draft_agreement(partnership=partnership, actor=actor)

    assert not Agreement.objects.exists()


def test_no_draft_for_an_ended_partnership(partnership, carrier_coordinator):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_coordinator, reason="Смена команды."
    )

    with pytest.raises(ValidationError) as error:
        services.draft_agreement(partnership=partnership, actor=carrier_coordinator)

    assert error.value.code == "not_active"


def test_a_new_draft_after_termination_gets_a_new_number(
    draft_agreement, partnership, carrier_coordinator
):
    services.terminate_agreement(
        agreement=draft_agreement, actor=carrier_coordinator, reason="Начнём заново."
    )

    second = services.draft_agreement(
        partnership=partnership, actor=carrier_coordinator
    )

    assert second.pk != draft_agreement.pk
    assert second.number == f"{draft_agreement.number}-2"


# update_agreement


def test_both_sides_edit_the_draft(
    draft_agreement, carrier_coordinator, recipient_head
):
    update(draft_agreement, carrier_coordinator, 1, subject="Предмет от носителя.")
    update(
        draft_agreement, recipient_head, 2, recipient_obligations="Обучить педагогов."
    )

    draft_agreement.refresh_from_db()
    assert draft_agreement.version == 3
    assert draft_agreement.subject == "Предмет от носителя."
    assert draft_agreement.recipient_obligations == "Обучить педагогов."
    users = [record.history_user for record in draft_agreement.history.all()]
    assert users == [recipient_head, carrier_coordinator, carrier_coordinator]


def test_second_of_two_concurrent_editors_is_refused(
    draft_agreement, carrier_coordinator, recipient_head
):
    first_form = Agreement.objects.get(pk=draft_agreement.pk)
    second_form = Agreement.objects.get(pk=draft_agreement.pk)
    update(first_form, carrier_coordinator, 1, subject="Текст координатора.")

    with pytest.raises(ValidationError) as error:
        update(second_form, recipient_head, 1, subject="Текст руководителя.")

    assert error.value.code == "stale"
    draft_agreement.refresh_from_db()
    assert draft_agreement.subject == "Текст координатора."
    assert draft_agreement.version == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_keep_the_first_and_refuse_the_second(
    draft_agreement, carrier_coordinator, recipient_head, monkeypatch
):
    # Whoever locks the row first holds it while validating.
    monkeypatch.setattr(
        agreement_services,
        "_validate_terms",
        slowed(agreement_services._validate_terms),
    )

    outcomes = run_concurrently(
        lambda: update(draft_agreement, carrier_coordinator, 1, subject="Носитель."),
        lambda: update(draft_agreement, recipient_head, 1, subject="Реципиент."),
    )

    saved = [outcome for outcome in outcomes if isinstance(outcome, Agreement)]
    refused = [o.code for o in outcomes if isinstance(o, ValidationError)]
    assert (len(saved), refused) == (1, ["stale"])
    draft_agreement.refresh_from_db()
    assert draft_agreement.subject == saved[0].subject
    assert draft_agreement.version == 2


def test_saving_without_changes_keeps_the_version(draft_agreement, carrier_head):
    subject = draft_agreement.subject

    update(draft_agreement, carrier_head, 1, subject=subject)

    draft_agreement.refresh_from_db()
    assert draft_agreement.version == 1
    assert draft_agreement.history.count() == 1


def test_coordinator_may_be_named_signatory(
    draft_agreement, carrier_head, carrier_coordinator
):
    update(draft_agreement, carrier_head, 1, carrier_signatory=carrier_coordinator)

    draft_agreement.refresh_from_db()
    assert draft_agreement.carrier_signatory == carrier_coordinator


@pytest.mark.parametrize(
    ("field", "persona"),
    [
        ("carrier_signatory", "carrier_specialist"),
        ("carrier_signatory", "recipient_head"),
        ("recipient_signatory", "outsider"),
    ],
)
def test_signatory_must_lead_their_side(
    request, draft_agreement, carrier_coordinator, field, persona
):
    person = request.getfixturevalue(persona)
    before = snapshot(draft_agreement)

    with pytest.raises(ValidationError) as error:
        update(draft_agreement, carrier_coordinator, 1, **{field: person})

    assert list(error.value.message_dict) == [field]
    assert snapshot(draft_agreement) == before


@pytest.mark.parametrize("days", [0, -1])
def test_agreement_ends_after_its_date(draft_agreement, carrier_coordinator, days):
    before = snapshot(draft_agreement)

    with pytest.raises(ValidationError) as error:
        update(
            draft_agreement,
            carrier_coordinator,
            1,
            expiry_date=draft_agreement.agreement_date + timedelta(days=days),
        )

    assert list(error.value.message_dict) == ["expiry_date"]
    assert snapshot(draft_agreement) == before


def test_version_must_be_of_the_partnerships_product(
    draft_agreement, carrier, carrier_coordinator
):
    other = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    foreign = ProductVersion.objects.create(
        product=other, number="1.0", changes="Первая.", reason="Запуск."
    )

    with pytest.raises(ValidationError) as error:
        update(draft_agreement, carrier_coordinator, 1, product_version=foreign)

    assert list(error.value.message_dict) == ["product_version"]
    draft_agreement.refresh_from_db()
    assert draft_agreement.product_version.number == "2.0"


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "recipient_specialist", "outsider", "expert"]
)
def test_only_leads_edit(request, draft_agreement, persona):
    actor = request.getfixturevalue(persona)
    before = snapshot(draft_agreement)

    with pytest.raises(PermissionDenied):
        update(draft_agreement, actor, 1, subject="Чужая правка.")

    assert snapshot(draft_agreement) == before


def test_agreed_text_is_not_edited(agreed_agreement, carrier_coordinator):
    before = snapshot(agreed_agreement)

    with pytest.raises(ValidationError) as error:
        update(agreed_agreement, carrier_coordinator, subject="Поздняя правка.")

    assert error.value.code == "wrong_status"
    assert snapshot(agreed_agreement) == before


# agree_agreement


def test_recipient_agrees_and_the_pdf_to_sign_is_stored(
    agreed_agreement, recipient_head, carrier_head
):
    agreement = agreed_agreement

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AGREED
    assert agreement.agreed_by == recipient_head
    assert agreement.agreed_at is not None
    assert agreement.version == 1
    assert agreement.document.name.startswith("agreements/")
    assert agreement.document.name.endswith(".pdf")
    with agreement.document.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    assert sha256_hex(pdf) == agreement.document_sha256
    assert file_sha256(agreement.document) == agreement.document_sha256
    assert agreement.history.first().history_user == recipient_head
    # The recipient's signatory agreed; the carrier's is told it may sign.
    assert notified(Kind.AGREEMENT_READY_TO_SIGN) == {carrier_head.pk}


def test_agreeing_twice_changes_nothing(agreed_agreement, recipient_head):
    before = snapshot(agreed_agreement)
    sha = agreed_agreement.document_sha256

    again = services.agree_agreement(
        agreement=agreed_agreement, actor=recipient_head, expected_version=1
    )

    assert again.pk == agreed_agreement.pk
    assert snapshot(agreed_agreement) == before
    assert agreed_agreement.document_sha256 == sha
    assert Notification.objects.filter(kind=Kind.AGREEMENT_READY_TO_SIGN).count() == 1


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "recipient_specialist"]
)
def test_only_the_recipients_leads_agree(request, draft_agreement, persona):
    actor = request.getfixturevalue(persona)
    before = snapshot(draft_agreement)

    with pytest.raises(PermissionDenied):
        services.agree_agreement(
            agreement=draft_agreement, actor=actor, expected_version=1
        )

    assert snapshot(draft_agreement) == before


def test_agreeing_needs_both_signatories(
    draft_agreement, carrier_coordinator, recipient_head
):
    update(draft_agreement, carrier_coordinator, 1, recipient_signatory=None)

    with pytest.raises(ValidationError) as error:
        agree(draft_agreement, recipient_head)

    assert error.value.code == "no_signatory"
    draft_agreement.refresh_from_db()
    assert draft_agreement.status == Agreement.Status.DRAFT
    assert not draft_agreement.document


def test_agreeing_to_an_outdated_text_is_refused(
    draft_agreement, carrier_coordinator, recipient_head
):
    update(draft_agreement, carrier_coordinator, 1, subject="Новый предмет.")

    with pytest.raises(ValidationError) as error:
        services.agree_agreement(
            agreement=draft_agreement, actor=recipient_head, expected_version=1
        )

    assert error.value.code == "stale"
    draft_agreement.refresh_from_db()
    assert draft_agreement.status == Agreement.Status.DRAFT


def test_agreeing_checks_the_term(draft_agreement, recipient_head):
    Agreement.objects.filter(pk=draft_agreement.pk).update(
        expiry_date=draft_agreement.agreement_date
    )

    with pytest.raises(ValidationError) as error:
        agree(draft_agreement, recipient_head)

    assert list(error.value.message_dict) == ["expiry_date"]
    draft_agreement.refresh_from_db()
    assert draft_agreement.status == Agreement.Status.DRAFT


# reopen_agreement


def test_reopening_returns_the_text_to_the_draft(
    agreed_agreement, carrier_coordinator, django_capture_on_commit_callbacks
):
    old_document = agreed_agreement.document.name

    with django_capture_on_commit_callbacks(execute=True):
        services.reopen_agreement(
            agreement=agreed_agreement,
            actor=carrier_coordinator,
            reason="  Уточнить сроки курсов.  ",
        )
        assert storage_has(old_document)  # deleted only after the commit

    agreed_agreement.refresh_from_db()
    assert agreed_agreement.status == Agreement.Status.DRAFT
    assert agreed_agreement.version == 2
    assert not agreed_agreement.document
    assert agreed_agreement.document_sha256 == ""
    assert agreed_agreement.agreed_by is None
    assert agreed_agreement.agreed_at is None
    assert not storage_has(old_document)
    comment = AgreementComment.objects.get()
    assert (comment.author, comment.side) == (carrier_coordinator, Side.CARRIER)
    assert "Уточнить сроки курсов." in comment.text


def test_reopening_is_refused_once_a_side_has_signed(
    agreed_agreement, carrier_head, recipient_head
):
    sign(agreed_agreement, carrier_head)
    before = snapshot(agreed_agreement)

    with pytest.raises(ValidationError) as error:
        services.reopen_agreement(
            agreement=agreed_agreement, actor=recipient_head, reason="Передумали."
        )

    assert error.value.code == "already_signed"
    assert snapshot(agreed_agreement) == before
    assert storage_has(agreed_agreement.document.name)


def test_reopening_needs_a_reason(agreed_agreement, recipient_head):
    before = snapshot(agreed_agreement)

    with pytest.raises(ValidationError) as error:
        services.reopen_agreement(
            agreement=agreed_agreement, actor=recipient_head, reason="  "
        )

    assert error.value.code == "reason_required"
    assert snapshot(agreed_agreement) == before


def test_a_draft_is_not_reopened(draft_agreement, recipient_head):
    with pytest.raises(ValidationError) as error:
        services.reopen_agreement(
            agreement=draft_agreement, actor=recipient_head, reason="Правки."
        )

    assert error.value.code == "wrong_status"


def test_specialist_does_not_reopen(draft_agreement, recipient_specialist):
    with pytest.raises(PermissionDenied):
        services.reopen_agreement(
            agreement=draft_agreement, actor=recipient_specialist, reason="Правки."
        )


# sign_agreement


def test_wrong_password_signs_nothing_and_is_logged(
    agreed_agreement, carrier_head, caplog
):
    before = snapshot(agreed_agreement)

    with (
        caplog.at_level(logging.WARNING, logger="partnerships.services.agreements"),
        pytest.raises(WrongPassword) as error,
    ):
        sign(agreed_agreement, carrier_head, password="not-my-password")

    assert error.value.code == "wrong_password"
    assert isinstance(error.value, ValidationError)
    assert snapshot(agreed_agreement) == before
    assert not Signature.objects.exists()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert str(agreed_agreement.pk) in message
    assert str(carrier_head.pk) in message
    assert "not-my-password" not in message


@pytest.mark.parametrize(
    "persona",
    [
        "carrier_specialist",
        "recipient_specialist",
        "outsider",
        "expert",
        "administrator",
    ],
)
def test_only_signatories_sign(request, agreed_agreement, persona):
    actor = request.getfixturevalue(persona)
    before = snapshot(agreed_agreement)

    with pytest.raises(PermissionDenied):
        sign(agreed_agreement, actor)

    assert snapshot(agreed_agreement) == before
    assert not Signature.objects.exists()


def test_coordinator_not_named_to_sign_is_refused(
    agreed_agreement, carrier_coordinator
):
    with pytest.raises(PermissionDenied):
        sign(agreed_agreement, carrier_coordinator)

    assert not Signature.objects.exists()


@pytest.fixture
def coordinator_signs(
    draft_agreement, carrier_head, carrier_coordinator, recipient_head
):
    """An agreed agreement naming the carrier's coordinator as its signatory."""
    update(draft_agreement, carrier_head, 1, carrier_signatory=carrier_coordinator)
    return agree(draft_agreement, recipient_head)


def test_named_coordinator_signs(coordinator_signs, carrier_coordinator, carrier):
    signature = sign(coordinator_signs, carrier_coordinator)

    assert signature.side == Side.CARRIER
    assert signature.organisation == carrier
    assert signature.signer == carrier_coordinator
    assert signature.role == Role.COORDINATOR
    with translation.override("ru"):
        assert signature.signer_position == str(Role.COORDINATOR.label)


def test_signature_record_is_in_the_site_language(
    coordinator_signs, carrier_coordinator
):
    with translation.override("en"):
        signature = sign(coordinator_signs, carrier_coordinator)

    with translation.override("ru"):
        assert signature.signer_position == str(Role.COORDINATOR.label)


def test_head_signs_even_when_a_coordinator_is_named(coordinator_signs, carrier_head):
    signature = sign(coordinator_signs, carrier_head)

    assert (signature.signer, signature.role) == (carrier_head, Role.HEAD)


def test_first_signature_waits_for_the_other_side(
    agreed_agreement, carrier, carrier_head, carrier_coordinator, recipient_head
):
    signature = sign(agreed_agreement, carrier_head)

    agreed_agreement.refresh_from_db()
    assert agreed_agreement.status == Agreement.Status.AGREED
    assert not agreed_agreement.signed_document
    assert signature.side == Side.CARRIER
    assert signature.organisation == carrier
    assert signature.signer_name == carrier_head.full_name
    assert signature.signer_position == carrier.head_position
    assert signature.ip_address == SIGNER_IP
    assert signature.document_sha256 == agreed_agreement.document_sha256
    assert notified(Kind.AGREEMENT_SIGNED_BY_OTHER_SIDE) == {recipient_head.pk}


def test_signing_twice_returns_the_same_signature(agreed_agreement, carrier_head):
    first = sign(agreed_agreement, carrier_head)

    again = sign(agreed_agreement, carrier_head)

    assert again.pk == first.pk
    assert Signature.objects.count() == 1
    assert (
        Notification.objects.filter(kind=Kind.AGREEMENT_SIGNED_BY_OTHER_SIDE).count()
        == 1
    )


def test_specialist_is_refused_after_the_head_signed(
    agreed_agreement, carrier_head, carrier_specialist
):
    sign(agreed_agreement, carrier_head)

    with pytest.raises(PermissionDenied):
        sign(agreed_agreement, carrier_specialist)


def test_both_signatures_make_the_agreement_signed(
    signed_agreement, carrier_head, carrier_coordinator, recipient_head, recipient
):
    agreement = signed_agreement

    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_at is not None
    assert agreement.signed_document.name.startswith("agreements/signed/")
    assert file_sha256(agreement.signed_document) == agreement.signed_sha256
    assert agreement.signed_sha256 != agreement.document_sha256
    # The PDF both signed is kept as it was agreed.
    assert file_sha256(agreement.document) == agreement.document_sha256
    signatures = {s.side: s for s in agreement.signatures.all()}
    assert set(signatures) == {Side.CARRIER, Side.RECIPIENT}
    assert signatures[Side.RECIPIENT].signer == recipient_head
    assert signatures[Side.RECIPIENT].organisation == recipient
    for signature in signatures.values():
        assert signature.document_sha256 == agreement.document_sha256
    assert notified(Kind.AGREEMENT_SIGNED) == {
        carrier_head.pk,
        carrier_coordinator.pk,
        recipient_head.pk,
    }


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_heads_signing_at_the_same_moment_complete_the_agreement(
    agreed_agreement, carrier_head, recipient_head, monkeypatch
):
    # Each signer must see the other's signature, or neither stores the
    # signed PDF: the second waits for the first's lock on the agreement.
    monkeypatch.setattr(
        agreement_services, "file_sha256", slowed(agreement_services.file_sha256)
    )

    outcomes = run_concurrently(
        lambda: sign(agreed_agreement, carrier_head),
        lambda: sign(agreed_agreement, recipient_head),
    )

    assert [type(outcome) for outcome in outcomes] == [Signature, Signature]
    agreed_agreement.refresh_from_db()
    assert agreed_agreement.status == Agreement.Status.SIGNED
    assert file_sha256(agreed_agreement.signed_document) == (
        agreed_agreement.signed_sha256
    )


def test_tampered_document_is_not_signed(agreed_agreement, carrier_head, caplog):
    Path(agreed_agreement.document.path).write_bytes(b"%PDF-1.7 changed text")
    before = snapshot(agreed_agreement)

    with pytest.raises(ValidationError) as error:
        sign(agreed_agreement, carrier_head)

    assert error.value.code == "hash_mismatch"
    assert snapshot(agreed_agreement) == before
    assert not Signature.objects.exists()
    assert [r.levelno for r in caplog.records if "hash" in r.getMessage()] == [
        logging.ERROR
    ]


def test_a_draft_is_not_signed(draft_agreement, carrier_head):
    with pytest.raises(ValidationError) as error:
        sign(draft_agreement, carrier_head)

    assert error.value.code == "wrong_status"
    assert not Signature.objects.exists()


def test_nothing_is_signed_in_an_ended_partnership(
    agreed_agreement, partnership, carrier_head
):
    services.terminate_partnership(
        partnership=partnership, actor=carrier_head, reason="Смена команды."
    )

    with pytest.raises(ValidationError) as error:
        sign(agreed_agreement, carrier_head)

    assert error.value.code == "not_active"
    assert not Signature.objects.exists()


# create_supplementary


def test_supplementary_starts_from_the_signed_terms(
    signed_agreement, carrier_coordinator
):
    parent = signed_agreement

    supplement = services.create_supplementary(parent=parent, actor=carrier_coordinator)

    supplement.refresh_from_db()
    assert supplement.parent == parent
    assert supplement.is_supplementary
    assert supplement.number == f"{parent.number}-Д1"
    assert supplement.status == Agreement.Status.DRAFT
    assert parent.number in supplement.subject
    assert parent.agreement_date.strftime("%d.%m.%Y") in supplement.subject
    for field in (
        "carrier_obligations",
        "recipient_obligations",
        "changes_procedure",
        "termination_procedure",
        "expiry_date",
        "product_version",
        "carrier_signatory",
        "recipient_signatory",
    ):
        assert getattr(supplement, field) == getattr(parent, field), field
    assert supplement.created_by == carrier_coordinator
    parent.refresh_from_db()
    assert parent.status == Agreement.Status.SIGNED


def test_supplementary_is_one_at_a_time(signed_agreement, carrier_coordinator):
    first = services.create_supplementary(
        parent=signed_agreement, actor=carrier_coordinator
    )

    again = services.create_supplementary(
        parent=signed_agreement, actor=carrier_coordinator
    )
    through_supplement = services.create_supplementary(
        parent=first, actor=carrier_coordinator
    )

    assert again.pk == first.pk == through_supplement.pk
    assert signed_agreement.supplements.count() == 1


def test_next_supplementary_gets_the_next_number(signed_agreement, carrier_head):
    first = services.create_supplementary(parent=signed_agreement, actor=carrier_head)
    services.terminate_agreement(
        agreement=first, actor=carrier_head, reason="Не нужно."
    )

    second = services.create_supplementary(parent=signed_agreement, actor=carrier_head)

    assert second.number == f"{signed_agreement.number}-Д2"


def test_supplementary_needs_a_signed_agreement(agreed_agreement, carrier_coordinator):
    with pytest.raises(ValidationError) as error:
        services.create_supplementary(
            parent=agreed_agreement, actor=carrier_coordinator
        )

    assert error.value.code == "wrong_status"
    assert not agreed_agreement.supplements.exists()


def test_recipient_does_not_start_a_supplementary(signed_agreement, recipient_head):
    with pytest.raises(PermissionDenied):
        services.create_supplementary(parent=signed_agreement, actor=recipient_head)

    assert not signed_agreement.supplements.exists()


# terminate_agreement


def test_lead_terminates_a_draft(
    draft_agreement, carrier_coordinator, carrier_head, recipient_head
):
    services.terminate_agreement(
        agreement=draft_agreement, actor=carrier_coordinator, reason="  Не подходит.  "
    )

    draft_agreement.refresh_from_db()
    assert draft_agreement.status == Agreement.Status.TERMINATED
    assert draft_agreement.end_reason == "Не подходит."
    assert draft_agreement.history.first().history_change_reason == "Не подходит."
    assert notified(Kind.STAGE_MOVED) == {carrier_head.pk, recipient_head.pk}


def test_signed_agreement_is_terminated_by_a_head_only(
    signed_agreement, carrier_coordinator, recipient_head
):
    with pytest.raises(ValidationError) as error:
        services.terminate_agreement(
            agreement=signed_agreement, actor=carrier_coordinator, reason="Досрочно."
        )

    assert error.value.code == "head_only"
    signed_agreement.refresh_from_db()
    assert signed_agreement.status == Agreement.Status.SIGNED

    services.terminate_agreement(
        agreement=signed_agreement, actor=recipient_head, reason="Досрочно."
    )

    signed_agreement.refresh_from_db()
    assert signed_agreement.status == Agreement.Status.TERMINATED
    assert signed_agreement.signed_sha256 == file_sha256(
        signed_agreement.signed_document
    )


def test_terminating_an_agreement_needs_a_reason(draft_agreement, carrier_head):
    with pytest.raises(ValidationError) as error:
        services.terminate_agreement(
            agreement=draft_agreement, actor=carrier_head, reason=""
        )

    assert error.value.code == "reason_required"
    assert snapshot(draft_agreement)[0] == Agreement.Status.DRAFT


def test_specialist_does_not_terminate(draft_agreement, carrier_specialist):
    with pytest.raises(PermissionDenied):
        services.terminate_agreement(
            agreement=draft_agreement, actor=carrier_specialist, reason="Хватит."
        )

    assert snapshot(draft_agreement)[0] == Agreement.Status.DRAFT


def test_terminated_agreement_is_not_terminated_again(draft_agreement, carrier_head):
    services.terminate_agreement(
        agreement=draft_agreement, actor=carrier_head, reason="Первая причина."
    )

    with pytest.raises(ValidationError) as error:
        services.terminate_agreement(
            agreement=draft_agreement, actor=carrier_head, reason="Вторая."
        )

    assert error.value.code == "wrong_status"
    draft_agreement.refresh_from_db()
    assert draft_agreement.end_reason == "Первая причина."


# add_comment


def test_comment_notifies_the_other_side(
    draft_agreement, carrier_coordinator, recipient_head, recipient_coordinator
):
    comment = services.add_comment(
        agreement=draft_agreement,
        actor=carrier_coordinator,
        text="  Посмотрите п. 2.  ",
    )

    assert comment.text == "Посмотрите п. 2."
    assert (comment.author, comment.side) == (carrier_coordinator, Side.CARRIER)
    assert notified(Kind.AGREEMENT_COMMENT) == {
        recipient_head.pk,
        recipient_coordinator.pk,
    }
    notification = Notification.objects.filter(kind=Kind.AGREEMENT_COMMENT).first()
    assert notification.body == "Посмотрите п. 2."
    assert notification.link == (
        f"{draft_agreement.get_absolute_url()}#comment-{comment.pk}"
    )


def test_recipients_comment_notifies_the_carrier(
    draft_agreement, recipient_head, carrier_head, carrier_coordinator
):
    comment = services.add_comment(
        agreement=draft_agreement, actor=recipient_head, text="Согласны с текстом."
    )

    assert comment.side == Side.RECIPIENT
    assert notified(Kind.AGREEMENT_COMMENT) == {carrier_head.pk, carrier_coordinator.pk}


def test_repeated_comment_is_written_once(draft_agreement, recipient_head):
    first = services.add_comment(
        agreement=draft_agreement, actor=recipient_head, text="Согласны."
    )

    again = services.add_comment(
        agreement=draft_agreement, actor=recipient_head, text="Согласны."
    )

    assert again.pk == first.pk
    assert AgreementComment.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.AGREEMENT_COMMENT).count() == 2


@pytest.mark.parametrize("text", ["", "  ", "я" * 5001])
def test_comment_needs_a_sensible_text(draft_agreement, recipient_head, text):
    with pytest.raises(ValidationError) as error:
        services.add_comment(agreement=draft_agreement, actor=recipient_head, text=text)

    assert error.value.code == "invalid_text"
    assert not AgreementComment.objects.exists()


@pytest.mark.parametrize("persona", ["recipient_specialist", "outsider"])
def test_only_leads_comment(request, draft_agreement, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.add_comment(agreement=draft_agreement, actor=actor, text="Мнение.")

    assert not AgreementComment.objects.exists()


def test_no_comments_in_an_ended_partnership(
    draft_agreement, partnership, recipient_head
):
    services.terminate_partnership(
        partnership=partnership, actor=recipient_head, reason="Смена команды."
    )

    with pytest.raises(ValidationError) as error:
        services.add_comment(
            agreement=draft_agreement, actor=recipient_head, text="Поздно."
        )

    assert error.value.code == "not_active"


# expire_agreements and warn_expiring_agreements


def test_signed_agreement_expires_the_day_after_its_term(signed_agreement):
    expiry = signed_agreement.expiry_date

    assert services.expire_agreements(today=expiry) == 0
    assert snapshot(signed_agreement)[0] == Agreement.Status.SIGNED

    assert services.expire_agreements(today=expiry + timedelta(days=1)) == 1
    assert snapshot(signed_agreement)[0] == Agreement.Status.EXPIRED
    assert (
        signed_agreement.history.first().history_change_reason
        == "Срок действия соглашения истёк"
    )

    assert services.expire_agreements(today=expiry + timedelta(days=2)) == 0


def test_unsigned_agreements_do_not_expire(draft_agreement):
    later = draft_agreement.expiry_date + timedelta(days=1)

    assert services.expire_agreements(today=later) == 0
    assert snapshot(draft_agreement)[0] == Agreement.Status.DRAFT


def test_both_sides_are_warned_once_before_expiry(
    signed_agreement, carrier_head, carrier_coordinator, recipient_head
):
    expiry = signed_agreement.expiry_date
    Notification.objects.all().delete()

    assert services.warn_expiring_agreements(today=expiry - timedelta(days=31)) == 0
    assert services.warn_expiring_agreements(today=expiry - timedelta(days=30)) == 1

    assert notified(Kind.AGREEMENT_EXPIRING) == {
        carrier_head.pk,
        carrier_coordinator.pk,
        recipient_head.pk,
    }
    signed_agreement.refresh_from_db()
    assert signed_agreement.expiry_warning_sent_at is not None
    assert services.warn_expiring_agreements(today=expiry - timedelta(days=5)) == 0
    assert Notification.objects.count() == 3


def test_no_warning_after_expiry(signed_agreement):
    expiry = signed_agreement.expiry_date

    assert services.warn_expiring_agreements(today=expiry + timedelta(days=1)) == 0
    signed_agreement.refresh_from_db()
    assert signed_agreement.expiry_warning_sent_at is None


def test_unsigned_agreement_gets_no_warning(draft_agreement):
    soon = draft_agreement.expiry_date - timedelta(days=10)

    assert services.warn_expiring_agreements(today=soon) == 0
    assert not Notification.objects.filter(kind=Kind.AGREEMENT_EXPIRING).exists()

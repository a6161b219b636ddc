"""Partnership pages as each side sees them, and their query budgets."""

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from organisations.models import Role
from partnerships import permissions, services
from partnerships.models import Agreement, Partnership, Stage
from products.models import Interest
from tests.factories import OrganisationFactory, ProductFactory, member


def make_partnership(carrier, coordinator, recipient=None, product=None, **fields):
    recipient = recipient or OrganisationFactory()
    head = member(recipient, Role.HEAD)
    product = product or ProductFactory(carrier=carrier, coordinator=coordinator)
    interest = Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=head,
        message="Хотим внедрить.",
        status=Interest.Status.ACCEPTED,
    )
    partnership = Partnership.objects.create(
        product=product,
        interest=interest,
        carrier=carrier,
        recipient=recipient,
        carrier_contact=coordinator,
        recipient_contact=head,
        **fields,
    )
    permissions.grant_permissions(partnership)
    return partnership


@pytest.fixture
def accepted(carrier, carrier_coordinator, recipient, recipient_head):
    product = ProductFactory(
        carrier=carrier, coordinator=carrier_coordinator, title="Школьный технопарк"
    )
    interest = Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить технопарк.",
    )
    return services.accept_interest(interest=interest, actor=carrier_coordinator)


def test_double_submitted_acceptance_creates_one_partnership(
    client, login, accepted, carrier_coordinator
):
    login(carrier_coordinator)
    response = client.post(
        reverse("products:interest_accept", args=[accepted.interest.pk])
    )

    assert response.status_code == 302
    assert response.url == accepted.get_absolute_url()
    assert Partnership.objects.filter(interest=accepted.interest).count() == 1


def test_recipient_sees_what_is_expected_of_it(
    client, login, accepted, carrier_coordinator, recipient_head
):
    services.draft_agreement(partnership=accepted, actor=carrier_coordinator)
    login(recipient_head)

    response = client.get(reverse("partnerships:partnership_list"))

    row = response.context["page"].object_list[0]
    assert row.my_side == "recipient"
    assert "Реципиент рассматривает проект соглашения" in str(row.expected)
    assert "Школьный технопарк" in response.content.decode()


def test_carrier_waits_for_the_recipient(client, login, accepted, carrier_coordinator):
    services.draft_agreement(partnership=accepted, actor=carrier_coordinator)
    login(carrier_coordinator)

    response = client.get(reverse("partnerships:partnership_list"))

    row = response.context["page"].object_list[0]
    assert str(row.expected).startswith("Ожидается действие другой стороны")


def test_administrator_sees_who_is_to_act(
    client, login, accepted, carrier_coordinator, administrator
):
    services.draft_agreement(partnership=accepted, actor=carrier_coordinator)
    login(administrator)

    response = client.get(reverse("partnerships:partnership_list"))

    row = response.context["page"].object_list[0]
    assert row.my_side is None
    assert str(row.expected).startswith("Реципиент рассматривает проект")


def test_recipient_specialist_sees_but_cannot_act(client, login, accepted, recipient):
    specialist = member(recipient, Role.SPECIALIST)
    login(specialist)

    page = client.get(accepted.get_absolute_url())
    advance = client.post(
        reverse("partnerships:partnership_advance", args=[accepted.pk])
    )

    assert page.status_code == 200
    assert page.context["note_form"] is None
    assert advance.status_code == 403


def test_recipient_lead_may_not_move_stages(client, login, accepted, recipient_head):
    login(recipient_head)

    response = client.post(
        reverse("partnerships:partnership_advance", args=[accepted.pk])
    )

    assert response.status_code == 403
    accepted.refresh_from_db()
    assert accepted.stage == Stage.DOCUMENTS


def test_assigned_expert_sees_the_partnership_and_loses_it_when_removed(
    client, login, accepted, expert, administrator
):
    login(expert)
    assert client.get(accepted.get_absolute_url()).status_code == 404

    services.set_experts(partnership=accepted, actor=administrator, experts=[expert])
    assert client.get(accepted.get_absolute_url()).status_code == 200

    services.set_experts(partnership=accepted, actor=administrator, experts=[])
    assert client.get(accepted.get_absolute_url()).status_code == 404


def test_track_names_what_is_missing(client, login, accepted, carrier_coordinator):
    login(carrier_coordinator)

    response = client.get(accepted.get_absolute_url())

    missing = [
        str(state.condition.label)
        for state in response.context["conditions"]
        if not state.met
    ]
    assert missing == [
        "Есть проект соглашения о сотрудничестве",
        "Есть проект дорожной карты",
    ]


def test_refused_move_explains_itself(client, login, accepted, carrier_coordinator):
    login(carrier_coordinator)

    response = client.post(
        reverse("partnerships:partnership_advance", args=[accepted.pk]), follow=True
    )

    text = response.content.decode()
    assert "не хватает" in text
    assert "Есть проект дорожной карты" in text


def _edit_data(client, agreement) -> dict:
    form = client.get(
        reverse("partnerships:agreement_edit", args=[agreement.pk])
    ).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else getattr(value, "pk", value)
    return data


def test_second_concurrent_save_is_refused_and_keeps_both_texts(
    client, login, accepted, carrier_coordinator, recipient_head
):
    agreement = services.draft_agreement(
        partnership=accepted, actor=carrier_coordinator
    )
    login(carrier_coordinator)
    carrier_form = _edit_data(client, agreement)
    login(recipient_head)
    recipient_form = _edit_data(client, agreement)

    carrier_form["subject"] = "Текст носителя."
    login(carrier_coordinator)
    assert (
        client.post(
            reverse("partnerships:agreement_edit", args=[agreement.pk]), carrier_form
        ).status_code
        == 302
    )

    recipient_form["subject"] = "Текст реципиента."
    login(recipient_head)
    response = client.post(
        reverse("partnerships:agreement_edit", args=[agreement.pk]), recipient_form
    )

    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.subject == "Текст носителя."
    text = response.content.decode()
    assert "Текст носителя." in text  # the current text is shown
    assert "Текст реципиента." in text  # and the person's own is kept
    assert response.context["form"]["version"].value() == str(agreement.version)


def test_wrong_password_on_the_page_signs_nothing(
    client, login, accepted, carrier_coordinator, carrier_head, recipient_head
):
    agreement = services.draft_agreement(
        partnership=accepted, actor=carrier_coordinator
    )
    services.agree_agreement(
        agreement=agreement, actor=recipient_head, expected_version=agreement.version
    )
    login(carrier_head)

    response = client.post(
        reverse("partnerships:agreement_sign", args=[agreement.pk]),
        {"password": "not-my-password", "confirm": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not agreement.signatures.exists()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AGREED


def test_verification_reports_a_changed_document(
    client, login, accepted, carrier_coordinator, carrier_head, recipient_head
):
    agreement = services.draft_agreement(
        partnership=accepted, actor=carrier_coordinator
    )
    services.agree_agreement(
        agreement=agreement, actor=recipient_head, expected_version=agreement.version
    )
    agreement.refresh_from_db()
    with agreement.document.open("ab") as handle:
        handle.write(b"% tampered\n")
    login(carrier_head)

    response = client.get(reverse("partnerships:agreement_verify", args=[agreement.pk]))

    assert response.context["all_match"] is False
    assert "не совпадает" in response.content.decode()


def test_board_export_lists_every_partner(client, login, carrier, carrier_coordinator):
    for _ in range(3):
        make_partnership(carrier, carrier_coordinator)
    login(carrier_coordinator)

    response = client.get(reverse("partnerships:board_export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Организация-партнёр"
    assert len(rows) == 4


def test_board_needs_a_membership(client, login, expert):
    login(expert)

    assert client.get(reverse("partnerships:board")).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        reverse("partnerships:board"),
        reverse("partnerships:partnership_list") + "?status=all",
        reverse("partnerships:board_export"),
    ],
)
def test_query_count_does_not_grow_with_partners(
    client, login, carrier, carrier_coordinator, url
):
    product = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    for stage in (2, 3, 4):
        make_partnership(carrier, carrier_coordinator, product=product, stage=stage)
    login(carrier_coordinator)
    client.get(url)  # warm the per-process caches (content types, session)
    few = _queries(client, url)

    for stage in (2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5):
        partnership = make_partnership(
            carrier, carrier_coordinator, product=product, stage=stage
        )
        Agreement.objects.create(
            partnership=partnership,
            number=f"N{partnership.pk}",
            subject="s",
            carrier_obligations="c",
            recipient_obligations="r",
            changes_procedure="p",
            termination_procedure="t",
            expiry_date="2027-12-31",
        )
    many = _queries(client, url)

    assert many == few
    assert many <= 16


def test_partnership_page_query_budget(
    client, login, accepted, carrier_coordinator, recipient_head
):
    services.draft_agreement(partnership=accepted, actor=carrier_coordinator)
    login(carrier_coordinator)
    url = accepted.get_absolute_url()
    client.get(url)  # warm the per-process caches (content types, session)
    few = _queries(client, url)

    for day in range(1, 6):
        services.add_negotiation_note(
            partnership=accepted,
            actor=recipient_head,
            held_on=date(2026, 11, day),
            text=f"Встреча {day}: обсудили сроки курса.",
        )
    many = _queries(client, url)

    assert many == few == 17


def test_lead_names_the_responsible_person_of_their_side(
    client, login, accepted, carrier_head, recipient_head
):
    login(carrier_head)

    response = client.post(
        reverse("partnerships:partnership_contact", args=[accepted.pk]),
        {"contact": carrier_head.pk},
    )

    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.carrier_contact == carrier_head
    assert accepted.recipient_contact == recipient_head


def test_responsible_person_must_belong_to_the_side(
    client, login, accepted, carrier_head, carrier_coordinator, outsider
):
    login(carrier_head)

    response = client.post(
        reverse("partnerships:partnership_contact", args=[accepted.pk]),
        {"contact": outsider.pk},
        follow=True,
    )

    accepted.refresh_from_db()
    assert accepted.carrier_contact == carrier_coordinator
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_package_says_only_of_missing_parts_that_they_are_not_available(
    client, login, accepted, carrier_coordinator
):
    services.draft_agreement(partnership=accepted, actor=carrier_coordinator)
    login(carrier_coordinator)

    html = client.get(reverse("partnerships:package", args=[accepted.pk])).content
    rows = dict(re.findall(r'<tr id="item-([a-z_]+)">(.*?)</tr>', html.decode(), re.S))

    unavailable = "Этот раздел платформы пока недоступен"
    assert unavailable not in rows["agreement"]
    assert "Проект" in rows["agreement"]
    assert unavailable not in rows["instructions"]
    assert unavailable in rows["roadmap"]


def test_product_page_leads_a_partner_to_its_partnership(
    client, login, accepted, recipient_head
):
    login(recipient_head)

    html = client.get(accepted.product.get_absolute_url()).content.decode()

    assert accepted.get_absolute_url() in html
    assert "Открыть партнёрство" in html
    assert reverse("products:interest_create", args=[accepted.product.pk]) not in html


def test_product_page_offers_interest_again_after_the_partnership_ends(
    client, login, accepted, recipient_head
):
    services.terminate_partnership(
        partnership=accepted, actor=recipient_head, reason="Сменился директор."
    )
    login(recipient_head)

    html = client.get(accepted.product.get_absolute_url()).content.decode()

    assert reverse("products:interest_create", args=[accepted.product.pk]) in html
    assert accepted.get_absolute_url() not in html


def test_my_interests_link_an_accepted_interest_to_its_partnership(
    client, login, accepted, recipient_head
):
    login(recipient_head)

    html = client.get(reverse("products:my_interests")).content.decode()

    assert accepted.get_absolute_url() in html

"""The admin shows partnerships read-only and assigns experts through the
service, so the expert's permission follows."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import AgreementTemplate
from products.models import Interest
from tests.factories import ProductFactory


@pytest.fixture
def accepted(carrier, carrier_coordinator, recipient, recipient_head):
    product = ProductFactory(carrier=carrier, coordinator=carrier_coordinator)
    interest = Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить.",
    )
    partnership = services.accept_interest(interest=interest, actor=carrier_coordinator)
    services.draft_agreement(partnership=partnership, actor=carrier_coordinator)
    return partnership


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:partnerships_partnership_changelist",
        "admin:partnerships_agreement_changelist",
        "admin:partnerships_agreementtemplate_changelist",
        "admin:partnerships_negotiationnote_changelist",
    ],
)
def test_lists_open(client, login, administrator, accepted, url_name):
    login(administrator)

    assert client.get(reverse(url_name)).status_code == 200


def test_agreement_page_is_read_only(client, login, administrator, accepted):
    agreement = accepted.agreements.get()
    login(administrator)

    response = client.get(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    )

    assert response.status_code == 200
    assert "subject" not in response.context["adminform"].form.fields


def test_assigning_an_expert_grants_the_view(
    client, login, administrator, expert, accepted
):
    login(administrator)
    url = reverse("admin:partnerships_partnership_change", args=[accepted.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"experts": [expert.pk], **_empty_inlines(accepted)})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert expert.has_perm("partnerships.view_partnership", accepted)
    assert list(accepted.experts.all()) == [expert]


def _empty_inlines(partnership) -> dict:
    data = {}
    for prefix, count in (
        ("stage_moves", partnership.stage_moves.count()),
        ("agreements", partnership.agreements.count()),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": count,
                f"{prefix}-INITIAL_FORMS": count,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 0,
            }
        )
    return data


def test_default_template_exists_and_is_editable(client, login, administrator):
    template = AgreementTemplate.objects.get(is_default=True)
    login(administrator)

    response = client.get(
        reverse("admin:partnerships_agreementtemplate_change", args=[template.pk])
    )

    assert response.status_code == 200
    assert "{recipient}" in template.subject

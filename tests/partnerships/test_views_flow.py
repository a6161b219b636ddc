"""The whole way of an agreement through the pages, as both sides see it."""

import pytest
from django.urls import reverse

from partnerships.models import Agreement, Partnership, Signature
from products.models import Interest
from tests.factories import PASSWORD, ProductFactory


@pytest.fixture
def flow_interest(carrier, carrier_coordinator, recipient, recipient_head):
    product = ProductFactory(
        carrier=carrier,
        coordinator=carrier_coordinator,
        title="Цифровая лаборатория в основной школе",
    )
    return Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить цифровую лабораторию в 7–9 классах.",
    )


def test_pages_from_acceptance_to_signed_pdf(
    client,
    login,
    flow_interest,
    carrier_head,
    carrier_coordinator,
    recipient_head,
    django_capture_on_commit_callbacks,
):
    login(carrier_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("products:interest_accept", args=[flow_interest.pk])
        )
    partnership = Partnership.objects.get(interest=flow_interest)
    assert response.url == partnership.get_absolute_url()
    assert partnership.stage == 2

    page = client.get(partnership.get_absolute_url())
    assert page.status_code == 200
    assert "Есть проект соглашения о сотрудничестве" in page.content.decode()

    package = client.get(reverse("partnerships:package", args=[partnership.pk]))
    assert package.status_code == 200

    response = client.post(
        reverse("partnerships:agreement_create", args=[partnership.pk])
    )
    agreement = Agreement.objects.get(partnership=partnership)
    assert response.url == reverse("partnerships:agreement_edit", args=[agreement.pk])
    assert client.get(response.url).status_code == 200
    assert client.get(agreement.get_absolute_url()).status_code == 200
    preview = client.get(reverse("partnerships:agreement_pdf", args=[agreement.pk]))
    assert preview["Content-Type"] == "application/pdf"

    login(recipient_head)
    edit = client.get(reverse("partnerships:agreement_edit", args=[agreement.pk]))
    form = edit.context["form"]
    data = {
        name: (field.value().pk if hasattr(field.value(), "pk") else field.value())
        for name, field in ((n, form[n]) for n in form.fields)
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["subject"] = "Предмет: внедрение цифровой лаборатории в 7–9 классах."
    response = client.post(
        reverse("partnerships:agreement_edit", args=[agreement.pk]), data
    )
    assert response.status_code == 302, response.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.version == 2

    client.post(
        reverse("partnerships:agreement_comment", args=[agreement.pk]),
        {"text": "Предлагаем уточнить сроки курсов."},
    )
    client.post(
        reverse("partnerships:agreement_agree", args=[agreement.pk]),
        {"version": agreement.version},
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AGREED

    for signer in (recipient_head, carrier_head):
        login(signer)
        sign_url = reverse("partnerships:agreement_sign", args=[agreement.pk])
        assert client.get(sign_url).status_code == 200
        wrong = client.post(sign_url, {"password": "wrong", "confirm": "on"})
        assert wrong.status_code == 200
        response = client.post(sign_url, {"password": PASSWORD, "confirm": "on"})
        assert response.status_code == 302
    assert Signature.objects.filter(agreement=agreement).count() == 2
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED

    verify = client.get(reverse("partnerships:agreement_verify", args=[agreement.pk]))
    assert verify.context["all_match"] is True
    pdf = client.get(reverse("partnerships:agreement_pdf", args=[agreement.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    page = client.get(partnership.get_absolute_url())
    assert page.status_code == 200
    assert client.get(reverse("partnerships:partnership_list")).status_code == 200
    login(carrier_head)
    assert client.get(reverse("partnerships:board")).status_code == 200
    export = client.get(reverse("partnerships:board_export"))
    assert export.status_code == 200

"""Export of the partners database to XLSX and CSV."""

import csv
import io
from datetime import date, datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organisations.models import Role
from products.models import Interest, PositioningEvent
from tests.factories import OrganisationFactory, ProductFactory, member

HEADER = [
    "Organisation",
    "Region",
    "District",
    "Product",
    "Declared by",
    "Declared at",
    "Message",
    "Expected start",
    "Learned of it at",
    "Status",
    "Decided at",
    "Decided by",
    "Reason for declining",
    "Carrier's notes",
]


DECLARED_AT = timezone.make_aware(datetime(2030, 2, 1, 9, 5))


def export_url(fmt: str) -> str:
    return reverse("products:partner_database_export", kwargs={"fmt": fmt})


@pytest.fixture
def english(login):
    """Sign in with the interface in English, the language of the msgids."""

    def sign_in(user):
        client = login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


@pytest.fixture
def rows(published_product, carrier, carrier_head, recipient, recipient_head):
    """Two interests in the published product and one in another one."""
    event = PositioningEvent.objects.create(
        product=published_product,
        kind=PositioningEvent.Kind.CONFERENCE,
        title="Конференция «Школа будущего»",
        starts_at=timezone.now(),
    )
    lyceum = OrganisationFactory(
        short_name="МБОУ лицей № 2", region="16", district="Вахитовский район"
    )
    lyceum_head = member(lyceum, Role.HEAD, last_name="Хайруллин", first_name="Ринат")
    declared = Interest.objects.create(
        product=published_product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить; есть вопросы; «кавычки»",
        expected_start=date(2031, 9, 1),
        source_event=event,
        carrier_notes="Позвонить",
    )
    Interest.objects.create(
        product=published_product,
        organisation=lyceum,
        declared_by=lyceum_head,
        message='=HYPERLINK("https://evil.example")',
        status=Interest.Status.DECLINED,
        decline_reason="Нет оборудования",
        decided_by=carrier_head,
        decided_at=timezone.make_aware(datetime(2030, 3, 5, 14, 30)),
    )
    Interest.objects.create(
        product=ProductFactory(carrier=carrier, title="Медиацентр"),
        organisation=recipient,
        declared_by=recipient_head,
        message="Интересно",
    )
    Interest.objects.update(created_at=DECLARED_AT)
    return {"declared": declared, "lyceum_head": lyceum_head}


def test_anonymous_is_sent_to_sign_in_for_the_export(db, login):
    response = login(None).get(export_url("csv"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_specialist_gets_403_for_the_export(carrier_specialist, login):
    response = login(carrier_specialist).get(export_url("xlsx"))

    assert response.status_code == 403


@pytest.mark.parametrize("fmt", ["pdf", "xls", "XLSX"])
def test_unknown_format_is_404(carrier_head, login, fmt):
    response = login(carrier_head).get(export_url(fmt))

    assert response.status_code == 404


def test_xlsx_holds_exactly_the_filtered_rows(
    rows, published_product, carrier_head, recipient_head, english
):
    query = {"product": published_product.pk, "region": "78"}

    response = english(carrier_head).get(export_url("xlsx"), query)

    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="potentsialnye-partnery-{today}.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Potential partners"
    values = list(sheet.iter_rows(values_only=True))
    assert values == [
        tuple(HEADER),
        (
            "ГБОУ гимназия № 70",
            "Санкт-Петербург",
            "Петроградский район",
            "Цифровая лаборатория в основной школе",
            recipient_head.full_name,
            datetime(2030, 2, 1, 9, 5),
            "Хотим внедрить; есть вопросы; «кавычки»",
            datetime(2031, 9, 1),
            "Конференция «Школа будущего»",
            "New",
            None,
            None,
            None,
            "Позвонить",
        ),
    ]


def test_xlsx_has_a_bold_header_widths_and_date_formats(
    rows, published_product, carrier_head, english
):
    response = english(carrier_head).get(
        export_url("xlsx"), {"product": published_product.pk}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 40
    assert sheet.column_dimensions["G"].width == 60
    assert sheet.freeze_panes == "A2"
    by_organisation = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    declined = by_organisation["МБОУ лицей № 2"]
    assert declined[10].value == datetime(2030, 3, 5, 14, 30)
    assert declined[10].number_format == "DD.MM.YYYY HH:MM"
    assert by_organisation["ГБОУ гимназия № 70"][7].number_format == "DD.MM.YYYY"


def test_xlsx_keeps_a_formula_like_message_as_text(rows, carrier_head, english):
    response = english(carrier_head).get(export_url("xlsx"), {"status": "declined"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    message = sheet.cell(row=2, column=7)
    assert message.data_type == "s"
    assert message.value == '=HYPERLINK("https://evil.example")'


def test_csv_holds_exactly_the_filtered_rows(rows, carrier_head, english):
    response = english(carrier_head).get(
        export_url("csv"), {"status": "declined", "q": "лицей"}
    )

    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="potentsialnye-partnery-{today}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(
        csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
    )
    assert lines == [
        HEADER,
        [
            "МБОУ лицей № 2",
            "Республика Татарстан",
            "Вахитовский район",
            "Цифровая лаборатория в основной школе",
            rows["lyceum_head"].full_name,
            "02/01/2030 9:05 a.m.",
            '\'=HYPERLINK("https://evil.example")',
            "",
            "",
            "Declined",
            "03/05/2030 2:30 p.m.",
            carrier_head.full_name,
            "Нет оборудования",
            "",
        ],
    ]


def test_csv_exports_all_pages(published_product, carrier_head, english):
    for _ in range(30):
        Interest.objects.create(
            product=published_product,
            organisation=OrganisationFactory(),
            message="Хотим",
        )

    response = english(carrier_head).get(export_url("csv"))

    text = response.content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 31


def test_export_leaves_out_other_carriers(rows, recipient, outsider, english):
    response = english(outsider).get(export_url("csv"))

    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [HEADER]

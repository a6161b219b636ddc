"""Stage 1 in a real browser: a guest searches the catalogue; a recipient
declares interest and the carrier works with it in the partners database."""

import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from innoteka.demo import seed
from innoteka.demo.people import DEMO_PASSWORD
from products.models import Interest, Product

pytestmark = [
    pytest.mark.e2e,
]

FLIPPED = "Технология смешанного обучения «Перевёрнутый класс» в основной школе"
# Gymnasium 70 already works with School 619 on the flipped class; it turns
# to the school's robotics programme.
ROBOTICS = (
    "Программа внеурочной деятельности «Инженерная школа: робототехника и "
    "3D-моделирование»"
)
FLAGSHIP = (
    "Цифровая образовательная среда как ресурс формирования функциональной грамотности"
)


@pytest.fixture
def demo_world(platform_data):
    seed()


def result_titles(page) -> list[str]:
    return page.locator("#catalogue-results article h2").all_inner_texts()


def search(page, text: str) -> None:
    page.get_by_role("searchbox", name="Поиск").fill(text)
    with page.expect_response(re.compile(r".*/products/\?.*")):
        page.get_by_role("button", name="Найти").click()
    page.wait_for_load_state("networkidle")


def tick(page, label: str, param: str) -> None:
    """Tick a filter and wait until its results are in the page."""
    with page.expect_response(re.compile(rf".*{param}.*")):
        page.get_by_label(re.compile(rf"^{label}")).check()
    page.wait_for_load_state("networkidle")


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^Электронная почта")).fill(email)
    page.get_by_label(re.compile(r"^Пароль")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/dashboard/")


def test_guest_finds_products_by_word_forms_typos_and_filters(
    page, live_server, axe, screenshot, demo_world
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Каталог", exact=True).click()
    page.wait_for_url("**/products/")
    axe(page)

    search(page, "инновационные")
    assert FLIPPED in result_titles(page)
    assert "Найден" in page.locator("#results-count").inner_text()
    assert "q=" in page.url

    search(page, "инавационные")
    assert FLIPPED in result_titles(page)
    expect(page.get_by_text("точных совпадений нет")).to_be_visible()
    axe(page)

    search(page, "")
    tick(page, "Калининский район", "district=")
    tick(page, "Основное общее образование", "level=basic")
    cards = page.locator("#catalogue-results article")
    assert cards.count() == 4
    for text in cards.all_inner_texts():
        assert "Калининский район" in text
        assert "Основное общее образование" in text
    screenshot("catalogue-filtered")
    axe(page)

    # The other districts stay on offer with their counts; ticking a second
    # one adds its products to the first one's.
    districts = page.get_by_role("group", name="Район носителя")
    other = districts.locator("label").filter(has_not_text="Калининский").first
    name, count = re.fullmatch(r"(.+) \((\d+)\)", other.inner_text().strip()).groups()
    tick(page, re.escape(name), "district=.*district=")
    assert cards.count() == 4 + int(count)
    assert sum(name in text for text in cards.all_inner_texts()) == int(count)
    tick_off = page.get_by_label(re.compile(rf"^{re.escape(name)}"))
    with page.expect_response(re.compile(r".*/products/\?.*")):
        tick_off.uncheck()
    page.wait_for_load_state("networkidle")
    assert cards.count() == 4

    page.get_by_role("link", name=FLAGSHIP).click()
    expect(page.get_by_role("heading", name=FLAGSHIP, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Материалы")).to_be_visible()
    expect(page.get_by_text("Статья об опыте внедрения")).to_be_visible()
    # The partners' methodological recommendations stay hidden from guests.
    assert page.get_by_text("Методические рекомендации для организаций").count() == 0
    expect(
        page.get_by_role("heading", name="Мероприятия по позиционированию")
    ).to_be_visible()
    expect(page.get_by_text("Вебинар для школ-партнёров")).to_be_visible()
    expect(page.get_by_role("heading", name="Экспертные заключения")).to_be_visible()
    expect(page.get_by_text("Смирнова Ольга Викторовна")).to_be_visible()
    expect(page.get_by_text("4,30").first).to_be_visible()
    screenshot("product-page")
    axe(page)


def test_recipient_declares_interest_and_carrier_accepts_and_declines(
    page, live_server, axe, screenshot, demo_world, tmp_path
):
    robotics = Product.objects.get(title=ROBOTICS)
    sign_in(page, live_server, "head70@demo.innoteka.ru")
    page.goto(live_server.url + robotics.get_absolute_url())
    page.get_by_role("link", name="Заявить о заинтересованности").click()
    axe(page)
    page.get_by_label(re.compile(r"^Сообщение")).fill(
        "Хотим внедрить технологию в 7-х классах со следующего полугодия."
    )
    page.get_by_role("button", name="Отправить заявку").click()
    page.wait_for_url(f"**{robotics.get_absolute_url()}")
    interest = Interest.objects.get(
        product=robotics, organisation__short_name="ГБОУ гимназия № 70"
    )
    assert interest.status == Interest.Status.NEW

    page.context.clear_cookies()
    sign_in(page, live_server, "coordinator619@demo.innoteka.ru")
    page.get_by_role("link", name="База потенциальных партнёров").click()
    row = page.locator("tr", has_text="ГБОУ гимназия № 70").filter(
        has_text="Инженерная школа"
    )
    assert row.count() == 1
    axe(page)
    screenshot("partners-database")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    path = tmp_path / "partners.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    cells = [
        str(cell)
        for row_values in sheet.iter_rows(values_only=True)
        for cell in row_values
    ]
    assert "ГБОУ гимназия № 70" in cells
    assert "МБОУ «Гатчинская СОШ № 9»" in cells

    row.get_by_role("button", name="Принять").click()
    # Accepting opens the partnership that starts at the document package.
    page.wait_for_url(re.compile(r"/partnerships/\d+/$"))
    current = page.locator(".stage-track__item--current")
    assert "Пакет документов" in current.inner_text()
    interest.refresh_from_db()
    assert interest.status == Interest.Status.ACCEPTED

    page.goto(live_server.url + reverse("products:partner_database"))

    gatchina = page.locator("tr", has_text="МБОУ «Гатчинская СОШ № 9»")
    gatchina.locator("summary", has_text="Отклонить").click()
    gatchina.get_by_label("Причина отклонения").fill(
        "Набор партнёров на этот год закрыт."
    )
    gatchina.get_by_role("button", name="Отклонить").click()
    declined = Interest.objects.get(
        organisation__short_name="МБОУ «Гатчинская СОШ № 9»"
    )
    assert declined.status == Interest.Status.DECLINED
    assert declined.decline_reason == "Набор партнёров на этот год закрыт."
    axe(page)

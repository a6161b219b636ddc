"""Stages 2 and 3 in a real browser: from an accepted interest to a signed
agreement whose PDF is checked, and the track that says what is missing."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from organisations.models import Role
from partnerships.models import Agreement, Partnership
from products.models import Interest
from tests.factories import PASSWORD, OrganisationFactory, ProductFactory, member

pytestmark = [pytest.mark.e2e]

PRODUCT = "Школьная лаборатория робототехники"


@pytest.fixture
def people():
    carrier = OrganisationFactory(
        short_name="ГБОУ СОШ № 619",
        full_name="ГБОУ средняя общеобразовательная школа № 619 Калининского района",
    )
    recipient = OrganisationFactory(
        short_name="ГБОУ гимназия № 70",
        full_name="ГБОУ гимназия № 70 Петроградского района",
    )
    people = {
        "carrier_head": member(
            carrier,
            Role.HEAD,
            email="head@school619.example",
            last_name="Воронцова",
            first_name="Елена",
        ),
        "coordinator": member(
            carrier,
            Role.COORDINATOR,
            email="coordinator@school619.example",
            last_name="Петрова",
            first_name="Мария",
        ),
        "recipient_head": member(
            recipient,
            Role.HEAD,
            email="head@gymnasium70.example",
            last_name="Белова",
            first_name="Татьяна",
        ),
    }
    product = ProductFactory(
        carrier=carrier, coordinator=people["coordinator"], title=PRODUCT
    )
    Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=people["recipient_head"],
        message="Хотим открыть лабораторию робототехники в 5–7 классах.",
    )
    return people


def sign_in(page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label(re.compile(r"^Электронная почта")).fill(email)
    page.get_by_label(re.compile(r"^Пароль")).fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")


def sign(page, password: str) -> None:
    page.get_by_role("link", name="Подписать соглашение").click()
    page.get_by_label(re.compile(r"^Ваш пароль")).fill(password)
    page.get_by_label(re.compile(r"^Я ознакомлен")).check()
    page.get_by_role("button", name="Подписать", exact=True).click()


def test_from_accepted_interest_to_a_verified_signed_agreement(
    page, live_server, people, axe, screenshot, tmp_path
):
    # The carrier accepts the interest in the database of potential partners.
    sign_in(page, live_server, "coordinator@school619.example")
    page.goto(live_server.url + "/products/partners/")
    page.get_by_role("row", name=re.compile("ГБОУ гимназия № 70")).get_by_role(
        "button", name="Принять"
    ).click()
    expect(page.get_by_role("heading", name=PRODUCT, level=1)).to_be_visible()
    current = page.locator(".stage-track__item--current")
    assert "Пакет документов" in current.inner_text()
    axe(page)

    # The carrier drafts the agreement from the template and saves it.
    page.get_by_role("link", name="Пакет документов").first.click()
    page.get_by_role("button", name="Сформировать проект соглашения по шаблону").click()
    page.get_by_role("button", name="Сохранить").click()
    agreement_url = page.url
    expect(page.get_by_text("Проект", exact=True).first).to_be_visible()

    # The recipient proposes an edit, comments, and agrees.
    sign_in(page, live_server, "head@gymnasium70.example")
    page.goto(agreement_url)
    page.get_by_role("link", name="Редактировать текст").click()
    subject = page.locator("textarea[name=subject]")
    subject.fill(subject.input_value() + "\nЗанятия проводятся в 5–7 классах.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Занятия проводятся в 5–7 классах.")).to_be_visible()
    page.get_by_label("Ваш комментарий или предлагаемая правка").fill(
        "Добавили классы, в которых пройдут занятия."
    )
    page.get_by_role("button", name="Отправить").click()
    page.get_by_role("button", name="Согласовать соглашение").click()
    axe(page)

    # A wrong password signs nothing; the right one signs for the recipient.
    sign(page, "not-my-password")
    expect(page.get_by_text("Неверный пароль").first).to_be_visible()
    page.get_by_label(re.compile(r"^Ваш пароль")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Я ознакомлен")).check()
    page.get_by_role("button", name="Подписать", exact=True).click()
    expect(page.get_by_text("Белова Татьяна").first).to_be_visible()

    # The carrier's head signs too.
    sign_in(page, live_server, "head@school619.example")
    page.goto(agreement_url)
    sign(page, PASSWORD)
    agreement = Agreement.objects.get()
    assert agreement.status == Agreement.Status.SIGNED
    screenshot("partnership-agreement-signed")

    # The signed PDF downloads and says what was signed, by whom.
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать подписанный PDF").click()
    pdf = tmp_path / "agreement.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "СОГЛАШЕНИЕ О СОТРУДНИЧЕСТВЕ" in text
    assert agreement.number in text
    assert "Петроградского района" in text
    assert "Калининского района" in text
    assert "Занятия проводятся в 5–7 классах." in text
    assert "Воронцова Елена" in text and "Белова Татьяна" in text
    assert agreement.document_sha256[:16] in text

    # The verification page recomputes the hashes.
    page.get_by_role("link", name="Проверить документ").click()
    expect(page.get_by_text("Документ совпадает.")).to_be_visible()
    axe(page)

    # The track says what is still missing before stage 4.
    page.goto(live_server.url + Partnership.objects.get().get_absolute_url())
    to_stage_4 = page.locator("#exit").get_by_role("list").nth(1)
    assert "подписано обеими сторонами" in to_stage_4.inner_text()
    roadmap = to_stage_4.get_by_role("listitem").filter(
        has_text="Дорожная карта утверждена обеими сторонами"
    )
    assert "нет" in roadmap.inner_text()
    screenshot("partnership-track")
    axe(page)

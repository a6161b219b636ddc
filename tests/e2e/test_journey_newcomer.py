"""A newcomer's first visit, in a real browser, checked by axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from organisations.models import Organisation

pytestmark = [
    pytest.mark.e2e,
]

PASSWORD = "Учитель-2026-весна"


def field(page, label: str):
    """Return the form control labelled ``label`` (a required mark may follow)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def confirmation_link(email: str) -> str:
    letters = [m for m in mail.outbox if email in m.to]
    assert letters, f"no letter to {email}"
    return re.search(r"https?://\S+/accounts/confirm/\S+/", letters[-1].body).group(0)


def test_newcomer_registers_confirms_switches_and_edits_organisation(
    page, live_server, axe, screenshot
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Иннотека")
    axe(page)

    page.get_by_role("link", name="Регистрация").click()
    field(page, "Фамилия").fill("Соколова")
    field(page, "Имя").fill("Анна")
    field(page, "Отчество").fill("Викторовна")
    field(page, "Электронная почта").fill("Sokolova@School8.example")
    field(page, "Должность").fill("Заместитель директора по УВР")
    field(page, "Пароль").fill(PASSWORD)
    field(page, "Повторите пароль").fill(PASSWORD)
    axe(page)
    page.get_by_role("button", name="Зарегистрироваться").click()
    # Without the consent checkbox the form comes back with the reason.
    expect(page.get_by_text("без согласия на обработку")).to_be_visible()
    assert field(page, "Фамилия").input_value() == "Соколова"

    field(page, "Пароль").fill(PASSWORD)
    field(page, "Повторите пароль").fill(PASSWORD)
    field(page, "Даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    page.wait_for_url("**/accounts/register/done/")
    assert "sokolova@school8.example" in page.content()
    axe(page)

    page.goto(confirmation_link("sokolova@school8.example"))
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", name="Личный кабинет")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Соколова А. В.").click()
    page.get_by_role("button", name="Выйти").click()
    page.get_by_role("link", name="Войти").first.click()
    field(page, "Электронная почта").fill("sokolova@school8.example")
    field(page, "Пароль").fill(PASSWORD)
    axe(page)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/dashboard/")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My dashboard")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    axe(page)
    page.get_by_role("button", name="Русский").click()
    expect(page.get_by_role("heading", name="Личный кабинет")).to_be_visible()

    page.get_by_role("button", name="Версия для слабовидящих").click()
    assert "a11y" in page.locator("html").get_attribute("class")
    page.get_by_role("button", name="Белым по чёрному").click()
    assert "a11y-scheme-white-on-black" in page.locator("html").get_attribute("class")
    screenshot("dashboard-visually-impaired")
    axe(page)

    page.get_by_role("link", name="Зарегистрировать новую организацию").click()
    field(page, "Полное наименование").fill(
        "Муниципальное бюджетное общеобразовательное учреждение "
        "«Средняя общеобразовательная школа № 8» г. Вологды"
    )
    field(page, "Сокращённое наименование").fill("МБОУ «СОШ № 8»")
    field(page, "Регион").select_option(label="Вологодская область")
    field(page, "Город или населённый пункт").fill("Вологда")
    field(page, "Адрес").fill("ул. Ленинградская, д. 71")
    field(page, "ИНН").fill("1234567890")
    field(page, "ФИО руководителя").fill("Смирнов Алексей Дмитриевич")
    axe(page)
    page.get_by_role("button", name="Сохранить").click()
    # A wrong INN check digit is explained and nothing is saved.
    expect(page.get_by_text("неверная контрольная цифра")).to_be_visible()
    assert not Organisation.objects.exists()

    field(page, "ИНН").fill("3525000091")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r".*/organisations/\d+/$"))
    expect(page.get_by_text("не подтверждена администратором").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Редактировать").click()
    field(page, "Район").fill("Вологодский городской округ")
    field(page, "Телефон").fill("+7 8172 72-00-00")
    axe(page)
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r".*/organisations/\d+/$"))
    expect(page.get_by_text("Вологодский городской округ")).to_be_visible()
    screenshot("organisation-after-edit")

    organisation = Organisation.objects.get()
    assert organisation.phone == "+7 8172 72-00-00"
    assert organisation.is_verified is False
    assert organisation.memberships.get().user.email == "sokolova@school8.example"
    assert len(axe.pages_checked) >= 10

"""Browser journeys: real Chromium driven by Playwright against live_server.

Chromium comes from the system (Debian's ``chromium`` package); Playwright's
own browser downloads are never used. Without a browser the journeys are
skipped with a message locally, and fail in CI (``CI`` set).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's database
# access is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = (
            "Chromium is not installed, so the browser journeys cannot run. "
            "Install Debian's package: apt-get install chromium"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # axe-core is injected into pages served with a strict CSP.
    context = browser.new_context(
        bypass_csp=True, locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


class AxeChecker:
    """Run axe-core on the current page; collect serious and critical issues."""

    IMPACTS = {"serious", "critical"}
    TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

    def __init__(self) -> None:
        self.source = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
        self.pages_checked: list[str] = []

    def __call__(self, page) -> None:
        page.add_script_tag(content=self.source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}})",
            self.TAGS,
        )
        self.pages_checked.append(page.url)
        problems = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"][:5]],
            }
            for violation in result["violations"]
            if violation["impact"] in self.IMPACTS
        ]
        assert not problems, f"axe-core on {page.url}:\n" + json.dumps(
            problems, ensure_ascii=False, indent=2
        )


@pytest.fixture
def axe():
    return AxeChecker()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ for a human to look at."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Data migrations whose rows the journeys need: (module, function).
DATA_MIGRATIONS = [
    ("accounts.migrations.0002_first_consent_version", "create_first_version"),
    ("organisations.migrations.0002_platform_groups", "create_platform_groups"),
    ("organisations.migrations.0004_equipment_catalogue", "create_catalogue"),
    ("products.migrations.0003_reference_data", "create"),
    ("partnerships.migrations.0002_default_agreement_template", "create_template"),
]


@pytest.fixture(autouse=True)
def platform_data(transactional_db):
    """Restore what migrations create (consent text, groups, reference lists).

    A browser test commits real transactions, so the database is emptied
    after each one; the data migrations are idempotent and run again.
    """
    import importlib

    from django.apps import apps

    from organisations.roles import grant_administrator_permissions

    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    grant_administrator_permissions()

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "innoteka.example.ru",
    }


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env["SECRET_KEY"] = ""

    result = run_manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_database_url_selects_postgresql():
    env = production_env()
    env["DATABASE_URL"] = "postgres://innoteka:secret@db.internal:5432/innoteka"

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], 'pool' in d['OPTIONS'])",
        **env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == [
        "django.db.backends.postgresql",
        "innoteka",
        "db.internal",
        "True",
    ]

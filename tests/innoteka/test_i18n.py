"""The translation catalogues are complete and up to date."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [path.name for path in ROOT.iterdir() if (path / "apps.py").exists()]
SOURCES = [*APPS, "templates", "locale", "manage.py"]


def catalogue(language: str, root: Path = ROOT) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> set[tuple[str, str]]:
    """Return (context, msgid) pairs of a .po file, via GNU gettext."""
    result = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    pairs, context = set(), ""
    for line in result.stdout.splitlines():
        if line.startswith("msgctxt "):
            context = line[8:]
        elif line.startswith("msgid "):
            pairs.add((context, line[6:]))
            context = ""
    pairs.discard(("", '""'))
    return pairs


@pytest.mark.parametrize("language", ["ru", "en"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", catalogue(language)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "translated messages" in result.stderr
    assert "fuzzy" not in result.stderr
    assert "untranslated" not in result.stderr


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo")
            )
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / ".env").write_text("DEBUG=1\n")

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )

    fresh = msgids(catalogue("ru", tmp_path))
    committed = msgids(catalogue("ru"))
    assert fresh - committed == set(), "run `make messages` and translate"
    assert committed - fresh == set(), "run `make messages` to drop old strings"

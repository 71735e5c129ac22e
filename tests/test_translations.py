"""Swedish is the UI's first language: every string must have a translation."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "fordela"]
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+"([^"]+)"(?:\s+as\s+\w+)?\s*%}""")


def po_msgids() -> set[str]:
    text = PO.read_text(encoding="utf-8")
    ids = set()
    for match in re.finditer(r'^msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)', text, re.MULTILINE):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
        ids.add("".join(parts).replace('\\"', '"'))
    return ids


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_swedish_catalogue_has_no_untranslated_or_fuzzy_entries():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_translate_tag_in_the_templates_is_in_the_catalogue():
    known = po_msgids()
    missing = []
    for directory in TEMPLATE_DIRS:
        for template in directory.rglob("*.html"):
            for msgid in TRANSLATE_TAG.findall(template.read_text(encoding="utf-8")):
                if msgid not in known:
                    missing.append(f"{template.relative_to(settings.BASE_DIR)}: {msgid}")
    assert not missing, "Run `make messages` and translate:\n" + "\n".join(missing)


def test_pages_speak_swedish_by_default_and_english_on_request():
    with translation.override("sv"):
        assert translation.gettext("Allocation key") == "Fördelningsnyckel"
    with translation.override("en"):
        assert translation.gettext("Allocation key") == "Allocation key"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    import gettext

    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as new, PO.with_suffix(".mo").open("rb") as committed:
        assert (
            gettext.GNUTranslations(new)._catalog == gettext.GNUTranslations(committed)._catalog
        ), "locale/sv/LC_MESSAGES/django.mo is stale: run `make messages`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_every_message_in_the_code_and_templates_has_a_swedish_translation(tmp_path):
    """What `make messages` would collect (gettext calls, blocktranslate,
    plurals, contexts) is all in the catalogue and translated: collected in a
    copy of the source, so the checkout's catalogue is left alone."""
    import sys

    base = Path(settings.BASE_DIR)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "schemas", "data")
    for name in ("fordela", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=ignore)
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", "locale/sv/LC_MESSAGES/django.po"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
        "Run `make messages` and translate what it adds: " + result.stderr
    )

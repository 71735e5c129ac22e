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

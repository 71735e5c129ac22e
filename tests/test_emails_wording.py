"""One vocabulary in pages and e-mails (issue 16, section 3): a receipt is a
"kvittens" everywhere, counts take Swedish plurals, labels say what they
mean, and the e-mails about a case end with the agency's name and contact."""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from fordela.requisitions.tasks import receipt_text

PO = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def swedish_entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) of each entry of the Swedish catalogue (plural forms
    joined), as the strings read."""
    entries = []
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)', block, re.MULTILINE)
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\s*)+)', block, re.MULTILINE)
        if not msgid:
            continue

        def join(raw: str) -> str:
            return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', raw)).replace('\\"', '"')

        entries.append((join(msgid.group(1)), " | ".join(join(s) for s in msgstrs)))
    return entries


def test_a_receipt_is_a_kvittens_in_every_swedish_string():
    entries = swedish_entries()
    others = [
        (msgid, msgstr)
        for msgid, msgstr in entries
        if re.search(r"kvitto|mottagningsbekräftelse|bekräftelse på mottag", msgstr, re.I)
    ]
    assert others == []
    receipts = [
        (msgid, msgstr)
        for msgid, msgstr in entries
        if re.search(r"\breceipts?\b", msgid, re.I) and "of receipt" not in msgid
    ]
    assert receipts, "the catalogue has strings about receipts"
    assert [r for r in receipts if "kvittens" not in r[1].lower()] == []


def test_labels_say_what_they_mean_and_counts_take_swedish_plurals():
    with translation.override("sv"):
        assert gettext("Opted in") == "Vill ha del av omfördelade medel"
        assert gettext("Opted in to redistribution") == "Vill ha del av omfördelade medel"
        assert ngettext("%(pages)s page", "%(pages)s pages", 1) % {"pages": 1} == "1 sida"
        assert ngettext("%(pages)s page", "%(pages)s pages", 2) % {"pages": 2} == "2 sidor"
    assert [m for m, s in swedish_entries() if "anmält intresse" in s.lower()] == []


class NoPayables:
    def exclude(self, **kwargs):
        return self

    def first(self):
        return None


def test_the_requisition_receipt_is_a_kvittens_signed_by_the_agency():
    requisition = SimpleNamespace(
        case_number="2022-10-0001",
        submitted_at=datetime.datetime(2022, 5, 2, 8, 0, tzinfo=datetime.UTC),
        organisation=SimpleNamespace(name="Ale kommun"),
        pool="Kommuner 2022",
        amount_sek=125_000,
        wants_redistribution=True,
        submitted_by=SimpleNamespace(get_full_name=lambda: "Olle Ombud", username="olle"),
        payables=NoPayables(),
    )
    with translation.override("sv"):
        subject, body = receipt_text(requisition)
    assert subject == "Kvittens: rekvisition 2022-10-0001"
    assert "Vill ha del av omfördelade medel: ja" in body
    assert body.endswith(
        "\n-- \nSocialstyrelsen\nTelefon 075-247 30 00, e-post socialstyrelsen@socialstyrelsen.se\n"
    )

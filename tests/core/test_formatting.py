"""How numbers are written on the pages: bank giro numbers with their
hyphen (NNN-NNNN or NNNN-NNNN) whatever was typed."""

import pytest
from django.template import Context, Template


def rendered(bank_giro) -> str:
    return Template("{% load fordela %}{{ value|bankgiro }}").render(Context({"value": bank_giro}))


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("50501055", "5050-1055"),
        ("1609908", "160-9908"),
        ("5050-1055", "5050-1055"),
        ("5050 1055", "5050-1055"),
        ("", ""),
        (None, ""),
    ],
)
def test_bank_giro_is_shown_with_its_hyphen(stored, shown):
    assert rendered(stored) == shown

"""The Swedish way of writing money and numbers, as plain functions.

Services, tasks and exports call these; the template filters in
``fordela.core.templatetags.fordela`` are thin wrappers around them, so a page
and an e-mail write an amount the same way.
"""

from django.utils.translation import gettext as _

NARROW_NO_BREAK_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"


def grouped(value) -> str:
    """75000000 → '75 000 000' (narrow no-break spaces, as Swedish style has it)."""
    if value is None or value == "":
        return ""
    number = int(value)
    sign = "−" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", NARROW_NO_BREAK_SPACE)


def kronor(value) -> str:
    """75000000 → '75 000 000 kr'; an unknown amount is '–'."""
    if value is None or value == "":
        return "–"
    return f"{grouped(value)}{NO_BREAK_SPACE}{_('kr')}"


def organisation_number(value: str) -> str:
    """'2120000142' → '212000-0142'; anything else as it is."""
    return f"{value[:6]}-{value[6:]}" if value and len(value) == 10 else (value or "")

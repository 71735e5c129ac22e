"""Formatting helpers for the Swedish way of writing money and numbers."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

NARROW_NO_BREAK_SPACE = "\u202f"


@register.filter
def grouped(value) -> str:
    """75000000 → '75 000 000' (thin no-break spaces, as Swedish style has it)."""
    if value is None or value == "":
        return ""
    number = int(value)
    sign = "−" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", NARROW_NO_BREAK_SPACE)


@register.filter
def kronor(value) -> str:
    """75000000 → '75 000 000 kr'."""
    if value is None or value == "":
        return "–"
    return f"{grouped(value)}\u00a0{_('kr')}"


@register.filter
def orgnr(value: str) -> str:
    """'2120000142' → '212000-0142'."""
    return f"{value[:6]}-{value[6:]}" if value and len(value) == 10 else (value or "")

"""Template filters for the Swedish way of writing money and numbers; the
functions themselves live in ``fordela.core.formatting``."""

from django import template

from fordela.core import formatting

register = template.Library()


@register.filter
def grouped(value) -> str:
    """75000000 → '75 000 000'."""
    return formatting.grouped(value)


@register.filter
def kronor(value) -> str:
    """75000000 → '75 000 000 kr'."""
    return formatting.kronor(value)


@register.filter
def orgnr(value: str) -> str:
    """'2120000142' → '212000-0142'."""
    return formatting.organisation_number(value)

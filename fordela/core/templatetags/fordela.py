"""Template filters for the Swedish way of writing money and numbers; the
functions themselves live in ``fordela.core.formatting`` (bank giro numbers
in the pure ``fordela.payments.bankgiro``)."""

from django import template

from fordela.core import formatting
from fordela.payments import bankgiro as bank_giro

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


@register.filter
def bankgiro(value: str) -> str:
    """'50501055' → '5050-1055', '1609908' → '160-9908'."""
    return bank_giro.formatted(value)

"""Form fields for payment details, shared by every form that asks for them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import bankgiro


class BankGiroField(forms.CharField):
    """A bank giro number as its digits ('1234-5674' → '12345674'). More
    digits than a bank giro number has are refused here; the check digit and
    "not the agency's own" are rules of the services."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Bank giro number"))
        kwargs.setdefault("help_text", _("7 or 8 digits, e.g. 1234-5674."))
        # Room for a hyphen or spaces around the digits.
        kwargs.setdefault("max_length", bankgiro.MAX_DIGITS + 4)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        digits = bankgiro.normalise(super().clean(value) or "")
        if len(digits) > bankgiro.MAX_DIGITS:
            raise forms.ValidationError(
                _("A bank giro number has 7 or 8 digits. Check the number."), code="max_length"
            )
        return digits

"""Form fields every app shares. Money is ``KronorField``: one way to read an
amount, the same as the services' (``core.cleaning.parse_kronor``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .cleaning import MAX_SEK, parse_kronor


class KronorField(forms.IntegerField):
    """An amount in whole kronor: the digits 0–9, with spaces between groups
    of thousands if the user likes ('1 500 000'), from 0 to ``MAX_SEK``
    (10 000 000 000 kr) unless a smaller ``max_value`` is given. A text input
    with the numeric keyboard: a number input would refuse the spaces."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})
    default_error_messages = {"invalid": _("Enter the amount in whole kronor, digits only.")}

    def __init__(self, *, max_value: int = MAX_SEK, min_value: int = 0, **kwargs):
        if not 0 <= min_value <= max_value <= MAX_SEK:
            raise ValueError("A KronorField's limits lie within 0 and MAX_SEK.")
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_kronor(value, maximum=self.max_value)
        except forms.ValidationError as error:
            if error.code == "invalid":
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            raise

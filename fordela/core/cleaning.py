"""Reading what a person typed: whole kronor and text that fits its column.

The one place for these rules. The money form field
(``core.fields.KronorField``) calls ``parse_kronor``; the services that save
drafts (autosave hands them what the forms could read) call ``amount_for``
and ``text_for``, so a value the database cannot hold is a field error,
never a ``DataError``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .formatting import kronor

# The largest amount anyone can enter: 10 000 000 000 kr, far above any pool
# or grant and far below what the PositiveBigIntegerField columns hold
# (9 223 372 036 854 775 807), so a sum of amounts still fits.
MAX_SEK = 10_000_000_000

# What may stand between groups of thousands: space, no-break space and
# narrow no-break space (what ``core.formatting.grouped`` writes).
_GROUP_SEPARATORS = str.maketrans("", "", " \u00a0\u202f")
_MINUS_SIGNS = ("-", "\u2212")


def _digits(text: str) -> str | None:
    """``text`` without its group separators if only 0–9 remain (not the
    other Unicode digits, which int() would read), else None."""
    compact = text.strip().translate(_GROUP_SEPARATORS)
    if compact and all("0" <= character <= "9" for character in compact):
        return compact.lstrip("0") or "0"
    return None


def whole_number(text: str) -> int:
    """'1 500 000' → 1500000, '-12' → -12: the digits 0–9, optionally after a
    minus sign, with spaces between groups of thousands. Anything else
    raises ``ValueError``: '1,5', '1e3', '1_000', '١٢٣'."""
    text = text.strip()
    sign = -1 if text.startswith(_MINUS_SIGNS) else 1
    digits = _digits(text[1:] if sign < 0 else text)
    if digits is None or len(digits) > 100:  # int() refuses very long strings
        raise ValueError(f"not a whole number: {text!r}")
    return sign * int(digits)


def parse_kronor(value: str | int, *, maximum: int = MAX_SEK) -> int:
    """An amount in whole kronor, 0 to ``maximum``, from what was typed
    ('1 500 000') or an int. Raises ``ValidationError`` with the message to
    show (code ``invalid``, ``min_value`` or ``max_value``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        digits = _digits(str(value))  # a minus sign is not a digit either
        if digits is None:
            raise ValidationError(_("Enter the amount in whole kronor, digits only."), "invalid")
        number = int(digits) if len(digits) <= len(str(maximum)) else maximum + 1
    if number < 0:
        raise ValidationError(_("The amount cannot be negative."), "min_value")
    if number > maximum:
        raise ValidationError(_("Enter at most %(n)s.") % {"n": kronor(maximum)}, "max_value")
    return number


def amount_for(name: str, value) -> int:
    """``parse_kronor`` for a service's field ``name`` (the error is that
    field's). An empty value is 0 kr."""
    if value is None or value == "":
        return 0
    try:
        return parse_kronor(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None


def column_length(model, name: str) -> int | None:
    """The most characters the column ``model.name`` holds (None: no limit).
    Forms take their ``max_length`` from here rather than repeat it."""
    return model._meta.get_field(name).max_length


def text_for(model, name: str, value) -> str:
    """``value`` stripped; a field error when it is longer than the column
    ``model.name`` holds."""
    text = ("" if value is None else str(value)).strip()
    limit = column_length(model, name)
    if limit is not None and len(text) > limit:
        raise ValidationError({name: [_("Write at most %(n)s characters.") % {"n": limit}]})
    return text

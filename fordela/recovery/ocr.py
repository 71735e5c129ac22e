"""OCR references (*OCR-nummer*) for Bankgirot's variable-length check: the
invoice number, then a length digit (the whole reference's length mod 10),
then a Luhn (mod 10) check digit over everything before it (facts §3). Pure:
no Django.

    >>> reference("1234567890")
    '123456789023'
"""

from stdnum import luhn

MIN_LENGTH = 2
MAX_LENGTH = 25


def reference(number: str) -> str:
    """The OCR reference for the digits ``number`` (1 to 23 of them)."""
    if not (number.isascii() and number.isdigit()) or not 1 <= len(number) <= MAX_LENGTH - 2:
        raise ValueError("An OCR reference is made from 1 to 23 digits.")
    # The length digit counts the whole reference, itself and the check digit
    # included, and keeps only the last digit (Bankgirot drops the tens).
    with_length = number + str((len(number) + 2) % 10)
    return with_length + luhn.calc_check_digit(with_length)


def passes_hard_check(value: str) -> bool:
    """Bankgirot's hard check: 2–25 digits whose last is the Luhn digit."""
    return (
        value.isascii()
        and value.isdigit()
        and MIN_LENGTH <= len(value) <= MAX_LENGTH
        and luhn.is_valid(value)
    )


def passes_variable_length_check(value: str) -> bool:
    """The hard check, and the second-last digit is the length mod 10."""
    return passes_hard_check(value) and int(value[-2]) == len(value) % 10

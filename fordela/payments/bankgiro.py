"""Bank giro numbers (*bankgironummer*): 7 or 8 digits, the last a Luhn
(mod 10) check digit. Pure: no Django."""

from stdnum import luhn

# The most digits a bank giro number has (the columns hold this many).
MAX_DIGITS = 8


def normalise(value: str) -> str:
    """'5050-1055' → '50501055' (spaces and hyphens removed)."""
    return "".join(ch for ch in (value or "") if ch not in " -\u00a0")


def is_valid(value: str) -> bool:
    digits = normalise(value)
    return digits.isdigit() and len(digits) in (7, 8) and luhn.is_valid(digits)


def formatted(value: str) -> str:
    """'50501055' → '5050-1055', '1609908' → '160-9908'."""
    digits = normalise(value)
    return f"{digits[:-4]}-{digits[-4:]}" if len(digits) in (7, 8) else digits

"""A small builder of BgMax files for tests (Bankgirot's layout, as
``fordela.recovery.bgmax`` reads it): describe the deposits and their
payments, get the bytes of a valid file, or break one rule on purpose.

    content = bgmax_file([deposit("55555551", [payment("1234", 150_000, serial="1")])])
"""

import datetime
from dataclasses import dataclass, field

WRITTEN_AT = datetime.datetime(2022, 6, 15, 7, 30, 0, 123456)


@dataclass
class P:
    """A payment (TK20) or, with ``code="21"``, a deduction."""

    reference: str
    amount_ore: int
    serial: str
    reference_code: str = "2"
    channel: str = "1"
    payer_bankgiro: str = "9912346"
    image: str = "0"
    code: str = "20"
    name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    organisation_number: str = ""
    information: list[str] = field(default_factory=list)
    # (code "22" or "23", reference, amount in öre)
    extra_references: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class D:
    payee_bankgiro: str
    payments: list[P]
    paid_on: datetime.date = datetime.date(2022, 6, 14)
    serial: str = "1"
    bank_account: str = "36000123456"
    currency: str = "SEK"


def payment(reference: str, amount_ore: int, serial: str | int, **fields) -> P:
    return P(reference, amount_ore, str(serial).rjust(12, "0"), **fields)


def deposit(payee_bankgiro: str, payments: list[P], **fields) -> D:
    return D(payee_bankgiro, payments, **fields)


def _record(text: str) -> str:
    assert len(text) <= 80, (len(text), text)
    return text.ljust(80)


def _num(value: int | str, width: int) -> str:
    text = str(value)
    assert text.isdigit() and len(text) <= width, (value, width)
    return text.rjust(width, "0")


def _payment_line(
    code, bankgiro, reference, reference_code, amount_ore, channel, serial, image, deduction_code=""
):
    ref = reference.rjust(25) if reference_code == "2" else reference.ljust(25)
    return _record(
        code
        + _num(bankgiro, 10)
        + ref[:25]
        + _num(amount_ore, 18)
        + reference_code
        + channel
        + _num(serial, 12)
        + image
        + deduction_code
    )


def records(
    deposits: list[D],
    *,
    layout: str = "BGMAX",
    version: str = "01",
    written_at: datetime.datetime = WRITTEN_AT,
    test_marker: str = "P",
    end_counts: tuple[int, int, int, int] | None = None,
    deposit_amounts: list[int] | None = None,
    deposit_counts: list[int] | None = None,
) -> list[str]:
    """The file's records; the keyword arguments override what the file says
    about itself (to make a wrong one)."""
    lines = [
        _record(
            "01"
            + layout.ljust(20)
            + version.ljust(2)
            + written_at.strftime("%Y%m%d%H%M%S")
            + f"{written_at.microsecond:06d}"
            + test_marker
        )
    ]
    counts = {"20": 0, "21": 0, "22": 0, "15": 0}
    for index, dep in enumerate(deposits):
        lines.append(_record("05" + _num(dep.payee_bankgiro, 10) + " " * 10 + dep.currency))
        total = 0
        for pay in dep.payments:
            counts[pay.code] += 1
            total += -pay.amount_ore if pay.code == "21" else pay.amount_ore
            lines.append(
                _payment_line(
                    pay.code,
                    pay.payer_bankgiro,
                    pay.reference,
                    pay.reference_code,
                    pay.amount_ore,
                    pay.channel,
                    pay.serial,
                    pay.image,
                    deduction_code="1" if pay.code == "21" else "",
                )
            )
            for code, reference, amount in pay.extra_references:
                counts["22"] += 1
                lines.append(
                    _payment_line(
                        code,
                        pay.payer_bankgiro,
                        reference,
                        "2",
                        amount,
                        pay.channel,
                        pay.serial,
                        "0",
                    )
                )
            for text in pay.information:
                lines.append(_record("25" + text))
            if pay.name:
                lines.append(_record("26" + pay.name.ljust(35)))
            if pay.address or pay.postcode:
                lines.append(_record("27" + pay.address.ljust(35) + pay.postcode))
            if pay.city:
                lines.append(_record("28" + pay.city))
            if pay.organisation_number:
                lines.append(_record("29" + _num(pay.organisation_number, 12)))
        amount = deposit_amounts[index] if deposit_amounts else total
        count = deposit_counts[index] if deposit_counts else len(dep.payments)
        counts["15"] += 1
        lines.append(
            _record(
                "15"
                + _num(dep.bank_account, 35)
                + dep.paid_on.strftime("%Y%m%d")
                + _num(dep.serial, 5)
                + _num(amount, 18)
                + dep.currency
                + _num(count, 8)
            )
        )
    end = end_counts or (counts["20"], counts["21"], counts["22"], counts["15"])
    lines.append(_record("70" + "".join(_num(n, 8) for n in end)))
    return lines


def bgmax_file(deposits: list[D], *, newline: str = "\r\n", **overrides) -> bytes:
    """A whole BgMax file, ISO 8859-1, each record ended by ``newline``."""
    return (newline.join(records(deposits, **overrides)) + newline).encode("iso-8859-1")

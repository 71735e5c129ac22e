"""BgMax: Bankgirot's file of incoming bank giro payments (*Bankgiro
Inbetalningar*, layout BGMAX version 01). Pure: no Django.

A file is 80-character records in ISO 8859-1, each starting with its
transaction code (*transaktionskod*, TK):

    01 start: layout name "BGMAX", version, when Bankgirot wrote it, test or production
    05 opening of a deposit: the payee's bank giro, the currency
    20 payment (21 deduction), each followed by its
        22/23 extra references, 25 information text, 26 name, 27/28 address, 29 org.nr
    15 deposit: the payee's bank account, payment date, deposit serial, amount, count
    70 end: how many 20, 21, 22/23 and 15 records the file holds

``parse(content)`` reads the whole file and checks it: the order of the
records, every field's digits, the deposits' counts and sums and the end
record's counts. A file that breaks any rule raises ``BgMaxError`` with a
Swedish message that names the line; nothing of it is returned.

Deductions (TK21, *avdrag*) are read and subtracted from their deposit's sum
as Bankgirot does; whether to register them is the import's decision
(``services.payments`` refuses a file that holds one).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

RECORD_LENGTH = 80
LAYOUT = "BGMAX"
VERSIONS = ("01",)
ENCODING = "iso-8859-1"

# Reference codes (*referenskod*) of TK20/21/22/23.
NO_REFERENCE = ("0", "1")
OCR_REFERENCE = "2"  # a reference that passed Bankgirot's OCR check
REFERENCES = "3"  # one or more references read from the slip
REFERENCE = "4"  # one reference, as the payer wrote it
WRONG_REFERENCE = "5"  # a reference that failed the OCR check
REFERENCE_CODES = ("0", "1", "2", "3", "4", "5")
CHANNEL_CODES = ("1", "2", "3", "4")
IMAGE_MARKERS = ("0", "1")

KNOWN_CODES = ("01", "05", "15", "20", "21", "22", "23", "25", "26", "27", "28", "29", "70")


class BgMaxError(ValueError):
    """The file is not a BgMax file that may be read: ``str(error)`` is the
    Swedish message to show, ``line`` the line number (1-based, or None)."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.message = message
        super().__init__(f"Rad {line}: {message}" if line else message)


@dataclass(frozen=True)
class ExtraReference:
    """TK22 (an extra reference) or TK23 (an extra reference with a negative
    amount): a payer who pays several invoices in one payment."""

    code: str
    payer_bankgiro: str
    reference: str
    amount_ore: int
    reference_code: str
    channel: str
    bgc_serial: str
    line: int = 0

    @property
    def signed_ore(self) -> int:
        return -self.amount_ore if self.code == "23" else self.amount_ore


@dataclass
class Payment:
    """A payment (TK20) or a deduction (TK21) with the records that follow it."""

    code: str
    payer_bankgiro: str
    reference: str
    amount_ore: int
    reference_code: str
    channel: str
    bgc_serial: str
    image: str
    deduction_code: str = ""
    extra_references: list[ExtraReference] = field(default_factory=list)
    information: list[str] = field(default_factory=list)
    name: str = ""
    extra_name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = ""
    country_code: str = ""
    organisation_number: str = ""
    line: int = 0

    @property
    def is_deduction(self) -> bool:
        return self.code == "21"

    @property
    def signed_ore(self) -> int:
        return -self.amount_ore if self.is_deduction else self.amount_ore


@dataclass
class Deposit:
    """One opening record (TK05), its payments and its deposit record (TK15)."""

    payee_bankgiro: str
    payee_plusgiro: str
    currency: str
    payments: list[Payment] = field(default_factory=list)
    bank_account: str = ""
    paid_on: datetime.date | None = None
    serial: str = ""
    amount_ore: int = 0
    count: int = 0
    deposit_type: str = ""
    line: int = 0


@dataclass
class BgMaxFile:
    layout: str
    version: str
    written_at: datetime.datetime
    test: bool
    deposits: list[Deposit] = field(default_factory=list)

    @property
    def payments(self) -> list[Payment]:
        return [payment for deposit in self.deposits for payment in deposit.payments]

    @property
    def payee_bankgiros(self) -> list[str]:
        return sorted({deposit.payee_bankgiro for deposit in self.deposits})


# ------------------------------------------------------------------ reading


class _Line:
    """One record, padded to 80 characters, with its line number."""

    def __init__(self, number: int, text: str):
        self.number = number
        self.text = text.ljust(RECORD_LENGTH)
        self.code = self.text[:2]

    def raw(self, start: int, end: int) -> str:
        """Positions ``start``–``end`` as the manual counts them (1-based, inclusive)."""
        return self.text[start - 1 : end]

    def text_field(self, start: int, end: int) -> str:
        return self.raw(start, end).strip()

    def digits(self, start: int, end: int, what: str, *, blank_ok: bool = False) -> str:
        value = self.raw(start, end).strip()
        if not value and blank_ok:
            return ""
        if not (value.isascii() and value.isdigit()):
            raise BgMaxError(f"{what} (position {start}–{end}) ska vara siffror.", self.number)
        return value

    def number_field(self, start: int, end: int, what: str) -> int:
        return int(self.digits(start, end, what))

    def bankgiro(self, start: int, end: int, what: str, *, blank_ok: bool = False) -> str:
        value = self.digits(start, end, what, blank_ok=blank_ok)
        return value.lstrip("0") or ("" if blank_ok else "0")

    def choice(self, position: int, allowed: tuple[str, ...], what: str) -> str:
        value = self.raw(position, position)
        if value not in allowed:
            raise BgMaxError(
                f"{what} (position {position}) är {value.strip() or 'tom'!r}; "
                f"tillåtet är {', '.join(allowed)}.",
                self.number,
            )
        return value


def _lines(content: bytes) -> list[_Line]:
    if not content.strip():
        raise BgMaxError("Filen är tom.")
    if b"\x00" in content or content.startswith(b"%PDF"):
        raise BgMaxError("Filen är inte en BgMax-fil (den är inte en textfil).")
    text = content.decode(ENCODING)  # every byte is a character in ISO 8859-1
    rows = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while rows and not rows[-1].strip():
        rows.pop()
    lines = []
    for number, row in enumerate(rows, 1):
        if len(row) > RECORD_LENGTH:
            raise BgMaxError(
                f"Posten har {len(row)} tecken; en BgMax-post har {RECORD_LENGTH}.", number
            )
        if any(ord(character) < 32 or 127 <= ord(character) < 160 for character in row):
            raise BgMaxError("Posten innehåller styrtecken (t.ex. tabb).", number)
        lines.append(_Line(number, row))
    return lines


def _timestamp(line: _Line) -> datetime.datetime:
    stamp = line.digits(25, 44, "Tidsstämpeln")
    if len(stamp) != 20:
        raise BgMaxError("Tidsstämpeln (position 25–44) ska ha 20 siffror.", line.number)
    try:
        return datetime.datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(
            microsecond=int(stamp[14:])
        )
    except ValueError:
        raise BgMaxError(f"Tidsstämpeln {stamp} är inte en giltig tidpunkt.", line.number) from None


def _date(line: _Line, start: int, end: int, what: str) -> datetime.date:
    value = line.digits(start, end, what)
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise BgMaxError(f"{what} {value} är inte ett giltigt datum.", line.number) from None


def _start(line: _Line) -> BgMaxFile:
    layout = line.text_field(3, 22)
    if line.code != "01" or layout != LAYOUT:
        raise BgMaxError(
            "Filen är inte en BgMax-fil: den första posten ska vara en startpost (01) "
            "med layoutnamnet BGMAX.",
            line.number,
        )
    version = line.text_field(23, 24)
    if version not in VERSIONS:
        raise BgMaxError(
            f"BgMax version {version or 'utan nummer'} stöds inte (bara version 01).",
            line.number,
        )
    marker = line.choice(45, ("P", "T"), "Testmarkeringen")
    return BgMaxFile(LAYOUT, version, _timestamp(line), marker == "T")


def _opening(line: _Line) -> Deposit:
    currency = line.text_field(23, 25)
    if currency != "SEK":
        raise BgMaxError(
            f"Valutan är {currency or 'tom'}; bara inbetalningar i SEK kan läsas in.", line.number
        )
    return Deposit(
        payee_bankgiro=line.bankgiro(3, 12, "Mottagarens bankgironummer"),
        payee_plusgiro=line.bankgiro(13, 22, "Mottagarens plusgironummer", blank_ok=True),
        currency=currency,
        line=line.number,
    )


def _reference(line: _Line, code: str) -> str:
    if code in NO_REFERENCE:
        return ""
    return line.text_field(13, 37)


def _paid_fields(line: _Line) -> dict[str, str | int]:
    """The fields a payment (TK20/21) and an extra reference (TK22/23) share,
    read and checked in the order of the record."""
    code = line.choice(56, REFERENCE_CODES, "Referenskoden")
    return {
        "code": line.code,
        "payer_bankgiro": line.bankgiro(3, 12, "Avsändarens bankgironummer"),
        "reference": _reference(line, code),
        "amount_ore": line.number_field(38, 55, "Beloppet"),
        "reference_code": code,
        "channel": line.choice(57, CHANNEL_CODES, "Betalningskanalkoden"),
        "bgc_serial": _serial(line),
        "line": line.number,
    }


def _payment(line: _Line) -> Payment:
    return Payment(
        **_paid_fields(line),
        image=line.choice(70, IMAGE_MARKERS, "Avibildmarkeringen"),
        deduction_code=line.raw(71, 71).strip() if line.code == "21" else "",
    )


def _serial(line: _Line) -> str:
    serial = line.digits(58, 69, "BGC-löpnumret")
    if len(serial) != 12:
        raise BgMaxError("BGC-löpnumret (position 58–69) ska ha 12 siffror.", line.number)
    return serial


def _extra_reference(line: _Line) -> ExtraReference:
    return ExtraReference(**_paid_fields(line))


def _detail(payment: Payment, line: _Line) -> None:
    """TK22–29: what follows a payment, added to it."""
    if line.code in ("22", "23"):
        payment.extra_references.append(_extra_reference(line))
    elif line.code == "25":
        payment.information.append(line.text_field(3, 52))
    elif line.code == "26":
        payment.name = line.text_field(3, 37)
        payment.extra_name = line.text_field(38, 72)
    elif line.code == "27":
        payment.address = line.text_field(3, 37)
        payment.postcode = line.text_field(38, 46)
    elif line.code == "28":
        payment.city = line.text_field(3, 37)
        payment.country = line.text_field(38, 72)
        payment.country_code = line.text_field(73, 74)
    elif line.code == "29":
        payment.organisation_number = line.digits(3, 14, "Organisationsnumret", blank_ok=True)


def _close(deposit: Deposit, line: _Line) -> None:
    """TK15: the deposit's own facts, and its count and sum checked."""
    deposit.bank_account = line.digits(3, 37, "Mottagarens bankkontonummer").lstrip("0")
    deposit.paid_on = _date(line, 38, 45, "Betalningsdagen")
    deposit.serial = line.digits(46, 50, "Insättningens löpnummer")
    deposit.amount_ore = line.number_field(51, 68, "Insättningsbeloppet")
    currency = line.text_field(69, 71)
    if currency != deposit.currency:
        raise BgMaxError(
            f"Insättningens valuta {currency or 'saknas'} är inte öppningspostens "
            f"{deposit.currency}.",
            line.number,
        )
    deposit.count = line.number_field(72, 79, "Antalet betalningar")
    deposit.deposit_type = line.raw(80, 80).strip()
    if deposit.count != len(deposit.payments):
        raise BgMaxError(
            f"Insättningen säger {deposit.count} betalningar men har "
            f"{len(deposit.payments)} (betalnings- och avdragsposter).",
            line.number,
        )
    total = sum(payment.signed_ore for payment in deposit.payments)
    if total != deposit.amount_ore:
        raise BgMaxError(
            f"Insättningens belopp {_kronor(deposit.amount_ore)} är inte summan av "
            f"betalningarna, {_kronor(total)}.",
            line.number,
        )


def _kronor(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, rest = divmod(abs(ore), 100)
    return f"{sign}{whole:,}".replace(",", " ") + f",{rest:02d} kr"


def _end(bgmax: BgMaxFile, line: _Line, counts: dict[str, int]) -> None:
    expected = [
        ("betalningsposter (20)", 3, 10, counts["20"]),
        ("avdragsposter (21)", 11, 18, counts["21"]),
        ("extra referensnummerposter (22, 23)", 19, 26, counts["22"] + counts["23"]),
        ("insättningsposter (15)", 27, 34, counts["15"]),
    ]
    for what, start, end, found in expected:
        said = line.number_field(start, end, f"Antalet {what}")
        if said != found:
            raise BgMaxError(f"Slutposten säger {said} {what} men filen har {found}.", line.number)


def parse(content: bytes) -> BgMaxFile:
    """The BgMax file in ``content``, checked; ``BgMaxError`` if it is not one."""
    lines = _lines(content)
    bgmax = _start(lines[0])
    counts = dict.fromkeys(KNOWN_CODES, 0)
    deposit: Deposit | None = None
    payment: Payment | None = None
    ended = False
    for line in lines[1:]:
        code = line.code
        if code not in KNOWN_CODES:
            raise BgMaxError(f"Okänd transaktionskod {code.strip() or 'saknas'!r}.", line.number)
        if ended:
            raise BgMaxError("Poster efter slutposten (70).", line.number)
        counts[code] += 1
        if code == "01":
            raise BgMaxError("En andra startpost (01).", line.number)
        elif code == "05":
            if deposit is not None:
                raise BgMaxError(
                    "En öppningspost (05) innan förra insättningen avslutats (15).", line.number
                )
            deposit, payment = _opening(line), None
        elif code in ("20", "21"):
            if deposit is None:
                raise BgMaxError("En betalning utanför en insättning (05 … 15).", line.number)
            payment = _payment(line)
            deposit.payments.append(payment)
        elif code in ("22", "23", "25", "26", "27", "28", "29"):
            if payment is None:
                raise BgMaxError(
                    f"Posten {code} hör till en betalning men kommer före den.", line.number
                )
            _detail(payment, line)
        elif code == "15":
            if deposit is None:
                raise BgMaxError("En insättningspost (15) utan öppningspost (05).", line.number)
            _close(deposit, line)
            bgmax.deposits.append(deposit)
            deposit = payment = None
        elif code == "70":
            if deposit is not None:
                raise BgMaxError(
                    "Slutposten (70) kommer innan insättningen avslutats (15).", line.number
                )
            _end(bgmax, line, counts)
            ended = True
    if not ended:
        raise BgMaxError("Filen saknar slutpost (70); den kan vara avklippt.", lines[-1].number)
    return bgmax

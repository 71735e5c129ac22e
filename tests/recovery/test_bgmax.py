"""The BgMax parser (fordela.recovery.bgmax): what a valid file says, and a
clear Swedish error with the line number for every way a file can be wrong.
Pure: no database."""

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordela.recovery import bgmax
from fordela.recovery.bgmax import BgMaxError, parse
from tests.recovery.bgmax_files import bgmax_file, deposit, payment, records

DATA = Path(__file__).parent / "data"
BG = "55555551"


def _lines(content: bytes) -> list[str]:
    return content.decode("iso-8859-1").split("\r\n")[:-1]


def _join(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("iso-8859-1")


def test_a_sample_file_reads_as_bankgirot_writes_it():
    parsed = parse((DATA / "bgmax_three_payments.txt").read_bytes())
    assert parsed.layout == "BGMAX" and parsed.version == "01" and not parsed.test
    assert parsed.written_at == datetime.datetime(2022, 6, 15, 6, 12, 44, 512301)
    assert parsed.payee_bankgiros == [BG]
    [dep] = parsed.deposits
    assert dep.paid_on == datetime.date(2022, 6, 14)
    assert dep.count == 3 and dep.amount_ore == sum(p.amount_ore for p in dep.payments)
    assert dep.bank_account == "36000123456" and dep.serial == "00012"
    full, part, unmatched = dep.payments
    assert (full.reference, full.amount_ore, full.reference_code) == (
        "202200000125",
        1_000_000,
        "2",
    )
    assert full.bgc_serial == "660000000101" and full.channel == "1" and full.image == "0"
    assert full.name == "Ale kommun" and full.organisation_number == "002121000001"
    assert full.address == "Torget 1" and full.postcode == "44980" and full.city == "Alafors"
    assert (part.reference, part.amount_ore) == ("202200000224", 250_000)
    assert unmatched.reference == "Återbetalning bidrag" and unmatched.reference_code == "4"
    assert unmatched.information == ["Avser återkrav 2021"]


def test_a_file_with_lf_and_trimmed_trailing_spaces_reads_the_same():
    content = bgmax_file([deposit(BG, [payment("20220000011", 100, 1, name="Ale")])])
    trimmed = "\n".join(line.rstrip() for line in _lines(content)).encode("iso-8859-1")
    assert parse(trimmed) == parse(content)


def test_swedish_letters_are_read_as_iso_8859_1():
    content = bgmax_file([deposit(BG, [payment("1", 100, 1, name="Åsa Öberg Ärlig")])])
    assert parse(content).payments[0].name == "Åsa Öberg Ärlig"


def test_extra_references_and_a_deduction_are_read():
    content = bgmax_file(
        [
            deposit(
                BG,
                [
                    payment("20220000011", 300_00, 1, extra_references=[("22", "20220000029", 0)]),
                    payment("20220000011", 100_00, 2, code="21"),
                ],
            )
        ]
    )
    parsed = parse(content)
    first, deduction = parsed.payments
    assert [e.reference for e in first.extra_references] == ["20220000029"]
    assert deduction.is_deduction and deduction.signed_ore == -100_00
    assert parsed.deposits[0].amount_ore == 200_00


def test_no_reference_codes_give_an_empty_reference():
    content = bgmax_file([deposit(BG, [payment("", 100, 1, reference_code="1")])])
    assert parse(content).payments[0].reference == ""


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "tom"),
        (b"%PDF-1.7\n1 0 obj\n", "inte en BgMax-fil"),
        (b"\x00\x01\x02binary", "inte en BgMax-fil"),
        (b"Hej, det h\xe4r \xe4r ett brev.\r\n", "inte en BgMax-fil"),
        (b"01BGMIN               0120220615061244512301P\r\n", "inte en BgMax-fil"),
    ],
)
def test_what_is_not_a_bgmax_file_is_refused(content, message):
    with pytest.raises(BgMaxError, match=message):
        parse(content)


def _broken(change) -> bytes:
    lines = records([deposit(BG, [payment("20220000011", 1000_00, 1), payment("9", 5_00, 2)])])
    change(lines)
    return _join(lines)


def _set(lines, index, start, text):
    line = lines[index]
    lines[index] = line[: start - 1] + text + line[start - 1 + len(text) :]


@pytest.mark.parametrize(
    "change, line, message",
    [
        (lambda ls: ls.__setitem__(2, ls[2] + "X"), 3, "81 tecken"),
        (lambda ls: ls.insert(2, "99" + " " * 78), 3, "Okänd transaktionskod '99'"),
        (lambda ls: _set(ls, 0, 23, "02"), 1, "version 02 stöds inte"),
        (lambda ls: _set(ls, 0, 45, "X"), 1, "Testmarkeringen"),
        (lambda ls: _set(ls, 0, 25, "20221315"), 1, "inte en giltig tidpunkt"),
        (lambda ls: _set(ls, 1, 23, "EUR"), 2, "bara inbetalningar i SEK"),
        (lambda ls: _set(ls, 2, 38, "0000000000000001x0"), 3, "Beloppet"),
        (lambda ls: _set(ls, 2, 56, "9"), 3, "Referenskoden"),
        (lambda ls: _set(ls, 2, 58, "00000000001 "), 3, "BGC-löpnumret"),
        (lambda ls: _set(ls, 4, 51, "000000000000100000"), 5, "inte summan"),
        (lambda ls: _set(ls, 4, 72, "00000003"), 5, "säger 3 betalningar men har 2"),
        (lambda ls: _set(ls, 4, 38, "20220230"), 5, "inte ett giltigt datum"),
        (lambda ls: _set(ls, 5, 3, "00000003"), 6, "Slutposten säger 3 betalningsposter"),
        (lambda ls: _set(ls, 5, 27, "00000002"), 6, "insättningsposter"),
        (lambda ls: ls.pop(), 5, "saknar slutpost"),
        (lambda ls: ls.append(ls[-1]), 7, "efter slutposten"),
        (lambda ls: ls.insert(1, "26Namn".ljust(80)), 2, "före den"),
        (lambda ls: ls.pop(1), 2, "utanför en insättning"),
        (lambda ls: ls.insert(3, ls[1]), 4, "innan förra insättningen"),
        (lambda ls: ls.__setitem__(2, ls[2][:20] + "\t" + ls[2][21:]), 3, "styrtecken"),
        (lambda ls: ls.insert(1, ls[0]), 2, "andra startpost"),
    ],
)
def test_a_wrong_file_says_what_and_where(change, line, message):
    with pytest.raises(BgMaxError, match=message) as raised:
        parse(_broken(change))
    assert raised.value.line == line
    assert str(raised.value).startswith(f"Rad {line}: ")


def test_the_sample_files_that_are_wrong_are_refused():
    with pytest.raises(BgMaxError, match="Slutposten säger"):
        parse((DATA / "bgmax_wrong_count.txt").read_bytes())
    with pytest.raises(BgMaxError, match="inte summan"):
        parse((DATA / "bgmax_wrong_sum.txt").read_bytes())


# ------------------------------------------------------------- round trip

references = st.one_of(
    st.just(""),
    st.text(alphabet="0123456789", min_size=2, max_size=25),
    st.text(alphabet="ABCÅÄÖabcåäö 0123456789-", min_size=1, max_size=25)
    .map(str.strip)
    .filter(bool),
)
payments = st.builds(
    lambda reference, amount, name: (reference, amount, name),
    references,
    st.integers(min_value=1, max_value=10**17),
    st.text(alphabet="ABCÅÄÖ abcåäö", max_size=35).map(str.strip),
)
deposits = st.lists(st.lists(payments, min_size=0, max_size=5), min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(deposits, st.sampled_from(["\r\n", "\n"]))
def test_a_built_file_parses_to_what_was_built(described, newline):
    serial = iter(range(1, 10**6))
    built = [
        deposit(
            BG,
            [
                payment(
                    reference,
                    amount,
                    next(serial),
                    name=name,
                    reference_code=("2" if reference.isdigit() else "4") if reference else "1",
                )
                for reference, amount, name in pays
            ],
            serial=str(index + 1),
        )
        for index, pays in enumerate(described)
    ]
    parsed = parse(bgmax_file(built, newline=newline))
    assert len(parsed.deposits) == len(described)
    for dep, pays in zip(parsed.deposits, described, strict=True):
        assert dep.payee_bankgiro == BG
        assert dep.amount_ore == sum(amount for _r, amount, _n in pays)
        assert [(p.reference, p.amount_ore, p.name) for p in dep.payments] == pays
    serials = [p.bgc_serial for p in parsed.payments]
    assert serials == sorted(serials) and all(len(s) == 12 for s in serials)


def test_the_parser_needs_no_django():
    source = Path(bgmax.__file__).read_text()
    assert "django" not in source.lower().replace("no django", "")

"""OCR references (recovery.ocr): Bankgirot's hard and variable-length checks
(facts §3), property-tested, and the known vectors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordela.recovery import ocr

VECTORS = [
    ("123", "12351"),
    ("1234567", "123456790"),
    ("123456789", "12345678911"),
    # Odoo's pitfall: it takes the first digit of the length (12 → 1) and
    # gives 123456789015; Bankgirot drops the tens (12 → 2).
    ("1234567890", "123456789023"),
    ("2021000001", "202100000126"),
]

numbers = st.text(alphabet="0123456789", min_size=1, max_size=23)


@pytest.mark.parametrize(("number", "expected"), VECTORS)
def test_the_known_vectors(number, expected):
    assert ocr.reference(number) == expected
    assert ocr.passes_hard_check(expected)
    assert ocr.passes_variable_length_check(expected)


def test_odoos_first_digit_of_the_length_fails_the_variable_length_check():
    assert not ocr.passes_variable_length_check("123456789015")


@given(numbers)
def test_any_digits_give_a_reference_that_passes_both_checks(number):
    value = ocr.reference(number)
    assert value.startswith(number)
    assert len(value) == len(number) + 2
    assert value[-2] == str(len(value) % 10)
    assert ocr.passes_hard_check(value)
    assert ocr.passes_variable_length_check(value)


@given(numbers, st.data())
def test_changing_any_one_digit_fails_the_hard_check(number, data):
    value = ocr.reference(number)
    position = data.draw(st.integers(min_value=0, max_value=len(value) - 1))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    changed = value[:position] + digit + value[position + 1 :]
    assert not ocr.passes_hard_check(changed)


@given(numbers)
def test_a_reference_with_a_wrong_length_digit_fails_the_variable_length_check(number):
    value = ocr.reference(number)
    body = number + str((len(number) + 3) % 10)  # a length digit one too high
    from stdnum import luhn

    wrong = body + luhn.calc_check_digit(body)
    assert ocr.passes_hard_check(wrong)
    assert not ocr.passes_variable_length_check(wrong)
    assert wrong != value


@pytest.mark.parametrize("bad", ["", "12a", "1" * 24, "-1", " 123", "１２３"])
def test_bad_numbers_are_refused(bad):
    with pytest.raises(ValueError, match="1 to 23 digits"):
        ocr.reference(bad)


@pytest.mark.parametrize("bad", ["", "0", "1" * 26, "12 35", "12a51", "12350", "１２３５１"])
def test_bad_references_fail_the_hard_check(bad):
    assert not ocr.passes_hard_check(bad)

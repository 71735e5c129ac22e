"""Reading typed amounts (core.cleaning, core.fields.KronorField): only the
digits 0–9, spaces between thousands allowed, 0 to 10 000 000 000 kr; text
within its column (issue 14, items 3 and 6)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fordela.core.cleaning import MAX_SEK, amount_for, parse_kronor, text_for, whole_number
from fordela.core.fields import KronorField
from fordela.core.formatting import grouped
from fordela.requisitions.models import Requisition

NOT_ASCII_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not "0" <= c <= "9")


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (the msgids)."""
    with translation.override("en"):
        yield


@given(st.integers(min_value=0, max_value=MAX_SEK))
def test_an_amount_as_the_site_writes_it_reads_back(amount):
    assert parse_kronor(grouped(amount)) == amount
    assert parse_kronor(f"{amount:,}".replace(",", " ")) == amount
    assert parse_kronor(str(amount)) == amount


@given(st.text(alphabet="0123456789", max_size=5), NOT_ASCII_DIGITS, st.text("0123456789"))
def test_a_digit_other_than_0_to_9_is_refused(before, digit, after):
    text = before + digit + after
    assert int(text) >= 0  # what Django's IntegerField would have accepted
    with pytest.raises(ValidationError) as refused:
        parse_kronor(text)
    assert refused.value.code == "invalid"
    with pytest.raises(ValueError):
        whole_number(text)


@pytest.mark.parametrize(
    "text", ["١٢٣", "１２３", "1e3", "1,5", "1.5", "1_000", "-5", "−5", "", " "]
)
def test_what_is_not_whole_kronor_is_refused(text):
    with pytest.raises(ValidationError, match="whole kronor, digits only"):
        parse_kronor(text)


@pytest.mark.parametrize(
    "value", [MAX_SEK + 1, "99999999999999999999", "9223372036854775808", "9" * 5000]
)
def test_more_than_the_largest_amount_is_refused(value):
    with pytest.raises(ValidationError) as refused:
        parse_kronor(value)
    assert refused.value.code == "max_value"
    assert refused.value.messages == ["Enter at most 10\u202f000\u202f000\u202f000\u00a0kr."]


def test_leading_zeros_are_not_too_many_digits():
    assert parse_kronor("0" * 40 + "12") == 12


def test_whole_numbers_may_be_negative():
    assert whole_number("-1 200") == -1200
    assert whole_number("\u221212") == -12


def test_the_services_get_the_error_as_the_fields():
    assert amount_for("requested_sek", "") == 0
    with pytest.raises(ValidationError) as refused:
        amount_for("requested_sek", "١٢٣")
    assert refused.value.message_dict == {
        "requested_sek": ["Enter the amount in whole kronor, digits only."]
    }
    with pytest.raises(ValidationError) as refused:
        amount_for("requested_sek", -1)
    assert refused.value.message_dict == {"requested_sek": ["The amount cannot be negative."]}


def test_text_longer_than_its_column_is_a_field_error():
    assert text_for(Requisition, "contact_phone", " 070-1 ") == "070-1"
    assert text_for(Requisition, "contact_phone", "0" * 40) == "0" * 40
    with pytest.raises(ValidationError) as refused:
        text_for(Requisition, "contact_phone", "0" * 41)
    assert refused.value.message_dict == {"contact_phone": ["Write at most 40 characters."]}


def test_the_field_reads_spaces_and_refuses_other_digits():
    field = KronorField(required=False)
    assert field.clean("1 500 000") == 1_500_000
    assert field.clean("") is None
    assert (field.min_value, field.max_value) == (0, MAX_SEK)
    with pytest.raises(ValidationError, match="digits only"):
        field.clean("١٢٣")
    with pytest.raises(ValidationError, match="Enter at most"):
        field.clean(str(MAX_SEK + 1))


def test_a_field_may_have_a_smaller_maximum_and_its_own_message():
    field = KronorField(max_value=100, error_messages={"invalid": "Kronor!"})
    assert field.clean("100") == 100
    with pytest.raises(ValidationError, match="Enter at most 100"):
        field.clean("101")
    with pytest.raises(ValidationError, match="Kronor!"):
        field.clean("x")


def test_a_field_cannot_promise_more_than_the_largest_amount():
    with pytest.raises(ValueError):
        KronorField(max_value=MAX_SEK + 1)

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cohorts.validators import (
    business_id_check_digit,
    normalize_business_id,
    validate_business_id,
)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("value", ["0112038-9", "2938402-8", "1234567-1", " 112038-9 "])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


@pytest.mark.parametrize(
    "value", ["1234567-2", "12345678", "1234567", "abcdefg-h", "", "1234567-12", "0112038–8"]
)
def test_invalid_business_ids_fail(value):
    with pytest.raises(ValidationError):
        validate_business_id(value)


def test_old_six_digit_form_is_padded():
    assert normalize_business_id("112038-9") == "0112038-9"


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_check_digit_matches_an_independent_computation(body):
    remainder = sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11
    expected = None if remainder == 1 else (0 if remainder == 0 else 11 - remainder)
    assert business_id_check_digit(body) == expected
    for check in range(10):
        value = f"{body}-{check}"
        if expected == check:
            validate_business_id(value)
        else:
            with pytest.raises(ValidationError):
                validate_business_id(value)

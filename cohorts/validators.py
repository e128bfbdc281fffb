import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: \d would also take Arabic-Indic or fullwidth digits, which int()
# reads, so "٠١١٢٠٣٨-٩" would pass as a valid, different business ID.
BUSINESS_ID_RE = re.compile(r"^([0-9]{6,7})-([0-9])$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(body: str) -> int | None:
    """Check digit of a Finnish business ID (Y-tunnus) body of 7 digits; None if none fits."""
    remainder = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalize_business_id(value: str) -> str:
    """Accept '0112038-9', ' 112038-9 ' (old 6-digit form), return the 7+1 form."""
    value = (value or "").strip().replace("\u2010", "-").replace("\u2013", "-")
    match = BUSINESS_ID_RE.match(value)
    if not match:
        return value
    body, check = match.groups()
    return f"{body.zfill(7)}-{check}"


def validate_business_id(value: str) -> None:
    normalized = normalize_business_id(value)
    match = BUSINESS_ID_RE.match(normalized)
    if not match:
        raise ValidationError(
            _("Enter the business ID in the form 1234567-8."), code="business_id_format"
        )
    body, check = match.groups()
    expected = business_id_check_digit(body)
    if expected is None or expected != int(check):
        raise ValidationError(
            _("This business ID is not valid: its check digit does not match."),
            code="business_id_checksum",
        )

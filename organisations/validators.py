"""Validators of Russian organisation requisites."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def validate_inn(value: str) -> None:
    """Check an ИНН: 10 digits for a legal entity, 12 for a person."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (10, 12):
        raise ValidationError(
            _("An INN has 10 digits (organisation) or 12 digits (individual)."),
            code="inn_format",
        )
    if len(value) == 10:
        valid = _check_digit(value, _INN10_WEIGHTS) == int(value[9])
    else:
        valid = _check_digit(value, _INN12_WEIGHTS_11) == int(value[10]) and (
            _check_digit(value, _INN12_WEIGHTS_12) == int(value[11])
        )
    if not valid:
        raise ValidationError(
            _("This INN has a wrong check digit. Please check it."),
            code="inn_checksum",
        )


def validate_ogrn(value: str) -> None:
    """Check an ОГРН (13 digits) or ОГРНИП (15 digits) by its check digit."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (13, 15):
        raise ValidationError(
            _("An OGRN has 13 digits (15 for an individual entrepreneur)."),
            code="ogrn_format",
        )
    body, check = value[:-1], int(value[-1])
    divisor = 11 if len(value) == 13 else 13
    if int(body) % divisor % 10 != check:
        raise ValidationError(
            _("This OGRN has a wrong check digit. Please check it."),
            code="ogrn_checksum",
        )

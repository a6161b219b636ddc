import pytest
from django.core.exceptions import ValidationError

from organisations.validators import validate_inn, validate_ogrn


@pytest.mark.parametrize(
    "inn",
    [
        "7830002293",  # a legal entity: 10 digits, check digit 3
        "500100732259",  # an individual: 12 digits, check digits 5 and 9
    ],
)
def test_validate_inn_accepts_a_valid_inn(inn):
    result = validate_inn(inn)

    assert result is None


@pytest.mark.parametrize(
    "inn",
    [
        "783000229",  # 9 digits
        "78300022931",  # 11 digits
        "5001007322591",  # 13 digits
        "",
        "78300O2293",  # a Latin letter O among the digits
        "78З0002293",  # a Cyrillic З instead of 3
        "7830-02293",
        " 7830002293",
        "７８３０００２２９３",  # full-width digits are digits to str.isdigit()
        "²²²²²²²²²²",  # superscripts too, but int() refuses them
    ],
)
def test_validate_inn_refuses_a_malformed_value(inn):
    with pytest.raises(ValidationError) as raised:
        validate_inn(inn)

    assert raised.value.code == "inn_format"


@pytest.mark.parametrize(
    "inn",
    [
        "7830002294",  # 10 digits, last digit off by one
        "500100732258",  # 12 digits, the 12th check digit wrong
        "500100732266",  # 12 digits, the 11th wrong (the 12th fits its prefix)
    ],
)
def test_validate_inn_refuses_a_wrong_check_digit(inn):
    with pytest.raises(ValidationError) as raised:
        validate_inn(inn)

    assert raised.value.code == "inn_checksum"


@pytest.mark.parametrize(
    "ogrn",
    [
        "1027700132195",  # ОГРН: 13 digits, 102770013219 mod 11 mod 10 = 5
        "304500116000157",  # ОГРНИП: 15 digits, 30450011600015 mod 13 mod 10 = 7
    ],
)
def test_validate_ogrn_accepts_a_valid_ogrn(ogrn):
    result = validate_ogrn(ogrn)

    assert result is None


@pytest.mark.parametrize("ogrn", ["1027700132196", "304500116000158"])
def test_validate_ogrn_refuses_a_wrong_check_digit(ogrn):
    with pytest.raises(ValidationError) as raised:
        validate_ogrn(ogrn)

    assert raised.value.code == "ogrn_checksum"


@pytest.mark.parametrize(
    "ogrn",
    [
        "102770013219",  # 12 digits
        "10277001321950",  # 14 digits
        "3045001160001570",  # 16 digits
        "102770013219O",
        "１０２７７００１３２１９５",  # full-width digits
    ],
)
def test_validate_ogrn_refuses_a_malformed_value(ogrn):
    with pytest.raises(ValidationError) as raised:
        validate_ogrn(ogrn)

    assert raised.value.code == "ogrn_format"

"""Kazakhstan BIN (бизнес-сәйкестендіру нөмірі): 12 digits ending in a mod-11 check digit.

python-stdnum's `stdnum.kz.bin` is not in any release yet (2.2 is the newest on PyPI); when a release
ships it, `validate` defers to it for the structural rules and keeps the check digit below, which that
module does not test. The API mirrors stdnum's (compact / validate / is_valid) and raises its exceptions.
"""

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

try:  # pragma: no cover - depends on the installed python-stdnum
    from stdnum.kz import bin as _stdnum_bin
except ImportError:  # pragma: no cover
    _stdnum_bin = None

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def compact(number: str) -> str:
    """The number without spaces, dashes and surrounding blanks."""
    return "".join(ch for ch in str(number) if ch not in " -\u00a0\t").strip()


def calc_check_digit(first11: str) -> str:
    """The check digit for the first 11 digits; raises InvalidComponent when no digit exists (sum 10 twice)."""
    digits = [int(c) for c in first11]
    check = sum(w * d for w, d in zip(_WEIGHTS_1, digits)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_WEIGHTS_2, digits)) % 11
    if check == 10:
        raise InvalidComponent("These 11 digits have no valid check digit; such numbers are not issued.")
    return str(check)


def validate(number: str) -> str:
    """Return the compact BIN or raise a stdnum ValidationError saying what is wrong."""
    number = compact(number)
    if len(number) != 12:
        raise InvalidLength("A BIN has 12 digits.")
    if not number.isdigit():
        raise InvalidFormat("A BIN has only digits.")
    if not 1 <= int(number[2:4]) <= 12:
        raise InvalidComponent("Digits 3-4 of a BIN are the month of registration (01-12).")
    if number[4] not in "456":
        raise InvalidComponent("Digit 5 of a BIN is the entity type: 4, 5 or 6.")
    if number[5] not in "0123":
        raise InvalidComponent("Digit 6 of a BIN is the unit kind: 0, 1, 2 or 3.")
    if _stdnum_bin is not None:
        _stdnum_bin.validate(number)
    if calc_check_digit(number[:11]) != number[11]:
        raise InvalidChecksum("The check digit (the 12th) does not match: a typing error?")
    return number


def is_valid(number: str) -> bool:
    """True when the number is a valid BIN."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False

"""Custom fields and validators shared by every schema."""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate
from stdnum.exceptions import ValidationError as StdnumError

from inspect_app import kz_bin
from inspect_app.models.vocab import DB_INT_MAX, KZ_LAT, KZ_LON, KZ_NOT_KAZAKHSTAN

# \Z, not $: "$" also matches before a trailing newline, which would then overflow the 5-character columns.
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]\Z")
# NUL is refused by PostgreSQL, other C0 controls are invisible junk, lone surrogates cannot be stored as UTF-8.
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def validate_text(value: str) -> None:
    """Text a person typed: no control characters (tab and line breaks aside) and no broken unicode."""
    match = _BAD_TEXT.search(value)
    if match:
        raise ValidationError(f"The text contains a control or invalid character (U+{ord(match.group()):04X}).")


class FullMatch(validate.Regexp):
    """A pattern the whole text must match (`$` alone would let a trailing newline through).

    Written as a marshmallow Regexp so that the OpenAPI document carries the pattern.
    """

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


validate_kato = FullMatch(r"^[0-9]{9}$", error="Expected a 9-digit KATO code.")
validate_hhmm = FullMatch(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="Expected a time as HH:MM.")
def validate_mmdd_text(text: str) -> bool:
    """True for text that is already a day of the year as MM-DD."""
    return bool(re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", text.strip()))


validate_mmdd = FullMatch(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", error="Expected a day of the year as MM-DD.")
# Kazakhstan's box; `check_point` adds the parts of it that are a neighbour's.
validate_lat = validate.Range(*KZ_LAT, error="Latitude {input} is outside Kazakhstan ({min}..{max}).")
validate_lon = validate.Range(*KZ_LON, error="Longitude {input} is outside Kazakhstan ({min}..{max}).")


def validate_bin(value: str) -> None:
    """A BIN is 12 digits whose check digit is right (python-stdnum's kz.bin)."""
    if not value.isascii():
        raise ValidationError("Not a valid BIN: A BIN has only digits 0-9.")
    try:
        kz_bin.validate(value)
    except StdnumError as exc:
        raise ValidationError(f"Not a valid BIN: {exc}") from exc






def check_point(data: dict, lat_key: str, lon_key: str) -> None:
    """A schema-level rule for a (lat, lon) pair: inside Kazakhstan's box and not in a neighbour's land in it."""
    lat, lon = data.get(lat_key), data.get(lon_key)
    if lat is None or lon is None:
        return
    for lat_min, lat_max, lon_min, lon_max in KZ_NOT_KAZAKHSTAN:
        if lat_min <= lat <= lat_max and lon_min <= lon <= lon_max:
            raise ValidationError(f"The point {lat}, {lon} lies outside Kazakhstan (in Kyrgyzstan, near Bishkek).",
                                  lat_key)






class Text(fields.String):
    """A string that can be stored as it is: control characters and broken unicode are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        validate_text(text)
        return text


class ChangesSomething(Schema):
    """A partial update (PATCH) must change something: an empty body, or one of unknown fields only, is a 422."""

    @post_load
    def require_a_change(self, data, **kwargs):
        """Refuse an edit that names no field this schema knows."""
        if not data:
            raise ValidationError("The request body is empty: send at least one field to change.", "_schema")
        return data


class FilePart(fields.Raw):
    """A file part of a multipart body (a form field of the same name, text, is not a file)."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"type": "string", "format": "binary"}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not callable(getattr(value, "read", None)):
            raise ValidationError("Not a file.")
        return value


class RecordId(fields.Integer):
    """The id of a record, in a query or a body: 1..the database's largest integer (beyond it is a 422, not a 500).

    Query strings carry text, so `strict` is off by default; JSON bodies pass `strict=True`.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(min=1, max=DB_INT_MAX))
        super().__init__(**kwargs)


class Version(fields.Integer):
    """A record's edit counter as a client echoes it back: a JSON integer the database's column can hold."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strict", True)
        kwargs.setdefault("validate", validate.Range(min=0, max=DB_INT_MAX))
        super().__init__(**kwargs)


# The dates a person can mean: inspections, seasons of work, absences, schedule horizons. Year 1 or 9999 are
# typing errors, and near the ends of Python's range a date plus a horizon or deadline overflows.
DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2099, 12, 31)


class Day(fields.Date):
    """A calendar date between DATE_MIN and DATE_MAX (ISO 8601 in JSON and query strings)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Range(
            min=DATE_MIN, max=DATE_MAX, error=f"Expected a date from {DATE_MIN} to {DATE_MAX}."))
        kwargs.setdefault("metadata", {})
        super().__init__(**kwargs)
        self.metadata.setdefault("description", f"A date from {DATE_MIN} to {DATE_MAX}")


# Day 0 of the serial numbers spreadsheets store dates as (Excel's 1900 system, as LibreOffice writes it too).
SHEET_EPOCH = date(1899, 12, 30)
_DOTTED = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00(?::00(?:\.0+)?)?")


def sheet_date(value: Any) -> Any:
    """A date as a spreadsheet may hand it over, as a date; anything else unchanged.

    A date cell (read as a datetime, at midnight or not), its serial number (a cell whose date format was
    lost), the text of a date cell ("2024-03-01 00:00:00") or the Russian and Kazakh way of writing it
    ("01.03.2024").
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return SHEET_EPOCH + timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        if match := _DOTTED.fullmatch(text):
            try:
                return date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                raise ValidationError("Not a valid date.") from None
        if match := _MIDNIGHT.fullmatch(text):
            return match[1]
    return value


class SheetDay(Day):
    """A Day read from a spreadsheet cell of any kind a spreadsheet writes (see `sheet_date`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = sheet_date(value)
        if isinstance(value, date):
            return value
        return super()._deserialize(value, attr, data, **kwargs)


class SheetDayOfYear(fields.String):
    """A day of the year as MM-DD, also from a cell a spreadsheet turned into a date (its year is dropped)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and validate_mmdd_text(value):
            return super()._deserialize(value, attr, data, **kwargs)
        value = sheet_date(value)
        if isinstance(value, date):
            return f"{value.month:02d}-{value.day:02d}"
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return value.strip()[5:]
        return super()._deserialize(value, attr, data, **kwargs)


class Moment(fields.AwareDateTime):
    """A timestamp a client sends (check-in, check-out): RFC 3339 (UTC when it has no offset), DATE_MIN..DATE_MAX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        kwargs.setdefault("validate", validate.Range(
            min=datetime.combine(DATE_MIN, time.min, UTC), max=datetime.combine(DATE_MAX, time.max, UTC),
            error=f"Expected a time from {DATE_MIN} to {DATE_MAX}."))
        super().__init__(**kwargs)


class UtcDateTime(fields.DateTime):
    """A timestamp with its UTC offset: SQLite returns stored UTC times without one, and RFC 3339 needs it."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class Email(Text):
    """An e-mail address, or empty: marshmallow's address rule, surrounding spaces dropped."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.metadata.setdefault("description", "An e-mail address, or empty")

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if text:
            validate.Email(error="Not a valid e-mail address.")(text)
        return text


class Phone(Text):
    """A Kazakhstan telephone number, or empty; typed in any usual way, stored in E.164 (+77011234567)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.metadata.setdefault("description", "A Kazakhstan telephone number (stored as +7XXXXXXXXXX), or empty")

    def _deserialize(self, value, attr, data, **kwargs):
        import phonenumbers

        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return ""
        try:
            number = phonenumbers.parse(text, "KZ")
        except phonenumbers.NumberParseException as exc:
            raise ValidationError("Not a telephone number; write it as +7 701 123 45 67.") from exc
        if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != "KZ":
            raise ValidationError("Not a valid Kazakhstan telephone number (+7 7.. or +7 6..).")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Bin(fields.String):
    """A BIN; spaces and dashes typed by people are removed before the check."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        text = kz_bin.compact(text) if isinstance(text, str) else text
        validate_bin(text)
        return text


class SheetBin(Bin):
    """A BIN from a spreadsheet: a number cell is read as its digits, and a BIN that lost its leading zeros
    (a spreadsheet took it for a number) is named as such, with how to keep them."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            value = str(int(value))
        if isinstance(value, str):
            digits = kz_bin.compact(value)
            if digits.isdigit() and len(digits) < 12 and _is_bin(digits.zfill(12)):
                raise ValidationError(
                    f"The BIN {digits} lost its leading zero: the spreadsheet took it for a number. "
                    f"It is {digits.zfill(12)}; format the column as text before typing or opening the CSV, "
                    "or import the XLSX export, which keeps it.")
        return super()._deserialize(value, attr, data, **kwargs)


def _is_bin(text: str) -> bool:
    try:
        validate_bin(text)
    except ValidationError:
        return False
    return True


class StringList(fields.Field):
    """A list of strings: a JSON array, or comma/semicolon-separated text in files and forms."""

    def __init__(self, choices: tuple[str, ...] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def _serialize(self, value, attr, obj, **kwargs):
        return list(value or [])

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            items = [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = [v.strip() for v in value]
        else:
            raise ValidationError("Expected a list of strings.")
        for item in items:
            validate_text(item)
        if self.choices is not None:
            unknown = [v for v in items if v not in self.choices]
            if unknown:
                raise ValidationError(f"Unknown value(s) {', '.join(unknown)}; allowed: {', '.join(self.choices)}.")
        return list(dict.fromkeys(items))

"""Common schema and service messages (English, the API's language) shown in the UI language."""

from flask_babel import lazy_gettext as _l

# The schemas speak English (the API's language); the forms show their common messages in the UI language.
SCHEMA_MESSAGES = (
    ("Missing data for required field.", _l("Обязательное поле.")),
    ("Not a valid number.", _l("Введите число.")),
    ("Not a valid integer.", _l("Введите целое число.")),
    ("Not a valid date.", _l("Введите дату в виде ГГГГ-ММ-ДД.")),
    ("Must be one of", _l("Выберите значение из списка.")),
    ("Not a valid BIN", _l("Неверный БИН: нужны 12 цифр с верной контрольной цифрой.")),
    ("Latitude", _l("Широта вне территории Казахстана.")),
    ("Longitude", _l("Долгота вне территории Казахстана.")),
    ("A facility with this BIN is already registered.", _l("Объект с этим БИН уже есть в реестре.")),
    ("You may only", _l("Можно работать только с записями своего региона.")),
    ("Expected a day of the year as MM-DD.", _l("Укажите день в виде ММ-ДД.")),
    ("Expected a time as HH:MM.", _l("Укажите время в виде ЧЧ:ММ.")),
    ("Length must be between", _l("Недопустимая длина.")),
    ("Shorter than minimum length", _l("Слишком коротко.")),
)


def ui_message(message: str) -> str:
    """A schema or service message in the UI language when it is a common one, else as it is."""
    for prefix, text in SCHEMA_MESSAGES:
        if message.startswith(prefix):
            return str(text)
    return message

"""One's own account: password, language and API tokens. The forms render and carry CSRF; schemas validate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from inspect_app.web.forms_io import choices

LANGUAGE_NAMES = (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English"))


class PasswordForm(FlaskForm):
    """The current password and the new one twice."""

    current_password = PasswordField(_l("Текущий пароль"), render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("Новый пароль"), render_kw={"autocomplete": "new-password"})
    password_repeat = PasswordField(_l("Новый пароль ещё раз"), render_kw={"autocomplete": "new-password"})

    def schema_input(self) -> dict:
        return {name: self[name].data or "" for name in ("current_password", "password", "password_repeat")}


class NewPasswordForm(FlaskForm):
    """A new password twice (through a one-time link)."""

    password = PasswordField(_l("Новый пароль"), render_kw={"autocomplete": "new-password"})
    password_repeat = PasswordField(_l("Новый пароль ещё раз"), render_kw={"autocomplete": "new-password"})

    def schema_input(self) -> dict:
        return {name: self[name].data or "" for name in ("password", "password_repeat")}


class LanguageForm(FlaskForm):
    """The interface language."""

    locale = SelectField(_l("Язык интерфейса"), choices=choices(LANGUAGE_NAMES), validate_choice=False)

    def schema_input(self) -> dict:
        return {"locale": self.locale.data}


class TokenForm(FlaskForm):
    """A new API token's name and life in days."""

    name = StringField(_l("Название"), render_kw={"maxlength": 100, "placeholder": _l("например, скрипт выгрузки")})
    days = StringField(_l("Срок действия, дней (1–365)"), default="90",
                       render_kw={"inputmode": "numeric", "type": "number", "min": 1, "max": 365})

    def schema_input(self) -> dict:
        days = (self.days.data or "").strip()
        return {"name": (self.name.data or "").strip(), "days": int(days) if days.isdigit() else days}


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (revoke, deactivate ...)."""

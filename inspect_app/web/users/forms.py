"""The users page's forms: they render fields and carry the CSRF token; the account schemas validate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

from inspect_app.labels import FIELD_LABELS
from inspect_app.web.account.forms import LANGUAGE_NAMES
from inspect_app.web.forms_io import choices


class AccountForm(FlaskForm):
    """Role, region, name and language of an account (the choices are the actor's, set by the view)."""

    full_name = StringField(FIELD_LABELS["full_name"], render_kw={"maxlength": 200})
    role = SelectField(_l("Роль"), choices=[], validate_choice=False)
    region_kato = SelectField(FIELD_LABELS["region_kato"], choices=[], validate_choice=False)
    locale = SelectField(_l("Язык интерфейса"), choices=choices([("", "—"), *LANGUAGE_NAMES]), validate_choice=False)

    def schema_input(self) -> dict:
        return {"full_name": (self.full_name.data or "").strip(), "role": self.role.data or "",
                "region_kato": self.region_kato.data or None, "locale": self.locale.data or None}


class AccountCreateForm(AccountForm):
    """A new account: also the username and, for an inspector, the registry's inspector record."""

    username = StringField(FIELD_LABELS["username"], render_kw={"autocomplete": "off", "maxlength": 64})
    inspector_id = SelectField(_l("Запись инспектора в реестре"), choices=[], validate_choice=False)

    def schema_input(self) -> dict:
        data = super().schema_input()
        data["username"] = (self.username.data or "").strip()
        raw = (self.inspector_id.data or "").strip()
        data["inspector_id"] = (int(raw) if raw.isdigit() else raw) or None
        return data


class ResetForm(FlaskForm):
    """How to give a user a new password: a one-time link or a temporary password."""

    method = RadioField(_l("Способ"), default="link", validate_choice=False, choices=choices([
        ("link", _l("Одноразовая ссылка (24 часа)")),
        ("temporary", _l("Временный пароль (сменить при входе)")),
    ]))

"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Логин"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Пароль"), validators=[DataRequired()])
    remember = BooleanField(_l("Запомнить меня"))
    submit = SubmitField(_l("Войти"))

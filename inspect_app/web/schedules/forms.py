"""Schedule forms: they render fields and carry the CSRF token; the marshmallow schemas validate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import Optional


class BuildForm(FlaskForm):
    """Region (admins choose; supervisors build their own), horizon, optional seed and time limit."""

    region = SelectField(_l("Регион"), choices=[], validate_choice=False)
    start = DateField(_l("Первый день"))
    days = IntegerField(_l("Рабочих дней"), default=5)
    seed = StringField(_l("Зерно (необязательно)"), render_kw={"inputmode": "numeric"})
    time_limit = IntegerField(_l("Время расчёта, с"), validators=[Optional()])


class EditForm(FlaskForm):
    """One hand edit of a draft: move, swap or remove a visit."""

    action = HiddenField()
    visit_id = SelectField(_l("Посещение"), choices=[], validate_choice=False)
    other_visit_id = SelectField(_l("Поменять с"), choices=[], validate_choice=False)
    date = SelectField(_l("Новая дата"), choices=[], validate_choice=False)
    inspector_id = SelectField(_l("Новый инспектор"), choices=[], validate_choice=False)
    version = HiddenField()


class PublishForm(FlaskForm):
    """Only the CSRF token travels."""

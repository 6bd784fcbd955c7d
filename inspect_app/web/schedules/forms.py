"""Schedule forms: they render fields and carry the CSRF token; the marshmallow schemas validate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Optional

from inspect_app.labels import URGENT_REASON_LABELS

# The words live in the label registry; the name stays importable from here.
__all__ = ["URGENT_REASON_LABELS", "AbsenceForm", "BuildForm", "EditForm", "PublishForm", "UrgentForm"]


class BuildForm(FlaskForm):
    """Region (admins choose; supervisors build their own), horizon, optional seed and time limit."""

    region = SelectField(_l("Регион"), choices=[], validate_choice=False)
    start = DateField(_l("Первый день"))
    days = IntegerField(_l("Рабочих дней"), default=5)
    seed = StringField(_l("Зерно (необязательно)"), render_kw={"inputmode": "numeric"})
    time_limit = IntegerField(_l("Время расчёта, с"), validators=[Optional()])
    fill = DecimalField(_l("Доля свободного времени на дополнительные проверки (0–1)"), places=2,
                        validators=[Optional()], render_kw={"inputmode": "decimal", "step": "0.05"})
    replaces = IntegerField(_l("Заменяет опубликованный график №"), validators=[Optional()])
    replace_from = DateField(_l("Заменяет с даты"), validators=[Optional()])


class EditForm(FlaskForm):
    """One hand edit of a draft: move, swap or remove a visit."""

    action = HiddenField()
    visit_id = SelectField(_l("Посещение"), choices=[], validate_choice=False)
    other_visit_id = SelectField(_l("Поменять с"), choices=[], validate_choice=False)
    date = SelectField(_l("Новая дата"), choices=[], validate_choice=False)
    inspector_id = SelectField(_l("Новый инспектор"), choices=[], validate_choice=False)
    version = HiddenField()


class PublishForm(FlaskForm):
    """Only the CSRF token travels (publishing, discarding and merging are confirmed on a page first)."""


class AbsenceForm(FlaskForm):
    """An inspector absent on some dates of a published schedule."""

    inspector_id = SelectField(_l("Инспектор"), choices=[], validate_choice=False)
    dates = SelectMultipleField(_l("Даты отсутствия"), choices=[], validate_choice=False)
    note = StringField(_l("Причина"))


class UrgentForm(FlaskForm):
    """An urgent visit: a facility of the region found by name, BIN or address, the deadline and the reason."""

    facility = StringField(_l("Объект: название, БИН или адрес"))
    hours = IntegerField(_l("Срок, часов"), default=48)
    reason = SelectField(_l("Основание"), choices=[], validate_choice=False)
    note = StringField(_l("Комментарий"))

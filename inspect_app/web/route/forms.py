"""Forms of the inspector's day: they render the fields and carry the CSRF token; services validate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from inspect_app.models.schedule import NOT_DONE_REASONS
from inspect_app.web.forms_io import choices

VISIT_STATUS_LABELS = {
    "planned": _l("Запланировано"),
    "checked_in": _l("Прибыл на объект"),
    "phone": _l("Черновик на телефоне"),
    "draft": _l("Черновик отправлен"),
    "submitted": _l("Акт отправлен"),
    "not_done": _l("Не состоялось"),
}
NOT_DONE_LABELS = {
    "closed": _l("Объект закрыт"),
    "refused_entry": _l("Отказ в допуске"),
    "not_found": _l("Объект не найден"),
    "inspector_ill": _l("Болезнь инспектора"),
    "other": _l("Другая причина"),
}
CHANNEL_LABELS = {
    "page": _l("Страница"),
    "api": _l("API"),
    "pdf": _l("Маршрутный лист PDF"),
    "calendar": _l("Календарь"),
    "export": _l("Выгрузка"),
    "offline": _l("Офлайн"),
}
RELEASE_LABELS = {
    "morning": _l("В день маршрута с утра"),
    "evening": _l("Накануне вечером"),
}


class NotDoneForm(FlaskForm):
    """Why a visit could not happen."""

    reason = SelectField(_l("Причина"), validate_choice=False,
                         choices=choices((r, NOT_DONE_LABELS[r]) for r in NOT_DONE_REASONS))
    note = StringField(_l("Комментарий"))


class DiscardForm(FlaskForm):
    """Why a draft is discarded."""

    reason = StringField(_l("Причина удаления черновика"))


class ReleaseForm(FlaskForm):
    """When the region's inspectors get their routes."""

    route_release = SelectField(_l("Маршрут виден инспектору"), validate_choice=False,
                                choices=choices(RELEASE_LABELS.items()))


class PlainForm(FlaskForm):
    """A button that only needs the CSRF token."""

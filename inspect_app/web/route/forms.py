"""Forms of the inspector's day: they render the fields and carry the CSRF token; services validate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from inspect_app.labels import CHANNEL_LABELS, NOT_DONE_LABELS, RELEASE_LABELS, VISIT_STATUS_LABELS
from inspect_app.models.schedule import NOT_DONE_REASONS
from inspect_app.web.forms_io import choices

# The words live in the label registry; these names stay importable from here.
__all__ = ["CHANNEL_LABELS", "NOT_DONE_LABELS", "RELEASE_LABELS", "VISIT_STATUS_LABELS", "DiscardForm", "NotDoneForm",
           "PlainForm", "ReleaseForm"]

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

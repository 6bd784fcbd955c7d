"""Forms of the registry-wide pages; they render fields and carry the CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField


class ImportForm(FlaskForm):
    """A registry file and whether to import its valid rows when some fail."""

    file = FileField(_l("Файл реестра (CSV, XLSX, JSON, GeoJSON)"),
                     render_kw={"accept": ".csv,.txt,.xlsx,.json,.geojson"})
    partial = BooleanField(_l("Частичный импорт: загрузить верные строки, вернуть ошибочные"))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token (and a choice) travel."""

    keep = HiddenField()

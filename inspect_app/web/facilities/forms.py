"""Facility forms: they render fields and carry the CSRF token; the marshmallow schema validates."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from inspect_app.labels import FIELD_LABELS, LABELS
from inspect_app.models.vocab import AGENCIES, FACILITY_STATUSES, FACILITY_TYPES, RISKS
from inspect_app.web.forms_io import choices

# Form fields whose empty value means "not given" (the schema then applies its default or None).
NULLABLE = ("district_kato", "season_start", "season_end", "last_inspection_date")
INTEGERS = ("children_count", "version")
OMIT_EMPTY = ("lat", "lon", "children_count", "type", "agency", "risk", "status", "region_kato")


def _choices(kind: str, values: tuple[str, ...], blank: bool = True) -> list:
    options = [(v, LABELS[kind][v]) for v in values]
    return choices([("", "—"), *options] if blank else options)


class FacilityForm(FlaskForm):
    """Every field a person may set on a facility."""

    bin = StringField(FIELD_LABELS["bin"], render_kw={"inputmode": "numeric", "autocomplete": "off"})
    name_ru = StringField(FIELD_LABELS["name_ru"])
    name_kk = StringField(FIELD_LABELS["name_kk"])
    type = SelectField(FIELD_LABELS["type"], choices=_choices("type", FACILITY_TYPES), validate_choice=False)
    agency = SelectField(FIELD_LABELS["agency"], choices=_choices("agency", AGENCIES), validate_choice=False)
    region_kato = SelectField(FIELD_LABELS["region_kato"], choices=[], validate_choice=False)
    district_kato = SelectField(FIELD_LABELS["district_kato"], choices=[], validate_choice=False)
    address = StringField(FIELD_LABELS["address"])
    lat = StringField(FIELD_LABELS["lat"], render_kw={"inputmode": "decimal"})
    lon = StringField(FIELD_LABELS["lon"], render_kw={"inputmode": "decimal"})
    children_count = StringField(FIELD_LABELS["children_count"], render_kw={"inputmode": "numeric"})
    season_start = StringField(FIELD_LABELS["season_start"], render_kw={"placeholder": "06-01"})
    season_end = StringField(FIELD_LABELS["season_end"], render_kw={"placeholder": "08-31"})
    opening_hours = StringField(FIELD_LABELS["opening_hours"],
                                render_kw={"placeholder": "mon-fri 08:00-18:00; sat 09:00-13:00"})
    risk = SelectField(FIELD_LABELS["risk"], choices=_choices("risk", RISKS), validate_choice=False)
    risk_reason = TextAreaField(FIELD_LABELS["risk_reason"], render_kw={"rows": 2})
    status = SelectField(FIELD_LABELS["status"], choices=_choices("status", FACILITY_STATUSES, blank=False),
                         validate_choice=False)
    contact_name = StringField(FIELD_LABELS["contact_name"])
    contact_phone = StringField(FIELD_LABELS["contact_phone"], render_kw={"inputmode": "tel"})
    contact_email = StringField(FIELD_LABELS["contact_email"], render_kw={"inputmode": "email"})
    last_inspection_date = StringField(FIELD_LABELS["last_inspection_date"], render_kw={"type": "date"})
    version = HiddenField()

    def schema_input(self, fields: tuple[str, ...]) -> dict[str, Any]:
        """The submitted values as the schema expects them: text trimmed, blanks dropped or None, integers parsed."""
        data: dict[str, Any] = {}
        for name in fields:
            raw = self[name].raw_data[0] if self[name].raw_data else ""
            value = raw.strip() if isinstance(raw, str) else raw
            if value == "":
                if name in NULLABLE:
                    data[name] = None
                elif name not in OMIT_EMPTY and name != "version":
                    data[name] = ""
                continue
            if name in INTEGERS:
                # A strict integer field rejects text, so only well-formed digits become ints.
                value = int(value) if value.lstrip("-").isdigit() else value
            data[name] = value
        return data


class ArchiveForm(FlaskForm):
    """Archiving asks for an optional note and a CSRF token."""

    note = StringField(_l("Примечание"))

"""Inspector forms: they render fields and carry the CSRF token; the marshmallow schema validates."""

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, widgets

from inspect_app.labels import FIELD_LABELS, LABELS
from inspect_app.models.vocab import AGENCIES, SKILLS
from inspect_app.web.forms_io import choices

ABSENCE_LINE = re.compile(r"^(\S+)\s*\.\.\s*(\S+)\s*(.*)$")
INTEGERS = ("max_visits_per_day", "max_minutes_per_day")


class CheckboxList(SelectMultipleField):
    """Several choices shown as checkboxes, which read better on a phone than a multi-select."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def parse_absences(text: str) -> list[dict[str, str]]:
    """Lines of `YYYY-MM-DD..YYYY-MM-DD reason` as dicts the schema validates (a bad line fails there)."""
    absences = []
    for line in filter(None, (raw.strip() for raw in (text or "").splitlines())):
        match = ABSENCE_LINE.match(line)
        if match:
            absences.append({"start_date": match[1], "end_date": match[2], "reason": match[3].strip()})
        else:
            absences.append({"start_date": line, "end_date": line})
    return absences


def format_absences(absences) -> str:
    """Stored absences as the textarea shows them."""
    return "\n".join(f"{a.start_date}..{a.end_date} {a.reason}".rstrip() for a in absences)


class InspectorForm(FlaskForm):
    """Every field a supervisor may set on an inspector."""

    full_name = StringField(FIELD_LABELS["full_name"])
    username = StringField(FIELD_LABELS["username"], render_kw={"autocomplete": "off"})
    agency = SelectField(FIELD_LABELS["agency"], validate_choice=False,
                         choices=choices([("", "—")] + [(a, LABELS["agency"][a]) for a in AGENCIES]))
    region_katos = CheckboxList(FIELD_LABELS["region_katos"], choices=[], validate_choice=False)
    skills = CheckboxList(FIELD_LABELS["skills"], choices=choices([(s, LABELS["skill"][s]) for s in SKILLS]),
                          validate_choice=False)
    home_address = StringField(FIELD_LABELS["home_address"])
    home_lat = StringField(FIELD_LABELS["home_lat"], render_kw={"inputmode": "decimal"})
    home_lon = StringField(FIELD_LABELS["home_lon"], render_kw={"inputmode": "decimal"})
    max_visits_per_day = StringField(FIELD_LABELS["max_visits_per_day"], render_kw={"inputmode": "numeric"})
    max_minutes_per_day = StringField(FIELD_LABELS["max_minutes_per_day"], render_kw={"inputmode": "numeric"})
    day_start = StringField(FIELD_LABELS["day_start"], render_kw={"type": "time"})
    day_end = StringField(FIELD_LABELS["day_end"], render_kw={"type": "time"})
    absences = TextAreaField(FIELD_LABELS["absences"], render_kw={
        "rows": 4, "placeholder": "2026-07-01..2026-07-14 " + str(_l("отпуск"))})
    conflict_bins = StringField(FIELD_LABELS["conflict_bins"], render_kw={"placeholder": "123456789012, ..."})

    def schema_input(self) -> dict[str, Any]:
        """The submitted values as the schema expects them: lists from checkboxes and lines, integers parsed."""
        data: dict[str, Any] = {"region_katos": list(self.region_katos.data or []),
                                "skills": list(self.skills.data or []),
                                "absences": parse_absences(self.absences.data or ""),
                                "conflict_bins": [b.strip() for b in re.split(r"[,;\s]+", self.conflict_bins.data or "")
                                                  if b.strip()]}
        for name in ("full_name", "username", "agency", "home_address", "home_lat", "home_lon",
                     "day_start", "day_end", *INTEGERS):
            value = (self[name].data or "").strip()
            if value == "":
                if name == "username":
                    data[name] = None
                elif name == "home_address":
                    data[name] = ""
                continue
            if name in INTEGERS:
                value = int(value) if value.isdigit() else value
            data[name] = value
        return data

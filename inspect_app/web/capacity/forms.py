"""The what-if form: it renders the fields and carries the CSRF token; the schema validates."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from inspect_app.web.forms_io import choices

SCENARIO_LABELS = {
    "inspectors": _l("ещё инспекторы с базой в населённом пункте"),
    "interval": _l("средний риск: другой интервал проверок"),
    "fill": _l("другая доля заполнения дня (fill)"),
}


class WhatIfForm(FlaskForm):
    """A what-if: the scenario and its value."""

    scenario = SelectField(_l("Что если"), validate_choice=False,
                           choices=choices(list(SCENARIO_LABELS.items())))
    inspectors = StringField(_l("Сколько инспекторов"), render_kw={"inputmode": "numeric"})
    town = StringField(_l("Населённый пункт"))
    interval_days = StringField(_l("Интервал, дней"), render_kw={"inputmode": "numeric"})
    fill = StringField(_l("Доля (0.1–1)"), render_kw={"inputmode": "decimal"})
    month = StringField(_l("Месяц (1–12)"), render_kw={"inputmode": "numeric"})

    def schema_input(self, region: str, year: int) -> dict[str, Any]:
        """The values as the schema expects them: numbers parsed where they are numbers, empty ones left out."""
        data: dict[str, Any] = {"region": region, "year": year, "scenario": self.scenario.data}
        for name in ("inspectors", "interval_days", "month"):
            value = (self[name].data or "").strip()
            if value:
                data[name] = int(value) if value.lstrip("-").isdigit() else value
        fill = (self.fill.data or "").strip().replace(",", ".")
        if fill:
            try:
                data["fill"] = float(fill)
            except ValueError:
                data["fill"] = fill
        town = (self.town.data or "").strip()
        if town:
            data["town"] = town
        return data

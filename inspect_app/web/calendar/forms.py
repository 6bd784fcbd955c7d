"""Calendar forms: a year's transfers and school breaks as lines, a facility's closure; the schemas validate."""

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from inspect_app.labels import CLOSURE_REASONS, FIELD_LABELS
from inspect_app.web.forms_io import choices

TRANSFER_LINE = re.compile(r"^(\S+)\s*>\s*(\S+)\s*(.*)$")
BREAK_LINE = re.compile(r"^(\S+)\s*\.\.\s*(\S+)\s*(.*)$")


def _day(text: str) -> str | None:
    return None if text in ("-", "—") else text


def parse_transfers(text: str) -> list[dict[str, Any]]:
    """Lines of `DAY_OFF > WORKING_DAY note` ("-" for a missing date) as dicts the schema validates."""
    out = []
    for line in filter(None, (raw.strip() for raw in (text or "").splitlines())):
        match = TRANSFER_LINE.match(line)
        if match:
            out.append({"day_off": _day(match[1]), "working_day": _day(match[2]), "note": match[3].strip()})
        else:
            out.append({"day_off": line, "working_day": None})
    return out


def format_transfers(rows) -> str:
    """Stored transfers as the textarea shows them."""
    return "\n".join(f"{t.day_off or '-'} > {t.working_day or '-'} {t.note}".rstrip() for t in rows)


def parse_breaks(text: str) -> list[dict[str, Any]]:
    """Lines of `YYYY-MM-DD..YYYY-MM-DD note` as dicts the schema validates."""
    out = []
    for line in filter(None, (raw.strip() for raw in (text or "").splitlines())):
        match = BREAK_LINE.match(line)
        if match:
            out.append({"start_date": match[1], "end_date": match[2], "note": match[3].strip()})
        else:
            out.append({"start_date": line, "end_date": line})
    return out


def format_breaks(rows) -> str:
    """A school year's breaks as the textarea shows them."""
    return "\n".join(f"{b['start_date']}..{b['end_date']} {b['note']}".rstrip() for b in rows)


class TransfersForm(FlaskForm):
    """A calendar year's transfers of days off."""

    transfers = TextAreaField(FIELD_LABELS["transfers"],
                              render_kw={"rows": 5, "placeholder": "2027-01-08 > 2027-01-16"})

    def schema_input(self) -> dict[str, Any]:
        """The lines as the schema expects them."""
        return {"transfers": parse_transfers(self.transfers.data or "")}


class BreaksForm(FlaskForm):
    """A school year's breaks."""

    breaks = TextAreaField(FIELD_LABELS["breaks"], render_kw={"rows": 5, "placeholder": "2026-10-26..2026-11-01"})

    def schema_input(self) -> dict[str, Any]:
        """The lines as the schema expects them."""
        return {"breaks": parse_breaks(self.breaks.data or "")}


class ClosureForm(FlaskForm):
    """A facility's closure: dates, reason, note."""

    start_date = StringField(FIELD_LABELS["start_date"], render_kw={"type": "date"})
    end_date = StringField(FIELD_LABELS["end_date"], render_kw={"type": "date"})
    reason = SelectField(FIELD_LABELS["reason"], validate_choice=False,
                         choices=choices([(k, v) for k, v in CLOSURE_REASONS.items()]))
    note = StringField(_l("Примечание"))

    def schema_input(self) -> dict[str, Any]:
        """The fields as the schema expects them (an empty date is left out, so the schema names it)."""
        data = {name: (self[name].data or "").strip() for name in ("start_date", "end_date", "reason", "note")}
        return {k: v for k, v in data.items() if v or k == "note"}

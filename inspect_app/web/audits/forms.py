"""Audit forms: they render fields and carry the CSRF token; `AuditCreateSchema` validates."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from inspect_app.labels import BASIS_LABELS, REASON_LABELS
from inspect_app.models.audit import LEGAL_BASES, UNPLANNED_REASONS
from inspect_app.web.forms_io import choices


class AuditStartForm(FlaskForm):
    """Starting an inspection: the facility, the legal basis and who is present."""

    facility_id = HiddenField()
    legal_basis = SelectField(_l("Основание проверки"), validate_choice=False,
                              choices=choices([(b, BASIS_LABELS[b]) for b in LEGAL_BASES]))
    basis_reason = SelectField(_l("Повод внеплановой проверки"), validate_choice=False,
                               choices=choices([("", "—"), *[(r, REASON_LABELS[r]) for r in UNPLANNED_REASONS]]))
    signal_source = StringField(_l("Источник сигнала"))
    signal_date = StringField(_l("Дата сигнала"), render_kw={"type": "date"})
    signal_anonymous = BooleanField(_l("Анонимный сигнал"))
    prosecutor_reg_number = StringField(_l("Регистрационный номер в прокуратуре"))
    representatives = TextAreaField(_l("Присутствующие представители объекта (по одному в строке)"),
                                    render_kw={"rows": 3})
    client_uuid = HiddenField()
    gps_lat = HiddenField()
    gps_lon = HiddenField()
    gps_accuracy_m = HiddenField()

    def payload(self) -> dict[str, Any]:
        """The form as input for `AuditCreateSchema`: empty fields left out, representatives split by line."""
        data: dict[str, Any] = {}
        for name in ("facility_id", "legal_basis", "basis_reason", "signal_source", "signal_date",
                     "prosecutor_reg_number", "client_uuid", "gps_lat", "gps_lon", "gps_accuracy_m"):
            value = (getattr(self, name).data or "").strip()
            if value:
                # The schema reads JSON, where an id is a number: a form's digits are one.
                data[name] = int(value) if name == "facility_id" and value.isdigit() else value
        if data.get("legal_basis") == "unplanned":
            data["signal_anonymous"] = bool(self.signal_anonymous.data)
        data["representatives"] = [line.strip() for line in (self.representatives.data or "").splitlines()
                                   if line.strip()]
        return data


class ReportBatchForm(FlaskForm):
    """Every report of a region and period as one ZIP, built in the background."""

    region = SelectField(_l("Регион"), choices=[])
    date_from = StringField(_l("С даты"))
    date_to = StringField(_l("По дату"))
    lang = SelectField(_l("Язык"), choices=choices([("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]))


class CorrectionForm(FlaskForm):
    """Filing the correction of an audit returned by review: the reason, the review's comment unless changed."""

    reason = StringField(_l("Причина исправления"), render_kw={"maxlength": 1000})

"""A prescription's PDF from the stored records (its items' newest deadlines and states)."""

from flask_babel import force_locale
from sqlalchemy.orm import Session

from exports.prescription import PrescriptionDoc, PrescriptionLine, render_prescription
from inspect_app.labels import prescription_labels
from inspect_app.models import Prescription
from inspect_app.services import checklists
from inspect_app.services.prescriptions.items import newest_event, shown_state


def prescription_pdf(session: Session, prescription: Prescription, lang: str, verification_url: str) -> bytes:
    """The PDF of a prescription the caller may read, in `lang` (ru, kk, en); its QR code opens
    `verification_url`, the act's public verification page."""
    audit, facility = prescription.audit, prescription.facility
    template = checklists.parsed(audit.template).items_by_code
    lines = []
    for item in prescription.items:
        event = newest_event(session, item.id)
        violation = item.violation
        lines.append(PrescriptionLine(position=item.position, severity=item.severity,
                                      requirement=dict(violation.item_text or {}),
                                      legal_ref=_legal_ref(template.get(item.item_code), violation.legal_ref),
                                      action=dict(violation.corrective_action or {}), due_date=event.due_date,
                                      state=str(shown_state(event))))
    doc = PrescriptionDoc(number=prescription.number, delivered_on=prescription.delivered_on,
                          inspection_date=audit.inspection_date,
                          facility_name={"ru": facility.name_ru, "kk": facility.name_kk or facility.name_ru,
                                         "en": facility.name_ru},
                          facility_bin=facility.bin, facility_address=facility.address,
                          inspector_name=audit.inspector_name, representatives=list(audit.representatives or []),
                          verification_url=verification_url, record_hash=audit.record_hash or "",
                          lines=lines)
    with force_locale(lang):
        labels = prescription_labels()
    return render_prescription(doc, lang, labels)


def _legal_ref(found, stored: str | None) -> dict[str, str]:
    """The item's legal reference in each language, from the checklist version the act was filled against (the
    stored violation keeps the Russian one, which is what a version without translations gives)."""
    if found is None:
        return dict.fromkeys(("ru", "kk", "en"), stored or "")
    _section, item = found
    return {lang: item.legal_ref_in(lang) or stored or "" for lang in ("ru", "kk", "en")}

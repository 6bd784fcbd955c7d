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
    references = legal_refs(prescription)
    lines = []
    for item in prescription.items:
        event = newest_event(session, item.id)
        violation = item.violation
        lines.append(PrescriptionLine(position=item.position, severity=item.severity,
                                      requirement=dict(violation.item_text or {}),
                                      legal_ref=references[item.id],
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


def legal_refs(prescription: Prescription) -> dict[int, dict[str, str]]:
    """Each item's legal reference in ru, kk and en, from the checklist version its act was filled against (the
    stored violation keeps the Russian one, which is also what a version without translations gives)."""
    template = checklists.parsed(prescription.audit.template).items_by_code
    out = {}
    for item in prescription.items:
        stored = item.violation.legal_ref or ""
        found = template.get(item.item_code)
        out[item.id] = {lang: (found[1].legal_ref_in(lang) if found else "") or stored for lang in ("ru", "kk", "en")}
    return out

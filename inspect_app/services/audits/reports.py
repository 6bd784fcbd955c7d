"""PDF audit reports from stored records, one at a time or a region's period as a ZIP built by a background job."""

import os
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import force_locale
from sqlalchemy.orm import Session

from exports.pdf import (
    ActDetails,
    AuditReport,
    ReportPhoto,
    ReportViolation,
    legal_ref,
    render_audit_report,
    report_parts_from_forms,
)
from exports.pdf import Facility as ReportFacility
from inspect_app.labels import BASIS_LABELS, REASON_LABELS, REPORT_LABELS, label, report_labels
from inspect_app.models import Audit, AuditPhoto, AuditStatus, Job, JobStatus, Region, User
from inspect_app.models.audit import ORDERED_BASES
from inspect_app.schemas.audit import BATCH_PERIOD_DAYS
from inspect_app.services import checklists
from inspect_app.services.access import in_region, require_registry_reader
from inspect_app.services.audits.queries import audit_filter, get_audit
from inspect_app.services.errors import Conflict, InvalidInput, NotFound, within
from inspect_app.services.jobs import task
from inspect_app.services.runtime import Runtime

REPORT_LANGS = ("ru", "kk", "en")


def in_each_language(text) -> dict[str, str]:
    """{ru, kk, en} of a text made by `text()` under each report language (labels come from the catalogs)."""
    out = {}
    for lang in REPORT_LANGS:
        with force_locale(lang):
            out[lang] = text()
    return out


def render(report: AuditReport, lang: str) -> bytes:
    """The PDF of a report in `lang`, its headings and printed codes translated by the catalogs."""
    with force_locale(lang):
        labels = report_labels()
    return render_audit_report(report, lang, labels)


def verification_url(audit: Audit, public_base_url: str) -> str:
    """The public link printed as the report's QR code (under the deployment's PUBLIC_BASE_URL)."""
    base = public_base_url.rstrip("/")
    return f"{base}/verify/{audit.id}/{audit.record_hash}"


def legal_basis_text(audit: Audit) -> dict[str, str]:
    """The legal basis in the three report languages, with the signal of an unplanned inspection."""

    def text() -> str:
        out = str(BASIS_LABELS[audit.legal_basis])
        if audit.legal_basis == "unplanned" and audit.basis_reason:
            details = [str(REASON_LABELS[audit.basis_reason])]
            if audit.signal_source:
                details.append(audit.signal_source)
            if audit.signal_date:
                details.append(audit.signal_date.strftime("%d.%m.%Y"))
            if audit.signal_anonymous:
                details.append(str(REPORT_LABELS["anonymous"]))
            if audit.prosecutor_reg_number:
                details.append(f"{REPORT_LABELS['reg_no']} {audit.prosecutor_reg_number}")
            out += ": " + ", ".join(details)
        return out

    return in_each_language(text)


def act_details(session: Session, audit: Audit) -> ActDetails | None:
    """The act's own elements of a submitted audit, or None for one submitted before the act existed."""
    if audit.act_format is None:
        return None
    rep_png, insp_png = session.execute(
        sa.select(Audit.representative_signature, Audit.inspector_signature).where(Audit.id == audit.id)).one()
    return ActDetails(
        drawn_up_at=audit.check_out_at or audit.submitted_at, place=audit.act_place or "",
        inspecting_body=audit.inspecting_body or {}, order_date=audit.order_date,
        order_number=audit.order_number or "", order_reg_number=audit.order_reg_number or "",
        order_required=audit.legal_basis in ORDERED_BASES, inspector_position=audit.inspector_position or "",
        representative_name=audit.representative_name or "",
        representative_position=audit.representative_position or "",
        signature_refused=bool(audit.signature_refused), refusal_witness=audit.refusal_witness or "",
        explanation=audit.representative_explanation or "", representative_signature=rep_png,
        inspector_signature=insp_png,
    )


def build_report(session: Session, audit: Audit, public_base_url: str) -> AuditReport:
    """The report of a submitted audit, rendered with the exact template version it was filled against."""
    if not audit.is_submitted:
        raise Conflict("Only a submitted audit has a report; submit the checklist first.", "status")
    template = checklists.parsed(audit.template)
    facility = audit.facility
    parts = report_parts_from_forms(template, facility.type, audit.answers or {}, audit.inspection_date)
    # The stored violations are the record (their deadlines were fixed at submission), not a re-derivation.
    # Their norm comes from the template version they were found against, in every report language.
    by_code = template.items_by_code
    parts["violations"] = [
        ReportViolation(item_text=v.item_text, corrective_action=v.corrective_action, responsible=v.responsible,
                        deadline=v.due_date, severity=v.severity, item_code=v.item_code,
                        legal_ref=legal_ref(by_code[v.item_code][1]) if v.item_code in by_code else (v.legal_ref or ""))
        for v in audit.violations
    ]
    parts["overall_score"] = audit.score_overall
    parts["result"] = audit.result
    photos = session.scalars(sa.select(AuditPhoto).where(AuditPhoto.audit_id == audit.id)
                             .order_by(AuditPhoto.id).options(so.undefer(AuditPhoto.data)))
    items = template.items_by_code
    report_photos = [
        ReportPhoto(p.data, items[p.item_code][1].text.to_dict() if p.item_code in items else (p.caption or ""))
        for p in photos
    ]
    gps = (audit.gps_lat, audit.gps_lon) if audit.gps_lat is not None and audit.gps_lon is not None else None
    return AuditReport(
        facility=ReportFacility(name_ru=facility.name_ru, name_kk=facility.name_kk or facility.name_ru,
                                bin=facility.bin, address=facility.address, facility_type=facility.type,
                                agency=in_each_language(lambda: label(facility.agency, "agency"))),
        inspector_name=audit.inspector_name,
        inspection_date=audit.inspection_date,
        check_in=audit.check_in_at,
        check_out=audit.check_out_at,
        gps=gps,
        gps_accuracy_m=audit.gps_accuracy_m,
        legal_basis=legal_basis_text(audit),
        representatives=list(audit.representatives or []),
        record_hash=audit.record_hash,
        verification_url=verification_url(audit, public_base_url),
        photos=report_photos,
        template_label=audit.template.label,
        act=act_details(session, audit),
        **parts,
    )


def audit_pdf(session: Session, user: User, audit_id: int, lang: str = "ru", *,
              public_base_url: str) -> tuple[bytes, str]:
    """(PDF bytes, file name) of an audit the user may read."""
    if lang not in REPORT_LANGS:
        raise InvalidInput(f"Unsupported language {lang!r}; use ru, kk or en.", "lang")
    audit = get_audit(session, user, audit_id)
    return render(build_report(session, audit, public_base_url), lang), report_filename(audit, lang)


def report_filename(audit: Audit, lang: str) -> str:
    """`audit-<id>-<BIN>-<date>-<lang>.pdf`."""
    return f"audit-{audit.id}-{audit.facility.bin}-{audit.inspection_date.isoformat()}-{lang}.pdf"


# ---------------------------------------------------------------- batches


def batch_query(user: User, region_kato: str, date_from: date, date_to: date) -> sa.Select:
    """Submitted audits of a region and period that the user may read, in date order."""
    return (
        sa.select(Audit.id)
        .where(audit_filter(user), Audit.status == AuditStatus.SUBMITTED, Audit.region.has(Region.kato == region_kato),
               Audit.inspection_date >= date_from, Audit.inspection_date <= date_to)
        .order_by(Audit.inspection_date, Audit.id)
    )


def batch_dir(upload_dir: str) -> Path:
    """Where finished batch ZIPs are kept (under the deployment's UPLOAD_DIR)."""
    return Path(upload_dir) / "batches"


def validate_batch_params(session: Session, params: dict[str, Any]) -> Region:
    """The region of a batch request; InvalidInput for an unknown region or a reversed period."""
    region = session.scalar(sa.select(Region).where(Region.kato == params["region"]))
    if region is None:
        raise InvalidInput("Unknown region KATO code.", "region")
    if params["date_from"] > params["date_to"]:
        raise InvalidInput("The period ends before it starts.", "date_to")
    within(BATCH_PERIOD_DAYS, (params["date_to"] - params["date_from"]).days, "date_to")
    if params.get("lang", "ru") not in REPORT_LANGS:
        raise InvalidInput("Unsupported language; use ru, kk or en.", "lang")
    return region


def write_batch_zip(session: Session, user: User, region_kato: str, date_from: date, date_to: date, lang: str,
                    target: Path, report=None, *, public_base_url: str) -> int:
    """Write one PDF per audit into a ZIP at `target`; returns the count.

    The ZIP is built under a temporary name beside the target and renamed at the end, so a failure
    or a cancellation never leaves a half-written file behind.
    """
    ids = list(session.scalars(batch_query(user, region_kato, date_from, date_to)))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".partial-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fp, zipfile.ZipFile(fp, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, audit_id in enumerate(ids, start=1):
                audit = session.get(Audit, audit_id)
                pdf = render(build_report(session, audit, public_base_url), lang)
                archive.writestr(report_filename(audit, lang), pdf)
                session.expire_all()
                if report is not None and (n % 5 == 0 or n == len(ids)):
                    report(n / max(len(ids), 1), f"{n} / {len(ids)}", done=n, total=len(ids))
        os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return len(ids)


@task("report_batch")
def report_batch_task(session: Session, job: Job, params: dict[str, Any], report,
                      runtime: Runtime) -> dict[str, Any]:
    """Job: all reports of a region and period as one ZIP under UPLOAD_DIR/batches/<job id>.zip."""
    user = session.get(User, job.user_id)
    if user is None:
        raise NotFound("The user who started the batch no longer exists.")
    target = batch_dir(runtime.upload_dir) / f"{job.id}.zip"
    count = write_batch_zip(session, user, params["region"], date.fromisoformat(params["date_from"]),
                            date.fromisoformat(params["date_to"]), params.get("lang", "ru"), target, report,
                            public_base_url=runtime.public_base_url)
    return {"count": count, "file": target.name, "size": target.stat().st_size}


def start_batch(session: Session, user: User, params: dict[str, Any], runtime: Runtime) -> Job:
    """Start the ZIP job for a region the user may read and a period; commits the job row."""
    from inspect_app.services.jobs import submit as submit_job

    require_registry_reader(user)  # an inspector reads their own audits, not the region's reports
    region = validate_batch_params(session, params)
    if not in_region(user, region.id):
        raise NotFound("Region not found.")
    return submit_job(session, user, "report_batch",
                      {"region": region.kato, "date_from": params["date_from"].isoformat(),
                       "date_to": params["date_to"].isoformat(), "lang": params.get("lang", "ru")},
                      region_id=region.id, runtime=runtime)


def batch_file(session: Session, user: User, job_id: str, runtime: Runtime) -> tuple[Path, str]:
    """(path, download name) of a finished batch ZIP the user started; Conflict while it is not finished."""
    from inspect_app.services.jobs import get_job

    job = get_job(session, user, job_id, runtime)
    if job.kind != "report_batch":
        raise NotFound("Job not found.")
    if job.status != JobStatus.FINISHED:
        raise Conflict(f"The batch is {job.status}; download it once it has finished.", "status")
    path = batch_dir(runtime.upload_dir) / f"{job.id}.zip"
    if not path.exists():
        raise NotFound("The batch file is gone; start the batch again.")
    params = job.params
    return path, f"reports-{params['region']}-{params['date_from']}-{params['date_to']}.zip"

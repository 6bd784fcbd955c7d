"""Audits (inspections): drafts, answers, photos, submission into the hash chain, corrections, scoping.

Every write checks the user's rights and the input first and changes nothing when either fails; then it
writes in one transaction and commits. A submitted audit is never edited: a correction is a new audit
that names the one it corrects.
"""

import hashlib
import io
import warnings
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

import forms
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, AuditPhoto, Facility, Region, User, Violation
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.audit_chain import append, lock_head, utc_seconds
from inspect_app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from inspect_app.services.history import record_change
from inspect_app.services.scoping import check_facility_visible
from inspect_app.services.search import facility_matches

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
DRAFT_FIELDS = (
    "legal_basis", "basis_reason", "signal_source", "signal_date", "signal_anonymous", "prosecutor_reg_number",
    "check_in_at", "check_out_at", "gps_lat", "gps_lon", "gps_accuracy_m", "representatives", "notes",
    "schedule_visit_id",
)


# ---------------------------------------------------------------- scoping


def audit_filter(user: User) -> sa.ColumnElement[bool]:
    """Audits the user may read: all for admins and the ministry, the region's for supervisors, own for inspectors."""
    if user.sees_all_regions:
        return sa.true()
    if user.role == "supervisor" and user.region_id is not None:
        return Audit.region_id == user.region_id
    if user.role == "inspector":
        return Audit.user_id == user.id
    return sa.false()


def _may_read(user: User, audit: Audit) -> bool:
    if user.sees_all_regions:
        return True
    if user.role == "supervisor":
        return user.region_id is not None and audit.region_id == user.region_id
    return user.role == "inspector" and audit.user_id == user.id


def require_audit_writer(user: User) -> None:
    """Ministry analysts read audits but never write them."""
    if user.role not in ("admin", "supervisor", "inspector"):
        raise Forbidden("Your role may read audits but not change them.")


def get_audit(session: Session, user: User, audit_id: int) -> Audit:
    """The audit with this id, or NotFound when it is missing or outside the user's scope."""
    audit = session.get(Audit, audit_id)
    if audit is None or not _may_read(user, audit):
        raise NotFound("Audit not found.")
    return audit


def _require_draft_owner(user: User, audit: Audit) -> None:
    require_audit_writer(user)
    if audit.is_submitted:
        raise Conflict("The audit is submitted and frozen; file a correction instead.", "status")


# ---------------------------------------------------------------- listing


def audit_query(user: User, args: dict[str, Any]) -> sa.Select:
    """A select of the audits the user may see, filtered as `AuditQueryArgsSchema` says, newest first."""
    query = sa.select(Audit).where(audit_filter(user))
    if args.get("facility_id"):
        query = query.where(Audit.facility_id == args["facility_id"])
    if args.get("inspector_id"):
        query = query.where(Audit.inspector_id == args["inspector_id"])
    if args.get("user_id"):
        query = query.where(Audit.user_id == args["user_id"])
    if args.get("region"):
        query = query.where(Audit.region.has(Region.kato == args["region"]))
    if args.get("date_from"):
        query = query.where(Audit.inspection_date >= args["date_from"])
    if args.get("date_to"):
        query = query.where(Audit.inspection_date <= args["date_to"])
    if args.get("result"):
        query = query.where(Audit.result == args["result"])
    if args.get("status"):
        query = query.where(Audit.status == args["status"])
    if args.get("q"):
        query = query.where(Audit.facility.has(facility_matches(args["q"].strip())))
    return query.order_by(Audit.inspection_date.desc(), Audit.id.desc()).options(
        so.joinedload(Audit.facility), so.joinedload(Audit.region))


def facilities_to_inspect(session: Session, user: User, q: str = "", limit: int = 20) -> list[Facility]:
    """Active facilities of the user's region (all regions for admins) matching a name or BIN, for a new audit."""
    require_audit_writer(user)
    query = sa.select(Facility).where(Facility.archived_at.is_(None))
    if not user.sees_all_regions:
        query = query.where(Facility.region_id == user.region_id)
    text = (q or "").strip()
    if text:
        query = query.where(facility_matches(text))
    return list(session.scalars(query.order_by(Facility.name_ru).limit(limit)))


# ---------------------------------------------------------------- drafts


def create_draft(session: Session, user: User, data: dict[str, Any]) -> tuple[Audit, bool]:
    """Open a draft audit of a facility against the latest template version; commits.

    Returns (audit, created). A `client_uuid` seen before returns the audit it created (so a retry
    after a dropped connection never makes a second audit); the same uuid from another user is refused.
    """
    require_audit_writer(user)
    client_uuid = str(data["client_uuid"])
    existing = session.scalar(sa.select(Audit).where(Audit.client_uuid == client_uuid))
    if existing is not None:
        if not _may_read(user, existing) or existing.facility_id != data["facility_id"]:
            raise Conflict("This client_uuid was already used for another audit.", "client_uuid")
        return existing, False
    facility = check_facility_visible(user, session.get(Facility, data["facility_id"]))
    if facility.is_archived:
        raise InvalidInput("The facility is archived.", "facility_id")
    template = checklists.template_for_facility(session, facility)
    values = {k: data[k] for k in DRAFT_FIELDS if k in data}
    for key in ("check_in_at", "check_out_at"):
        if key in values:
            values[key] = utc_seconds(values[key])
    audit = Audit(
        client_uuid=client_uuid,
        facility=facility,
        region_id=facility.region_id,
        template=template,
        user_id=user.id,
        inspector_id=user.inspector.id if user.inspector else None,
        inspector_name=(user.inspector.full_name if user.inspector else "") or user.full_name or user.username,
        inspection_date=data.get("inspection_date") or today_almaty(),
        answers={},
        **{"representatives": [], **values},
    )
    if audit.check_in_at is None:
        audit.check_in_at = utc_seconds(utcnow())
    session.add(audit)
    session.commit()
    return audit, True


def _normalise_photo_ids(answer: dict[str, Any]) -> dict[str, Any]:
    photos = answer.get("photos")
    if isinstance(photos, list):
        ids = []
        for p in photos:
            pid = int(p) if isinstance(p, str) and p.isdigit() else p
            if pid not in ids:
                ids.append(pid)
        answer = {**answer, "photos": ids}
    return answer


def merged_answers(audit: Audit, changes: dict[str, Any] | None) -> dict[str, Any]:
    """The audit's answers with `changes` applied (an item set to None is cleared); the audit is not touched."""
    answers = {k: dict(v) for k, v in (audit.answers or {}).items()}
    for code, answer in (changes or {}).items():
        if answer is None:
            answers.pop(code, None)
        elif isinstance(answer, dict):
            answers[code] = _normalise_photo_ids({k: v for k, v in answer.items() if v is not None or k == "value"})
        else:
            answers[code] = answer
    return answers


def answer_errors(audit: Audit, answers: dict[str, Any], *, final: bool) -> dict[str, list[str]]:
    """Problems of the answers as `{item_code: ["code: message"]}`, photo references included."""
    template = checklists.parsed(audit.template)
    errors: dict[str, list[str]] = {}
    for error in forms.validate_answers(template, audit.facility.type, answers, final=final):
        errors.setdefault(error.item_code, []).append(f"{error.code}: {error.message}")
    own = {p.id for p in audit.photos}
    for code, answer in answers.items():
        if isinstance(answer, dict) and isinstance(answer.get("photos"), list):
            unknown = [p for p in answer["photos"] if p not in own]
            if unknown:
                errors.setdefault(code, []).append(
                    f"unknown_photo: photo(s) {unknown} were not uploaded to this audit")
    return errors


def update_draft(session: Session, user: User, audit: Audit, data: dict[str, Any]) -> Audit:
    """Save answers (merged per item, validated as a draft) and visit details of a draft; commits.

    Invalid answers are refused with InvalidInput naming each item code, and nothing is saved.
    """
    _require_draft_owner(user, audit)
    answers = merged_answers(audit, data.get("answers"))
    errors = answer_errors(audit, answers, final=False)
    if errors:
        raise InvalidInput("Some answers are not valid.", errors=errors)
    for key in DRAFT_FIELDS:
        if key in data:
            value = data[key]
            setattr(audit, key, utc_seconds(value) if isinstance(value, datetime) else value)
    if "answers" in data:
        audit.answers = answers
    if "inspection_date" in data and data["inspection_date"]:
        audit.inspection_date = data["inspection_date"]
    session.commit()
    return audit


def add_photo(session: Session, user: User, audit: Audit, raw: bytes, *, item_code: str | None = None,
              caption: str = "") -> AuditPhoto:
    """Store a photo on a draft after checking it is a real image within PHOTO_MAX_BYTES; commits.

    With an `item_code`, the photo is also attached to that item's answer.
    """
    _require_draft_owner(user, audit)
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(raw) > limit:
        raise InvalidInput(f"The photo is larger than the limit of {limit // (1024 * 1024)} MB.", "file")
    if not raw:
        raise InvalidInput("The file is empty.", "file")
    template = checklists.parsed(audit.template)
    if item_code and item_code not in template.items_by_code:
        raise InvalidInput(f"There is no item {item_code!r} in this checklist.", "item_code")
    fmt, width, height = _inspect_image(raw)
    photo = AuditPhoto(audit=audit, item_code=item_code or None, sha256=hashlib.sha256(raw).hexdigest(),
                       content_type=PHOTO_FORMATS[fmt], size=len(raw), width=width, height=height,
                       caption=caption[:300], data=raw)
    session.add(photo)
    session.flush()
    if item_code:
        answers = dict(audit.answers or {})
        answer = dict(answers.get(item_code) or {})
        answer["photos"] = [*answer.get("photos", []), photo.id]
        answers[item_code] = answer
        audit.answers = answers
    session.commit()
    return photo


def _inspect_image(raw: bytes) -> tuple[str, int, int]:
    """(format, width, height) of a real image; InvalidInput for anything else."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as img:
                img.verify()
            # verify() leaves the image unusable; a second open reads the size and decodes the pixels.
            with Image.open(io.BytesIO(raw)) as img:
                fmt, size = img.format, img.size
                img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise InvalidInput("The file is not a readable image.", "file") from exc
    if fmt not in PHOTO_FORMATS:
        raise InvalidInput(f"Photos must be JPEG, PNG, WebP or GIF, not {fmt}.", "file")
    return fmt, size[0], size[1]


def photo_data(session: Session, user: User, audit: Audit, photo_id: int) -> AuditPhoto:
    """A photo of an audit the user may read, with its bytes loaded."""
    photo = session.get(AuditPhoto, photo_id, options=[so.undefer(AuditPhoto.data)])
    if photo is None or photo.audit_id != audit.id:
        raise NotFound("Photo not found.")
    return photo


def upgrade_template(session: Session, user: User, audit: Audit) -> Audit:
    """Move a draft to the newest version of its template, keeping answers to items that still exist; commits."""
    _require_draft_owner(user, audit)
    newest = checklists.latest_template(session, audit.template.code)
    if newest.id != audit.template_id:
        codes = checklists.parsed(newest).items_by_code
        audit.answers = {k: v for k, v in (audit.answers or {}).items() if k in codes}
        audit.template = newest
        session.commit()
    return audit


# ---------------------------------------------------------------- submission


def submit(session: Session, user: User, audit: Audit, data: dict[str, Any], *, commit: bool = True) -> Audit:
    """Validate a draft as final, score it, derive its violations, freeze it into the hash chain; commits.

    Idempotent: the same `client_uuid` again returns the submitted audit unchanged. An audit already
    submitted under another uuid, a draft whose template version is no longer the newest (409: move it
    with `upgrade_template` and check the answers), or invalid final answers (422, errors per item code)
    are refused and nothing changes. On success the facility's `last_inspection_date` and
    `followup_due_date` follow this audit when it is the facility's newest.
    """
    require_audit_writer(user)
    submit_uuid = str(data["client_uuid"])
    other = session.scalar(sa.select(Audit).where(Audit.submit_uuid == submit_uuid))
    if other is not None and other.id != audit.id:
        raise Conflict("This client_uuid was already used to submit another audit.", "client_uuid")
    head = lock_head(session)
    # Re-read after taking the lock: a concurrent identical submit may have won the race.
    session.refresh(audit)
    if audit.is_submitted:
        if audit.submit_uuid == submit_uuid:
            session.rollback()
            return audit
        raise Conflict("The audit is already submitted; a second submission is refused.", "client_uuid")
    template_row = audit.template
    if not checklists.is_latest(session, template_row):
        raise Conflict(
            f"The checklist {template_row.code} v{template_row.version} was replaced by a newer version: "
            "refresh the form (POST /api/v1/audits/<id>/upgrade-template), check the answers and submit again.",
            "template_outdated",
        )
    answers = merged_answers(audit, data.get("answers"))
    errors = answer_errors(audit, answers, final=True)
    if errors:
        raise InvalidInput("The checklist cannot be submitted yet.", errors=errors)

    template = checklists.parsed(template_row)
    facility = audit.facility
    for key in ("representatives", "notes", "check_out_at"):
        if key in data:
            setattr(audit, key, utc_seconds(data[key]) if key == "check_out_at" else data[key])
    audit.answers = answers
    audit.check_out_at = audit.check_out_at or utc_seconds(data.get("submitted_at") or utcnow())
    result = forms.score(template, facility.type, answers)
    audit.score_overall = result.overall
    audit.section_scores = {s.code: s.score for s in result.sections}
    audit.critical_failures = list(result.critical_failures)
    audit.result = result.result
    drafts = forms.derive_violations(template, facility.type, answers, audit.inspection_date,
                                     deadlines=current_app.config.get("AUDIT_DEADLINE_DAYS"))
    for draft in drafts:
        audit.violations.append(Violation(
            facility_id=facility.id, item_code=draft.item_code, section=draft.section, severity=draft.severity,
            item_text=draft.item_text.to_dict(), corrective_action=draft.corrective_action.to_dict(),
            responsible=draft.responsible, due_date=draft.due_date, legal_ref=draft.legal_ref, status="open"))
    audit.status = "submitted"
    audit.submit_uuid = submit_uuid
    audit.submitted_at = utc_seconds(data.get("submitted_at") or utcnow())
    append(session, audit, head)
    if audit.supersedes_id is not None:
        for violation in audit.supersedes.violations:
            if violation.status == "open":
                violation.status = "superseded"
    _update_facility(session, user, facility, audit, forms.followup_due(drafts))
    if commit:
        session.commit()
    return audit


def _update_facility(session: Session, user: User, facility: Facility, audit: Audit,
                     followup: date | None) -> None:
    """Let the facility's newest audit set its last inspection and follow-up dates (the scheduler reads them)."""
    if facility.last_inspection_date is not None and audit.inspection_date < facility.last_inspection_date:
        return
    changes = {}
    if facility.last_inspection_date != audit.inspection_date:
        changes["last_inspection_date"] = [_plain(facility.last_inspection_date), audit.inspection_date.isoformat()]
        facility.last_inspection_date = audit.inspection_date
    if facility.followup_due_date != followup:
        changes["followup_due_date"] = [_plain(facility.followup_due_date), _plain(followup)]
        facility.followup_due_date = followup
    if changes:
        record_change(session, "facility", facility.id, "update", changes, user if user.id else None,
                      note=f"audit #{audit.id}")


def _plain(value: date | None) -> str | None:
    return value.isoformat() if value else None


def create_correction(session: Session, user: User, audit: Audit, data: dict[str, Any]) -> tuple[Audit, bool]:
    """Open a draft that corrects a submitted audit (its answers copied, its reason recorded); commits.

    The corrected audit stays as it was; submitting the correction appends a new link to the chain.
    Returns (draft, created); a repeated `client_uuid` returns the same draft.
    """
    require_audit_writer(user)
    client_uuid = str(data["client_uuid"])
    existing = session.scalar(sa.select(Audit).where(Audit.client_uuid == client_uuid))
    if existing is not None:
        if existing.supersedes_id != audit.id:
            raise Conflict("This client_uuid was already used for another audit.", "client_uuid")
        return existing, False
    if not audit.is_submitted:
        raise Conflict("Only a submitted audit can be corrected; edit the draft instead.", "status")
    newer = session.scalar(sa.select(Audit.id).where(Audit.supersedes_id == audit.id))
    if newer is not None:
        raise Conflict(f"Audit {audit.id} was already corrected by audit {newer}; correct that one.", "supersedes_id")
    visit_details = {key: getattr(audit, key) for key in DRAFT_FIELDS}
    visit_details["representatives"] = list(audit.representatives)
    draft = Audit(
        client_uuid=client_uuid, facility_id=audit.facility_id, region_id=audit.region_id,
        template_id=audit.template_id, user_id=user.id, inspector_id=audit.inspector_id,
        inspector_name=audit.inspector_name, inspection_date=audit.inspection_date,
        supersedes_id=audit.id, correction_reason=data["reason"], **visit_details,
    )
    session.add(draft)
    session.flush()
    # Photos are copied so the correction is a complete record of its own.
    id_map = {}
    for photo in session.scalars(sa.select(AuditPhoto).where(AuditPhoto.audit_id == audit.id)
                                 .options(so.undefer(AuditPhoto.data))):
        copy = AuditPhoto(audit_id=draft.id, item_code=photo.item_code, sha256=photo.sha256,
                          content_type=photo.content_type, size=photo.size, width=photo.width,
                          height=photo.height, caption=photo.caption, data=photo.data)
        session.add(copy)
        session.flush()
        id_map[photo.id] = copy.id
    draft.answers = {
        code: ({**answer, "photos": [id_map.get(p, p) for p in answer.get("photos", [])]}
               if isinstance(answer, dict) and answer.get("photos") else answer)
        for code, answer in (audit.answers or {}).items()
    }
    session.commit()
    return draft, True


def resolve_violation(session: Session, user: User, violation_id: int, note: str = "") -> Violation:
    """Mark a violation resolved (the corrective action was done); commits. The audit record is untouched."""
    require_audit_writer(user)
    violation = session.get(Violation, violation_id)
    if violation is None or not _may_read(user, violation.audit):
        raise NotFound("Violation not found.")
    if violation.status != "resolved":
        violation.status = "resolved"
        violation.resolved_at = utcnow()
        violation.resolution_note = note[:1000]
        session.commit()
    return violation


# ---------------------------------------------------------------- reading


def draft_score(audit: Audit) -> forms.ScoreResult:
    """The score of the answers so far (submitted audits carry theirs in columns)."""
    return forms.score(checklists.parsed(audit.template), audit.facility.type, audit.answers or {})


def superseded_by(session: Session, audit: Audit) -> Audit | None:
    """The correction that replaced this audit, if any."""
    return session.scalar(sa.select(Audit).where(Audit.supersedes_id == audit.id))


def public_verification(session: Session, audit_id: int, record_hash: str) -> dict[str, Any]:
    """What the public verify page may show: whether the printed hash matches the stored, intact record.

    `matches` is True only when the audit is submitted, the printed hash equals its stored hash, the record
    recomputes to that hash, and it is linked both ways (to the record before it and from the one after).
    The check is local so that a public page costs the same however long the chain grows; the whole chain
    is walked by `flask audit verify`. Facility name, date and result are shown; answers never are.
    """
    from inspect_app.services.audit_chain import verify_chain

    audit = session.get(Audit, audit_id)
    if audit is None or not audit.is_submitted:
        return {"found": False, "matches": False, "audit": None, "reason": "no such submitted audit"}
    chain = verify_chain(session, from_seq=audit.chain_seq, up_to_seq=audit.chain_seq + 1)
    same = audit.record_hash == record_hash.lower()
    reason = "" if same and chain.ok else ("the hash differs from the stored record" if not same else chain.reason)
    return {"found": True, "matches": same and chain.ok, "audit": audit, "reason": reason,
            "superseded_by": superseded_by(session, audit)}


def as_of(value: datetime | None) -> datetime | None:
    """Stored timestamps as aware UTC (SQLite returns them naive)."""
    return utc_seconds(value) if value else None

"""Audit photos: a real image within the size limit stored on a draft by its author; read back in scope.

A photo's bytes are checked by decoding them (Pillow, decompression bombs refused) before anything is
written, and written again without their metadata (EXIF with the camera's GPS position, XMP, comments), turned
upright as their EXIF orientation said: the phone's resize drops them, but the API takes photos from anywhere.
Storing one locks the draft like every other draft write (see `drafts`).
"""

import hashlib

import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Audit, AuditPhoto, User
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.audits.drafts import check_draft_writer, lock_draft
from inspect_app.services.errors import InvalidInput, NotFound
from inspect_app.services.images import PHOTO_FORMATS, inspect_image, without_metadata


def add_photo(session: Session, user: User, audit: Audit, raw: bytes, *, item_code: str | None = None,
              caption: str = "", client_uuid: str | None = None, max_bytes: int) -> AuditPhoto:
    """Store a photo on a draft after checking it is a real image of at most `max_bytes`; commits.

    With an `item_code`, the photo is also attached to that item's answer.
    """
    check_draft_writer(user, audit)
    limit = max_bytes
    if len(raw) > limit:
        raise InvalidInput(f"The photo is larger than the limit of {limit // (1024 * 1024)} MB.", "file")
    if not raw:
        raise InvalidInput("The file is empty.", "file")
    template = checklists.parsed(audit.template)
    if item_code and item_code not in template.items_by_code:
        raise InvalidInput(f"There is no item {item_code!r} in this checklist.", "item_code")
    fmt, width, height = inspect_image(raw)
    raw, width, height = without_metadata(raw, fmt)
    lock_draft(session, user, audit)
    photo = AuditPhoto(audit=audit, item_code=item_code or None, sha256=hashlib.sha256(raw).hexdigest(),
                       content_type=PHOTO_FORMATS[fmt], size=len(raw), width=width, height=height,
                       caption=caption[:300], data=raw, client_uuid=client_uuid)
    session.add(photo)
    session.flush()
    if item_code:
        answers = dict(audit.answers or {})
        answer = dict(answers.get(item_code) or {})
        answer["photos"] = [*answer.get("photos", []), photo.id]
        answers[item_code] = answer
        audit.answers = answers
    audit.updated_at = utcnow()
    session.commit()
    return photo


def photo_data(session: Session, user: User, audit: Audit, photo_id: int) -> AuditPhoto:
    """A photo of an audit the user may read, with its bytes loaded."""
    photo = session.get(AuditPhoto, photo_id, options=[so.undefer(AuditPhoto.data)])
    if photo is None or photo.audit_id != audit.id:
        raise NotFound("Photo not found.")
    return photo


# ---------------------------------------------------------------- submission

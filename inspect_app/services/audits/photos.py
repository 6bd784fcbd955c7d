"""Audit photos: a real image within the size limit stored on a draft by its author; read back in scope.

A photo's bytes are checked by decoding them (Pillow, decompression bombs refused) before anything is
written, and written again without their metadata (EXIF with the camera's GPS position, XMP, comments), turned
upright as their EXIF orientation said: the phone's resize drops them, but the API takes photos from anywhere.
Storing one locks the draft like every other draft write (see `drafts`).
"""

import hashlib
import io
import warnings

import sqlalchemy.orm as so
from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from inspect_app.models import Audit, AuditPhoto, User
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.audits.drafts import check_draft_writer, lock_draft
from inspect_app.services.errors import InvalidInput, NotFound

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
ORIENTATION = 0x0112  # the EXIF tag a camera sets instead of turning the pixels


def add_photo(session: Session, user: User, audit: Audit, raw: bytes, *, item_code: str | None = None,
              caption: str = "", client_uuid: str | None = None) -> AuditPhoto:
    """Store a photo on a draft after checking it is a real image within PHOTO_MAX_BYTES; commits.

    With an `item_code`, the photo is also attached to that item's answer.
    """
    check_draft_writer(user, audit)
    limit = current_app.config["PHOTO_MAX_BYTES"]
    if len(raw) > limit:
        raise InvalidInput(f"The photo is larger than the limit of {limit // (1024 * 1024)} MB.", "file")
    if not raw:
        raise InvalidInput("The file is empty.", "file")
    template = checklists.parsed(audit.template)
    if item_code and item_code not in template.items_by_code:
        raise InvalidInput(f"There is no item {item_code!r} in this checklist.", "item_code")
    fmt, width, height = _inspect_image(raw)
    raw, width, height = _without_metadata(raw, fmt)
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


def checked_image(raw: bytes, limit: int, field: str = "file") -> tuple[bytes, str, int, int]:
    """The checks every photo passes (a real image within `limit` bytes), then its pixels without metadata:
    (bytes, content type, width, height); InvalidInput on `field` otherwise."""
    if len(raw) > limit:
        raise InvalidInput(f"The photo is larger than the limit of {limit // (1024 * 1024)} MB.", field)
    if not raw:
        raise InvalidInput("The file is empty.", field)
    try:
        fmt, _width, _height = _inspect_image(raw)
    except InvalidInput as error:
        raise InvalidInput(error.message, field) from error
    data, width, height = _without_metadata(raw, fmt)
    return data, PHOTO_FORMATS[fmt], width, height


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


def _without_metadata(raw: bytes, fmt: str) -> tuple[bytes, int, int]:
    """The image written again with its pixels only (upright, ICC colour profile kept); (bytes, width, height).

    A JPEG that needs no turning keeps its quantisation tables (`quality="keep"`), so it loses next to nothing;
    PNG and GIF are lossless; WebP and a turned JPEG are encoded at quality 90.
    """
    out = io.BytesIO()
    with Image.open(io.BytesIO(raw)) as img:
        icc = {"icc_profile": img.info["icc_profile"]} if img.info.get("icc_profile") else {}
        orientation = img.getexif().get(ORIENTATION, 1)
        if fmt == "GIF":
            # Every frame, without the comment the encoder would otherwise copy from the source.
            img.save(out, "GIF", save_all=True, comment=b"")
        elif fmt == "JPEG" and orientation == 1:
            img.save(out, "JPEG", quality="keep", exif=b"", comment=b"", xmp=b"", **icc)
        else:
            upright = ImageOps.exif_transpose(img)
            lossy = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            if fmt == "JPEG":
                lossy["comment"] = b""
            upright.save(out, fmt, exif=b"", xmp=b"", **lossy, **icc)
        size = img.size if fmt == "GIF" or orientation == 1 else upright.size
    return out.getvalue(), size[0], size[1]


def photo_data(session: Session, user: User, audit: Audit, photo_id: int) -> AuditPhoto:
    """A photo of an audit the user may read, with its bytes loaded."""
    photo = session.get(AuditPhoto, photo_id, options=[so.undefer(AuditPhoto.data)])
    if photo is None or photo.audit_id != audit.id:
        raise NotFound("Photo not found.")
    return photo


# ---------------------------------------------------------------- submission

"""The act on the results (Entrepreneurial Code art. 152): its elements taken at submission, each from a field of
the record, and the refusal of a submit that lacks one.

Elements typed on the phone (the order of the inspection, the inspector's position, the representative and their
acknowledgement or refusal, both signatures) come with the submit or were saved on the draft; the inspecting body
and the place are copied from the region and the facility at submission, so that the act reads the same after a
later rename. The signatures are PNGs of the strokes drawn on the phone, at most SIGNATURE_MAX_BYTES each.
"""

import base64
import binascii
import hashlib
import io
import warnings
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from inspect_app.labels import INSPECTORATE
from inspect_app.models import Audit, Region
from inspect_app.models.audit import ORDERED_BASES, SIGNATURE_MAX_BYTES, ActFormat
from inspect_app.services.errors import InvalidInput

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Fields of the act the submit (or a draft save) may carry; the signatures arrive as base64 PNGs.
ACT_FIELDS = ("order_date", "order_number", "order_reg_number", "inspector_position", "representative_name",
              "representative_position", "representative_explanation", "signature_refused", "refusal_witness")
SIGNATURE_FIELDS = ("representative_signature", "inspector_signature")
# What a correction takes over from the act it corrects; the acknowledgement and the signatures are given anew.
ACT_COPIED = ("order_date", "order_number", "order_reg_number", "inspector_position", "representative_name",
              "representative_position", "representative_explanation")


def last_position(session: Session, user_id: int) -> str:
    """The position the user gave on their newest act, to fill in on the next one ("" before the first)."""
    return session.scalar(
        sa.select(Audit.inspector_position)
        .where(Audit.user_id == user_id, Audit.inspector_position.is_not(None))
        .order_by(Audit.id.desc()).limit(1)) or ""


def signature_png(value: str, field: str) -> bytes:
    """The PNG bytes of a signature sent as base64 (a `data:image/png;base64,` prefix allowed).

    Refused (422 naming `field`) unless it decodes to a real PNG image of at most SIGNATURE_MAX_BYTES.
    """
    text = value.strip()
    if text.startswith("data:"):
        head, _sep, text = text.partition(",")
        if head != "data:image/png;base64":
            raise InvalidInput("The signature must be a PNG image.", field)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("The signature is not valid base64.", field) from exc
    if len(raw) > SIGNATURE_MAX_BYTES:
        raise InvalidInput(f"The signature image is larger than {SIGNATURE_MAX_BYTES // 1024} KB.", field)
    if not raw.startswith(PNG_MAGIC):
        raise InvalidInput("The signature must be a PNG image.", field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as img:
                img.verify()
                if img.format != "PNG":
                    raise InvalidInput("The signature must be a PNG image.", field)
            with Image.open(io.BytesIO(raw)) as img:
                img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise InvalidInput("The signature is not a readable PNG image.", field) from exc
    return raw


def take_act_fields(audit: Audit, data: dict[str, Any]) -> None:
    """Copy the act's fields present in `data` onto a draft (signatures checked and stored with their digest).

    Nothing is written when a signature is refused: every signature is checked before the first assignment.
    """
    images = {field: signature_png(data[field], field) for field in SIGNATURE_FIELDS if data.get(field)}
    if isinstance(data.get("order_date"), str):  # a caller that did not load the schema (the demo, scripts)
        try:
            data = {**data, "order_date": date.fromisoformat(data["order_date"])}
        except ValueError as exc:
            raise InvalidInput("Not a valid date.", "order_date") from exc
    for key in ACT_FIELDS:
        if key in data:
            value = data[key]
            setattr(audit, key, value.strip() or None if isinstance(value, str) else value)
    for field, raw in images.items():
        setattr(audit, field, raw)
        setattr(audit, f"{field}_sha256", hashlib.sha256(raw).hexdigest())
    if audit.signature_refused:
        # A refusal and a representative's signature exclude each other; the refusal is what the inspector chose.
        audit.representative_signature = None
        audit.representative_signature_sha256 = None
    else:
        audit.refusal_witness = None


def missing_elements(audit: Audit) -> dict[str, list[str]]:
    """The act's required elements the record lacks, by field (empty when the act is complete).

    The order (date, number, registration with the Committee on Legal Statistics) is required for the legal
    bases in ORDERED_BASES (inspections ordered by a registered act); a monitoring visit has none. The
    representative is named with their position whether they sign or refuse; without a refusal their
    signature is required. The inspector's position and signature are always required.
    """
    missing: dict[str, list[str]] = {}

    def need(field: str, present: bool, message: str = "This element of the act is required.") -> None:
        if not present:
            missing[field] = [message]

    if audit.legal_basis in ORDERED_BASES:
        need("order_date", audit.order_date is not None,
             "The date of the act ordering the inspection is required for this legal basis.")
        need("order_number", bool(audit.order_number),
             "The number of the act ordering the inspection is required for this legal basis.")
        need("order_reg_number", bool(audit.order_reg_number),
             "The registration number of the order with the Committee on Legal Statistics is required for "
             "this legal basis.")
    need("inspector_position", bool(audit.inspector_position))
    need("representative_name", bool(audit.representative_name))
    need("representative_position", bool(audit.representative_position))
    if not audit.signature_refused:
        need("representative_signature", audit.representative_signature_sha256 is not None,
             "The representative's signature is required, or record their refusal to sign (signature_refused).")
    need("inspector_signature", audit.inspector_signature_sha256 is not None,
         "The inspector's signature is required.")
    if audit.order_date is not None and audit.order_date > audit.inspection_date:
        missing["order_date"] = ["The inspection cannot be ordered after the day it took place."]
    return missing


REPORT_LANGS = ("ru", "kk", "en")


def inspecting_body(region: Region) -> dict[str, str]:
    """The region's inspectorate, the body that inspects, in the act's languages."""
    out = {}
    for lang in REPORT_LANGS:
        with force_locale(lang):
            out[lang] = str(INSPECTORATE) % {"region": region.name(lang)}
    return out


def complete_act(audit: Audit, inspecting_body: dict[str, str], place: str) -> None:
    """Refuse (422 naming each field) an act that lacks a required element; else fix the copied elements."""
    missing = missing_elements(audit)
    if missing:
        raise InvalidInput("The act on the results lacks required elements: " + ", ".join(missing) + ".",
                           errors=missing)
    audit.inspecting_body = dict(inspecting_body)
    audit.act_place = place
    audit.signature_refused = bool(audit.signature_refused)
    audit.act_format = int(ActFormat.ACT_V1)

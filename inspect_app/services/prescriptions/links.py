"""The facility's secret link to its prescription (like the calendar feed): a random token of which only the
SHA-256 is stored, one live link per prescription, revocable, and expired once every item is closed."""

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Prescription, PrescriptionLink, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import require_prescription_decider
from inspect_app.services.errors import NotFound
from inspect_app.services.prescriptions import notices
from inspect_app.services.prescriptions.items import prescription_closed
from inspect_app.services.prescriptions.queries import get_prescription


def token_hash(token: str) -> str:
    """What is stored of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(session: Session, user: User, prescription_id: int) -> str:
    """A new secret link for the facility (the previous one stops working at once); commits.

    Returns the token, shown once: only its SHA-256 is stored. Refused (404) once every item is closed.
    """
    prescription = get_prescription(session, user, prescription_id)
    require_prescription_decider(user, prescription)
    if prescription_closed(session, prescription):
        raise NotFound("Every item of the prescription is closed: the facility needs no link.")
    # Locked, so that two links issued at once leave one live.
    session.scalar(sa.select(Prescription.id).where(Prescription.id == prescription.id).with_for_update())
    _revoke_live(session, prescription.id)
    token = secrets.token_urlsafe(32)
    session.add(PrescriptionLink(prescription_id=prescription.id, token_hash=token_hash(token),
                                 created_by_id=user.id))
    notices.issued(session, prescription, f"/p/{token}")
    session.commit()
    return token


def revoke_link(session: Session, user: User, prescription_id: int) -> bool:
    """Revoke the live link of a prescription; commits. True when there was one."""
    prescription = get_prescription(session, user, prescription_id)
    require_prescription_decider(user, prescription)
    revoked = _revoke_live(session, prescription.id)
    session.commit()
    return revoked


def live_link(session: Session, prescription_id: int) -> PrescriptionLink | None:
    """The prescription's link that works now, if any (its token is not known here)."""
    return session.scalar(sa.select(PrescriptionLink).where(PrescriptionLink.prescription_id == prescription_id,
                                                            PrescriptionLink.revoked_at.is_(None)))


def prescription_for(session: Session, token: str) -> Prescription:
    """The prescription a token opens; NotFound for an unknown or revoked token, or when every item is closed."""
    link = session.scalar(sa.select(PrescriptionLink).where(PrescriptionLink.token_hash == token_hash(token or ""),
                                                            PrescriptionLink.revoked_at.is_(None)))
    if link is None or prescription_closed(session, link.prescription):
        raise NotFound("The link is not valid.")
    return link.prescription


def _revoke_live(session: Session, prescription_id: int) -> bool:
    links = list(session.scalars(sa.select(PrescriptionLink).where(
        PrescriptionLink.prescription_id == prescription_id, PrescriptionLink.revoked_at.is_(None))))
    for link in links:
        link.revoked_at = utcnow()
    return bool(links)

"""The facility's secret link to its prescription (like the calendar feed): a random token of which only the
SHA-256 is stored, one live link per prescription, revocable, and expired once every item is closed.

A link follows its act through corrections: a corrected act supersedes the prescription the link was issued for
and draws up its own, and the same link then opens the prescription in force (the head keeps the paper with the
QR code they were handed; only the token's hash is stored, so a new token could not be carried over, and the act's
chain already says which version replaced which). Issuing or revoking a link acts on the whole chain's links.
"""

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import (
    Audit,
    Prescription,
    PrescriptionEvent,
    PrescriptionItem,
    PrescriptionLink,
    PrescriptionPhoto,
    User,
)
from inspect_app.models.audit import AuditStatus
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
    _revoke_live(session, _chain_ids(session, prescription.audit))
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
    revoked = _revoke_live(session, _chain_ids(session, prescription.audit))
    session.commit()
    return revoked


def live_link(session: Session, prescription_id: int) -> PrescriptionLink | None:
    """The link that works now for this prescription (one issued for it, or for a prescription of an earlier
    version of its act), if any (its token is not known here)."""
    prescription = session.get(Prescription, prescription_id)
    return session.scalar(sa.select(PrescriptionLink).where(
        PrescriptionLink.prescription_id.in_(_chain_ids(session, prescription.audit)),
        PrescriptionLink.revoked_at.is_(None)).order_by(PrescriptionLink.id.desc()).limit(1))


@dataclass(frozen=True)
class LinkView:
    """What a valid link opens: the prescription it was issued for, the act version in force and its
    prescription (None when the corrected act found nothing to remedy), and the link's prescriptions from the one
    it was issued for to the one in force, oldest first (only these its pages show)."""

    link: PrescriptionLink
    issued: Prescription
    act: Audit
    version: int
    in_force: Prescription | None
    chain: tuple[Prescription, ...]

    @property
    def replaced(self) -> bool:
        """True when a corrected act replaced the prescription the link was issued for."""
        return self.in_force is None or self.in_force.id != self.issued.id

    def prescription(self, prescription_id: int | None) -> Prescription:
        """The prescription in force (None: the one in force), or one of the link's earlier ones; NotFound for
        any other."""
        if prescription_id is None:
            return self.in_force or self.issued
        for prescription in self.chain:
            if prescription.id == prescription_id:
                return prescription
        raise NotFound("The link is not valid.")


def open_link(session: Session, token: str) -> LinkView:
    """What a token opens; NotFound for an unknown or revoked token, or when every item of the prescription in
    force is closed (a corrected act that found nothing to remedy keeps the link open to say so)."""
    link = session.scalar(sa.select(PrescriptionLink).where(PrescriptionLink.token_hash == token_hash(token or ""),
                                                            PrescriptionLink.revoked_at.is_(None)))
    if link is None:
        raise NotFound("The link is not valid.")
    issued = link.prescription
    versions = [issued.audit]
    while (successor := session.scalar(sa.select(Audit).where(
            Audit.supersedes_id == versions[-1].id, Audit.status == AuditStatus.SUBMITTED))) is not None:
        versions.append(successor)
    chain = [issued, *(p for p in (_of_audit(session, a) for a in versions[1:]) if p is not None)]
    act = versions[-1]
    in_force = chain[-1] if chain[-1].audit_id == act.id else None
    if in_force is not None and prescription_closed(session, in_force):
        raise NotFound("The link is not valid.")
    return LinkView(link=link, issued=issued, act=act, version=act_version(act), in_force=in_force,
                    chain=tuple(chain))


def link_photo(session: Session, view: LinkView, photo_id: int) -> PrescriptionPhoto:
    """An evidence photo (with its bytes) sent for an item of one of the link's prescriptions, or NotFound: a
    photo is served only through a link that shows it."""
    photo = session.scalar(
        sa.select(PrescriptionPhoto).join(PrescriptionEvent, PrescriptionEvent.id == PrescriptionPhoto.event_id)
        .join(PrescriptionItem, PrescriptionItem.id == PrescriptionEvent.item_id)
        .where(PrescriptionPhoto.id == photo_id, PrescriptionItem.prescription_id.in_([p.id for p in view.chain]))
        .options(so.undefer(PrescriptionPhoto.data)))
    if photo is None:
        raise NotFound("Photo not found.")
    return photo


def _of_audit(session: Session, audit: Audit) -> Prescription | None:
    return session.scalar(sa.select(Prescription).where(Prescription.audit_id == audit.id))


def act_version(audit: Audit) -> int:
    """The act's version: 1 for the act drawn up at the facility, 2 for its first correction, and so on."""
    n = 1
    while audit.supersedes is not None:
        audit, n = audit.supersedes, n + 1
    return n


def _chain_ids(session: Session, audit: Audit) -> list[int]:
    """The prescriptions of this act version and of every version before it."""
    ids = []
    while audit is not None:
        found = _of_audit(session, audit)
        if found is not None:
            ids.append(found.id)
        audit = audit.supersedes
    return ids


def _revoke_live(session: Session, prescription_ids: list[int]) -> bool:
    links = list(session.scalars(sa.select(PrescriptionLink).where(
        PrescriptionLink.prescription_id.in_(prescription_ids), PrescriptionLink.revoked_at.is_(None))))
    for link in links:
        link.revoked_at = utcnow()
    return bool(links)

"""The outbox: events become e-mails and webhook deliveries in the event's own transaction; workers send them.

`emit` writes rows and never commits: the caller's commit sends them, the caller's rollback drops them. Every
e-mail has an idempotency key (event id and recipient, unique), so an event is never queued twice for a
person; a worker claims rows by an atomic UPDATE (pending -> sending, with its token and a lease; on
PostgreSQL the candidates are picked with FOR UPDATE SKIP LOCKED so workers do not queue behind each other),
commits after each message, and a row whose worker died is claimable again once its lease ran out.
"""

import json
import logging
import smtplib
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.i18n import ALMATY
from inspect_app.models import NotificationPreference, OutboxMessage, User, WebhookDelivery, WebhookEndpoint
from inspect_app.models.notification import Delivery, EventKind, HookStatus, MailStatus
from inspect_app.models.vocab import Role, utcnow
from inspect_app.services.notifications import mailer
from inspect_app.services.notifications.events import EVENTS, EventSpec
from inspect_app.services.notifications.language import in_language

log = logging.getLogger(__name__)
# Seconds before the n-th retry of an e-mail; after the last one it is failed (an admin may retry it).
MAIL_BACKOFF = (60, 300, 1800, 7200, 21600)
PENDING_FLAG = "notify_pending"


def emit(session: Session, kind: EventKind | str, resource: dict[str, Any], *, region_id: int | None = None,
         user_id: int | None = None, facility_email: str | None = None, event_id: str | None = None) -> str:
    """Record that an event happened: queue its e-mails and webhook deliveries in `session`; no commit.

    Args:
        kind: an `EventKind` (its registry entry in events.py says who hears of it).
        resource: the thing the event is about as the API shows it (a plain JSON-able dict); webhooks send
            it as is, e-mails are composed from it. It must hold no future visit, route or schedule date.
        region_id: the region the event belongs to (its supervisors; webhooks of that region and national).
        user_id: the person concerned (the audit's inspector, who started the job, a webhook's owner).
        facility_email: the facility's own address, for events that tell the facility.
        event_id: a stable id when the same event may be emitted again (weekly summary); new otherwise.
    Returns the event id (in every webhook body and every e-mail's idempotency key).
    """
    spec = EVENTS[EventKind(kind)]
    event_id = event_id or uuid.uuid4().hex
    now = utcnow()
    for user, delivery in _user_recipients(session, spec, region_id, user_id):
        _queue_mail(session, spec, event_id, resource, f"{event_id}:u{user.id}", user.email, user.locale or "ru",
                    user.id, MailStatus.DIGEST if delivery == Delivery.DIGEST else MailStatus.PENDING)
    if spec.facility_email and facility_email:
        _queue_mail(session, spec, event_id, resource, f"{event_id}:{facility_email.lower()}", facility_email,
                    "ru", None, MailStatus.PENDING)
    if spec.webhook:
        body = json.dumps({"id": event_id, "type": str(spec.kind), "created_at": now.isoformat(),
                           # The facility's secret link goes to the facility's e-mail only, never to a webhook.
                           "resource": {k: v for k, v in resource.items() if k != "link_path"}},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for endpoint in _subscribed(session, spec.kind, region_id):
            session.add(WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, kind=str(spec.kind), body=body))
    session.info[PENDING_FLAG] = True
    return event_id


def _subscribed(session: Session, kind: str, region_id: int | None) -> list[WebhookEndpoint]:
    """Active endpoints of the event's region, and national ones, that asked for this kind."""
    scope = WebhookEndpoint.region_id.is_(None)
    if region_id is not None:
        scope = scope | (WebhookEndpoint.region_id == region_id)
    endpoints = session.scalars(sa.select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True), scope)
                                .order_by(WebhookEndpoint.id))
    # JSON containment differs by database; endpoints are few, so the list is filtered here.
    return [endpoint for endpoint in endpoints if kind in (endpoint.events or [])]


def _user_recipients(session: Session, spec: EventSpec, region_id: int | None,
                     user_id: int | None) -> list[tuple[User, Delivery]]:
    wanted = []
    for rule in spec.users:
        if rule == "region_supervisors" and region_id is not None:
            wanted += session.scalars(sa.select(User).where(User.role == Role.SUPERVISOR,
                                                            User.region_id == region_id))
        elif rule == "ministry" and region_id is None:
            wanted += session.scalars(sa.select(User).where(User.role == Role.MINISTRY))
        elif rule in ("concerned", "owner") and user_id is not None:
            wanted += [u for u in [session.get(User, user_id)] if u is not None]
    out, seen = [], set()
    for user in wanted:
        if user.id in seen or not user.active or not user.email:
            continue
        seen.add(user.id)
        delivery = delivery_for(session, spec, user)
        if delivery != Delivery.OFF:
            out.append((user, delivery))
    return out


def delivery_for(session: Session, spec: EventSpec, user: User) -> Delivery:
    """The user's choice for this event, else their role's default; never `off` where the role may not."""
    if spec.users and user.role not in spec.roles and not {"concerned", "owner"} & set(spec.users):
        return Delivery.OFF
    chosen = session.scalar(sa.select(NotificationPreference.delivery).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == str(spec.kind)))
    delivery = Delivery(chosen) if chosen else spec.default_for(user.role)
    return delivery if delivery in spec.allowed_for(user.role) else Delivery.IMMEDIATE


def _queue_mail(session: Session, spec: EventSpec, event_id: str, resource: dict, key: str, address: str,
                locale: str, user_id: int | None, status: MailStatus) -> None:
    composed = in_language(locale, lambda: spec.compose(resource, locale))
    session.add(OutboxMessage(
        key=key, event_id=event_id, kind=str(spec.kind), user_id=user_id, to_address=address, locale=locale,
        subject=composed.subject[:300], text_body=mailer.text_part(composed.lines, ""),
        html_body=mailer.html_part(composed.subject, composed.lines, ""), link_path=composed.link_path[:300],
        status=status))


def message_parts(message: OutboxMessage, base_url: str) -> tuple[str, str]:
    """The plain-text and HTML parts of a stored message, with its link made absolute with `base_url`."""
    if not message.link_path:
        return message.text_body, message.html_body
    link = f"{base_url.rstrip('/')}{message.link_path}"
    html = message.html_body.replace("</body>", mailer.link_paragraph(link) + "</body>", 1)
    return f"{message.text_body}\n{link}\n", html


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    due = (OutboxMessage.status == MailStatus.PENDING) & (OutboxMessage.next_attempt_at <= now)
    abandoned = (OutboxMessage.status == MailStatus.SENDING) & (OutboxMessage.lease_until < now)
    return due | abandoned


def claim_mail(session: Session, *, lease_seconds: float, now: datetime | None = None,
               limit: int = 50) -> tuple[str, list[int]]:
    """Claim due messages for this worker (atomic UPDATE); commits. Returns the claim token and the ids."""
    now = now or utcnow()
    token = uuid.uuid4().hex
    begin_write(session)
    pick = sa.select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(session.scalars(pick))
    if ids:
        # The condition again: a row another worker claimed between the read and this write is left alone.
        session.execute(sa.update(OutboxMessage).where(OutboxMessage.id.in_(ids), _claimable(now)).values(
            status=MailStatus.SENDING, claim_token=token, lease_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1), execution_options={"synchronize_session": False})
    session.commit()
    claimed = list(session.scalars(sa.select(OutboxMessage.id).where(OutboxMessage.claim_token == token)
                                   .order_by(OutboxMessage.id)))
    session.commit()
    return token, claimed


def drain_mail(session: Session, settings: mailer.MailSettings | None, *, base_url: str,
               lease_seconds: float = 120, now: datetime | None = None) -> int:
    """Send every due e-mail; returns how many were sent. With no mail server, nothing leaves the outbox.

    Each message is marked sent in its own commit right after the server accepted it, so a worker killed
    mid-batch resends at most the message it was sending when it died (whose Message-ID is its key).
    """
    if settings is None:
        return 0
    sent = 0
    while True:
        token, ids = claim_mail(session, lease_seconds=lease_seconds, now=now)
        if not ids:
            return sent
        smtp = None
        try:
            for message_id in ids:
                message = session.get(OutboxMessage, message_id)
                text, html = message_parts(message, base_url)
                email = mailer.build(settings, key=message.key, to=message.to_address, subject=message.subject,
                                     text=text, html=html)
                session.commit()
                try:
                    smtp = smtp or mailer.connect(settings)
                except (OSError, smtplib.SMTPException) as exc:
                    # The server cannot be reached: the whole batch waits for its retry, not 10 s a message.
                    log.warning("mail server unreachable, %s e-mail(s) wait: %s", len(ids), exc)
                    for waiting in ids[ids.index(message_id):]:
                        _retry_later(session, waiting, token, str(exc), now)
                    return sent
                try:
                    smtp.send_message(email)
                except (OSError, smtplib.SMTPException) as exc:
                    log.warning("e-mail %s not sent: %s", message.key, exc)
                    _retry_later(session, message_id, token, str(exc), now)
                    _quit(smtp)
                    smtp = None
                    continue
                begin_write(session)
                session.execute(sa.update(OutboxMessage).where(
                    OutboxMessage.id == message_id, OutboxMessage.claim_token == token).values(
                    status=MailStatus.SENT, sent_at=utcnow(), lease_until=None, last_error=""))
                session.commit()
                sent += 1
        finally:
            if smtp is not None:
                _quit(smtp)


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException) as exc:  # the message is already sent or refused; only the goodbye failed
        log.info("SMTP goodbye failed: %s", exc)


def _retry_later(session: Session, message_id: int, token: str, error: str, now: datetime | None) -> None:
    begin_write(session)
    message = session.get(OutboxMessage, message_id)
    if message.claim_token != token:
        session.commit()
        return
    now = now or utcnow()
    if message.attempts > len(MAIL_BACKOFF):
        message.status = MailStatus.FAILED
    else:
        message.status = MailStatus.PENDING
        message.next_attempt_at = now + timedelta(seconds=MAIL_BACKOFF[message.attempts - 1])
    message.last_error, message.lease_until = error[:500], None
    session.commit()


def retry(session: Session, message_id: int) -> OutboxMessage | None:
    """Put a failed message back in the queue at once (an admin's retry); commits. None when not failed."""
    begin_write(session)
    done = session.execute(sa.update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == MailStatus.FAILED).values(
        status=MailStatus.PENDING, attempts=0, next_attempt_at=utcnow(), last_error="")).rowcount
    session.commit()
    return session.get(OutboxMessage, message_id) if done else None


def almaty_midnight(day) -> datetime:
    """The UTC instant a day starts in Almaty."""
    return datetime.combine(day, time(0), tzinfo=ALMATY).astimezone(UTC)


def make_digests(session: Session, now: datetime | None = None) -> int:
    """Gather each user's digest e-mails of days before today (Almaty) into one message; commits.

    The digest's key names the user and the day, so running this twice (or from two workers) makes one.
    Returns how many digests were queued.
    """
    now = now or utcnow()
    today = now.astimezone(ALMATY).date()
    begin_write(session)
    rows = list(session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.status == MailStatus.DIGEST, OutboxMessage.created_at < almaty_midnight(today))
        .order_by(OutboxMessage.user_id, OutboxMessage.id)))
    by_user: dict[int, list[OutboxMessage]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    made = 0
    spec = EVENTS[EventKind.DAILY_DIGEST]
    day = (today - timedelta(days=1)).isoformat()
    for user_id, messages in by_user.items():
        user = session.get(User, user_id) if user_id else None
        for message in messages:
            message.status = MailStatus.DIGESTED
        if user is None or not user.active or not user.email:
            continue
        key = f"digest:{user_id}:{today.isoformat()}"
        if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            continue
        resource = {"date": day, "subjects": [m.subject for m in messages]}
        _queue_mail(session, spec, uuid.uuid4().hex, resource, key, user.email, user.locale or "ru", user.id,
                    MailStatus.PENDING)
        made += 1
    session.commit()
    return made


def undelivered_hooks(session: Session) -> int:
    """How many webhook deliveries wait (for the outbox page)."""
    return session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery).where(
        WebhookDelivery.status == HookStatus.PENDING)) or 0

"""Notifications: e-mail preferences, the outbox of e-mails, webhook endpoints and their deliveries.

Every row here is written in the transaction of the event it tells about (services/notifications), so a
rolled-back write leaves nothing to send and a committed one loses nothing; workers drain the outbox later.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class EventKind(StrEnum):
    """What happened; the registry in services/notifications/events.py says who hears of it and how."""

    CRITICAL_VIOLATION = "critical_violation"
    AUDIT_SUBMITTED = "audit_submitted"
    AUDIT_RETURNED = "audit_returned"
    AUDIT_REVIEWED = "audit_reviewed"
    PRESCRIPTION_ISSUED = "prescription_issued"
    ITEM_DUE_SOON = "item_due_soon"
    ITEM_OVERDUE = "item_overdue"
    ITEM_REPORTED_DONE = "item_reported_done"
    ITEM_VERIFIED = "item_verified"
    JOB_FINISHED = "job_finished"
    JOB_FAILED = "job_failed"
    WEEKLY_SUMMARY = "weekly_summary"
    FACILITY_CREATED = "facility_created"
    FACILITY_CHANGED = "facility_changed"
    SCHEDULE_PUBLISHED = "schedule_published"
    ENDPOINT_DISABLED = "endpoint_disabled"
    DAILY_DIGEST = "daily_digest"
    WEBHOOK_TEST = "webhook_test"


class Delivery(StrEnum):
    """How a user wants an event's e-mails: at once, gathered in a daily digest, or not at all."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class MailStatus(StrEnum):
    """Where an outbox e-mail is: waiting (or held while no mail server is configured), being sent by a
    worker, sent, waiting for the daily digest, folded into a digest, or failed after its last retry."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DIGEST = "digest"
    DIGESTED = "digested"
    FAILED = "failed"


class HookStatus(StrEnum):
    """Where a webhook delivery is: waiting (first try or a retry), delivered (a 2xx answer)."""

    PENDING = "pending"
    DELIVERED = "delivered"


class NotificationPreference(db.Model):
    """A user's choice for one event kind; no row means the event's default for their role."""

    __tablename__ = "notification_preference"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", name="uq_notification_preference_user_kind"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    delivery: so.Mapped[str] = so.mapped_column(sa.String(16))


class OutboxMessage(db.Model):
    """One e-mail to one address, composed in the recipient's language when its event happened.

    `key` is the idempotency key (event id and recipient): unique, so the same e-mail is never queued twice,
    and sent as the Message-ID so a receiving server can drop a repeat. A worker claims a row by an atomic
    UPDATE (status pending -> sending with its own `claim_token` and a lease); a lease that ran out (the worker
    died) makes the row claimable again.
    """

    __tablename__ = "outbox_message"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(160), unique=True)
    event_id: so.Mapped[str] = so.mapped_column(sa.String(32), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(32), index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    to_address: so.Mapped[str] = so.mapped_column(sa.String(254))
    locale: so.Mapped[str] = so.mapped_column(sa.String(5), default="ru")
    subject: so.Mapped[str] = so.mapped_column(sa.String(300))
    text_body: so.Mapped[str] = so.mapped_column(sa.Text)
    html_body: so.Mapped[str] = so.mapped_column(sa.Text)
    link_path: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=MailStatus.PENDING, index=True)
    attempts: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow, index=True)
    claim_token: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    lease_until: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    last_error: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())


class WebhookEndpoint(db.Model):
    """A receiver of signed event deliveries, registered by an admin (every region) or a supervisor (theirs).

    The secret signs every delivery (HMAC needs it, so it is stored; it is shown once, when made). A day of
    failed deliveries disables the endpoint; its pending deliveries wait until it is enabled again.
    """

    __tablename__ = "webhook_endpoint"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    owner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    url: so.Mapped[str] = so.mapped_column(sa.String(500))
    events: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    secret: so.Mapped[str] = so.mapped_column(sa.String(80))
    allow_private: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    active: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    failing_since: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    disabled_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    # A worker holds an endpoint while it sends its deliveries in order (atomic UPDATE; the lease frees it).
    claim_token: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    lease_until: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

    owner: so.Mapped["User"] = so.relationship()  # noqa: F821
    region: so.Mapped["Region | None"] = so.relationship()  # noqa: F821


class WebhookDelivery(db.Model):
    """One event for one endpoint: the exact JSON body sent on every attempt; one row per (endpoint, event)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_event"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    endpoint_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("webhook_endpoint.id", ondelete="CASCADE"),
                                                   index=True)
    event_id: so.Mapped[str] = so.mapped_column(sa.String(32))
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=HookStatus.PENDING, index=True)
    attempts: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    delivered_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    endpoint: so.Mapped[WebhookEndpoint] = so.relationship()
    tries: so.Mapped[list["WebhookAttempt"]] = so.relationship(order_by="WebhookAttempt.id",
                                                               cascade="all, delete-orphan")


class WebhookAttempt(db.Model):
    """One try of a delivery: when, the HTTP status (none when no answer came), how long, and what went wrong."""

    __tablename__ = "webhook_attempt"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    delivery_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("webhook_delivery.id", ondelete="CASCADE"),
                                                   index=True)
    at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    status_code: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    duration_ms: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    error: so.Mapped[str] = so.mapped_column(sa.String(300), default="")


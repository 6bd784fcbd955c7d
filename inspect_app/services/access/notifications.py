"""Notifications: the e-mail outbox and the webhook endpoints."""

import sqlalchemy as sa

from inspect_app.models import User, WebhookEndpoint
from inspect_app.services.access.roles import WRITERS, _role, is_admin, is_supervisor


def may_read_outbox(user: User | None) -> bool:
    """The e-mail outbox page (every message, failed deliveries, retry): admins."""
    return is_admin(user)


def may_manage_webhooks(user: User | None) -> bool:
    """Webhook endpoints: admins (any region, or all) and supervisors (their region's)."""
    return _role(user) in WRITERS


def webhook_filter(user: User) -> sa.ColumnElement[bool]:
    """The endpoints a user manages: every one for admins, their region's for supervisors, none otherwise."""
    if is_admin(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return WebhookEndpoint.region_id == user.region_id
    return sa.false()

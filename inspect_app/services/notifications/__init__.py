"""Notifications: e-mails and signed webhooks about what happened, through a transactional outbox.

The one door for every service that has something to tell:

    from inspect_app.services import notifications
    notifications.emit(session, EventKind.AUDIT_RETURNED, audit_resource(audit, review_note=note),
                       region_id=audit.region_id, user_id=audit.user_id)

`emit` queues the e-mails (each recipient's language and preference) and webhook deliveries in the caller's
transaction and never commits; the caller's commit sends them, its rollback drops them. Workers send the
queue with `run_due` (RQ or the app's thread; `flask notify run`). events.py is the registry of kinds.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from inspect_app.services.notifications.mailer import MailSettings
from inspect_app.services.notifications.outbox import drain_mail, emit, make_digests, retry
from inspect_app.services.notifications.resources import (
    audit_resource,
    facility_resource,
    job_resource,
    schedule_resource,
)
from inspect_app.services.notifications.webhooks import drain_hooks
from inspect_app.services.notifications.weekly import send_weekly

__all__ = ["DAILY_TASKS", "MailSettings", "audit_resource", "emit", "facility_resource", "job_resource", "retry",
           "run_due", "schedule_resource"]

# Digests and weekly summaries go out from this hour (Almaty) on; a run before it only drains.
MORNING_HOUR = 7
# Other domains' daily notices (each `task(session, now) -> count`, committing, once a day however often it
# runs), registered by the module that owns them (e.g. prescriptions' reminders): this package imports none.
DAILY_TASKS: list = []


def run_due(session: Session, mail: MailSettings | None, *, base_url: str, allow_http: bool,
            lease_seconds: float = 120, now: datetime | None = None) -> dict[str, int]:
    """Everything due now: yesterday's digests and, on Mondays, last week's summaries (from MORNING_HOUR),
    then every due e-mail and webhook delivery. Safe to run from several workers at once. Commits."""
    from inspect_app.i18n import ALMATY
    from inspect_app.models.vocab import utcnow

    local = (now or utcnow()).astimezone(ALMATY)
    out = {"digests": 0, "weekly": 0}
    if local.hour >= MORNING_HOUR:
        out["digests"] = make_digests(session, now)
        out["reminders"] = sum(task(session, now) for task in DAILY_TASKS)
        if local.weekday() == 0:
            out["weekly"] = send_weekly(session, now)
    out["mail"] = drain_mail(session, mail, base_url=base_url, lease_seconds=lease_seconds, now=now)
    out["webhooks"] = drain_hooks(session, allow_http=allow_http, lease_seconds=lease_seconds, now=now)
    return out

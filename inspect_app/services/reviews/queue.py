"""The review queue: submitted, live audits without a decision, oldest first, in the reviewer's scope."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Audit, Facility, Inspector, Region, ReviewDecision, User, Violation
from inspect_app.models.inspector import distinct_names
from inspect_app.services.access import require_reviewer, review_filter


def live_submitted() -> list[sa.ColumnElement[bool]]:
    """Conditions on Audit: submitted, and not replaced by a submitted correction (the correction is reviewed)."""
    correction = so.aliased(Audit)
    replaced = sa.exists().where(correction.supersedes_id == Audit.id, correction.status == "submitted")
    return [Audit.status == "submitted", ~replaced]


def undecided() -> sa.ColumnElement[bool]:
    """No review decision on this audit version yet."""
    return ~sa.exists().where(ReviewDecision.audit_id == Audit.id)


def has_critical() -> sa.ColumnElement[bool]:
    """The audit raised a critical violation."""
    return sa.exists().where(Violation.audit_id == Audit.id, Violation.severity == "critical")


def _scope(user: User, args: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    """The queue before its filters: the user's review scope (narrowed to one region for admins)."""
    conditions = [review_filter(user), *live_submitted(), undecided()]
    if args.get("region"):
        conditions.append(Audit.region.has(Region.kato == args["region"]))
    return conditions


def _filters(args: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if args.get("result"):
        conditions.append(Audit.result == args["result"])
    if args.get("critical") is not None:
        conditions.append(has_critical() if args["critical"] else ~has_critical())
    if args.get("checkin_far") is not None:
        conditions.append(Audit.checkin_far.is_(bool(args["checkin_far"])))
    if args.get("inspector_id"):
        conditions.append(Audit.inspector_id == args["inspector_id"])
    if args.get("date_from"):
        conditions.append(Audit.inspection_date >= args["date_from"])
    if args.get("date_to"):
        conditions.append(Audit.inspection_date <= args["date_to"])
    if args.get("facility_type"):
        conditions.append(Audit.facility.has(Facility.type == args["facility_type"]))
    return conditions


def queue_query(user: User, args: dict[str, Any]) -> sa.Select:
    """A select of the audits waiting for the user's review, filtered as `ReviewQueryArgsSchema` says, oldest
    submission first. Forbidden for roles that never review."""
    require_reviewer(user)
    return (sa.select(Audit).where(*_scope(user, args), *_filters(args))
            .order_by(Audit.submitted_at.asc(), Audit.id.asc())
            .options(so.joinedload(Audit.facility), so.joinedload(Audit.region)))


def queue_counts(session: Session, user: User, args: dict[str, Any]) -> dict[str, Any]:
    """How many audits wait: `matching` the filters, `total` without them, and the unfiltered queue split by
    each filter (result, critical, far check-in, facility type, inspector). Reads only."""
    require_reviewer(user)
    scope = _scope(user, args)
    base = sa.select(sa.func.count(Audit.id)).where(*scope)
    total = session.scalar(base) or 0
    matching = session.scalar(base.where(*_filters(args))) or 0
    by_result = dict(session.execute(sa.select(Audit.result, sa.func.count(Audit.id)).where(*scope)
                                     .group_by(Audit.result)).all())
    by_type = dict(session.execute(sa.select(Facility.type, sa.func.count(Audit.id))
                                   .join(Facility, Facility.id == Audit.facility_id).where(*scope)
                                   .group_by(Facility.type)).all())
    by_inspector = dict(session.execute(sa.select(Audit.inspector_id, sa.func.count(Audit.id))
                                        .where(*scope, Audit.inspector_id.is_not(None))
                                        .group_by(Audit.inspector_id)).all())
    return {
        "total": total, "matching": matching,
        "by_result": {k: v for k, v in by_result.items() if k is not None},
        "critical": session.scalar(base.where(has_critical())) or 0,
        "checkin_far": session.scalar(base.where(Audit.checkin_far.is_(True))) or 0,
        "by_facility_type": by_type, "by_inspector": by_inspector,
    }


def queue_inspectors(session: Session, user: User, args: dict[str, Any]) -> list[tuple[int, str]]:
    """(inspector id, name) of the inspectors whose audits wait in the user's queue, for the filter's choices."""
    require_reviewer(user)
    ids = sa.select(Audit.inspector_id).where(*_scope(user, args), Audit.inspector_id.is_not(None)).distinct()
    # Namesakes told apart by their town (as the dashboard and the schedule pages tell them).
    names = distinct_names(list(session.scalars(sa.select(Inspector).where(Inspector.id.in_(ids)))))
    return sorted(names.items(), key=lambda row: (row[1], row[0]))

"""Finding audits: one by id, a list with filters, the facilities a new audit may be of; what a page reads.

Every read is scoped by the rules in services/access/: another region's audit is NotFound, as if it did
not exist.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

import forms
from inspect_app.models import (
    Audit,
    AuditStatus,
    District,
    Facility,
    Inspector,
    Region,
    ReviewDecision,
    ReviewOutcome,
    Schedule,
    ScheduleVisit,
    User,
    Violation,
    ViolationStatus,
    VisitStatus,
)
from inspect_app.models.facility import with_merged
from inspect_app.models.inspector import distinct_names
from inspect_app.models.schedule import live_visit_clause
from inspect_app.services import checklists
from inspect_app.services.access import (
    audit_filter,
    facility_filter,
    may_read_audit,
    may_search_facilities_to_inspect,
    require_audit_writer,
)
from inspect_app.services.audits.chain import utc_seconds
from inspect_app.services.errors import Forbidden, NotFound
from inspect_app.services.registry.search import facility_matches
from inspect_app.services.statistics.queries import section_titles

may_read = may_read_audit


def get_audit(session: Session, user: User, audit_id: int) -> Audit:
    """The audit with this id, or NotFound when it is missing or outside the user's scope."""
    audit = session.get(Audit, audit_id)
    if audit is None or not may_read(user, audit):
        raise NotFound("Audit not found.")
    return audit


def audit_query(user: User, args: dict[str, Any]) -> sa.Select:
    """A select of the audits the user may see, filtered as `AuditQueryArgsSchema` says, newest first."""
    return _filtered(sa.select(Audit), user, args).order_by(Audit.inspection_date.desc(), Audit.id.desc()).options(
        so.joinedload(Audit.facility), so.joinedload(Audit.region))


def _filtered(query: sa.Select, user: User, args: dict[str, Any]) -> sa.Select:
    """`query` (over Audit) narrowed to the user's scope and the list's filters."""
    query = query.where(audit_filter(user))
    if args.get("facility_id"):
        query = query.where(Audit.facility_id.in_(with_merged(args["facility_id"])))
    if args.get("inspector_id"):
        query = query.where(Audit.inspector_id == args["inspector_id"])
    if args.get("user_id"):
        query = query.where(Audit.user_id == args["user_id"])
    if args.get("region"):
        query = query.where(Audit.region.has(Region.kato == args["region"]))
    if args.get("current"):
        correction = so.aliased(Audit)
        query = query.where(~sa.exists().where(correction.supersedes_id == Audit.id,
                                               correction.status == AuditStatus.SUBMITTED))
    if args.get("district"):
        query = query.where(Audit.facility.has(Facility.district.has(District.kato == args["district"])))
    if args.get("date_from"):
        query = query.where(Audit.inspection_date >= args["date_from"])
    if args.get("date_to"):
        query = query.where(Audit.inspection_date <= args["date_to"])
    if args.get("result"):
        query = query.where(Audit.result == args["result"])
    if args.get("status"):
        query = query.where(Audit.status == args["status"])
    if args.get("q"):
        query = query.where(Audit.facility.has(facility_matches(args["q"].strip())))
    violation = violation_conditions(args)
    if violation:
        query = query.where(sa.exists().where(Violation.audit_id == Audit.id, *violation))
    if args.get("visit_done"):
        query = query.where(Audit.schedule_visit_id.in_(
            sa.select(ScheduleVisit.id).join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
            .where(live_visit_clause(), ScheduleVisit.status == VisitStatus.SUBMITTED)))
    if args.get("returned"):
        query = query.where(sa.exists().where(ReviewDecision.audit_id == Audit.id,
                                              ReviewDecision.outcome == ReviewOutcome.RETURNED))
    return query


VIOLATION_FILTERS = ("section", "item_code", "severity", "facility_type", "agency")


def violation_conditions(args: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
    """Conditions on Violation for the violation filters of the list (none when none is set): a violation the
    statistics count (not superseded) of that section, item, severity, facility type and agency."""
    if not any(args.get(key) for key in VIOLATION_FILTERS):
        return []
    conditions = [Violation.status != ViolationStatus.SUPERSEDED]
    for key, column in (("section", Violation.section), ("item_code", Violation.item_code),
                        ("severity", Violation.severity)):
        if args.get(key):
            conditions.append(column == args[key])
    for key, column in (("facility_type", Facility.type), ("agency", Facility.agency)):
        if args.get(key):
            conditions.append(Violation.facility.has(column == args[key]))
    return conditions


def matching_violations(session: Session, user: User, args: dict[str, Any]) -> int | None:
    """How many violations of the listed audits match the violation filters (the figure the list opens counts
    violations, and an audit may hold several); None without a violation filter."""
    conditions = violation_conditions(args)
    if not conditions:
        return None
    audits = _filtered(sa.select(Audit.id), user, args)
    return session.scalar(sa.select(sa.func.count(Violation.id))
                          .where(Violation.audit_id.in_(audits), *conditions)) or 0


def violation_kind_names(session: Session, args: dict[str, Any], locale: str) -> dict[str, str]:
    """The section's title and the item's text (in `locale`) the list is narrowed to, for the page to name them
    instead of their codes; a code nobody knows is left out."""
    names = {}
    if args.get("section"):
        titles = section_titles(session).get(args["section"]) or {}
        if titles:
            names["section"] = titles.get(locale) or titles.get("ru") or args["section"]
    if args.get("item_code"):
        text = session.scalar(sa.select(Violation.item_text).where(Violation.item_code == args["item_code"])
                              .order_by(Violation.id.desc()).limit(1)) or {}
        if text:
            names["item_code"] = text.get(locale) or text.get("ru") or args["item_code"]
    return names


def inspector_label(session: Session, user: User, inspector_id: int) -> str | None:
    """The name of an inspector whose audits the user may see, told apart from namesakes by the town (as the
    dashboard's rows are); None for one the user sees no audit of."""
    if session.scalar(sa.select(Audit.id).where(audit_filter(user), Audit.inspector_id == inspector_id).limit(1)) \
            is None:
        return None
    inspector = session.get(Inspector, inspector_id)
    namesakes = list(session.scalars(sa.select(Inspector).where(
        sa.func.lower(sa.func.trim(Inspector.full_name)) == inspector.full_name.strip().lower())))
    return distinct_names(namesakes or [inspector]).get(inspector_id, inspector.full_name)


def facilities_to_inspect(session: Session, user: User, q: str = "", limit: int = 20) -> list[Facility]:
    """Active facilities of the user's region (all regions for admins) matching a name or BIN, for a new audit.

    Inspectors never search the registry: they start audits from the stops of their route.
    """
    require_audit_writer(user)
    if not may_search_facilities_to_inspect(user):
        raise Forbidden("Inspectors start inspections from the stops of their route.")
    query = sa.select(Facility).where(Facility.archived_at.is_(None), facility_filter(user))
    text = (q or "").strip()
    if text:
        query = query.where(facility_matches(text))
    return list(session.scalars(query.order_by(Facility.name_ru).limit(limit)))


def draft_score(audit: Audit) -> forms.ScoreResult:
    """The score of the answers so far (submitted audits carry theirs in columns)."""
    return forms.score(checklists.parsed(audit.template), audit.facility.type, audit.answers or {})


def superseded_by(session: Session, audit: Audit) -> Audit | None:
    """The correction that replaced this audit, if any."""
    return session.scalar(sa.select(Audit).where(Audit.supersedes_id == audit.id))


def as_of(value: datetime | None) -> datetime | None:
    """Stored timestamps as aware UTC (SQLite returns them naive)."""
    return utc_seconds(value) if value else None

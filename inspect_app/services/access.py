"""Who may see and do what: the one place that decides it. Views and services ask; nobody else compares roles.

The policy, by role (README "Users, roles and the API"):

| role       | reads                                               | changes                                        |
|------------|-----------------------------------------------------|------------------------------------------------|
| admin      | everything, every region                            | everything; national builds                    |
| ministry   | everything, every region (registry, audits, stats)  | nothing                                        |
| supervisor | own region: registry, inspectors, schedules, audits | the same, plus builds and edits of own region  |
| inspector  | own profile, own released route, own audits         | own audit drafts (started from own stops)      |

Reads answer NotFound (404) outside the user's scope, as if the record did not exist; a role that never may
do a thing gets Forbidden (403). Filters (`*_filter`) put the same rules into queries, so a list never
holds what a detail page would refuse. Only this module compares `user.role`.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.i18n import ALMATY
from inspect_app.models import (
    Audit,
    Facility,
    Inspector,
    Job,
    Prescription,
    Region,
    Schedule,
    ScheduleVisit,
    User,
    WebhookEndpoint,
)
from inspect_app.models import setting as settings_values
from inspect_app.models.vocab import DB_INT_MAX, Role
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound

NATIONAL = frozenset({Role.ADMIN, Role.MINISTRY})
REGISTRY_READERS = frozenset({Role.ADMIN, Role.MINISTRY, Role.SUPERVISOR})
WRITERS = frozenset({Role.ADMIN, Role.SUPERVISOR})  # registry, schedules, the region's route settings
AUDIT_WRITERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR})
REGIONAL = frozenset({Role.SUPERVISOR, Role.INSPECTOR})  # roles that belong to one region

# ---------------------------------------------------------------- roles


def _role(user: User | None) -> str | None:
    return getattr(user, "role", None)


def is_inspector(user: User | None) -> bool:
    """Inspectors see their route and their own audits, never the registry."""
    return _role(user) == Role.INSPECTOR


def is_supervisor(user: User | None) -> bool:
    """A supervisor works in their region only."""
    return _role(user) == Role.SUPERVISOR


def is_admin(user: User | None) -> bool:
    """Admins may do everything, in every region."""
    return _role(user) == Role.ADMIN


def sees_all_regions(user: User | None) -> bool:
    """Admins and ministry analysts work across the whole country."""
    return _role(user) in NATIONAL


def may_read_registry(user: User | None) -> bool:
    """Admins, the ministry and supervisors read the registry, statistics and schedules."""
    return _role(user) in REGISTRY_READERS


def may_edit_registry(user: User | None) -> bool:
    """Admins and supervisors change the registry; ministry analysts only read and export."""
    return _role(user) in WRITERS


def may_edit_calendar(user: User | None) -> bool:
    """Only admins change the country's calendar (transfers of days off, school breaks)."""
    return _role(user) == Role.ADMIN


def require_calendar_editor(user: User) -> None:
    """Forbidden unless the user may change the country's calendar."""
    if not may_edit_calendar(user):
        raise Forbidden("Only an administrator changes the calendar.")


def may_write_audits(user: User | None) -> bool:
    """Everyone but the ministry writes audits (inspectors their own)."""
    return _role(user) in AUDIT_WRITERS


def role_needs_region(role: str) -> bool:
    """Supervisors and inspectors belong to one region; admins and ministry analysts to none."""
    return role in REGIONAL


def in_region(user: User, region_id: int | None) -> bool:
    """True when the record's region is one the user works in."""
    return sees_all_regions(user) or (user.region_id is not None and region_id == user.region_id)


def require_registry_reader(user: User) -> None:
    """Inspectors see their own routes, not the registry."""
    if not may_read_registry(user):
        raise Forbidden("Your role does not give access to the registry.")


def require_registry_editor(user: User) -> None:
    """Only admins and supervisors change the registry."""
    if not may_edit_registry(user):
        raise Forbidden("Your role may read the registry but not change it.")


def require_region_access(user: User, region_id: int, field: str = "region_kato") -> None:
    """Refuse to write a record into a region the user does not work in."""
    if not in_region(user, region_id):
        raise Forbidden("You may only work with records of your own region.", field)


def is_storable_id(record_id: int) -> bool:
    """True for ids an integer primary key can hold; a larger one would be a database error, not a miss."""
    return 0 < record_id <= DB_INT_MAX


# ---------------------------------------------------------------- registry


def facility_filter(user: User, facility=Facility) -> sa.ColumnElement[bool]:
    """Facilities the user may list: all for admins and the ministry, the own region for supervisors.

    `facility` is the entity to filter: `Facility` or an alias of it (both records of a duplicate pair).
    """
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return facility.region_id == user.region_id
    return sa.false()


def inspector_filter(user: User) -> sa.ColumnElement[bool]:
    """Inspectors the user may read: by region for supervisors, only oneself for an inspector."""
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return Inspector.regions.any(Region.id == user.region_id)
    if is_inspector(user):
        return Inspector.user_id == user.id
    return sa.false()


def region_filter(user: User) -> sa.ColumnElement[bool]:
    """Regions the user works in."""
    if sees_all_regions(user):
        return sa.true()
    if user.region_id is not None:
        return Region.id == user.region_id
    return sa.false()


def may_see_facility(user: User, facility: Facility) -> bool:
    """True when the facility is in the user's listing scope (the same rule as `facility_filter`)."""
    return sees_all_regions(user) or (is_supervisor(user) and facility.region_id == user.region_id)


def may_edit_facility(user: User, facility: Facility) -> bool:
    """True when the user may change this facility (a registry editor of its region)."""
    return may_edit_registry(user) and in_region(user, facility.region_id)


def check_facility_visible(user: User, facility: Facility | None) -> Facility:
    """The facility of the user's work region (an inspector's too, for audits), or NotFound."""
    if facility is None or not in_region(user, facility.region_id):
        raise NotFound("Facility not found.")
    return facility


def visible_facilities_by_bin(user: User, bins: list[str]) -> sa.Select:
    """A select of the facilities with these BINs that the user may see (others are as if unknown)."""
    return sa.select(Facility).where(Facility.bin.in_(bins), facility_filter(user))


def linkable_user(session: Session, user: User, username: str) -> User:
    """The account an inspector profile may be linked to: an inspector's, in the editor's region for a supervisor.

    An unknown username and one outside that scope (another region, an admin, a ministry analyst) get the
    same answer, so the form cannot be used to find out which usernames exist.
    """
    query = sa.select(User).where(User.username == username, User.role == Role.INSPECTOR.value)
    if not sees_all_regions(user):
        query = query.where(User.region_id == user.region_id)
    linked = session.scalar(query)
    if linked is None:
        raise InvalidInput("No inspector account with this username in your region.", "username")
    return linked


def readable_regions(session: Session, user: User) -> list[Region]:
    """The regions the user works in, by KATO code."""
    return list(session.scalars(sa.select(Region).where(region_filter(user)).order_by(Region.kato)))


# ---------------------------------------------------------------- audits


def audit_filter(user: User) -> sa.ColumnElement[bool]:
    """Audits the user may read: all for admins and the ministry, the region's for supervisors, own for inspectors."""
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return Audit.region_id == user.region_id
    if is_inspector(user):
        return Audit.user_id == user.id
    return sa.false()


def may_read_audit(user: User, audit: Audit) -> bool:
    """The same rule as `audit_filter`, for one audit."""
    if sees_all_regions(user):
        return True
    if is_supervisor(user):
        return user.region_id is not None and audit.region_id == user.region_id
    return is_inspector(user) and audit.user_id == user.id


def require_audit_writer(user: User) -> None:
    """Ministry analysts read audits but never write them."""
    if not may_write_audits(user):
        raise Forbidden("Your role may read audits but not change them.")


def may_edit_draft(user: User, audit: Audit) -> bool:
    """Only a draft's author changes it (a supervisor reads an inspector's draft but does not edit it)."""
    return may_write_audits(user) and audit.user_id == user.id


def may_resolve_violation(user: User, audit: Audit) -> bool:
    """Closing a violation: a supervisor of the audit's region or an admin, never the inspector who found it,
    so that a critical violation and the follow-up it causes cannot disappear without a supervisor."""
    if is_admin(user):
        return True
    return is_supervisor(user) and user.region_id is not None and audit.region_id == user.region_id


def may_review_audits(user: User | None) -> bool:
    """The review queue: admins (every region) and supervisors (their region); nobody else reviews."""
    return is_admin(user) or (is_supervisor(user) and getattr(user, "region_id", None) is not None)


def review_filter(user: User) -> sa.ColumnElement[bool]:
    """Audits in the user's review queue: every region's for admins, the own region's for supervisors, never
    their own (nobody reviews an audit they wrote)."""
    if is_admin(user):
        return Audit.user_id.is_distinct_from(user.id)
    if is_supervisor(user) and user.region_id is not None:
        return sa.and_(Audit.region_id == user.region_id, Audit.user_id.is_distinct_from(user.id))
    return sa.false()


def may_review_audit(user: User | None, audit: Audit) -> bool:
    """The same rule as `review_filter`, for one audit: a supervisor of its region or an admin, not its author."""
    if not may_review_audits(user) or audit.user_id == user.id:
        return False
    return is_admin(user) or audit.region_id == user.region_id


def require_reviewer(user: User) -> None:
    """Refuse the review queue to every role but supervisors and admins."""
    if not may_review_audits(user):
        raise Forbidden("Only supervisors and admins review audits.")


def may_correct_returned(user: User | None, audit: Audit) -> bool:
    """Filing the correction of an audit returned by review: its author (or anyone who may write audits and read
    it, as for any correction)."""
    return may_write_audits(user) and may_read_audit(user, audit)


# ---------------------------------------------------------------- prescriptions


def prescription_filter(user: User, prescription=None) -> sa.ColumnElement[bool]:
    """Prescriptions the user may read: all for admins and the ministry, the region's for supervisors, those
    of their own audits for inspectors (the same scope as the audits behind them)."""
    prescription = prescription if prescription is not None else Prescription
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return prescription.region_id == user.region_id
    if is_inspector(user):
        return prescription.audit_id.in_(sa.select(Audit.id).where(Audit.user_id == user.id))
    return sa.false()


def may_read_prescription(user: User, prescription) -> bool:
    """The same rule as `prescription_filter`, for one prescription (it follows its audit)."""
    return may_read_audit(user, prescription.audit)


def may_list_prescriptions(user: User | None) -> bool:
    """The lists of a region's and the country's prescriptions: those who read the registry."""
    return may_read_registry(user)


def require_prescription_lister(user: User) -> None:
    """Forbidden unless the user reads the lists of prescriptions."""
    if not may_list_prescriptions(user):
        raise Forbidden("Your role does not give access to the lists of prescriptions.")


def may_decide_prescription(user: User, prescription) -> bool:
    """Accepting or rejecting the facility's evidence, a new deadline, the facility's link: a supervisor of the
    region or an admin, never the inspector (the same rule as closing a violation)."""
    if is_admin(user):
        return True
    return is_supervisor(user) and user.region_id is not None and prescription.region_id == user.region_id


def require_prescription_decider(user: User, prescription) -> None:
    """Forbidden unless the user decides on this prescription's items."""
    if not may_decide_prescription(user, prescription):
        raise Forbidden("Only a supervisor of the region decides on a prescription's items.")


def may_start_audit_without_visit(user: User) -> bool:
    """Inspectors start audits from a stop of their route; supervisors and admins may open one anywhere."""
    return may_write_audits(user) and not is_inspector(user)


def may_search_facilities_to_inspect(user: User) -> bool:
    """The start form's facility search: for those who may start an audit without a visit."""
    return may_start_audit_without_visit(user)


# ---------------------------------------------------------------- schedules and jobs


def schedule_filter(user: User) -> sa.ColumnElement[bool]:
    """Schedules the user may review: all for admins and ministry, the own region for supervisors."""
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return Schedule.region_id == user.region_id
    return sa.false()


def default_build_region(user: User) -> Region | None:
    """The region a build without one is for: the supervisor's own; None (national) for the others."""
    return user.region if is_supervisor(user) else None


def may_build_schedules(user: User) -> bool:
    """Admins (any region, or nationally) and supervisors (their region) build schedules."""
    return _role(user) in WRITERS


def may_build_nationally(user: User) -> bool:
    """Only admins build every region at once."""
    return is_admin(user)


def require_builder(user: User, region: Region | None) -> None:
    """Admins build anywhere (and nationally), supervisors for their own region, nobody else."""
    if is_admin(user):
        return
    if is_supervisor(user) and region is not None and region.id == user.region_id:
        return
    if is_supervisor(user) and region is not None:
        raise NotFound("Region not found.", "region")
    raise Forbidden("Your role may not build schedules.")


def may_edit_schedule(user: User, schedule: Schedule) -> bool:
    """Admins and the region's supervisors edit, publish, repair and discard; the ministry only reads."""
    return is_admin(user) or (is_supervisor(user) and user.region_id == schedule.region_id)


def require_editor(user: User, schedule: Schedule) -> None:
    """Refuse a change of a schedule the user may only read."""
    if not may_edit_schedule(user, schedule):
        raise Forbidden("Your role may read schedules but not change them.")


def buildable_regions(session: Session, user: User) -> list[Region]:
    """Regions the user may build a schedule for."""
    query = sa.select(Region).order_by(Region.kato)
    if is_supervisor(user):
        query = query.where(Region.id == user.region_id)
    elif not is_admin(user):
        return []
    return list(session.scalars(query))


def may_read_job(user: User, job: Job) -> bool:
    """A job is its starter's; admins see every job."""
    return is_admin(user) or job.user_id == user.id


# ---------------------------------------------------------------- the inspector's day


def route_region(user: User) -> Region | None:
    """The region whose routes a user reads: an inspector's or a supervisor's own; None means every region."""
    return user.region if _role(user) in REGIONAL else None


def routes_released_only(user: User) -> bool:
    """Inspectors read a day only once it is released to them; supervisors and the others any day."""
    return is_inspector(user)


def now_utc() -> dt.datetime:
    """The current time, which the release rule reads; tests move it with monkeypatch."""
    return dt.datetime.now(dt.UTC)


def release_time(region: Region, day: dt.date) -> dt.datetime:
    """When the route of `day` reaches the inspectors of `region` (an aware datetime)."""
    if region.route_release == "evening":
        before = day - dt.timedelta(days=1)
        hour = settings_values.current("route_evening_release_hour", region.id)
        return dt.datetime.combine(before, dt.time(int(hour)), ALMATY)
    return dt.datetime.combine(day, dt.time(int(settings_values.current("route_release_hour", region.id))), ALMATY)


def is_released(region: Region, day: dt.date, now: dt.datetime | None = None) -> bool:
    """True while an inspector may read the day: from its release until the day ends in Almaty."""
    now = now or now_utc()
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), ALMATY)
    return release_time(region, day) <= now < day_end


def released_days(region: Region, now: dt.datetime | None = None) -> list[dt.date]:
    """The days an inspector of the region may read now: today, and tomorrow after an evening release."""
    now = now or now_utc()
    today = now.astimezone(ALMATY).date()
    return [d for d in (today, today + dt.timedelta(days=1)) if is_released(region, d, now)]


def routes_today(now: dt.datetime | None = None) -> dt.date:
    """Today in Almaty by the clock the release rule reads."""
    return (now or now_utc()).astimezone(ALMATY).date()


def may_read_day(user: User, region: Region | None, day: dt.date, now: dt.datetime | None = None) -> bool:
    """An inspector reads a day's route only while it is released to them; the other roles any day."""
    # Asked as membership, not is_released(day): any date may come from a URL, 9999-12-31 included.
    return not routes_released_only(user) or (region is not None and day in released_days(region, now))


def may_open_stop_now(user: User, visit: ScheduleVisit, now: dt.datetime | None = None) -> bool:
    """An urgent visit is its inspector's as soon as it is assigned; a planned stop only on its released day."""
    return bool(visit.urgent) or may_read_day(user, visit.schedule.region, visit.date, now)


def may_read_routes_of_others(user: User) -> bool:
    """Supervisors (their region), admins and the ministry read any inspector's day."""
    return may_read_registry(user)


def may_read_inspector_route(user: User, inspector: Inspector) -> bool:
    """Another inspector's day is readable by those who may read that inspector's region."""
    return sees_all_regions(user) or (is_supervisor(user) and any(r.id == user.region_id for r in inspector.regions))


def may_read_visit(user: User, visit: ScheduleVisit, own_inspector_id: int | None) -> bool:
    """A stop: an inspector's own (of their region), a supervisor's region's, any for admins and the ministry.

    Whether an inspector's day is released yet is `may_open_stop_now` (time, not role).
    """
    if is_inspector(user):
        return (own_inspector_id is not None and visit.inspector_id == own_inspector_id
                and user.region_id == visit.schedule.region_id)
    return sees_all_regions(user) or (is_supervisor(user) and user.region_id == visit.schedule.region_id)


def require_route_settings(user: User, region: Region) -> None:
    """Only the region's supervisors (and admins) choose when routes are released."""
    if not (is_admin(user) or (is_supervisor(user) and user.region_id == region.id)):
        raise Forbidden("Only the region's supervisors choose when routes are released.")


def may_read_access_log(user: User) -> bool:
    """Supervisors read their region's route access log; admins every region's."""
    return is_admin(user) or (is_supervisor(user) and user.region_id is not None)


def access_log_region(user: User) -> int | None:
    """The region a user's access log is limited to (None: all, for admins); Forbidden for the others."""
    if not may_read_access_log(user):
        raise Forbidden("Only supervisors read the access log of their region.")
    return None if is_admin(user) else user.region_id


def may_have_calendar(user: User | None) -> bool:
    """Only inspectors have a route calendar (a secret URL of their released days)."""
    return is_inspector(user) and bool(getattr(user, "is_active", False))


def may_reopen_audit(user: User, audit: Audit) -> bool:
    """Reopening a visit's audit: an inspector only their own; supervisors and admins any they may read."""
    return not is_inspector(user) or audit.user_id == user.id


# ---------------------------------------------------------------- accounts and administration


def may_manage_users(user: User | None) -> bool:
    """Admins manage every account; a region's supervisor their region's inspectors' accounts."""
    return is_admin(user) or (is_supervisor(user) and getattr(user, "region_id", None) is not None)


def user_admin_filter(user: User) -> sa.ColumnElement[bool]:
    """Accounts the user may list and manage: all for admins, the own region's inspectors for supervisors."""
    if is_admin(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return sa.and_(User.role == Role.INSPECTOR.value, User.region_id == user.region_id)
    return sa.false()


def may_manage_user(actor: User, target: User) -> bool:
    """The same rule as `user_admin_filter`, for one account."""
    if is_admin(actor):
        return True
    return (is_supervisor(actor) and actor.region_id is not None and target.role == Role.INSPECTOR
            and target.region_id == actor.region_id)


def check_user_manageable(actor: User, target: User | None) -> User:
    """The account if the actor may manage it; NotFound otherwise (another region's account is as if unknown)."""
    if target is None or not may_manage_users(actor) or not may_manage_user(actor, target):
        raise NotFound("User not found.")
    return target


def require_user_manager(user: User) -> None:
    """Only admins and supervisors manage accounts."""
    if not may_manage_users(user):
        raise Forbidden("Your role may not manage user accounts.")


def assignable_roles(actor: User) -> tuple[str, ...]:
    """Roles the actor may give an account: any for admins; supervisors create and keep inspectors only."""
    if is_admin(actor):
        return tuple(r.value for r in Role)
    if is_supervisor(actor):
        return (Role.INSPECTOR.value,)
    return ()


def require_role_assignment(actor: User, role: str, region_id: int | None, target: User | None = None) -> None:
    """Refuse a role the actor may not give, a region outside the supervisor's, and a change of one's own role.

    An escalation attempt is a refusal naming the field; nothing is written.
    """
    if target is not None and target.id == actor.id and role != target.role:
        raise Forbidden("Nobody changes their own role.", "role")
    if role not in assignable_roles(actor):
        raise Forbidden("Your role may not give this role.", "role")
    if is_supervisor(actor) and region_id != actor.region_id:
        raise Forbidden("You may only manage accounts of your own region.", "region_kato")


def may_read_admin_history(user: User | None) -> bool:
    """The administration history is read (and exported) by admins."""
    return is_admin(user)


def require_admin_history_reader(user: User) -> None:
    """Refuse the history to everyone but admins."""
    if not may_read_admin_history(user):
        raise Forbidden("Only admins read the administration history.")


def may_revoke_token_of(actor: User, owner: User) -> bool:
    """One's own tokens, and an admin anyone's."""
    return actor.id == owner.id or is_admin(actor)


def checklist_filter(user: User) -> sa.ColumnElement[bool]:
    """Checklist versions on the checklists page: all for admins; the national one and the own region's
    extension for supervisors; none for the others."""
    from inspect_app.models import ChecklistTemplate

    if is_admin(user):
        return sa.true()
    if is_supervisor(user) and user.region is not None:
        return sa.or_(ChecklistTemplate.region_kato.is_(None), ChecklistTemplate.region_kato == user.region.kato)
    return sa.false()


def may_read_checklists(user: User | None) -> bool:
    """The checklists page: admins and supervisors."""
    return is_admin(user) or (is_supervisor(user) and getattr(user, "region_id", None) is not None)


def require_checklist_reader(user: User) -> None:
    if not may_read_checklists(user):
        raise Forbidden("Your role may not manage checklists.")


def may_manage_checklist(user: User | None, region: Region | None) -> bool:
    """Upload and activate: the national template admins only; a regional extension admins and its supervisors."""
    if is_admin(user):
        return True
    return region is not None and is_supervisor(user) and user.region_id == region.id


def require_checklist_manager(user: User, region: Region | None) -> None:
    if not may_manage_checklist(user, region):
        raise Forbidden("Only admins change the national checklist; supervisors their region's extension.", "file")


def may_change_settings(user: User | None) -> bool:
    """The settings page (intervals, release hours, check-in distance, fill, deadlines): admins."""
    return is_admin(user)


def require_settings_editor(user: User) -> None:
    if not may_change_settings(user):
        raise Forbidden("Only admins change settings.")


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

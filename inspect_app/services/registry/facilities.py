"""The facility registry: list, read, create, edit and archive, always within the user's scope."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, ChangeRecord, District, Facility, Region, User, Violation, ViolationStatus
from inspect_app.models.notification import EventKind
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import (
    audit_filter,
    check_facility_visible,
    facility_filter,
    require_region_access,
    require_registry_editor,
    require_registry_reader,
)
from inspect_app.services.errors import Conflict
from inspect_app.services.notifications import emit, facility_resource
from inspect_app.services.regions import resolve_geo
from inspect_app.services.registry.history import diff, record_change
from inspect_app.services.registry.overdue import overdue_condition
from inspect_app.services.registry.search import facility_matches
from inspect_app.services.statistics import tally

TEXT_FIELDS = ("name_ru", "name_kk", "address", "risk_reason", "contact_name", "contact_phone", "contact_email")


def facility_query(user: User, args: dict[str, Any], locale: str = "ru") -> sa.Select:
    """A select of the facilities the user may see, filtered and sorted as `FacilityQueryArgsSchema` says;
    sorting by "name" uses the name in `locale` (Kazakh: name_kk, else name_ru)."""
    require_registry_reader(user)
    query = sa.select(Facility).where(facility_filter(user))
    if not args.get("archived"):
        query = query.where(Facility.archived_at.is_(None))
    else:
        query = query.where(Facility.archived_at.is_not(None))
    for key in ("type", "agency", "risk", "status"):
        if args.get(key):
            query = query.where(getattr(Facility, key) == args[key])
    if args.get("region"):
        query = query.where(Facility.region.has(Region.kato == args["region"]))
    if args.get("district"):
        query = query.where(Facility.district.has(District.kato == args["district"]))
    if args.get("q"):
        query = query.where(facility_matches(args["q"].strip(), address=True))
    if args.get("overdue"):
        query = query.where(overdue_condition(args["overdue"], today_almaty()))
    sort = args.get("sort") or "name_ru"
    key = sort.lstrip("-")
    if key == "name":
        key = "name_kk" if locale == "kk" else "name_ru"
    # A facility without a Kazakh name sorts by its Russian one among the Kazakh names.
    column = (sa.func.coalesce(sa.func.nullif(Facility.name_kk, ""), Facility.name_ru) if key == "name_kk"
              else getattr(Facility, key))
    query = query.order_by(column.desc() if sort.startswith("-") else column.asc(), Facility.id)
    return query.options(so.joinedload(Facility.region), so.joinedload(Facility.district))


def get_facility(session: Session, user: User, facility_id: int) -> Facility:
    """The facility with this id, or NotFound when it is missing or outside the user's scope."""
    require_registry_reader(user)
    return check_facility_visible(user, session.get(Facility, facility_id))


def _columns(data: dict[str, Any], region: Region, district: District | None) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k not in ("region_kato", "district_kato", "version")}
    for key in TEXT_FIELDS:
        if key in values and values[key] is None:
            values[key] = ""
    values["region_id"] = region.id
    values["district_id"] = district.id if district else None
    return values


def create_facility(session: Session, user: User, data: dict[str, Any]) -> Facility:
    """Create a facility from validated input and record its creation; commits."""
    require_registry_editor(user)
    region, district = resolve_geo(session, data["region_kato"], data.get("district_kato"))
    require_region_access(user, region.id)
    if session.scalar(sa.select(Facility.id).where(Facility.bin == data["bin"])) is not None:
        raise Conflict("A facility with this BIN is already registered.", "bin")
    facility = Facility(**_columns(data, region, district))
    try:
        with session.begin_nested():
            session.add(facility)
    except sa.exc.IntegrityError as exc:
        # Registered by a concurrent request after the check above.
        raise Conflict("A facility with this BIN is already registered.", "bin") from exc
    record_change(session, "facility", facility.id, "create", {"bin": [None, facility.bin]}, user)
    session.flush()
    emit(session, EventKind.FACILITY_CREATED, facility_resource(facility), region_id=facility.region_id)
    session.commit()
    return facility


def update_facility(session: Session, user: User, facility: Facility, data: dict[str, Any]) -> Facility:
    """Apply a (partial) validated update, record what changed; commits.

    A `version` in the input that differs from the stored one means the user edited a stale copy:
    the edit is refused with Conflict rather than overwriting someone else's change.
    """
    require_registry_editor(user)
    require_region_access(user, facility.region_id)
    version = data.get("version")
    if version is not None and version != facility.version:
        raise Conflict("Someone else changed this facility meanwhile; reload it and apply your edit again.",
                       "version")
    region_kato = data.get("region_kato", facility.region.kato)
    district_kato = data["district_kato"] if "district_kato" in data else (
        facility.district.kato if facility.district else None)
    region, district = resolve_geo(session, region_kato, district_kato)
    require_region_access(user, region.id)
    if data.get("bin") and data["bin"] != facility.bin:
        if session.scalar(sa.select(Facility.id).where(Facility.bin == data["bin"])) is not None:
            raise Conflict("A facility with this BIN is already registered.", "bin")
    values = _columns(data, region, district)
    if "district_kato" not in data and "region_kato" not in data:
        values.pop("district_id")
    changes = diff(facility, values)
    if changes:
        for key, value in values.items():
            setattr(facility, key, value)
        record_change(session, "facility", facility.id, "update", changes, user)
        if {"region_id", "district_id", "type", "agency"} & set(changes):
            tally.rebuild(session)  # the monthly counts follow the facility into its new district, type or agency
        session.flush()
        emit(session, EventKind.FACILITY_CHANGED, facility_resource(facility), region_id=facility.region_id)
        session.commit()
    return facility


def archive_facility(session: Session, user: User, facility: Facility, note: str = "") -> Facility:
    """Archive a facility (it leaves lists and schedules, its history stays); commits."""
    require_registry_editor(user)
    require_region_access(user, facility.region_id)
    if facility.archived_at is None:
        facility.archived_at = utcnow()
        record_change(session, "facility", facility.id, "archive", {"archived": [False, True]}, user, note)
        session.flush()
        emit(session, EventKind.FACILITY_CHANGED, facility_resource(facility), region_id=facility.region_id)
        session.commit()
    return facility


def facility_history(session: Session, facility: Facility) -> list[ChangeRecord]:
    """History of the facility and of every record merged into it, newest first."""
    ids = [facility.id]
    frontier = [facility.id]
    # Follow merges transitively: a record merged into one that was later merged itself still belongs here.
    while frontier:
        frontier = [i for i in session.scalars(sa.select(Facility.id).where(Facility.merged_into_id.in_(frontier)))
                    if i not in ids]
        ids.extend(frontier)
    return list(
        session.scalars(
            sa.select(ChangeRecord)
            .where(ChangeRecord.entity_type == "facility", ChangeRecord.entity_id.in_(ids))
            .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())
            .options(so.joinedload(ChangeRecord.user))
        )
    )


def facility_inspections(session: Session, user: User, facility: Facility, limit: int = 50) -> dict[str, list]:
    """What the facility page lists of its inspections, as far as the user may read audits: its audits (newest
    first), their violations (open ones first, by due date) and the follow-ups (inspections checking that an
    order was carried out). Returns {"audits", "violations", "followups"}, each at most `limit` long."""
    visible = sa.and_(Audit.facility_id == facility.id, audit_filter(user))
    audits = list(session.scalars(sa.select(Audit).where(visible).options(so.joinedload(Audit.user))
                                  .order_by(Audit.inspection_date.desc(), Audit.id.desc()).limit(limit)))
    violations = list(session.scalars(
        sa.select(Violation).join(Audit, Violation.audit_id == Audit.id).where(visible)
        .options(so.contains_eager(Violation.audit))
        .order_by((Violation.status != ViolationStatus.OPEN), Violation.due_date, Violation.id).limit(limit)))
    followups = [a for a in audits if a.basis_reason == "prior_order"]
    return {"audits": audits, "violations": violations, "followups": followups}

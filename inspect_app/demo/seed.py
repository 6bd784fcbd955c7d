"""Demo data: reference geography, demo users and a generated registry, loaded offline."""

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.data import load_regions, load_towns
from inspect_app.demo.generator import DEFAULT_REGION
from inspect_app.i18n import today_almaty
from inspect_app.models import (
    District,
    Facility,
    Inspector,
    InspectorAbsence,
    InspectorConflict,
    JobStatus,
    Region,
    User,
)
from inspect_app.runtime import current_runtime
from inspect_app.schemas.facility import FacilityInputSchema
from inspect_app.services.access import role_needs_region
from inspect_app.services.users import create_user

# Demo accounts only: `make run` prints them; production databases never get them.
DEMO_LOGINS = (
    ("admin", "admin-demo-1", "admin"),
    ("ministry", "ministry-demo-1", "ministry"),
    ("supervisor", "supervisor-demo-1", f"supervisor of {DEFAULT_REGION}"),
    ("inspector", "inspector-demo-1", f"inspector of {DEFAULT_REGION}"),
)


def registry_is_empty(session: Session) -> bool:
    """True when no facility has been registered yet."""
    return session.scalar(sa.select(Facility.id).limit(1)) is None


def ensure_geography(session: Session) -> tuple[int, int]:
    """Load the 20 regions and their districts when missing; returns (regions, districts) added. Flushes."""
    regions = {r.kato: r for r in session.scalars(sa.select(Region))}
    added_regions = 0
    for row in load_regions():
        if row["kato"] not in regions:
            region = Region(kato=row["kato"], name_ru=row["name_ru"], name_kk=row["name_kk"],
                            center_lat=row["center_lat"], center_lon=row["center_lon"])
            session.add(region)
            regions[row["kato"]] = region
            added_regions += 1
    session.flush()
    known = set(session.scalars(sa.select(District.kato)))
    added_districts = 0
    for town in load_towns():
        kato = town["district_kato"]
        if kato and kato not in known and town["region_kato"] in regions:
            session.add(District(kato=kato, region_id=regions[town["region_kato"]].id,
                                 name_ru=town["district_name_ru"], name_kk=town["district_name_kk"]))
            known.add(kato)
            added_districts += 1
    session.flush()
    return added_regions, added_districts


def seed_demo(
    session: Session,
    *,
    seed: int = 1,
    facilities: int = 1500,
    inspectors: int = 40,
    national: bool = False,
    today: date | None = None,
) -> str:
    """Load geography, demo users and a generated registry in one transaction; returns a summary line."""
    from inspect_app.demo.generator import generate_registry

    today = today or today_almaty()
    ensure_geography(session)
    regions = {r.kato: r for r in session.scalars(sa.select(Region))}
    districts = {d.kato: d for d in session.scalars(sa.select(District))}
    demo = generate_registry(seed, facilities=None if national else facilities,
                             inspectors=None if national else inspectors, today=today, national=national)
    existing_bins = set(session.scalars(sa.select(Facility.bin)))
    by_bin: dict[str, Facility] = {}
    # Through the rules every facility meets (API, forms, imports), so the demo stores what they would store:
    # phones in E.164, opening hours without empty days; an export of it re-imports as "unchanged".
    schema = FacilityInputSchema()
    for row in demo.facilities:
        if row["bin"] in existing_bins:
            continue
        values = schema.load({k: v for k, v in row.items() if v is not None})
        region = regions[values.pop("region_kato")]
        district = districts.get(values.pop("district_kato") or "")
        facility = Facility(**values, region_id=region.id, district_id=district.id if district else None)
        session.add(facility)
        by_bin[row["bin"]] = facility
    session.flush()
    users = set(session.scalars(sa.select(User.username)))
    for username, password, role in DEMO_LOGINS:
        if username not in users:
            base_role = role.split()[0]
            user = create_user(session, username, password, base_role,
                               DEFAULT_REGION if role_needs_region(base_role) else None,
                               full_name=f"Demo {base_role}", commit=False)
            # An address of the reserved .example domain: the demo's e-mails wait in the outbox page.
            user.email = f"{username}@tekseru.example"
    session.flush()
    demo_inspector_user = session.scalar(sa.select(User).where(User.username == "inspector"))
    count = 0
    for row in demo.inspectors:
        inspector = Inspector(
            full_name=row["full_name"], agency=row["agency"], skills=list(row["skills"]),
            home_address=row["home_address"], home_lat=row["home_lat"], home_lon=row["home_lon"],
            max_visits_per_day=row["max_visits_per_day"], max_minutes_per_day=row["max_minutes_per_day"],
            day_start=row["day_start"], day_end=row["day_end"],
            regions=[regions[k] for k in row["region_katos"] if k in regions],
        )
        for absence in row.get("absences", []):
            inspector.absences.append(InspectorAbsence(
                start_date=date.fromisoformat(absence["start"]), end_date=date.fromisoformat(absence["end"]),
                reason=absence.get("reason", "")))
        for bin_ in row.get("conflict_bins", []):
            if bin_ in by_bin:
                inspector.conflicts.append(InspectorConflict(facility=by_bin[bin_], reason="Родственник работает"))
        if count == 0 and demo_inspector_user is not None and demo_inspector_user.inspector is None \
                and DEFAULT_REGION in row["region_katos"]:
            inspector.user = demo_inspector_user
        session.add(inspector)
        count += 1
    from inspect_app.demo.audits import seed_audits
    from inspect_app.demo.reviews import seed_reviews

    audits = seed_audits(session, region_kato=DEFAULT_REGION, seed=seed, count=min(300, len(by_bin) // 5), today=today)
    accepted, returned, queued = seed_reviews(session, region_kato=DEFAULT_REGION, seed=seed, today=today)
    session.commit()
    return (f"Demo registry: {len(by_bin)} facilities, {count} inspectors, {audits} audits (seed {seed}); "
            f"review: {accepted} accepted, {returned} returned, {queued} in the queue.")


def publish_demo_schedule(session: Session, *, days: int = 10, seed: int = 1, time_limit: float = 8,
                          today: date | None = None) -> str:
    """Build and publish a schedule of the demo region for the working days from today (Almaty); commits.

    So that a fresh `make run` shows the demo inspector a real route today. The build is the real engine run
    inline with a short time limit; returns a summary line.
    """
    from inspect_app.models import Job, Schedule
    from inspect_app.services import jobs, schedules

    supervisor = session.scalar(sa.select(User).where(User.username == "supervisor"))
    if supervisor is None:
        return "No demo supervisor; no demo schedule."
    start = today or today_almaty()
    params, region = schedules.check_build(session, supervisor, {"region": DEFAULT_REGION, "start": start,
                                                                 "days": days, "seed": seed,
                                                                 "time_limit": time_limit}, current_runtime())
    job = Job(id=uuid.uuid4().hex, kind="schedule_build", params=params.as_job_params(),
              user_id=supervisor.id, region_id=region.id)
    session.add(job)
    session.commit()
    job = jobs.execute(session, job.id, current_runtime())
    ids = (job.result or {}).get("schedule_ids", [])
    if not ids:
        return f"Demo schedule not built: {job.error or job.status}."
    schedule = session.get(Schedule, ids[0])
    _give_demo_inspector_a_day(session, supervisor, schedule)
    schedule = schedules.publish_schedule(session, supervisor, schedule)
    mine = [v for v in schedule.visits if v.inspector.user_id is not None and v.date == schedule.start_date]
    return (f"Demo schedule #{schedule.id} published: {schedule.start_date}..{schedule.end_date}, "
            f"{len(schedule.visits)} visits ({len(mine)} for the demo inspector on {schedule.start_date}).")


def _give_demo_inspector_a_day(session: Session, supervisor: User, schedule, want: int = 3) -> None:
    """Hand-move nearby visits of the first day to the demo inspector (a supervisor's edit, re-validated by
    the engine) so the demo shows a route of a few stops; refused moves are skipped."""
    from inspect_app.services import schedules
    from inspect_app.services.errors import ServiceError
    from scheduler.travel import great_circle_km

    demo = session.scalar(sa.select(Inspector).join(User).where(User.username == "inspector"))
    if demo is None:
        return
    day = schedule.start_date
    others = sorted((v for v in schedule.visits if v.date == day and v.inspector_id != demo.id),
                    key=lambda v: great_circle_km(demo.home_lat, demo.home_lon, v.facility.lat, v.facility.lon))
    for visit in others[:15]:
        if sum(1 for v in schedule.visits if v.date == day and v.inspector_id == demo.id) >= want:
            return
        try:
            schedules.edit_schedule(session, supervisor, schedule,
                                    {"action": "move", "visit_id": visit.id, "inspector_id": demo.id, "date": day})
        except ServiceError:
            session.rollback()
        session.refresh(schedule)


def run_demo_whatif(session: Session, *, time_limit: float | None = None) -> str:
    """Run one capacity what-if of the demo region (medium risk every 120 days instead of 180, next month) so the
    capacity page shows a result side by side with today's; returns a summary line."""
    from inspect_app.services.capacity.whatif import run_whatif_now

    supervisor = session.scalar(sa.select(User).where(User.username == "supervisor"))
    if supervisor is None:
        return "No demo supervisor; no what-if."
    if time_limit is None:  # at most 5 s a solve: the demo's first start should not wait long
        time_limit = min(5.0, current_runtime().capacity_whatif_time_limit)
    job = run_whatif_now(session, supervisor, {"region": DEFAULT_REGION, "scenario": "interval",
                                               "interval_days": 120}, current_runtime(), time_limit=time_limit)
    if job.status != JobStatus.FINISHED:
        return f"Demo what-if not run: {job.error or job.status}."
    today, what_if = job.result["today"], job.result["what_if"]
    return (f"Demo what-if (medium risk every 120 days, {job.result['first']}..{job.result['last']}): must-visits "
            f"placed {today['must_placed']}/{today['must']} -> {what_if['must_placed']}/{what_if['must']}, "
            f"year's gap {today['gap_days']} -> {what_if['gap_days']} inspector-days.")

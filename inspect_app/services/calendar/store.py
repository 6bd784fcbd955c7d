"""The calendar's database part: the government's transfers and the school breaks, read and edited.

What this promises:
- `facility_calendar` and `horizon` read everything that decides working days and open facilities for a
  period, so the build, the year bench and capacity planning plan on the same days.
- A school year nobody entered follows the nearest entered year before it (or after it), moved by whole years:
  the published year is the default until an admin enters the new one.
- `save_transfers` / `save_breaks` (admins only) validate the whole list first (dates, overlaps, a date
  another year already uses) and then replace the year's rows in one transaction with one history row
  (`changes` old -> new), so an edit is never half-written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import CalendarTransfer, ChangeRecord, Facility, FacilityClosure, SchoolBreak, User
from inspect_app.schemas.calendar import BreaksInputSchema, TransfersInputSchema
from inspect_app.services.access import require_calendar_editor
from inspect_app.services.calendar.rules import (
    TYPE_RULES,
    Break,
    Closure,
    FacilityCalendar,
    Transfer,
    TypeRule,
    WorkCalendar,
    check_breaks,
    public_holidays,
    shifted_breaks,
    with_package_transfers,
    work_calendar,
)
from inspect_app.services.errors import Conflict, InvalidInput
from inspect_app.services.registry.history import record_change

CHANGED_MEANWHILE = "Another save changed the calendar at the same moment; reload and save again."
OUTSIDE_SCHOOL_YEAR = "The break must lie in its school year (1 August to 31 August of the next year)."


def school_year_of(day: dt.date) -> int:
    """The school year a date belongs to (it starts on 1 September): 2026-12-16 -> 2026, 2027-05-30 -> 2026."""
    return day.year if day.month >= 9 else day.year - 1


def transfers(session: Session, years: Sequence[int]) -> list[CalendarTransfer]:
    """The stored transfers of these calendar years, by date."""
    rows = session.scalars(sa.select(CalendarTransfer).where(CalendarTransfer.year.in_(list(years))))
    return sorted(rows, key=lambda t: (t.day_off or t.working_day, t.working_day or t.day_off))


def working_calendar(session: Session, first: dt.date, last: dt.date, workdays: Sequence[str]) -> WorkCalendar:
    """Working days around [first, last] (a year either side, so a horizon may run past `last`), on the
    deployment's working week `workdays` (Runtime.workdays)."""
    years = list(range(first.year - 1, last.year + 2))
    rows = transfers(session, years)
    cal = work_calendar(tuple(workdays), [Transfer(t.day_off, t.working_day, t.note) for t in rows])
    return with_package_transfers(cal, years)


def school_breaks(session: Session, school_year: int) -> tuple[list[SchoolBreak | Break], bool]:
    """A school year's breaks and whether they are assumed (nobody entered the year: the nearest entered
    year's dates, moved)."""
    rows = list(session.scalars(sa.select(SchoolBreak).where(SchoolBreak.school_year == school_year)
                                .order_by(SchoolBreak.start_date)))
    if rows:
        return rows, False
    years = list(session.scalars(sa.select(SchoolBreak.school_year).distinct()))
    if not years:
        return [], True
    nearest = min(years, key=lambda y: (abs(y - school_year), y > school_year))
    source = session.scalars(sa.select(SchoolBreak).where(SchoolBreak.school_year == nearest)
                             .order_by(SchoolBreak.start_date))
    return shifted_breaks([Break(b.start_date, b.end_date, b.note) for b in source], school_year - nearest), True


def facility_calendar(session: Session, first: dt.date, last: dt.date, region_id: int | None = None,
                      facility_ids: Sequence[int] | None = None, *, workdays: Sequence[str],
                      type_overrides: Mapping[str, Mapping[str, bool]]) -> FacilityCalendar:
    """Working days, school breaks and closures (of a region's or these facilities, or all) around
    [first, last], on the deployment's working week and type rules (Runtime.workdays, calendar_type_rules)."""
    breaks: list[Break] = []
    for year in range(school_year_of(first) - 1, school_year_of(last) + 2):
        for b in school_breaks(session, year)[0]:
            breaks.append(b if isinstance(b, Break) else Break(b.start_date, b.end_date, b.note))
    query = sa.select(FacilityClosure).where(FacilityClosure.end_date >= first - dt.timedelta(days=366),
                                             FacilityClosure.start_date <= last + dt.timedelta(days=366))
    if region_id is not None:
        query = query.join(Facility, Facility.id == FacilityClosure.facility_id).where(Facility.region_id == region_id)
    if facility_ids is not None:
        query = query.where(FacilityClosure.facility_id.in_(list(facility_ids)))
    closures: dict[int, list[Closure]] = {}
    for c in session.scalars(query):
        closures.setdefault(c.facility_id, []).append(Closure(c.start_date, c.end_date, c.reason))
    return FacilityCalendar(work=working_calendar(session, first, last, workdays), breaks=tuple(breaks),
                            closures={k: tuple(v) for k, v in closures.items()}, type_rules=type_rules(type_overrides))


def type_rules(overrides: Mapping[str, Mapping[str, bool]]) -> dict[str, TypeRule]:
    """The facility types' break and meal rules with this deployment's overrides (CALENDAR_TYPE_RULES)."""
    rules = dict(TYPE_RULES)
    for kind, override in (overrides or {}).items():
        rules[kind] = replace(rules.get(kind, TypeRule()), **override)
    return rules


def horizon(session: Session, start: dt.date, days: int, workdays: Sequence[str]) -> list[dt.date]:
    """The first `days` working days from `start` on Kazakhstan's calendar and the deployment's working week."""
    return working_calendar(session, start, start + dt.timedelta(days=2 * days + 30), workdays).horizon(start, days)


def check_year(year: int, field: str = "year") -> int:
    """The year when the calendar may hold it (the dates' range), else InvalidInput naming the field."""
    if not 1990 <= year <= 2098:
        raise InvalidInput("Expected a year from 1990 to 2098.", field)
    return year


def calendar_history(session: Session, year: int) -> list[ChangeRecord]:
    """Every change of a year's transfers and of the school year starting in it, newest first."""
    return list(session.scalars(sa.select(ChangeRecord).where(
        ChangeRecord.entity_type.in_(("calendar_transfers", "school_breaks")), ChangeRecord.entity_id == year)
        .order_by(ChangeRecord.at.desc(), ChangeRecord.id.desc())))


def year_view(session: Session, year: int, workdays: Sequence[str]) -> dict[str, Any]:
    """A calendar year as the page and the API show it: holidays, transfers, the school year starting in it."""
    cal = working_calendar(session, dt.date(year, 1, 1), dt.date(year, 12, 31), workdays)
    breaks, assumed = school_breaks(session, year)
    holidays = [{"date": d.isoformat(), "name": name} for d, name in sorted(public_holidays(year).items())]
    return {"year": year, "holidays": holidays, "transfers": transfers(session, [year]), "school_year": year,
            "breaks": [{"start_date": b.start_date, "end_date": b.end_date, "note": b.note}
                       if isinstance(b, SchoolBreak) else {"start_date": b.start, "end_date": b.end, "note": b.note}
                       for b in breaks],
            "breaks_assumed": assumed,
            "working_days": len(cal.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))}


def _text(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


def _flush_or_conflict(session: Session, field: str) -> None:
    """Write now; a unique index refusing a date another save took at the same moment is a 409, not a 500."""
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        session.rollback()
        raise Conflict(CHANGED_MEANWHILE, field) from exc


def save_transfers(session: Session, user: User, year: int, items: list[dict[str, Any]]) -> list[CalendarTransfer]:
    """Replace a calendar year's transfers (validated whole, then written in one transaction, with history)."""
    require_calendar_editor(user)
    check_year(year)
    errors: dict[str, list[str]] = {}
    seen: set[dt.date] = set()
    for k, item in enumerate(items):
        dates = {n: item[n] for n in ("day_off", "working_day") if item.get(n) is not None}
        if dates and not any(d.year == year for d in dates.values()):
            errors[f"transfers.{k}.{next(iter(dates))}"] = ["The transfer must have a date in its year."]
        for name, day in dates.items():
            if day in seen:
                errors.setdefault(f"transfers.{k}.{name}", ["The date is listed twice."])
            seen.add(day)
    taken = session.execute(sa.select(CalendarTransfer.day_off, CalendarTransfer.working_day)
                            .where(CalendarTransfer.year != year)).all()
    used = {d for pair in taken for d in pair if d is not None}
    for k, item in enumerate(items):
        for name in ("day_off", "working_day"):
            if item.get(name) in used:
                errors.setdefault(f"transfers.{k}.{name}", ["Another year's transfer already uses this date."])
    if errors:
        raise InvalidInput("Check the transfers.", next(iter(errors)), errors)
    old = transfers(session, [year])
    before = [f"{_text(t.day_off)}>{_text(t.working_day)} {t.note}".rstrip() for t in old]
    # A statement, not ORM deletes: a save running at the same moment may have deleted these rows already
    # (then its inserts meet ours at the unique indexes: one of the two answers 409).
    session.execute(sa.delete(CalendarTransfer).where(CalendarTransfer.year == year)
                    .execution_options(synchronize_session=False))
    for row in old:
        session.expunge(row)
    new = [CalendarTransfer(year=year, day_off=i.get("day_off"), working_day=i.get("working_day"),
                            note=i.get("note", "")) for i in items]
    session.add_all(new)
    _flush_or_conflict(session, "transfers")
    after = [f"{_text(t.day_off)}>{_text(t.working_day)} {t.note}".rstrip() for t in new]
    if before != after:
        record_change(session, "calendar_transfers", year, "update", {"transfers": [before, after]}, user)
    session.commit()
    return transfers(session, [year])


def save_breaks(session: Session, user: User, school_year: int, items: list[dict[str, Any]]) -> list[SchoolBreak]:
    """Replace a school year's breaks (validated whole: order, overlaps, inside the school year; one transaction
    with history)."""
    require_calendar_editor(user)
    check_year(school_year)
    breaks = [Break(i["start_date"], i["end_date"], i.get("note", "")) for i in items]
    errors: dict[str, list[str]] = {}
    first, last = dt.date(school_year, 8, 1), dt.date(school_year + 1, 8, 31)
    for k, b in enumerate(breaks):
        if not (first <= b.start <= last and first <= b.end <= last):
            errors[f"breaks.{k}.start_date"] = [OUTSIDE_SCHOOL_YEAR]
    for k, name, message in check_breaks(breaks):
        errors.setdefault(f"breaks.{k}.{name}", [message])
    if errors:
        raise InvalidInput("Check the breaks.", next(iter(errors)), errors)
    old = list(session.scalars(sa.select(SchoolBreak).where(SchoolBreak.school_year == school_year)
                               .order_by(SchoolBreak.start_date)))
    before = [f"{b.start_date}..{b.end_date} {b.note}".rstrip() for b in old]
    session.execute(sa.delete(SchoolBreak).where(SchoolBreak.school_year == school_year)
                    .execution_options(synchronize_session=False))
    for row in old:
        session.expunge(row)
    new = [SchoolBreak(school_year=school_year, start_date=b.start, end_date=b.end, note=b.note)
           for b in sorted(breaks, key=lambda b: b.start)]
    session.add_all(new)
    _flush_or_conflict(session, "breaks")
    after = [f"{b.start_date}..{b.end_date} {b.note}".rstrip() for b in new]
    if before != after:
        record_change(session, "school_breaks", school_year, "update", {"breaks": [before, after]}, user)
    session.commit()
    return new


PUBLISHED = Path(__file__).with_name("published.json")


def load_published(session: Session, user: User, path: Path = PUBLISHED) -> dict[str, list[int]]:
    """Add the published years of the repo's calendar file that the database does not hold yet (a year an
    admin entered or edited is left alone); each added year through `save_transfers` / `save_breaks`, so with
    validation and history. Returns the years added."""
    data = json.loads(path.read_text(encoding="utf-8"))
    added: dict[str, list[int]] = {"transfers": [], "school_years": []}
    for year, entry in sorted(data.get("transfers", {}).items()):
        stored = session.scalar(sa.select(sa.func.count()).select_from(CalendarTransfer)
                                .where(CalendarTransfer.year == int(year)))
        if entry.get("items") and not stored:
            items = TransfersInputSchema().load({"transfers": entry["items"]})["transfers"]
            save_transfers(session, user, int(year), items)
            added["transfers"].append(int(year))
    for year, entry in sorted(data.get("school_years", {}).items()):
        stored = session.scalar(sa.select(sa.func.count()).select_from(SchoolBreak)
                                .where(SchoolBreak.school_year == int(year)))
        if entry.get("breaks") and not stored:
            items = BreaksInputSchema().load({"breaks": entry["breaks"]})["breaks"]
            save_breaks(session, user, int(year), items)
            added["school_years"].append(int(year))
    return added

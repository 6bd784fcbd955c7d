"""Which dates are working days and which facilities are open on them (pure: no database, no Flask).

- Working day: a weekday of the deployment's working week (Monday to Friday) that is no public holiday of
  the `holidays` package's Kazakhstan calendar (Nauryz, Independence Day, the movable Kurban Ait, the
  weekend-holiday days off the law moves to Monday ...) and no day off the government transferred; or a day
  the government made a working day (a Saturday), worked with the hours of the weekday whose day off it pays
  for.
- A facility is open on a working day unless one of its own closures covers it, or the school year is in a
  break (the summer is the break that holds 15 July) and its type is closed in breaks (summer): see
  `TYPE_RULES`. Camps keep their season (the registry's `season_start`/`season_end`).
- Meals: a check that needs meals served (the nutrition section) is planned only on dates its type serves
  meals: a school canteen serves none in a break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SUMMER_MARK = (7, 15)
# No horizon spans more than this many calendar days (a misconfigured week could otherwise loop for ever).
MAX_SPAN_DAYS = 3 * 366


@dataclass(frozen=True)
class TypeRule:
    """Whether a facility type works in the school breaks and the summer, and serves meals then."""

    open_in_breaks: bool = True
    open_in_summer: bool = True
    meals_in_breaks: bool = True
    meals_in_summer: bool = True


# Schools close in breaks and the summer; boarding schools keep the children who stay (meals too) in the
# short breaks and close for the summer; colleges keep their own semesters, not the school's breaks, and close
# for the summer; kindergartens, clubs and leisure centres work all year; camps live by their season.
TYPE_RULES: dict[str, TypeRule] = {
    "school": TypeRule(open_in_breaks=False, open_in_summer=False, meals_in_breaks=False, meals_in_summer=False),
    "boarding_school": TypeRule(open_in_summer=False, meals_in_summer=False),
    "college": TypeRule(open_in_summer=False, meals_in_summer=False),
    "kindergarten": TypeRule(),
    "summer_camp": TypeRule(),
    "sports_club": TypeRule(),
    "leisure_centre": TypeRule(),
    "other": TypeRule(),
}


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[dt.date, str]:
    """Kazakhstan's public holidays of a year (with the law's weekend days off and the transfers the package
    knows), English names."""
    return dict(holidays.country_holidays("KZ", years=year))


@lru_cache(maxsize=64)
def package_working_days(year: int) -> frozenset[dt.date]:
    """Weekend days the package knows the government made working days (transfers up to its release)."""
    cal = holidays.country_holidays("KZ", years=year)
    return frozenset(d for d in getattr(cal, "weekend_workdays", ()) if d.year == year)


@dataclass(frozen=True)
class Transfer:
    """A transfer: the day off nobody works and/or the weekend day worked instead."""

    day_off: dt.date | None
    working_day: dt.date | None
    note: str = ""


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the working week, less public holidays and transferred days off, plus transferred working
    days (each mapped to the weekday whose hours it is worked with)."""

    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    days_off: Mapping[dt.date, str] = field(default_factory=dict)
    working_days: Mapping[dt.date, str] = field(default_factory=dict)

    def is_working(self, day: dt.date) -> bool:
        """True when inspectors work on this date."""
        if day in self.working_days:
            return True
        if day in self.days_off or day in public_holidays(day.year):
            return False
        return WEEKDAYS[day.weekday()] in self.workdays

    def weekday(self, day: dt.date) -> str:
        """The weekday whose opening hours apply (a transferred working Saturday works as its day off's day)."""
        return self.working_days.get(day) or WEEKDAYS[day.weekday()]

    def horizon(self, start: dt.date, days: int) -> list[dt.date]:
        """The first `days` working days from `start` (inclusive)."""
        out, day = [], start
        while len(out) < days:
            if (day - start).days > MAX_SPAN_DAYS:
                raise ValueError("no working day in three years: check the working week")
            if self.is_working(day):
                out.append(day)
            day += dt.timedelta(days=1)
        return out

    def between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Working days from `first` to `last`, both inclusive."""
        return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)
                if self.is_working(first + dt.timedelta(days=k))]

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday (or transferred day off) that makes a weekday free, or None."""
        return self.days_off.get(day) or public_holidays(day.year).get(day)


def work_calendar(workdays: Sequence[str], transfers: Iterable[Transfer]) -> WorkCalendar:
    """The working calendar of a working week and the government's transfers (besides the package's)."""
    if not set(workdays) & set(WEEKDAYS):
        raise ValueError("no working weekday configured")
    days_off: dict[dt.date, str] = {}
    working: dict[dt.date, str] = {}
    for t in transfers:
        if t.day_off is not None:
            days_off[t.day_off] = t.note or "transferred day off"
        if t.working_day is not None:
            working[t.working_day] = WEEKDAYS[t.day_off.weekday()] if t.day_off is not None else "fri"
    return WorkCalendar(tuple(workdays), days_off, working)


def with_package_transfers(calendar: WorkCalendar, years: Iterable[int]) -> WorkCalendar:
    """Add the weekend working days the package knows for these years (worked with Friday's hours)."""
    extra = {d: "fri" for y in years for d in package_working_days(y) if d not in calendar.working_days}
    if not extra:
        return calendar
    return WorkCalendar(calendar.workdays, calendar.days_off, {**calendar.working_days, **extra})


@dataclass(frozen=True)
class Break:
    """A school break, inclusive dates."""

    start: dt.date
    end: dt.date
    note: str = ""

    @property
    def summer(self) -> bool:
        """The summer break is the one that holds 15 July."""
        return any(self.start <= dt.date(y, *SUMMER_MARK) <= self.end for y in (self.start.year, self.end.year))


def check_breaks(breaks: Sequence[Break]) -> list[tuple[int, str, str]]:
    """Problems of a year's breaks as (line index, field, message): end before start, overlaps."""
    problems = []
    for k, b in enumerate(breaks):
        if b.end < b.start:
            problems.append((k, "end_date", "The break ends before it starts."))
    ordered = sorted(range(len(breaks)), key=lambda k: breaks[k].start)
    for a, b in zip(ordered, ordered[1:]):
        if breaks[b].start <= breaks[a].end:
            problems.append((b, "start_date", "The break overlaps another break."))
    return problems


def shifted_breaks(breaks: Sequence[Break], years: int) -> list[Break]:
    """A published year's breaks moved by whole years: the default of a year nobody has entered yet."""
    def move(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    return [Break(move(b.start), move(b.end), b.note) for b in breaks]


@dataclass(frozen=True)
class Closure:
    """A facility's own closure, inclusive dates."""

    start: dt.date
    end: dt.date
    reason: str = "other"


@dataclass(frozen=True)
class FacilityCalendar:
    """Everything that decides on which working days a facility can be visited."""

    work: WorkCalendar = field(default_factory=WorkCalendar)
    breaks: tuple[Break, ...] = ()
    closures: Mapping[int, tuple[Closure, ...]] = field(default_factory=dict)
    type_rules: Mapping[str, TypeRule] = field(default_factory=lambda: dict(TYPE_RULES))

    def break_on(self, day: dt.date) -> Break | None:
        """The school break covering a date, or None."""
        return next((b for b in self.breaks if b.start <= day <= b.end), None)

    def closed_reason(self, facility_id: int, facility_type: str, day: dt.date) -> str | None:
        """Why the facility is closed on a date ("closure", "school_break", "summer_break"), or None when open."""
        if any(c.start <= day <= c.end for c in self.closures.get(facility_id, ())):
            return "closure"
        brk = self.break_on(day)
        rule = self.type_rules.get(facility_type, TypeRule())
        if brk is not None:
            if brk.summer and not rule.open_in_summer:
                return "summer_break"
            if not brk.summer and not rule.open_in_breaks:
                return "school_break"
        return None

    def serves_meals(self, facility_type: str, day: dt.date) -> bool:
        """True when a facility of this type serves meals on a date it is open."""
        brk = self.break_on(day)
        if brk is None:
            return True
        rule = self.type_rules.get(facility_type, TypeRule())
        return rule.meals_in_summer if brk.summer else rule.meals_in_breaks

    def visit_dates(self, facility_id: int, facility_type: str, dates: Iterable[dt.date],
                    needs_meals: bool) -> tuple[list[dt.date], str | None]:
        """The dates a facility may be visited and, when there is none, the reason (the commonest one)."""
        open_dates, reasons = [], []
        for day in dates:
            why = self.closed_reason(facility_id, facility_type, day)
            if why is None and needs_meals and not self.serves_meals(facility_type, day):
                why = "no_meals"
            if why is None:
                open_dates.append(day)
            else:
                reasons.append(why)
        if open_dates or not reasons:
            return open_dates, None
        return [], max(sorted(set(reasons)), key=reasons.count)

"""factory_boy factories for the app's models; they flush into the test's session."""

import itertools

import factory

from inspect_app import kz_bin
from inspect_app.extensions import db
from inspect_app.models import District, Facility, Inspector, Region, User


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the session is swapped per test
        sqlalchemy_session_persistence = "flush"


_serial = itertools.count(1)


def valid_bin(serial: int | None = None) -> str:
    """A valid BIN: registered 2019-05, resident legal entity, head unit, a serial, its check digit."""
    while True:
        n = serial if serial is not None else next(_serial)
        first11 = f"190540{n:05d}"
        try:
            return first11 + kz_bin.calc_check_digit(first11)
        except Exception:  # noqa: BLE001 - a serial without a check digit: take the next one
            if serial is not None:
                serial += 1


class RegionFactory(Base):
    class Meta:
        model = Region

    # Codes starting with 9, which no real region has: the sequence never meets Almaty's 190000000.
    kato = factory.Sequence(lambda n: f"9{n % 100_000:05d}000")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_kk = factory.Sequence(lambda n: f"{n} облысы")
    center_lat = 43.25
    center_lon = 76.95


def almaty_region(session) -> Region:
    """The Almaty region (KATO 190000000) the served apps' users work in, added and flushed."""
    region = Region(kato="190000000", name_ru="Алматинская область", name_kk="Алматы облысы",
                    center_lat=43.25, center_lon=76.95)
    session.add(region)
    session.flush()
    return region


class DistrictFactory(Base):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    kato = factory.Sequence(lambda n: f"8{n:05d}000"[-9:])
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_kk = factory.Sequence(lambda n: f"{n} ауданы")


class FacilityFactory(Base):
    class Meta:
        model = Facility

    bin = factory.LazyFunction(valid_bin)
    name_ru = factory.Sequence(lambda n: f"Средняя школа № {n}")
    name_kk = factory.Sequence(lambda n: f"№ {n} жалпы білім беретін мектебі")
    type = "school"
    agency = "education"
    region = factory.SubFactory(RegionFactory)
    address = "ул. Абая, 1"
    lat = 43.25
    lon = 76.95
    children_count = 800
    opening_hours = factory.LazyFunction(lambda: {d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})
    risk = "medium"
    status = "active"


class UserFactory(Base):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Пользователь {n}")
    role = "supervisor"
    region = factory.SubFactory(RegionFactory)
    password_hash = factory.LazyFunction(lambda: _hashed())

    class Params:
        national = factory.Trait(region=None)


_PASSWORD_HASH: list[str] = []


def _hashed() -> str:
    # Hashing scrypt for every user would slow the suite; all test users share one password.
    if not _PASSWORD_HASH:
        from werkzeug.security import generate_password_hash

        _PASSWORD_HASH.append(generate_password_hash(PASSWORD, method="scrypt"))
    return _PASSWORD_HASH[0]


PASSWORD = "correct-horse-1"


class InspectorFactory(Base):
    class Meta:
        model = Inspector

    full_name = factory.Sequence(lambda n: f"Инспектор {n}")
    agency = "education"
    skills = factory.LazyFunction(lambda: ["safety", "nutrition", "health"])
    home_lat = 43.24
    home_lon = 76.91
    regions = factory.LazyAttribute(lambda o: [RegionFactory()])


def published_visit(session, user, facility, day=None, commit: bool = False) -> int:
    """A visit of `facility` by `user`'s inspector on `day` (today in Almaty) in a published schedule; its id.

    Inspectors start audits only from a released stop of their route, so tests that open audits as an
    inspector give each one its visit.
    """
    from inspect_app.i18n import today_almaty
    from inspect_app.models import Schedule, ScheduleVisit

    day = day or today_almaty()
    inspector = user.inspector
    if inspector is None:
        inspector = Inspector(full_name=user.full_name or user.username, agency="education",
                              skills=["safety", "nutrition", "health"], home_lat=facility.lat, home_lon=facility.lon,
                              regions=[facility.region], user=user)
        session.add(inspector)
    schedule = Schedule(region_id=facility.region_id, start_date=day, end_date=day, seed=1, time_limit=1,
                        status="published", problem={"dates": [day.isoformat()], "facilities": [], "inspectors": []},
                        problem_sha256="0" * 64, schedule={"routes": [], "unscheduled": []}, stats={})
    visit = ScheduleVisit(inspector=inspector, facility=facility, date=day, start="09:00", end="10:00", order=0)
    schedule.visits.append(visit)
    session.add(schedule)
    session.flush()
    if commit:
        session.commit()
    return visit.id

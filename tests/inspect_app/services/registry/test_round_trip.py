"""Does re-importing the app's own export, in every format, change nothing at all?"""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from inspect_app.demo.seed import seed_demo
from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, Facility
from inspect_app.services.registry.import_export import export_registry, import_registry
from tests.factories import FacilityFactory, valid_bin

# Values an export must carry through unchanged: quotes that CSV doubles, text that looks like a formula or like
# an escaped one, hours of every shape (closed days stored as [], split days, weekends only, none), empty fields.
TRICKY = [
    {"name_ru": '"ДЮСШ №3" г. Талгар', "opening_hours": {"mon": [["08:00", "18:00"]], "sat": [], "sun": []}},
    {"name_ru": "'=ДЮСШ' «Тулпар»", "opening_hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]],
                                                      "tue": [["08:00", "12:00"], ["13:00", "18:00"]]}},
    {"name_ru": "=HYPERLINK(\"x\")", "opening_hours": {"sat": [["10:00", "14:00"]], "sun": [["10:00", "14:00"]]}},
    {"name_ru": "'Кавычка в начале", "opening_hours": {}, "name_kk": "", "address": "", "contact_phone": "",
     "contact_email": "", "contact_name": "", "risk_reason": ""},
    {"name_ru": "Школа; «точка с запятой», \"кавычки\"\r\nи перенос", "address": "-12 мкр., д. 5",
     "opening_hours": {d: [["07:30", "19:00"]] for d in ("mon", "tue", "wed", "fri", "sun")},
     "contact_phone": "+77011234567", "contact_email": "a.b@mail.kz", "last_inspection_date": date(2026, 5, 4)},
]


def _snapshot():
    columns = Facility.__table__.columns
    return [{c.key: getattr(f, c.key) for c in columns}
            for f in db.session.scalars(sa.select(Facility).order_by(Facility.id))]


@pytest.fixture
def demo_registry(geography, admin):
    """A small demo registry (its generator's names, hours and contacts) plus the tricky values above."""
    seed_demo(db.session, facilities=120, inspectors=4, today=date(2026, 11, 25))
    for extra in TRICKY:
        FacilityFactory(region=geography["190000000"], bin=valid_bin(), **extra)
    db.session.commit()
    return _snapshot()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "json"])
def test_reimporting_an_export_changes_nothing(admin, demo_registry, fmt):
    """Does an export re-import as 0 created, 0 updated, no history, every field byte-identical?"""
    history = db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord))
    buffer = io.BytesIO()
    export_registry(db.session, admin, fmt, buffer, {})
    buffer.seek(0)
    result = import_registry(db.session, admin, buffer, f"registry.{fmt}")
    assert result.committed and not result.errors, result.errors[:5]
    assert (result.created, result.updated, result.unchanged) == (0, 0, len(demo_registry))
    db.session.expire_all()
    assert _snapshot() == demo_registry
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)) == history

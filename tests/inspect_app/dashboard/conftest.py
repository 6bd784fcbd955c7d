"""A small hand-made registry with submitted audits whose statistics are known by heart.

Region A (the supervisor's), period today-300 .. today:
- f1 school, high risk, district 1: audit a1 (today-100, planned, fails a critical and a minor item; the
  minor one resolved) and a3 (today-20, planned, fails a major item) -> in time.
- f2 kindergarten, medium risk, district 2: an old audit (today-400, outside the period, its critical
  violation still open) and a2 (today-10, monitoring, all pass) corrected once -> in time.
- f3 school, low risk, no district: never inspected -> overdue.
- f4 archived, f5 a closed camp: f4 counts nowhere, f5 only in the registry counts.
Region B: g1 school, high risk, audit b1 (today-5, fails a critical item, deadline not yet passed).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, Facility
from inspect_app.services import audits, checklists
from inspect_app.services.audits import drafts
from tests.answers import act_fields
from tests.factories import DistrictFactory, FacilityFactory
from tests.inspect_app.services.audits.conftest import answers_for, new_uuid


def submit_audit(user, facility: Facility, day: date, basis: str = "planned", failing=()) -> Audit:
    """Open a draft through the audit service, answer every item (the `failing` ones fail) and submit it."""
    audit, _created = drafts.create_draft(db.session, user, {
        "client_uuid": new_uuid(), "facility_id": facility.id, "legal_basis": basis, "inspection_date": day})
    answers = answers_for(checklists.parsed(audit.template), facility.type, failing)
    return audits.submit(db.session, user, audit, {"client_uuid": new_uuid(), "answers": answers, **act_fields()})


@dataclass
class Dataset:
    """The facilities and audits of the hand-made dataset, and the period its figures are for."""

    today: date
    date_from: date
    date_to: date
    f1: Facility
    f2: Facility
    f3: Facility
    g1: Facility
    district_1: object
    district_2: object

    @property
    def period(self) -> dict[str, date]:
        """The period as the service's arguments."""
        return {"date_from": self.date_from, "date_to": self.date_to}

    @property
    def query(self) -> dict[str, str]:
        """The period as query-string arguments."""
        return {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}


@pytest.fixture
def dataset(users, region_a, region_b) -> Dataset:
    """The dataset described in this module's docstring."""
    checklists.ensure_templates(db.session)
    today = today_almaty()
    d1 = DistrictFactory(region=region_a, kato="191000000", name_ru="Район 1", name_kk="1 ауданы")
    d2 = DistrictFactory(region=region_a, kato="192000000", name_ru="Район 2", name_kk="2 ауданы")
    f1 = FacilityFactory(region=region_a, district=d1, type="school", risk="high", name_ru="Школа 1")
    f2 = FacilityFactory(region=region_a, district=d2, type="kindergarten", risk="medium", name_ru="Сад 2")
    f3 = FacilityFactory(region=region_a, district=None, type="school", risk="low", name_ru="Школа 3")
    FacilityFactory(region=region_a, district=d1, type="school", risk="medium", name_ru="Архив 4",
                    archived_at=datetime.now(UTC))
    FacilityFactory(region=region_a, district=d2, type="summer_camp", risk="low", status="closed",
                    name_ru="Лагерь 5")
    g1 = FacilityFactory(region=region_b, type="school", risk="high", name_ru="Школа Б")

    supervisor, supervisor_b = users["supervisor"], users["supervisor_b"]
    submit_audit(supervisor, f2, today - timedelta(days=400), failing={"safety.video_police"})
    a1 = submit_audit(supervisor, f1, today - timedelta(days=100),
                      failing={"safety.video_police", "safety.visitor_log"})
    minor = next(v for v in a1.violations if v.severity == "minor")
    audits.resolve_violation(db.session, supervisor, minor.id, "Журнал заведён")
    submit_audit(supervisor, f1, today - timedelta(days=20), failing={"safety.turnstiles"})
    a2 = submit_audit(supervisor, f2, today - timedelta(days=10), basis="monitoring")
    correction, _created = audits.create_correction(db.session, supervisor, a2,
                                                    {"client_uuid": new_uuid(), "reason": "опечатка"})
    audits.submit(db.session, supervisor, correction, {"client_uuid": new_uuid(), **act_fields()})
    submit_audit(supervisor_b, g1, today - timedelta(days=5), failing={"safety.video_police"})
    return Dataset(today=today, date_from=today - timedelta(days=300), date_to=today, f1=f1, f2=f2, f3=f3, g1=g1,
                   district_1=d1, district_2=d2)

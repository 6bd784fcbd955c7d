"""Each facility's open critical items, kept on its row by the writes (submit, correction, resolution, merge) for
the dashboard's urgent list and the map: do they stay what the violations say, after every write path?"""

from datetime import timedelta

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Audit, Facility, Violation
from inspect_app.services import audits, checklists
from inspect_app.services.registry.duplicates import merge_facilities
from inspect_app.services.statistics import tally
from inspect_app.services.statistics.queries import critical_facilities, resolve_scope
from tests.answers import act_fields
from tests.inspect_app.dashboard.conftest import Dataset, submit_audit
from tests.inspect_app.services.audits.conftest import answers_for, new_uuid

CRITICAL = "safety.video_police"


def _kept(facility: Facility) -> tuple[int, object]:
    row = db.session.execute(sa.select(Facility.open_critical, Facility.open_critical_due)
                             .where(Facility.id == facility.id)).one()
    return row.open_critical, row.open_critical_due


def _critical_of(audit: Audit) -> Violation:
    return next(v for v in audit.violations if v.severity == "critical")


def test_submit_counts_the_open_critical_items_and_their_earliest_deadline(users, dataset: Dataset):
    """f1 failed one critical item (a1, 100 days ago), f2 one in its old audit, f3 none; a new failing audit of f1
    adds a second item whose deadline is later, so the earliest stays a1's."""
    first = db.session.scalars(sa.select(Violation).where(Violation.facility_id == dataset.f1.id,
                                                          Violation.severity == "critical")).one()
    assert _kept(dataset.f1) == (1, first.due_date)
    assert _kept(dataset.f2)[0] == 1 and _kept(dataset.f3) == (0, None)
    later = submit_audit(users["supervisor"], dataset.f1, dataset.today - timedelta(days=1), failing={CRITICAL})
    assert _critical_of(later).due_date > first.due_date
    assert _kept(dataset.f1) == (2, first.due_date)


def test_resolving_the_last_critical_item_takes_the_facility_off_the_urgent_list(users, dataset: Dataset):
    """Resolving f1's critical item leaves it with none (no deadline), and the supervisor's list shows f2 alone."""
    item = db.session.scalars(sa.select(Violation).where(Violation.facility_id == dataset.f1.id,
                                                         Violation.severity == "critical")).one()
    audits.resolve_violation(db.session, users["supervisor"], item.id, "Камеры подключены")
    assert _kept(dataset.f1) == (0, None)
    scope = resolve_scope(db.session, users["supervisor"], dataset.period)
    listed, total = critical_facilities(db.session, users["supervisor"], scope)
    assert [f.facility_id for f in listed] == [dataset.f2.id] and total == 1


def test_a_correction_that_passes_the_item_clears_it(users, dataset: Dataset):
    """f3 fails a critical item, then a correction of that audit passes everything: the item is superseded."""
    audit = submit_audit(users["supervisor"], dataset.f3, dataset.today - timedelta(days=2), failing={CRITICAL})
    assert _kept(dataset.f3) == (1, _critical_of(audit).due_date)
    correction, _created = audits.create_correction(db.session, users["supervisor"], audit,
                                                    {"client_uuid": new_uuid(), "reason": "камеры работают"})
    answers = answers_for(checklists.parsed(correction.template), dataset.f3.type, ())
    audits.submit(db.session, users["supervisor"], correction,
                  {"client_uuid": new_uuid(), "answers": answers, **act_fields()})
    assert _kept(dataset.f3) == (0, None)


def test_a_merge_moves_the_open_critical_items_to_the_survivor(users, dataset: Dataset):
    """f1 merged into f3: f3 now has f1's critical item, and the archived f1 is on no list."""
    due = _kept(dataset.f1)[1]
    merge_facilities(db.session, users["supervisor"], dataset.f3, dataset.f1, "один объект")
    assert _kept(dataset.f3) == (1, due)
    assert _kept(dataset.f1) == (0, None)
    scope = resolve_scope(db.session, users["supervisor"], dataset.period)
    listed, total = critical_facilities(db.session, users["supervisor"], scope)
    assert {f.facility_id for f in listed} == {dataset.f2.id, dataset.f3.id} and total == 2


def test_rebuild_recounts_figures_gone_wrong(users, dataset: Dataset):
    """`flask stats rebuild`'s recount puts back what the violations say, whatever the rows held."""
    expected = {f.id: _kept(f) for f in (dataset.f1, dataset.f2, dataset.f3, dataset.g1)}
    db.session.execute(sa.update(Facility).values(open_critical=7, open_critical_due=None))
    tally.rebuild(db.session)
    assert {f.id: _kept(f) for f in (dataset.f1, dataset.f2, dataset.f3, dataset.g1)} == expected
    assert expected[dataset.g1.id][0] == 1 and expected[dataset.f3.id] == (0, None)

"""Do the registry's unique keys hold under concurrent requests without answering 500?

A check-then-insert (is this BIN or username free?) races with itself; the database constraint decides and the
loser gets the same 409 as a sequential duplicate. Two merges of one record: one wins, the other is refused.
"""

import sqlalchemy as sa

from tests.concurrency.conftest import race
from tests.factories import valid_bin


def _facility(bin_: str) -> dict:
    return {"bin": bin_, "name_ru": "Детский сад «Балапан»", "name_kk": "«Балапан» балабақшасы",
            "type": "kindergarten", "agency": "education", "region_kato": "190000000", "address": "ул. Абая, 10",
            "lat": 43.3, "lon": 76.9, "children_count": 120, "risk": "medium"}


def test_concurrent_creates_of_one_bin_make_one_facility(live):
    """Five creates of one BIN at once: one 201, four 409 naming the BIN, one row?"""
    from inspect_app.extensions import db
    from inspect_app.models import Facility

    bin_ = valid_bin(7001)
    responses = race(*(lambda: live.call("POST", "/api/v1/facilities/", "sam", json=_facility(bin_))
                       for _ in range(5)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409], [r.text for r in responses]
    with live.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility).where(Facility.bin == bin_)) == 1
        db.session.remove()


def test_concurrent_merges_of_one_record_merge_it_once(live):
    """Merging one record into two others at once: does exactly one merge happen?"""
    from inspect_app.extensions import db
    from inspect_app.models import Facility

    ids = []
    for serial in (7101, 7102, 7103):
        response = live.call("POST", "/api/v1/facilities/", "sam", json=_facility(valid_bin(serial)))
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    drop, keep_a, keep_b = ids
    responses = race(*(lambda k=k: live.call("POST", "/api/v1/registry/merge", "sam",
                                             json={"keep_id": k, "drop_id": drop, "note": "дубликат"})
                       for k in (keep_a, keep_b)))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    with live.app.app_context():
        merged_into = db.session.get(Facility, drop).merged_into_id
        db.session.remove()
    winner = next(r for r in responses if r.status_code == 200).json()["id"]
    assert merged_into == winner


def test_concurrent_user_creates_of_one_username(live):
    """The same username created from three threads at once: one user, the others told the name is taken?"""
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.services.errors import Conflict
    from inspect_app.services.users import create_user

    def create():
        with live.app.app_context():
            try:
                create_user(db.session, "twin", "twin-password-1", "inspector", region_kato="190000000")
                return "created"
            except Conflict as exc:
                return exc.field
            finally:
                db.session.remove()

    assert sorted(race(create, create, create)) == ["created", "username", "username"]
    with live.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.username == "twin")) == 1
        db.session.remove()

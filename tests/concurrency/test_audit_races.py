"""Do audits stay whole when phones retry, two devices save at once, and a save races the submit?

Each test fires real concurrent requests at the served app (see conftest) and then checks the stored records:
the hash chain verifies, a submitted record's answers are the ones it was scored on, no acknowledged answer
is missing, and a repeated create never answers 500.
"""

import io
import uuid
from datetime import UTC, datetime, timedelta

import requests
import sqlalchemy as sa
from PIL import Image

import forms
from tests.answers import act_fields
from tests.concurrency.conftest import race

ROUNDS = 6


def _uuid() -> str:
    return str(uuid.uuid4())


def _passing_answers(live) -> dict:
    from tests.inspect_app.services.audits.conftest import answers_for

    return answers_for(live.template, "school")


def _plain_items(live) -> list[str]:
    """Yes/no items of a school that may fail without a photo."""
    return [i.code for i in forms.items_for(live.template, "school")
            if i.kind == "yes_no" and not i.photo_required_on_fail]


def _create(live, who="alice", **extra) -> dict:
    payload = {"client_uuid": _uuid(), "facility_id": live.facility_id, "legal_basis": "planned",
               "schedule_visit_id": live.visit(who), **extra}
    response = live.call("POST", "/api/v1/audits/", who, json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 30)).save(buf, "JPEG")
    return buf.getvalue()


def _stored(live, audit_id):
    """The audit as stored now, read in a fresh session, and whether the whole chain verifies."""
    from inspect_app.extensions import db
    from inspect_app.models import Audit
    from inspect_app.services.audits.chain import verify_chain

    with live.app.app_context():
        audit = db.session.get(Audit, audit_id)
        snapshot = {"status": audit.status, "answers": dict(audit.answers), "result": audit.result,
                    "score": audit.score_overall, "photos": [p.id for p in audit.photos],
                    "violations": sorted(v.item_code for v in audit.violations),
                    "version": getattr(audit, "version", None)}
        report = verify_chain(db.session)
        db.session.remove()
    return snapshot, report


def _audits_where(live, condition) -> int:
    """How many stored audits meet `condition(Audit)`, read in a fresh session."""
    from inspect_app.extensions import db
    from inspect_app.models import Audit

    with live.app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Audit).where(condition(Audit)))
        db.session.remove()
    return count


def _assert_scored_on_stored(live, snapshot):
    result = forms.score(live.template, "school", snapshot["answers"])
    assert (result.result, result.overall) == (snapshot["result"], snapshot["score"])
    failing = sorted(c for c, a in snapshot["answers"].items() if a.get("value") == "no")
    assert snapshot["violations"] == failing


def test_save_racing_submit(live):
    """Does a save sent at the moment of the submit either land before it (and get hashed) or answer 409?"""
    answers = _passing_answers(live)
    item = _plain_items(live)[0]
    for _ in range(ROUNDS):
        audit = _create(live, answers=answers)
        patch, submit = race(
            lambda a=audit: live.call("PATCH", f"/api/v1/audits/{a['id']}", json={"answers": {item: {"value": "no"}}}),
            lambda a=audit: live.call("POST", f"/api/v1/audits/{a['id']}/submit",
                                      json={"client_uuid": _uuid(), **act_fields()}),
        )
        assert submit.status_code == 200, submit.text
        assert patch.status_code in (200, 409), patch.text
        snapshot, chain = _stored(live, audit["id"])
        assert chain.ok, chain.reason
        assert snapshot["status"] == "submitted"
        # What the save was told is what the record holds, and the record is scored on what it holds.
        assert snapshot["answers"][item]["value"] == ("no" if patch.status_code == 200 else "yes")
        _assert_scored_on_stored(live, snapshot)


def test_photo_racing_submit(live):
    """Does a photo sent at the moment of the submit either join the hashed record or answer 409 and vanish?"""
    answers = _passing_answers(live)
    item = _plain_items(live)[1]
    for _ in range(ROUNDS):
        audit = _create(live, answers=answers)
        photo, submit = race(
            lambda a=audit: live.call("POST", f"/api/v1/audits/{a['id']}/photos", data={"item_code": item},
                                      files={"file": ("p.jpg", _jpeg(), "image/jpeg")}),
            lambda a=audit: live.call("POST", f"/api/v1/audits/{a['id']}/submit",
                                      json={"client_uuid": _uuid(), **act_fields()}),
        )
        assert submit.status_code == 200, submit.text
        assert photo.status_code in (201, 409), photo.text
        snapshot, chain = _stored(live, audit["id"])
        assert chain.ok, chain.reason
        if photo.status_code == 201:
            assert snapshot["photos"] == [photo.json()["id"]]
            assert snapshot["answers"][item]["photos"] == [photo.json()["id"]]
        else:
            assert snapshot["photos"] == [] and "photos" not in snapshot["answers"][item]


def test_three_devices_saving_different_items_lose_nothing(live):
    """Three clients save different items of one draft at once, one item per PATCH: is every acknowledged item kept?"""
    items = _plain_items(live)[:12]
    audit = _create(live)
    groups = [items[0::3], items[1::3], items[2::3]]

    def device(codes):
        http = requests.Session()
        acknowledged = []
        for code in codes:
            response = live.call("PATCH", f"/api/v1/audits/{audit['id']}", http=http,
                                 json={"answers": {code: {"value": "no"}}})
            assert response.status_code == 200, response.text
            acknowledged.append(code)
        http.close()
        return acknowledged

    results = race(*(lambda g=g: device(g) for g in groups))
    snapshot, _ = _stored(live, audit["id"])
    acknowledged = [code for result in results for code in result]
    assert len(acknowledged) == len(items)
    missing = [code for code in acknowledged if code not in snapshot["answers"]]
    assert missing == []


def test_versioned_saves_retry_on_409_and_lose_nothing(live):
    """With `version`, are stale saves refused with the current state, and do retries from it keep every item?"""
    items = _plain_items(live)[:9]
    audit = _create(live)

    def device(codes):
        http = requests.Session()
        version, conflicts = audit["version"], 0
        for code in codes:
            for _attempt in range(50):
                response = live.call("PATCH", f"/api/v1/audits/{audit['id']}", http=http,
                                     json={"answers": {code: {"value": "yes"}}, "version": version})
                if response.status_code == 409:
                    conflicts += 1
                    version = response.json()["current"]["version"]
                    continue
                assert response.status_code == 200, response.text
                version = response.json()["version"]
                break
        http.close()
        return conflicts

    race(*(lambda g=g: device(g) for g in (items[0::3], items[1::3], items[2::3])))
    snapshot, _ = _stored(live, audit["id"])
    assert sorted(snapshot["answers"]) == sorted(items)
    assert snapshot["version"] == audit["version"] + len(items)


def test_an_older_save_of_an_item_never_wins(live):
    """Two devices race saves of one item stamped with their own times: does the newest stamp win, always?"""
    item = _plain_items(live)[0]
    audit = _create(live)
    base = datetime.now(UTC) - timedelta(minutes=10)
    stamps = [base + timedelta(seconds=n) for n in range(8)]

    def save(n):
        value = "yes" if n % 2 else "no"
        return live.call("PATCH", f"/api/v1/audits/{audit['id']}",
                         json={"answers": {item: {"value": value, "comment": str(n)}},
                               "answers_saved_at": {item: stamps[n].isoformat()}})

    # Newest first, then the older ones arrive late.
    order = list(range(7, -1, -1))
    responses = race(*(lambda n=n: save(n) for n in order))
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    snapshot, _ = _stored(live, audit["id"])
    assert snapshot["answers"][item]["comment"] == "7"


def test_concurrent_creates_with_one_uuid_all_get_the_same_audit(live):
    """The same create sent five times at once: one audit, and every answer is that audit (200/201, never 500)?"""
    for _ in range(3):
        payload = {"client_uuid": _uuid(), "facility_id": live.facility_id, "legal_basis": "planned",
                   "schedule_visit_id": live.visit("alice")}
        responses = race(*(lambda p=payload: live.call("POST", "/api/v1/audits/", json=p) for _ in range(5)))
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 200, 200, 200, 201], [r.text for r in responses]
        assert len({r.json()["id"] for r in responses}) == 1
        assert _audits_where(live, lambda Audit, u=payload["client_uuid"]: Audit.client_uuid == u) == 1


def test_concurrent_corrections_of_one_record_make_one(live):
    """Five corrections of one record opened at once with different uuids: one draft, the others 409?"""

    audit = _create(live, answers=_passing_answers(live))
    assert live.call("POST", f"/api/v1/audits/{audit['id']}/submit",
                     json={"client_uuid": _uuid(), **act_fields()}).ok
    responses = race(*(lambda: live.call("POST", f"/api/v1/audits/{audit['id']}/corrections",
                                         json={"client_uuid": _uuid(), "reason": "Опечатка в ответе"})
                       for _ in range(5)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409, 409, 409], [r.text for r in responses]
    assert _audits_where(live, lambda Audit: Audit.supersedes_id == audit["id"]) == 1


def test_parallel_submits_of_one_facility_all_land_in_the_chain(live):
    """Six audits of one facility submitted at the same instant (two inspectors' phones): does each answer 200,
    enter the chain once, and leave the facility's last inspection date set? Submits score in parallel and
    each moves the facility's dates: the facility is locked and re-read, so none is refused as stale."""
    from inspect_app.extensions import db
    from inspect_app.models import Audit, Facility

    answers = _passing_answers(live)
    audits = [_create(live, who, answers=answers) for who in ("alice", "bob") * 3]
    results = race(*(lambda a=a, who=who: live.call("POST", f"/api/v1/audits/{a['id']}/submit", who,
                                                      json={"client_uuid": _uuid(), **act_fields()})
                     for a, who in zip(audits, ("alice", "bob") * 3)))
    assert [r.status_code for r in results] == [200] * 6, [r.text[:200] for r in results if r.status_code != 200]
    snapshot, chain = _stored(live, audits[0]["id"])
    assert chain.ok, chain.reason
    with live.app.app_context():
        seqs = db.session.scalars(sa.select(Audit.chain_seq).where(Audit.id.in_([a["id"] for a in audits])))
        assert len(set(seqs)) == 6
        facility = db.session.get(Facility, live.facility_id)
        assert facility.last_inspection_date is not None
        db.session.remove()


def test_one_submit_uuid_sent_for_two_audits_at_once_submits_one(live):
    """Two drafts submitted at the same instant under one client uuid (a phone's outbox mixing up two
    records): does exactly one land, the other answer 409 naming client_uuid, and the chain verify?"""
    answers = _passing_answers(live)
    for _ in range(ROUNDS):
        shared = _uuid()
        audits = [_create(live, answers=answers) for _ in range(2)]
        results = race(*(lambda a=a, shared=shared: live.call("POST", f"/api/v1/audits/{a['id']}/submit",
                                                json={"client_uuid": shared, **act_fields()}) for a in audits))
        assert sorted(r.status_code for r in results) == [200, 409], [r.text[:200] for r in results]
        refused = next(r for r in results if r.status_code == 409)
        assert "client_uuid" in refused.text
        assert _audits_where(live, lambda audit, shared=shared: audit.submit_uuid == shared) == 1
        kept = next(a for a, r in zip(audits, results) if r.status_code == 409)
        snapshot, chain = _stored(live, kept["id"])
        assert chain.ok, chain.reason
        assert snapshot["status"] == "draft"


def test_not_done_racing_an_arrival_at_one_stop_lets_one_win(live):
    """12 times, an inspector's "not done" and "arrive" for one stop sent at the same moment: is exactly one
    acknowledged and the other refused with 409, leaving the visit either not done without an audit, or
    checked in with its draft and no not-done reason?"""
    from inspect_app.extensions import db
    from inspect_app.models import Audit, ScheduleVisit

    for _ in range(12):
        visit_id = live.visit("alice")

        def arrive(visit_id=visit_id):
            return live.call("POST", "/api/v1/audits/", json={
                "client_uuid": str(uuid.uuid4()), "facility_id": live.facility_id, "legal_basis": "planned",
                "schedule_visit_id": visit_id}).status_code

        def not_done(visit_id=visit_id):
            return live.call("POST", f"/api/v1/my/route/visits/{visit_id}/not-done",
                             json={"reason": "closed", "client_uuid": str(uuid.uuid4())}).status_code

        arrived, refused = race(arrive, not_done)
        with live.app.app_context():
            visit = db.session.get(ScheduleVisit, visit_id)
            audits = db.session.scalars(sa.select(Audit).where(Audit.schedule_visit_id == visit_id,
                                                               Audit.status != "discarded")).all()
            state = (visit.status, visit.not_done_reason, len(audits))
            db.session.remove()
        if arrived == 201:
            assert refused == 409 and state == ("checked_in", None, 1), (arrived, refused, state)
        else:
            assert (arrived, refused) == (409, 200) and state == ("not_done", "closed", 0), (arrived, refused, state)

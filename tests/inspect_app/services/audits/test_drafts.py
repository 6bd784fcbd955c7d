"""Draft writes through the API: versions, per-item save times, the author rule, and creates that write nothing.

The races themselves (concurrent requests against a served app) are in `tests/concurrency/`.
"""

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Audit
from tests.inspect_app.services.audits.conftest import answers_for, new_uuid


def _plain_item(national) -> str:
    import forms

    return next(i.code for i in forms.items_for(national, "school")
                if i.kind == "yes_no" and not i.photo_required_on_fail)


def test_a_save_based_on_an_old_version_gets_409_with_the_current_draft(audit_api, facility, national):
    """Does a PATCH naming a stale version change nothing and carry the stored state back?"""
    item = _plain_item(national)
    audit = audit_api.create("inspector", facility).get_json()
    first = audit_api.patch("inspector", audit["id"], answers={item: {"value": "no"}}, version=audit["version"])
    assert first.status_code == 200 and first.get_json()["version"] == audit["version"] + 1
    stale = audit_api.patch("inspector", audit["id"], answers={item: {"value": "yes"}}, version=audit["version"])
    assert stale.status_code == 409
    body = stale.get_json()
    assert "version" in body["errors"]["json"]
    assert body["current"]["version"] == audit["version"] + 1
    assert body["current"]["answers"][item]["value"] == "no"
    assert item in body["current"]["answers_saved_at"]
    assert audit_api.get("inspector", audit["id"]).get_json()["answers"][item]["value"] == "no"


def test_a_late_older_save_of_an_item_does_not_overwrite_a_newer_one(audit_api, facility, national):
    """Is the answer with the later client time kept whatever order the saves arrive in?"""
    item = _plain_item(national)
    audit = audit_api.create("inspector", facility).get_json()
    newer = audit_api.patch("inspector", audit["id"], answers={item: {"value": "no"}},
                            answers_saved_at={item: "2026-05-04T10:00:05Z"})
    older = audit_api.patch("inspector", audit["id"], answers={item: {"value": "yes"}},
                            answers_saved_at={item: "2026-05-04T10:00:01Z"})
    assert newer.status_code == older.status_code == 200
    assert older.get_json()["answers"][item]["value"] == "no"
    later = audit_api.patch("inspector", audit["id"], answers={item: None},
                            answers_saved_at={item: "2026-05-04T10:00:09Z"})
    assert item not in later.get_json()["answers"]


def test_a_supervisor_cannot_edit_an_inspectors_draft(audit_api, facility, national):
    """Does a supervisor of the same region get 403 on another person's draft, which stays as it was?"""
    from tests.inspect_app.services.audits.conftest import jpeg_bytes

    item = _plain_item(national)
    audit = audit_api.create("inspector", facility).get_json()
    assert audit_api.patch("supervisor", audit["id"], answers={item: {"value": "no"}}).status_code == 403
    assert audit_api.photo("supervisor", audit["id"], jpeg_bytes(), item_code=item).status_code == 403
    answers = answers_for(national, "school")
    assert audit_api.submit("supervisor", audit["id"], answers=answers).status_code == 403
    stored = audit_api.get("supervisor", audit["id"]).get_json()
    assert stored["answers"] == {} and stored["status"] == "draft" and stored["photos"] == []


def test_a_create_with_an_invalid_answer_writes_nothing(audit_api, facility, national):
    """Does a 422 create leave no draft behind, so that the retry with the same uuid keeps its answers?"""
    item = _plain_item(national)
    client_uuid = new_uuid()
    bad = audit_api.create("inspector", facility, client_uuid=client_uuid, answers={item: {"value": "maybe"}})
    assert bad.status_code == 422 and item in bad.get_json()["errors"]["json"]
    assert db.session.scalar(sa.select(Audit.id).where(Audit.client_uuid == client_uuid)) is None
    good = audit_api.create("inspector", facility, client_uuid=client_uuid, answers={item: {"value": "no"}})
    assert good.status_code == 201
    assert good.get_json()["answers"][item]["value"] == "no"


def test_writes_to_a_submitted_audit_answer_409_and_change_nothing(audit_api, facility, national):
    """After the submit, do a save, a photo and a template upgrade all answer 409 and leave the record intact?"""
    from inspect_app.services.audits.chain import verify_chain
    from tests.inspect_app.services.audits.conftest import jpeg_bytes

    submitted = audit_api.submitted("inspector", facility, national)
    item = _plain_item(national)
    assert audit_api.patch("inspector", submitted["id"], answers={item: {"value": "no"}}).status_code == 409
    assert audit_api.photo("inspector", submitted["id"], jpeg_bytes(), item_code=item).status_code == 409
    stored = audit_api.get("inspector", submitted["id"]).get_json()
    assert stored["answers"] == submitted["answers"] and stored["photos"] == []
    assert verify_chain(db.session).ok

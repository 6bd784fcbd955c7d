"""Can a client generated from /api/openapi.json by openapi-python-client do an inspector's real work?

The app is served on 127.0.0.1 over a database of its own with an inspector's released day. The test fetches the
served document, generates a Python client from it into a temporary folder (never committed), imports it and
drives a workflow with it: a supervisor lists facilities page by page and reads one; the inspector opens the
draft of a visit, saves, meets the 409 of a stale save and merges its `current`, uploads a photo, submits and
reads the PDF report. Every answer must be the generated model the document promised (an undeclared status
raises), and no model may hold a field the document did not declare.
"""

import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from tests.answers import act_fields
from tests.served import dispose, make_app, own_database, seed_day, serve

pytestmark = pytest.mark.slow

PACKAGE = "tekseru_api_client"
# openapi-python-client reads only JSON and octet-stream bodies by default; the files we send are binary too.
GENERATOR_CONFIG = {"content_type_overrides": {
    media: "application/octet-stream" for media in (
        "application/pdf", "application/zip", "image/jpeg", "image/png", "image/webp", "image/gif",
        "text/csv; charset=utf-8", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app with one inspector's released day; yields (base URL, seeded ids and tokens, the template)."""
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.services import checklists
    from inspect_app.services.users import issue_token

    with own_database("client") as database_url:
        app = make_app(database_url, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")))
        seeded = seed_day(app, stops=2)
        with app.app_context():
            supervisor = db.session.scalar(db.select(User).where(User.username == "supervisor"))
            seeded["supervisor_token"] = issue_token(db.session, supervisor, "client")
            seeded["template"] = checklists.parsed(checklists.latest_template(db.session, "national"))
            db.session.remove()
        try:
            with serve(app) as base:
                yield base, seeded
        finally:
            dispose(app)


@pytest.fixture(scope="module")
def generated(served, tmp_path_factory):
    """The client package generated from the served document; yields a function importing its modules."""
    base, _ = served
    folder = tmp_path_factory.mktemp("generated")
    spec_file = folder / "openapi.json"
    spec_file.write_text(requests.get(f"{base}/api/openapi.json", timeout=30).text, encoding="utf-8")
    config = folder / "config.json"
    config.write_text(json.dumps(GENERATOR_CONFIG), encoding="utf-8")
    tool = Path(sys.executable).parent
    result = subprocess.run(
        [str(tool / "openapi-python-client"), "generate", "--path", str(spec_file), "--meta", "none",
         "--output-path", str(folder / PACKAGE), "--config", str(config)],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PATH": f"{tool}{os.pathsep}{os.environ.get('PATH', '')}"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # The generator skips what it cannot read with a warning; the whole document must be readable.
    assert "WARNING" not in output and "Cannot parse" not in output, output
    sys.path.insert(0, str(folder))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
        shutil.rmtree(folder, ignore_errors=True)


def _declared_only(model):
    """The model, after checking that the server sent no field its schema does not declare (nested ones too)."""
    extra = getattr(model, "additional_properties", {})
    # Free-form maps (answers by item code, ...) are declared as such; the records' own schemas are closed.
    if type(model).__name__ in ("Audit", "Facility", "Photo", "AuditConflict", "PaginationMetadata"):
        assert extra == {}, (type(model).__name__, sorted(extra))
    return model


def test_a_generated_client_does_an_inspection_from_list_to_report(served, generated):
    """List, read, draft, save, stale save (409) merged from `current`, photo, submit, report: all typed?"""
    from tests.answers import answers_for
    from tests.inspect_app.services.audits.conftest import jpeg_bytes

    base, seeded = served
    client_module, models, types = generated("client"), generated("models"), generated("types")
    api = {name: generated(f"api.{name}") for name in (
        "facilities.get_facilities", "facilities.get_facility_by_id", "audits.post_audits",
        "audits.patch_audit_by_id", "audits.post_audit_photos", "audits.post_audit_submit",
        "audits.get_audit_report", "audits.get_audit_by_id")}

    def client(token):
        return client_module.AuthenticatedClient(base_url=base, token=token, raise_on_unexpected_status=True)

    supervisor, inspector = client(seeded["supervisor_token"]), client(seeded["token"])

    # A supervisor pages through the registry (three facilities, two a page) and reads one.
    first = api["facilities.get_facilities"].sync_detailed(client=supervisor, page=1, page_size=2)
    assert first.status_code == 200 and len(first.parsed) == 2
    assert all(isinstance(_declared_only(f), models.Facility) for f in first.parsed)
    paging = _declared_only(models.PaginationMetadata.from_dict(json.loads(first.headers["X-Pagination"])))
    assert (paging.total, paging.last_page, paging.next_page) == (3, 2, 2)
    second = api["facilities.get_facilities"].sync(client=supervisor, page=2, page_size=2)
    assert len(second) == 1 and {f.id for f in first.parsed}.isdisjoint({second[0].id})
    one = api["facilities.get_facility_by_id"].sync(client=supervisor, facility_id=second[0].id)
    assert isinstance(_declared_only(one), models.Facility) and one.bin_ == second[0].bin_

    # The inspector opens the draft of the first visit of the day.
    visit_id, facility_id, lat, lon = seeded["today"][0]
    created = api["audits.post_audits"].sync_detailed(client=inspector, body=models.AuditCreate(
        client_uuid=uuid.uuid4(), facility_id=facility_id, schedule_visit_id=visit_id, gps_lat=lat, gps_lon=lon))
    assert created.status_code == 201
    draft = _declared_only(created.parsed)
    assert isinstance(draft, models.Audit) and draft.status == "draft" and draft.schedule_visit_id == visit_id

    template = seeded["template"]
    answers = answers_for(template, "school")
    first_item, second_item = list(answers)[:2]
    patch = api["audits.patch_audit_by_id"]
    saved = patch.sync(client=inspector, audit_id=draft.id, body=models.AuditDraft(
        answers=models.AuditDraftAnswers.from_dict({first_item: answers[first_item]}), version=draft.version))
    assert isinstance(_declared_only(saved), models.Audit) and saved.version == draft.version + 1

    # A second phone still holds the first version: its save is refused with the draft as it is now.
    stale = patch.sync_detailed(client=inspector, audit_id=draft.id, body=models.AuditDraft(
        answers=models.AuditDraftAnswers.from_dict({second_item: answers[second_item]}), version=draft.version))
    assert stale.status_code == 409
    conflict = _declared_only(stale.parsed)
    assert isinstance(conflict, models.AuditConflict) and conflict.message
    current = _declared_only(conflict.current)
    assert isinstance(current, models.Audit) and current.version == saved.version
    assert first_item in current.answers.to_dict()
    merged = patch.sync(client=inspector, audit_id=draft.id, body=models.AuditDraft(
        answers=models.AuditDraftAnswers.from_dict({second_item: answers[second_item]}), version=current.version))
    assert set(merged.answers.to_dict()) >= {first_item, second_item}

    photo = api["audits.post_audit_photos"].sync(client=inspector, audit_id=draft.id, body=models.PhotoUpload(
        file=types.File(payload=io.BytesIO(jpeg_bytes()), file_name="entrance.jpg", mime_type="image/jpeg"),
        caption="Вход", client_uuid=uuid.uuid4()))
    assert isinstance(_declared_only(photo), models.Photo) and photo.content_type == "image/jpeg"

    # The photo changed the draft: a submit naming the version before it is refused with the draft now.
    submit = api["audits.post_audit_submit"]
    refused = submit.sync(client=inspector, audit_id=draft.id, body=models.AuditSubmit(
        client_uuid=uuid.uuid4(), answers=models.AuditSubmitAnswers.from_dict(answers), version=merged.version))
    assert isinstance(_declared_only(refused), models.AuditConflict)
    assert [p.id for p in refused.current.photos] == [photo.id]
    submitted = submit.sync(client=inspector, audit_id=draft.id, body=models.AuditSubmit.from_dict(
        {"client_uuid": str(uuid.uuid4()), "answers": answers, "version": refused.current.version, **act_fields()}))
    assert isinstance(_declared_only(submitted), models.Audit)
    assert submitted.status == "submitted" and submitted.record_hash and [p.id for p in submitted.photos] == [photo.id]

    report = api["audits.get_audit_report"].sync_detailed(client=inspector, audit_id=draft.id)
    assert report.status_code == 200 and report.headers["content-type"] == "application/pdf"
    assert isinstance(report.parsed, types.File) and report.parsed.payload.read(5) == b"%PDF-"
    again = api["audits.get_audit_by_id"].sync(client=inspector, audit_id=draft.id)
    assert isinstance(_declared_only(again), models.Audit) and again.record_hash == submitted.record_hash

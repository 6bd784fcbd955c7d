"""A hashed record is never rewritten: the database refuses it, a merge of duplicate facilities keeps each
submitted audit's facility as hashed, and every write path the app has leaves the chain verifying."""

import csv
import datetime as dt
import io
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

import forms
from exports.tabular import read_table
from inspect_app.extensions import db
from inspect_app.models import Audit, AuditPhoto, Facility, Inspector, Prescription, PrescriptionItem, Violation
from inspect_app.services import checklists
from inspect_app.services.audits.chain import verify_chain
from inspect_app.services.prescriptions.items import report_done
from inspect_app.services.users import set_active, set_password
from tests.factories import DistrictFactory, FacilityFactory
from tests.inspect_app.services.audits.conftest import answers_for, jpeg_bytes
from tests.inspect_app.services.schedules import conftest as schedule_fixtures
from tests.inspect_app.services.schedules import test_revisions
from tests.inspect_app.services.schedules.conftest import START
from tests.inspect_app.services.schedules.helpers import build
from tests.inspect_app.services.schedules.test_revisions import _busiest_day, _offer_urgent

# A region's registry and its published schedule, as the schedule tests build them.
registry_a = schedule_fixtures.registry_a
published = test_revisions.published

FAILING = {"safety.panic_button", "health.toilets"}


def refused(statement) -> bool:
    """Run one statement in a savepoint; True when the database refused it as a change of a hashed record."""
    try:
        with db.session.begin_nested():
            db.session.execute(statement)
    except sa.exc.IntegrityError as error:
        assert "hashed record" in str(error.orig)
        return True
    return False


def test_the_database_refuses_to_change_a_hashed_column(audit_api, facility, national):
    """Does an UPDATE of a hashed column of a submitted audit, its violations or its photos fail in the database
    itself, while columns outside the hash (a violation's resolution) and drafts stay writable?"""
    body = audit_api.submitted("inspector", facility, national, failing={"safety.video_police"})
    other = FacilityFactory(region=facility.region, type="school")
    db.session.commit()
    audit_id = body["id"]
    by_id = Audit.id == audit_id
    for values in ({"facility_id": other.id}, {"answers": {"x": {"value": "yes"}}}, {"notes": "переписано"},
                   {"inspection_date": date(2020, 1, 1)}, {"record_hash": "0" * 64}, {"chain_seq": None},
                   {"result": "pass"}, {"gps_lat": 0.0}):
        assert refused(sa.update(Audit).where(by_id).values(values)), values
    assert refused(sa.update(Violation).where(Violation.audit_id == audit_id).values(severity="minor"))
    assert refused(sa.update(Violation).where(Violation.audit_id == audit_id).values(due_date=date(2020, 1, 1)))
    assert not refused(sa.update(Violation).where(Violation.audit_id == audit_id).values(status="resolved"))
    assert not refused(sa.update(Audit).where(by_id).values(answers_saved_at={}))

    draft = audit_api.create("inspector", facility).get_json()
    photo = audit_api.photo("inspector", draft["id"], jpeg_bytes()).get_json()
    assert not refused(sa.update(Audit).where(Audit.id == draft["id"]).values(notes="черновик", facility_id=other.id))
    assert not refused(sa.update(AuditPhoto).where(AuditPhoto.id == photo["id"]).values(size=1))
    submitted = audit_api.submit("inspector", draft["id"], answers=answers_for(national, "school"))
    assert submitted.status_code == 200, submitted.get_json()
    assert refused(sa.update(AuditPhoto).where(AuditPhoto.id == photo["id"]).values(data=b"other bytes"))
    assert verify_chain(db.session).ok


def test_a_merge_keeps_the_hashed_facility_and_lists_and_statistics_follow_it(audit_api, national, region_a, users,
                                                                              auth_headers, client):
    """After a merge of the facility a submitted audit names, does the chain still verify with the audit's
    facility as hashed, while its draft moves, and do the survivor's audit list and the statistics count it?"""
    town, village = DistrictFactory(region=region_a), DistrictFactory(region=region_a)
    keep = FacilityFactory(region=region_a, district=town, type="school", name_ru="Средняя школа № 5")
    drop = FacilityFactory(region=region_a, district=village, type="school", name_ru="СШ № 5")
    earlier = FacilityFactory(region=region_a, district=village, type="school", name_ru="Школа № 5 (старая)")
    db.session.commit()
    hashed = audit_api.submitted("inspector", drop, national, failing=FAILING, inspection_date="2026-03-02")
    older = audit_api.submitted("inspector", earlier, national, inspection_date="2026-03-01")
    draft = audit_api.create("inspector", drop).get_json()
    admin = auth_headers("admin")
    assert client.post("/api/v1/registry/merge", headers=admin,
                       json={"keep_id": drop.id, "drop_id": earlier.id}).status_code == 200
    response = client.post("/api/v1/registry/merge", headers=admin, json={"keep_id": keep.id, "drop_id": drop.id})
    assert response.status_code == 200, response.get_json()

    report = verify_chain(db.session)
    assert report.ok and report.checked == 2, report
    db.session.expire_all()
    assert db.session.get(Audit, hashed["id"]).facility_id == drop.id
    assert db.session.get(Audit, older["id"]).facility_id == earlier.id
    assert db.session.get(Audit, draft["id"]).facility_id == keep.id
    # A pointer is one step long: the record merged into `drop` before now points at the survivor.
    assert db.session.get(Facility, earlier.id).merged_into_id == keep.id
    assert {v.facility_id for v in db.session.scalars(sa.select(Violation))} == {keep.id}

    listed = client.get(f"/api/v1/audits/?facility_id={keep.id}", headers=admin).get_json()
    assert {a["id"] for a in listed} == {hashed["id"], older["id"], draft["id"]}
    # The district figures count both inspections where the school is now, none where its old records were.
    summary = client.get(f"/api/v1/statistics/summary?region={region_a.kato}&date_from=2026-01-01"
                         "&date_to=2026-12-31", headers=auth_headers("supervisor")).get_json()
    by_district = {area["kato"]: area["inspections"] for area in summary["areas"]}
    assert by_district[town.kato] == 2 and by_district[village.kato] == 0, by_district
    assert summary["total"]["inspections"] == 2
    page = client.get(f"/audits/{hashed['id']}", headers=admin)
    assert page.status_code in (200, 302)


def test_every_write_path_leaves_the_chain_verifying(audit_api, national, region_a, users, auth_headers, client,
                                                     published, monkeypatch, tmp_path, runner):
    """Edit, merge, import, archive, checklist upgrade, correction, review decisions, a prescription's deadline,
    report and decision, user changes, schedule publish, repair and urgent insertion, one after another on
    facilities and people with submitted audits: does the chain verify after each, with every hashed record as
    it was?"""
    facilities = [db.session.get(Facility, v.facility_id) for v in published.visits[:4]]
    supervisor = auth_headers("supervisor")
    hashed = [audit_api.submitted("inspector", f, national, failing=FAILING) for f in facilities[:3]]
    before = {a["id"]: a["record_hash"] for a in hashed}
    steps = []

    def check(step):
        db.session.expire_all()
        report = verify_chain(db.session)
        assert report.ok, (step, report)
        assert {a.id: a.record_hash for a in db.session.scalars(sa.select(Audit).where(Audit.id.in_(before)))} \
            == before, step
        steps.append(step)

    check("submit")
    response = client.patch(f"/api/v1/facilities/{facilities[0].id}", headers=supervisor,
                            json={"name_ru": "Переименованная школа", "children_count": 1234})
    assert response.status_code == 200, response.get_json()
    check("edit")

    twin = FacilityFactory(region=region_a, type="school")
    db.session.commit()
    response = client.post("/api/v1/registry/merge", headers=supervisor,
                           json={"keep_id": twin.id, "drop_id": facilities[1].id})
    assert response.status_code == 200, response.get_json()
    check("merge")

    exported = client.get("/api/v1/registry/export?format=csv", headers=supervisor)
    _, rows = read_table(io.BytesIO(exported.get_data()), "registry.csv")
    exported.close()
    rows = [dict(r) for r in rows if r["bin"] == facilities[2].bin]
    rows[0]["name_ru"] = "Школа после импорта"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    response = client.post("/api/v1/registry/import", headers=supervisor, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(text.getvalue().encode()), "registry.csv")})
    assert response.status_code == 200, response.get_json()
    assert db.session.get(Facility, facilities[2].id).name_ru == "Школа после импорта"
    check("import")

    response = client.delete(f"/api/v1/facilities/{facilities[2].id}", headers=supervisor)
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    check("archive")

    draft = audit_api.create("inspector", facilities[3]).get_json()
    source = Path(forms.model.TEMPLATES_DIR / "national.yaml").read_text(encoding="utf-8")
    (tmp_path / "national.yaml").write_text(source.replace("Глубина хранения видеоархива, суток",
                                                           "Глубина хранения видеоархива (сутки)"), encoding="utf-8")
    assert checklists.load_templates(db.session, tmp_path).created == [("national", 2)]
    upgraded = client.post(f"/api/v1/audits/{draft['id']}/upgrade-template", headers=auth_headers("inspector"))
    assert upgraded.status_code == 200, upgraded.get_json()
    new_template = checklists.parsed(checklists.latest_template(db.session, "national"))
    response = audit_api.submit("inspector", draft["id"], answers=answers_for(new_template, "school"))
    assert response.status_code == 200, response.get_json()
    check("checklist upgrade")

    correction = client.post(f"/api/v1/audits/{hashed[0]['id']}/corrections", headers=auth_headers("inspector"),
                             json={"client_uuid": str(uuid.uuid4()), "reason": "Опечатка"})
    assert correction.status_code == 201, correction.get_json()
    assert client.post(f"/api/v1/audits/{correction.get_json()['id']}/upgrade-template",
                       headers=auth_headers("inspector")).status_code == 200
    response = audit_api.submit("inspector", correction.get_json()["id"],
                                answers=answers_for(new_template, "school"))
    assert response.status_code == 200, response.get_json()
    violation = db.session.scalar(sa.select(Violation.id).where(Violation.audit_id == hashed[1]["id"]))
    assert client.post(f"/api/v1/audits/violations/{violation}/resolve", headers=supervisor,
                       json={"note": "устранено"}).status_code == 200
    check("correction")

    for audit, decision in ((hashed[2], {"outcome": "accepted"}),
                            (hashed[1], {"outcome": "returned", "comment": "Уточните фото", "item_codes": []})):
        response = client.post(f"/api/v1/reviews/{audit['id']}/decision", headers=supervisor, json=decision)
        assert response.status_code == 201, response.get_json()
    check("review")

    item = db.session.scalar(sa.select(PrescriptionItem).join(Prescription)
                             .where(Prescription.audit_id == hashed[2]["id"]).order_by(PrescriptionItem.id))
    due = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    response = client.post(f"/api/v1/prescriptions/items/{item.id}/deadline", headers=supervisor,
                           json={"due_date": due, "comment": "продлено"})
    assert response.status_code == 201, response.get_json()
    report_done(db.session, item.id, item.prescription_id, "Установлено", [jpeg_bytes()], 10_000_000, "Директор")
    response = client.post(f"/api/v1/prescriptions/items/{item.id}/decision", headers=supervisor,
                           json={"decision": "accept", "comment": "Фото убедительны"})
    assert response.status_code == 201, response.get_json()
    check("prescription")

    _, complaint, url, offered = _offer_urgent(client, auth_headers, published, region_a, monkeypatch)
    assert offered.status_code == 200, offered.get_json()
    option = offered.get_json()["options"][0]
    applied = client.post(url, headers=supervisor, json={
        "facility_id": complaint.id, "hours": 48, "reason": "hotline_111", "option": 0,
        "inspector_id": option["inspector_id"], "date": option["date"]})
    assert applied.status_code == 201, applied.get_json()
    check("urgent insertion")

    revision = db.session.get(type(published), applied.get_json()["schedule_id"])
    absent, day = _busiest_day(revision)
    response = client.post(f"/api/v1/schedules/{revision.id}/absences", headers=supervisor,
                           json={"inspector_id": absent, "dates": [day], "note": "болеет"})
    assert response.status_code == 201, response.get_json()
    check("repair")

    _, (later,) = build(users["supervisor"], region_a, seed=9, start=START + dt.timedelta(weeks=3))
    response = client.post(f"/api/v1/schedules/{later.id}/publish", headers=supervisor)
    assert response.status_code == 200, response.get_json()
    check("schedule publish")

    inspector_user = users["inspector"]
    for args in (["users", "password", inspector_user.username, "--password", "another-password-7"],
                 ["users", "deactivate", inspector_user.username], ["users", "reactivate", inspector_user.username]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    set_password(db.session, inspector_user, "yet-another-password-8")
    set_active(db.session, inspector_user, False)
    db.session.commit()
    for inspector in db.session.scalars(sa.select(Inspector).where(Inspector.regions.any(id=region_a.id))):
        response = client.patch(f"/api/v1/inspectors/{inspector.id}", headers=supervisor,
                                json={"full_name": f"{inspector.full_name} (новая фамилия)"})
        assert response.status_code == 200, response.get_json()
    check("user changes")
    assert len(steps) == 13


@pytest.mark.parametrize("role, code", [("inspector", 403), ("supervisor_b", 404), ("supervisor", 200),
                                        ("admin", 200)])
def test_only_the_regions_supervisors_and_admins_resolve_a_violation(audit_api, facility, national, auth_headers,
                                                                     client, role, code):
    """Is an inspector refused when resolving a violation of their own audit, and a supervisor of another
    region told it does not exist, while the region's supervisor and an admin resolve it?"""
    body = audit_api.submitted("inspector", facility, national, failing={"safety.video_police"})
    violation = body["violations"][0]["id"]
    response = client.post(f"/api/v1/audits/violations/{violation}/resolve", headers=auth_headers(role),
                           json={"note": "устранено"})
    assert response.status_code == code, response.get_json()
    db.session.expire_all()
    assert db.session.get(Violation, violation).status == ("resolved" if code == 200 else "open")

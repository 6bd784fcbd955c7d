"""Drafts, answers, photos and submission through the API: what is accepted, what is refused, and what it changes."""

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from inspect_app.extensions import db
from inspect_app.models import Audit, AuditPhoto, Facility, Violation
from tests.inspect_app.services.audits.conftest import answers_for, jpeg_bytes, new_uuid
from tests.runtime import set_runtime


def test_inspector_creates_a_draft_and_a_retry_returns_the_same_one(audit_api, facility, users):
    client_uuid = new_uuid()
    first = audit_api.create("inspector", facility, client_uuid=client_uuid)
    again = audit_api.create("inspector", facility, client_uuid=client_uuid)
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"]
    assert db.session.scalar(sa.select(sa.func.count(Audit.id))) == 1
    body = first.get_json()
    assert body["status"] == "draft" and body["template"]["code"] == "national"
    assert body["check_in_at"] and body["gps_lat"] == 43.25


def test_unplanned_audit_keeps_its_signal(audit_api, facility):
    response = audit_api.create("inspector", facility, legal_basis="unplanned", basis_reason="prosecutor_demand",
                                signal_source="Прокуратура Алматинской области", signal_date="2026-03-02",
                                signal_anonymous=False, prosecutor_reg_number="24-1900-0001234")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["basis_reason"] == "prosecutor_demand" and body["prosecutor_reg_number"] == "24-1900-0001234"
    assert body["signal_date"] == "2026-03-02"


def test_unplanned_audit_without_a_reason_is_refused(audit_api, facility):
    response = audit_api.create("inspector", facility, legal_basis="unplanned")
    assert response.status_code == 422
    assert "basis_reason" in response.get_json()["errors"]["json"]


def test_each_item_kind_is_validated_as_a_draft(audit_api, facility):
    audit = audit_api.create("inspector", facility).get_json()
    good = {"safety.video_working": {"value": "yes"}, "safety.video_archive_days": {"value": "14,5"}}
    assert audit_api.patch("inspector", audit["id"], answers=good).status_code == 200
    bad = {
        "safety.video_police": {"value": "maybe"},
        "safety.video_archive_days": {"value": "many"},
        "health.toilets": {"value": "excellent"},
        "nonexistent.item": {"value": "yes"},
    }
    response = audit_api.patch("inspector", audit["id"], answers=bad)
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    # Each problem reaches the inspector's form as a sentence in the UI language, not "not_yes_no: ...".
    assert errors["safety.video_police"] == ["ответьте «да» или «нет»"]
    assert errors["safety.video_archive_days"] == ["введите число"]
    assert errors["health.toilets"] == ["выберите вариант из списка"]
    assert errors["nonexistent.item"] == ["в проверочном листе нет пункта 'nonexistent.item'"]
    stored = audit_api.get("inspector", audit["id"]).get_json()["answers"]
    assert stored == {"safety.video_working": {"value": "yes"}, "safety.video_archive_days": {"value": "14,5"}}


def test_a_number_out_of_range_is_a_failure_and_a_text_is_kept(audit_api, facility, national):
    audit = audit_api.create("inspector", facility).get_json()
    answers = answers_for(national, "school", failing={"safety.video_archive_days"})
    response = audit_api.submit("inspector", audit["id"], answers=answers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["result"] == "pass_with_violations"
    assert [v["item_code"] for v in body["violations"]] == ["safety.video_archive_days"]


def test_submit_scores_creates_violations_with_deadlines_and_sets_the_followup(audit_api, facility, national):
    failing = {"safety.panic_button", "safety.video_archive_days"}
    body = audit_api.submitted("inspector", facility, national, failing=failing, inspection_date="2026-03-10")
    assert body["status"] == "submitted" and body["result"] == "fail"
    assert body["critical_failures"] == ["safety.panic_button"]
    assert body["score_overall"] < 100 and body["section_scores"]["safety"] < 100
    deadlines = {v["item_code"]: (v["severity"], v["due_date"], v["status"]) for v in body["violations"]}
    assert deadlines == {
        "safety.panic_button": ("critical", "2026-03-20", "open"),
        "safety.video_archive_days": ("minor", "2026-05-09", "open"),
    }
    assert body["violations"][0]["corrective_action"]["ru"]
    db.session.expire_all()
    stored = db.session.get(Facility, facility.id)
    assert stored.last_inspection_date == date(2026, 3, 10)
    assert stored.followup_due_date == date(2026, 3, 21)
    assert len(body["record_hash"]) == 64 and body["chain_seq"] >= 1


def test_a_clean_later_audit_clears_the_followup(audit_api, facility, national):
    audit_api.submitted("inspector", facility, national, failing={"safety.panic_button"}, inspection_date="2026-03-10")
    audit_api.submitted("inspector", facility, national, inspection_date="2026-03-25")
    db.session.expire_all()
    stored = db.session.get(Facility, facility.id)
    assert stored.followup_due_date is None and stored.last_inspection_date == date(2026, 3, 25)


def test_submitting_twice_with_the_same_uuid_gives_one_audit(audit_api, facility, national):
    audit = audit_api.create("inspector", facility).get_json()
    answers = answers_for(national, "school")
    submit_uuid = new_uuid()
    first = audit_api.submit("inspector", audit["id"], client_uuid=submit_uuid, answers=answers)
    second = audit_api.submit("inspector", audit["id"], client_uuid=submit_uuid, answers=answers)
    assert first.status_code == second.status_code == 200
    assert first.get_json()["record_hash"] == second.get_json()["record_hash"]
    assert db.session.scalar(sa.select(sa.func.count(Audit.id)).where(Audit.status == "submitted")) == 1


def test_a_second_submit_with_another_uuid_is_refused(audit_api, facility, national):
    body = audit_api.submitted("inspector", facility, national)
    response = audit_api.submit("inspector", body["id"], answers={"safety.video_working": {"value": "no"}})
    assert response.status_code == 409
    assert audit_api.get("inspector", body["id"]).get_json()["answers"]["safety.video_working"] == {"value": "yes"}


def test_a_submit_missing_answers_or_a_required_photo_changes_nothing(audit_api, facility, national):
    audit = audit_api.create("inspector", facility).get_json()
    answers = answers_for(national, "school", failing={"safety.panic_button"})
    del answers["safety.video_police"]
    response = audit_api.submit("inspector", audit["id"], answers=answers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert errors["safety.video_police"] == ["на этот пункт нужно ответить"]
    assert errors["safety.panic_button"] == ["к нарушению нужна хотя бы одна фотография"]
    stored = audit_api.get("inspector", audit["id"]).get_json()
    assert stored["status"] == "draft" and stored["answers"] == {} and stored["violations"] == []
    assert db.session.scalar(sa.select(sa.func.count(Violation.id))) == 0
    assert db.session.get(Facility, facility.id).last_inspection_date is None


def test_photos_must_be_real_images_under_the_limit(audit_api, facility, app, monkeypatch):
    audit = audit_api.create("inspector", facility).get_json()
    ok = audit_api.photo("inspector", audit["id"], jpeg_bytes(), item_code="safety.panic_button")
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["content_type"] == "image/jpeg"
    not_image = audit_api.photo("inspector", audit["id"], b"%PDF-1.4 not a photo", name="x.jpg")
    assert not_image.status_code == 422
    assert "file" in not_image.get_json()["errors"]["json"]
    truncated = audit_api.photo("inspector", audit["id"], jpeg_bytes()[:200])
    assert truncated.status_code == 422
    set_runtime(monkeypatch, app, photo_max_bytes=1000)
    big = audit_api.photo("inspector", audit["id"], jpeg_bytes(size=(800, 600)))
    assert big.status_code == 422 and "больше допустимых" in big.get_json()["message"]
    assert db.session.scalar(sa.select(sa.func.count(AuditPhoto.id))) == 1
    answers = audit_api.get("inspector", audit["id"]).get_json()["answers"]
    assert answers == {"safety.panic_button": {"photos": [ok.get_json()["id"]]}}


def test_answers_may_only_name_photos_of_the_same_audit(audit_api, facility):
    one = audit_api.create("inspector", facility).get_json()
    other = audit_api.create("inspector", facility).get_json()
    photo = audit_api.photo("inspector", other["id"], jpeg_bytes()).get_json()
    response = audit_api.patch("inspector", one["id"],
                               answers={"safety.panic_button": {"value": "no", "photos": [photo["id"]]}})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["safety.panic_button"] == [
        f"фотографии [{photo['id']}] не загружены в эту проверку"]


def test_a_submitted_audit_cannot_be_edited_but_can_be_corrected(audit_api, facility, national, client, auth_headers):
    body = audit_api.submitted("inspector", facility, national, failing={"safety.panic_button"})
    assert audit_api.patch("inspector", body["id"], notes="changed").status_code == 409
    response = client.post(f"/api/v1/audits/{body['id']}/corrections", headers=auth_headers("inspector"),
                           json={"client_uuid": new_uuid(), "reason": "Ошибочно отмечена тревожная кнопка"})
    assert response.status_code == 201, response.get_json()
    draft = response.get_json()
    assert draft["supersedes_id"] == body["id"] and draft["status"] == "draft"
    assert draft["answers"]["safety.panic_button"]["value"] == "no"
    assert draft["answers"]["safety.panic_button"]["photos"] != body["answers"]["safety.panic_button"]["photos"]
    fixed = audit_api.submit("inspector", draft["id"], answers={"safety.panic_button": {"value": "yes",
                                                                                          "photos": []}})
    assert fixed.status_code == 200, fixed.get_json()
    corrected = fixed.get_json()
    assert corrected["result"] == "pass" and corrected["prev_hash"] == body["record_hash"]
    original = audit_api.get("inspector", body["id"]).get_json()
    assert original["record_hash"] == body["record_hash"]
    assert original["violations"][0]["status"] == "superseded"


def test_a_correction_starts_from_every_visit_detail_of_the_corrected_audit(audit_api, facility, national, users):
    """Does a correction carry the corrected audit's basis, times, place, people and notes, not just its answers?"""
    from inspect_app.services import audits

    body = audit_api.submitted("inspector", facility, national, notes="Проверено с директором",
                               legal_basis="unplanned", basis_reason="complaint", signal_source="Жалоба родителя",
                               signal_date="2026-01-10", gps_lat=43.25, gps_lon=76.9, gps_accuracy_m=12.0,
                               representatives=["Асель Нурланова, директор"])
    original = db.session.get(Audit, body["id"])
    draft, created = audits.create_correction(db.session, users["inspector"], original,
                                              {"client_uuid": new_uuid(), "reason": "Опечатка в ФИО"})
    assert created and draft.supersedes_id == original.id and draft.correction_reason == "Опечатка в ФИО"
    for key in audits.DRAFT_FIELDS:
        assert getattr(draft, key) == getattr(original, key), key
    assert draft.notes == "Проверено с директором" and draft.representatives == ["Асель Нурланова, директор"]


def test_a_draft_on_an_old_template_version_is_refused_until_upgraded(audit_api, facility, national, tmp_path,
                                                                      client, auth_headers):
    from pathlib import Path

    import forms
    from inspect_app.services import checklists

    audit = audit_api.create("inspector", facility).get_json()
    source = Path(forms.model.TEMPLATES_DIR / "national.yaml").read_text(encoding="utf-8")
    (tmp_path / "national.yaml").write_text(source.replace("Глубина хранения видеоархива, суток",
                                                           "Глубина хранения видеоархива (сутки)"), encoding="utf-8")
    result = checklists.load_templates(db.session, tmp_path)
    assert result.created == [("national", 2)]
    answers = answers_for(national, "school")
    response = audit_api.submit("inspector", audit["id"], answers=answers)
    assert response.status_code == 409
    assert "template_outdated" in response.get_json()["errors"]["json"]
    assert audit_api.get("inspector", audit["id"]).get_json()["status"] == "draft"
    upgraded = client.post(f"/api/v1/audits/{audit['id']}/upgrade-template", headers=auth_headers("inspector"))
    assert upgraded.get_json()["template"]["version"] == 2
    assert audit_api.submit("inspector", audit["id"], answers=answers).status_code == 200


def test_deadline_days_follow_the_config(audit_api, facility, national, app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_DEADLINE_DAYS", {"critical": 3, "major": 30, "minor": 60})
    body = audit_api.submitted("inspector", facility, national, failing={"safety.video_police"},
                               inspection_date="2026-04-01")
    assert body["violations"][0]["due_date"] == (date(2026, 4, 1) + timedelta(days=3)).isoformat()


def test_answer_problems_speak_kazakh(client, audit_api, facility, auth_headers):
    """Does a Kazakh inspector read each answer problem in Kazakh, without the validator's code?"""
    audit = audit_api.create("inspector", facility).get_json()
    response = client.patch(f"/api/v1/audits/{audit['id']}?lang=kk", headers=auth_headers("inspector"),
                            json={"answers": {"safety.video_police": {"value": "maybe"},
                                              "safety.video_archive_days": {"value": "many"}}})
    errors = response.get_json()["errors"]["json"]
    assert errors["safety.video_police"] == ["«иә» немесе «жоқ» деп жауап беріңіз"]
    assert errors["safety.video_archive_days"] == ["сан енгізіңіз"]


def _with_gps(fmt: str, orientation: int = 1) -> bytes:
    """A photo as a phone camera writes it: EXIF with a GPS position (and an orientation), a comment, XMP."""
    img = Image.new("RGB", (60, 40), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 30.0), 3: "E", 4: (76.0, 57.0, 10.0)}
    buf = io.BytesIO()
    extra = {"comment": b"home of the inspector"} if fmt == "JPEG" else {}
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo
        info = PngInfo()
        info.add_text("Comment", "home of the inspector")
        extra = {"pnginfo": info}
    img.save(buf, fmt, exif=exif.tobytes(), xmp=b"<x:xmpmeta>GPSLatitude 43.25</x:xmpmeta>", **extra)
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "orientation"), [("JPEG", 1), ("JPEG", 6), ("PNG", 1), ("WEBP", 1)])
def test_uploaded_photos_lose_their_metadata(audit_api, facility, client, auth_headers, fmt, orientation):
    """Does a photo sent straight to the API (no phone resize) come back without its EXIF GPS, comment or XMP,
    turned upright as its orientation said, so that a report never carries where a camera was?"""
    raw = _with_gps(fmt, orientation)
    with Image.open(io.BytesIO(raw)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the test photo does carry a position
    audit = audit_api.create("inspector", facility).get_json()
    photo = audit_api.photo("inspector", audit["id"], raw).get_json()
    stored = client.get(f"/api/v1/audits/{audit['id']}/photos/{photo['id']}", headers=auth_headers("inspector"))
    assert stored.status_code == 200 and b"GPS" not in stored.data and b"PhoneMaker" not in stored.data
    assert b"home of the inspector" not in stored.data and b"xmpmeta" not in stored.data
    with Image.open(io.BytesIO(stored.data)) as img:
        assert not img.getexif() and img.format == fmt
        assert img.size == ((40, 60) if orientation == 6 else (60, 40))
    assert (photo["width"], photo["height"]) == img.size

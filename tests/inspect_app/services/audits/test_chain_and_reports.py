"""The hash chain, the public verify page, PDF reports through the API and the CLI, and report batches."""

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from pypdf import PdfReader

import forms
from inspect_app.extensions import db
from inspect_app.labels import SEVERITY_LABELS
from inspect_app.models import Audit
from inspect_app.services import checklists
from inspect_app.services.audits.chain import verify_chain
from tests.inspect_app.services.audits.conftest import FACILITY_NAME_KK, answers_for, drop_hashed_guards, new_uuid

FAILING = {"safety.panic_button", "safety.video_archive_days", "health.toilets"}


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace collapsed."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_audit_verify_passes_then_finds_a_changed_byte(audit_api, facility, national, runner, client):
    first = audit_api.submitted("inspector", facility, national, failing=FAILING)
    second = audit_api.submitted("inspector", facility, national)
    assert second["prev_hash"] == first["record_hash"]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK: 2" in result.output
    assert "совпадает" in client.get(f"/verify/{first['id']}/{first['record_hash']}").get_data(as_text=True)

    answers = dict(first["answers"])
    answers["health.toilets"] = {"value": "good"}
    drop_hashed_guards()
    db.session.execute(sa.update(Audit).where(Audit.id == first["id"]).values(answers=answers))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit {first['id']}" in result.output and "does not match its hash" in result.output
    page = client.get(f"/verify/{first['id']}/{first['record_hash']}").get_data(as_text=True)
    assert "не совпадает" in page
    assert "health.toilets" not in page and "Средняя школа № 7" in page


def test_verify_page_refuses_a_hash_that_is_not_the_stored_one(audit_api, facility, national, client):
    body = audit_api.submitted("inspector", facility, national)
    ok = client.get(f"/verify/{body['id']}/{body['record_hash']}")
    assert ok.status_code == 200 and "не совпадает" not in ok.get_data(as_text=True)
    wrong = client.get(f"/verify/{body['id']}/{'a' * 64}").get_data(as_text=True)
    assert "не совпадает" in wrong


def test_a_deleted_link_breaks_the_chain(audit_api, facility, national):
    first = audit_api.submitted("inspector", facility, national)
    audit_api.submitted("inspector", facility, national)
    drop_hashed_guards()
    db.session.execute(sa.update(Audit).where(Audit.id == first["id"]).values(chain_seq=None))
    report = verify_chain(db.session)
    assert not report.ok and report.checked == 0


def test_pdf_through_the_api_has_the_kazakh_name_and_every_failed_item(audit_api, facility, national, client,
                                                                       auth_headers):
    body = audit_api.submitted("inspector", facility, national, failing=FAILING)
    response = client.get(f"/api/v1/audits/{body['id']}/report.pdf?lang=kk", headers=auth_headers("inspector"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert FACILITY_NAME_KK in text
    for code in FAILING:
        item = national.items_by_code[code][1]
        assert item.text.kk[:40] in text, code
    assert body["record_hash"][:16] in text


@pytest.mark.parametrize(("lang", "title", "severity"), [
    ("kk", "ТЕКСЕРУ НӘТИЖЕЛЕРІ ТУРАЛЫ АКТ", "Өрескел"),
    ("ru", "АКТ О РЕЗУЛЬТАТАХ ПРОВЕРКИ", "Грубое"),
    ("en", "ACT ON THE RESULTS OF THE INSPECTION", "Critical"),
])
def test_pdf_headings_come_from_the_catalogs_of_the_pages(audit_api, facility, national, client, auth_headers,
                                                           lang, title, severity):
    """Are the report's headings and printed codes (severity) in the report language, as the pages say them?"""
    body = audit_api.submitted("inspector", facility, national, failing=FAILING)
    response = client.get(f"/api/v1/audits/{body['id']}/report.pdf?lang={lang}", headers=auth_headers("inspector"))
    text = pdf_text(response.data)
    assert title in text
    with force_locale(lang):
        assert severity == str(SEVERITY_LABELS["critical"])
    assert severity in text


def test_pdf_of_a_draft_is_refused(audit_api, facility, client, auth_headers):
    draft = audit_api.create("inspector", facility).get_json()
    response = client.get(f"/api/v1/audits/{draft['id']}/report.pdf", headers=auth_headers("inspector"))
    assert response.status_code == 409


def test_pdf_through_the_cli_and_audit_list(audit_api, facility, national, runner, tmp_path, users):
    body = audit_api.submitted("inspector", facility, national, failing=FAILING)
    target = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "pdf", str(body["id"]), "-o", str(target), "--lang", "ru"])
    assert result.exit_code == 0, result.output
    text = pdf_text(target.read_bytes())
    assert FACILITY_NAME_KK in text
    for code in FAILING:
        assert national.items_by_code[code][1].text.ru[:40] in text
    listed = runner.invoke(args=["audit", "list"])
    assert str(body["id"]) in listed.output and facility.bin in listed.output
    missing = runner.invoke(args=["report", "pdf", "999999", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_an_old_audit_renders_with_its_template_version(audit_api, facility, national, tmp_path, client,
                                                        auth_headers):
    body = audit_api.submitted("inspector", facility, national, failing={"safety.video_archive_days"})
    source = (forms.model.TEMPLATES_DIR / "national.yaml").read_text(encoding="utf-8")
    (tmp_path / "national.yaml").write_text(
        source.replace("Глубина хранения видеоархива, суток", "Срок хранения видеозаписей в сутках"),
        encoding="utf-8")
    assert checklists.load_templates(db.session, tmp_path).created == [("national", 2)]
    assert checklists.load_templates(db.session, tmp_path).created == []
    old = pdf_text(client.get(f"/api/v1/audits/{body['id']}/report.pdf", headers=auth_headers("inspector")).data)
    assert "Глубина хранения видеоархива, суток" in old and "Срок хранения видеозаписей" not in old
    new = audit_api.submitted("inspector", facility, checklists.parsed(checklists.latest_template(db.session,
                                                                                                  "national")),
                              failing={"safety.video_archive_days"})
    assert new["template"]["version"] == 2
    text = pdf_text(client.get(f"/api/v1/audits/{new['id']}/report.pdf", headers=auth_headers("inspector")).data)
    assert "Срок хранения видеозаписей в сутках" in text
    assert verify_chain(db.session).ok


def test_regional_template_extends_the_national_one(audit_api, region_b, users, auth_headers, client):
    from tests.factories import FacilityFactory, UserFactory

    checklists.ensure_templates(db.session)
    almaty = FacilityFactory(region=region_b, type="school")
    UserFactory(username="inspector_b", role="inspector", region=region_b)
    from inspect_app.services.users import issue_token

    headers = {"Authorization": f"Bearer {issue_token(db.session, users['supervisor_b'], 't')}"}
    response = client.post("/api/v1/audits/", headers=headers,
                           json={"client_uuid": new_uuid(), "facility_id": almaty.id, "legal_basis": "monitoring"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["template"]["code"] == "region_750000000"
    template = checklists.parsed(checklists.latest_template(db.session, "region_750000000"))
    national = checklists.parsed(checklists.latest_template(db.session, "national"))
    assert set(national.items_by_code) < set(template.items_by_code)


def test_checklists_load_command_is_idempotent(runner, templates, tmp_path):
    result = runner.invoke(args=["checklists", "load"])
    assert result.exit_code == 0 and "unchanged" in result.output
    (tmp_path / "bad.yaml").write_text("code: national\nversion: 1\nremove: [safety.video_working]\n",
                                       encoding="utf-8")
    bad = runner.invoke(args=["checklists", "load", "--dir", str(tmp_path)])
    assert bad.exit_code == 1 and "never remove" in bad.output


@pytest.mark.usefixtures("upload_dir")
def test_report_batch_job_zips_one_pdf_per_audit(audit_api, facility, national, client, auth_headers, upload_dir):
    ids = [audit_api.submitted("supervisor", facility, national, failing=FAILING if n else (),
                               inspection_date=f"2026-02-0{n + 1}")["id"] for n in range(3)]
    audit_api.submitted("supervisor", facility, national, inspection_date="2026-05-01")
    response = client.post("/api/v1/audits/report-batches", headers=auth_headers("supervisor"),
                           json={"region": "190000000", "date_from": "2026-02-01", "date_to": "2026-02-28"})
    assert response.status_code == 202, response.get_json()
    started = response.get_json()
    status = client.get(started["status_url"], headers=auth_headers("supervisor")).get_json()
    assert status["status"] == "finished", status
    assert status["result"]["count"] == 3
    with client.get(started["download_url"], headers=auth_headers("supervisor")) as download:
        assert download.status_code == 200
        names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert sorted(names) == sorted(f"audit-{i}-{facility.bin}-2026-02-0{n + 1}-ru.pdf" for n, i in enumerate(ids))
    assert [p.name for p in Path(upload_dir / "batches").iterdir()] == [f"{started['job_id']}.zip"]
    with client.get(started["download_url"], headers=auth_headers("ministry")) as other:
        assert other.status_code == 404  # a batch belongs to whoever started it (and to admins)
    outsider = client.post("/api/v1/audits/report-batches", headers=auth_headers("supervisor_b"),
                           json={"region": "190000000", "date_from": "2026-02-01", "date_to": "2026-02-28"})
    assert outsider.status_code == 404


def test_report_batch_cli_writes_the_zip(audit_api, facility, national, runner, tmp_path):
    audit_api.submitted("inspector", facility, national, inspection_date="2026-02-03")
    target = tmp_path / "out.zip"
    result = runner.invoke(args=["report", "batch", "--region", "190000000", "--from", "2026-02-01",
                                 "--to", "2026-02-28", "-o", str(target), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert len(zipfile.ZipFile(target).namelist()) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".partial")]


def test_a_failed_batch_leaves_no_file(audit_api, facility, national, upload_dir, monkeypatch, client,
                                       auth_headers):
    from inspect_app.services.audits import reports

    audit_api.submitted("inspector", facility, national, inspection_date="2026-02-03")

    def boom(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(reports, "render_audit_report", boom)
    response = client.post("/api/v1/audits/report-batches", headers=auth_headers("supervisor"),
                           json={"region": "190000000", "date_from": "2026-02-01", "date_to": "2026-02-28"})
    status = client.get(response.get_json()["status_url"], headers=auth_headers("supervisor")).get_json()
    assert status["status"] == "failed"
    assert list((upload_dir / "batches").iterdir()) == []
    assert client.get(response.get_json()["download_url"], headers=auth_headers("supervisor")).status_code == 409


def test_answers_for_helper_matches_the_template(national):
    assert not forms.validate_answers(national, "school", answers_for(national, "school"), final=True)


def test_supervisor_builds_the_zip_from_the_audits_page(audit_api, facility, national, client, login, upload_dir):
    """Can a supervisor start the ZIP from the web, watch the job page, and download the result from it?"""
    audit_api.submitted("inspector", facility, national, inspection_date="2026-02-03")
    login("supervisor")
    page = client.get("/audits/").get_data(as_text=True)
    assert 'action="/audits/batch"' in page
    response = client.post("/audits/batch", data={"region": "190000000", "date_from": "2026-02-01",
                                                  "date_to": "2026-02-28", "lang": "kk"})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = job_page.split('href="/audits/batches/')[1].split('"')[0]
    with client.get(f"/audits/batches/{link}") as download:
        assert download.status_code == 200
        assert len(zipfile.ZipFile(io.BytesIO(download.data)).namelist()) == 1


def test_inspectors_cannot_start_a_zip_of_the_region(client, login):
    """Is the region-wide ZIP refused to an inspector?"""
    login("inspector")
    response = client.post("/audits/batch", data={"region": "190000000", "date_from": "2026-02-01",
                                                  "date_to": "2026-02-28", "lang": "ru"})
    assert response.status_code == 403

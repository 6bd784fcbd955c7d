"""The act on the results (Entrepreneurial Code art. 152): every element on the PDF in ru and kk, a submit without
an element refused naming it, signatures that must be real PNGs of at most 200 KB, the refusal to sign, and the hash
of acts and of audits submitted before the act existed."""

import base64
import io
import os
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from PIL import Image
from pypdf import PdfReader

from inspect_app.extensions import db
from inspect_app.i18n import ALMATY
from inspect_app.models import Audit, AuditPhoto, ChecklistTemplate, Violation
from inspect_app.services.audits.chain import compute_hash, record_content, verify_chain
from tests.answers import act_fields, signature_png
from tests.inspect_app.services.audits.conftest import answers_for, drop_hashed_guards, jpeg_bytes
from tests.inspect_app.services.audits.test_chain_and_reports import pdf_text
from tests.inspect_app.services.audits.test_hashed_records import refused

FAILING = {"safety.panic_button", "health.toilets"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def pdf(client, auth_headers, audit_id, lang):
    response = client.get(f"/api/v1/audits/{audit_id}/report.pdf?lang={lang}", headers=auth_headers("inspector"))
    assert response.status_code == 200
    return response.data


def submit_act(audit_api, facility, national, failing=FAILING, create=None, **act):
    """Create, photograph the failed items, answer and submit with the act's elements; returns the response."""
    draft = audit_api.create("inspector", facility, **(create or {})).get_json()
    answers = answers_for(national, facility.type, failing)
    for code in failing:
        photo = audit_api.photo("inspector", draft["id"], jpeg_bytes(), item_code=code).get_json()
        answers[code]["photos"] = [photo["id"]]
    return draft, audit_api.submit("inspector", draft["id"], answers=answers, **act)


@pytest.mark.parametrize(("lang", "words"), [
    ("ru", ["АКТ О РЕЗУЛЬТАТАХ ПРОВЕРКИ", "Дата, время и место составления акта", "Проверяющий орган",
            "Инспекция по защите прав детей", "Правовое основание", "Акт о назначении проверки",
            "рег. № в КПСиСУ", "Проверяющие (Ф.И.О., должность)", "Руководитель или представитель организации",
            "Дата, место и период проверки", "Результаты проверки", "Выявленные нарушения",
            "Нарушенные пункты проверочного листа", "Проверочный лист", "Приложения к акту", "Фото № 1",
            "Объяснение представителя организации", "С актом ознакомлен(а), экземпляр получил(а)", "Подписи"]),
    ("kk", ["ТЕКСЕРУ НӘТИЖЕЛЕРІ ТУРАЛЫ АКТ", "Актінің жасалған күні, уақыты және орны",
            "Тексеруді жүргізетін орган", "Балалардың құқықтарын қорғау жөніндегі инспекция",
            "Тексеруді тағайындау туралы акт", "ҚСжАЕК тіркеу №", "Тексерушілер (Т.А.Ә., лауазымы)",
            "Ұйым басшысы немесе ұйым өкілі", "Тексерудің күні, орны және кезеңі",
            "Тексеру парағының бұзылған тармақтары", "Тексеру парағы", "Актіге қосымшалар", "№ 1 фото",
            "Ұйым өкілінің түсініктемесі", "Актімен таныстым, данасын алдым", "Қолтаңбалар"]),
])
def test_every_element_of_the_act_is_on_its_pdf(audit_api, facility, national, client, auth_headers, lang, words):
    """Does the act's PDF carry, in ru and kk, each element art. 152 names, each from the record: when and where
    it was drawn up, the body, the basis and the registered order, the inspector and position, the facility and
    its representative with position, date, place and period, results and violations, the items violated, the
    attachments, the acknowledgement and both signatures drawn as images?"""
    draft, response = submit_act(audit_api, facility, national, order_number="245", order_date="2019-12-20",
                                 order_reg_number="1975000245", inspector_position="главный инспектор",
                                 representative_name="Серікова Айгүл", representative_position="директор",
                                 representative_explanation="Согласна, ремонт заказан.")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    data = pdf(client, auth_headers, body["id"], lang)
    text = pdf_text(data)
    for word in words:
        assert word in text, word
    audit = db.session.get(Audit, body["id"])
    drawn = audit.check_out_at.astimezone(ALMATY)
    for value in ("245", "20.12.2019", "1975000245", "главный инспектор", audit.inspector_name, "Серікова Айгүл",
                  "директор", facility.address, facility.bin, drawn.strftime("%d.%m.%Y %H:%M"),
                  "Согласна, ремонт заказан.", "safety.panic_button", "health.toilets", audit.region.name(lang)):
        assert value in text, value
    # Both signatures are drawn: two images of the canvases' size (the photos are 64 x 48).
    sizes = [image.image.size for page in PdfReader(io.BytesIO(data)).pages for image in page.images]
    assert sizes.count((300, 100)) == 2, sizes


def test_a_refusal_to_sign_is_recorded_with_its_witness_and_printed(audit_api, facility, national, client,
                                                                    auth_headers):
    """May the inspector record that the representative refused to sign (no signature of theirs), with a witness,
    and does the act say so in ru and kk?"""
    _, response = submit_act(audit_api, facility, national, failing=(),
                             **act_fields(refused=True, representative_signature=None))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["signature_refused"] is True and body["representative_signature_sha256"] is None
    assert body["refusal_witness"] == "Ахметов Болат, завхоз"
    ru = pdf_text(pdf(client, auth_headers, body["id"], "ru"))
    assert "От подписи и получения акта отказался(ась)" in ru and "Свидетель отказа: Ахметов Болат, завхоз" in ru
    kk = pdf_text(pdf(client, auth_headers, body["id"], "kk"))
    assert "Актіге қол қоюдан және оны алудан бас тартты" in kk


def test_a_refusal_drops_a_signature_sent_with_it(audit_api, facility, national):
    """A refusal and a representative's signature together: is the refusal kept and the signature not stored?"""
    _, response = submit_act(audit_api, facility, national, failing=(), **act_fields(refused=True,
                             representative_signature=b64(signature_png(3))))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["representative_signature_sha256"] is None


@pytest.mark.parametrize("field", ["order_date", "order_number", "order_reg_number", "inspector_position",
                                   "representative_name", "representative_position", "representative_signature",
                                   "inspector_signature"])
def test_a_submit_without_an_element_of_the_act_is_refused_naming_it(audit_api, facility, national, field):
    """Is a planned inspection's submit without one element of its act a 422 naming that field, with nothing
    written (the audit stays a draft, no violation, no link of the chain)?"""
    draft, response = submit_act(audit_api, facility, national, **act_fields(**{field: None}))
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == [field]
    db.session.expire_all()
    audit = db.session.get(Audit, draft["id"])
    assert audit.status == "draft" and audit.record_hash is None and audit.violations == []


def test_a_monitoring_visit_needs_no_order(audit_api, facility, national, client, auth_headers):
    """A monitoring visit is no inspection ordered by a registered act: is it submitted without the order, and
    does its act say the order is not required?"""
    _, response = submit_act(audit_api, facility, national, failing=(), create={"legal_basis": "monitoring"},
                             **act_fields(order_date=None, order_number=None, order_reg_number=None))
    assert response.status_code == 200, response.get_json()
    assert "не требуется для этого основания" in pdf_text(pdf(client, auth_headers, response.get_json()["id"], "ru"))


def test_an_order_dated_after_the_inspection_is_refused(audit_api, facility, national):
    """Is an order dated after the inspection day a 422 naming order_date?"""
    _, response = submit_act(audit_api, facility, national, failing=(), **act_fields(order_date="2099-01-01"))
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == ["order_date"]


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (300, 100), (255, 255, 255)).save(buf, "JPEG")
    return buf.getvalue()


def _big_png() -> bytes:
    """A real PNG over 200 KB (noise does not compress)."""
    buf = io.BytesIO()
    Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(buf, "PNG")
    assert len(buf.getvalue()) > 200 * 1024
    return buf.getvalue()


@pytest.mark.parametrize("field", ["representative_signature", "inspector_signature"])
@pytest.mark.parametrize("value", [
    pytest.param(lambda: b64(_jpeg()), id="jpeg"),
    pytest.param(lambda: b64(_big_png()), id="over-200KB"),
    pytest.param(lambda: b64(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10), id="png-magic-only"),
    pytest.param(lambda: "data:image/jpeg;base64," + b64(_jpeg()), id="jpeg-data-url"),
    pytest.param(lambda: "%%% not base64 %%%", id="not-base64"),
])
def test_a_signature_that_is_not_a_png_of_at_most_200_kb_is_refused(audit_api, facility, national, field, value):
    """Is a signature that is not a real PNG, or is over 200 KB, a 422 naming its field, with nothing written?"""
    draft, response = submit_act(audit_api, facility, national, failing=(), **act_fields(**{field: value()}))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]
    db.session.expire_all()
    assert db.session.get(Audit, draft["id"]).status == "draft"


def test_a_signature_saved_on_the_draft_counts_at_submit(audit_api, facility, national):
    """May the act's elements be saved on the draft (PATCH) and the submit then carry none of them?"""
    draft = audit_api.create("inspector", facility).get_json()
    saved = audit_api.patch("inspector", draft["id"], **act_fields())
    assert saved.status_code == 200, saved.get_json()
    response = audit_api.submit("inspector", draft["id"], act=False, answers=answers_for(national, "school"))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["act_format"] == 1


def test_an_act_is_hashed_with_its_elements_and_its_signatures_guarded(audit_api, facility, national):
    """Is an act's hash over its elements and its signatures' digests, does the chain verify, does the database
    refuse to change them, and does a changed signature byte (guards dropped) break the chain?"""
    _, response = submit_act(audit_api, facility, national, failing=())
    body = response.get_json()
    audit = db.session.get(Audit, body["id"])
    content = record_content(audit)
    assert content["act"]["representative_signature_sha256"] == audit.representative_signature_sha256
    assert content["act"]["representative_name"] == "Серікова Айгүл"
    assert compute_hash(content, audit.prev_hash) == audit.record_hash
    assert verify_chain(db.session).ok
    by_id = Audit.id == audit.id
    for values in ({"representative_name": "Другой"}, {"signature_refused": True}, {"order_number": "1"},
                   {"inspector_signature": b"x"}, {"representative_signature_sha256": "0" * 64},
                   {"inspecting_body": {"ru": "другой"}}, {"act_format": None}):
        assert refused(sa.update(Audit).where(by_id).values(values)), values
    drop_hashed_guards()
    db.session.execute(sa.update(Audit).where(by_id).values(representative_signature=signature_png(9)))
    report = verify_chain(db.session)
    assert not report.ok and report.broken_audit_id == audit.id and "signature" in report.reason


def legacy_audit() -> Audit:
    """An audit as submitted before the act existed (no act_format), in memory."""
    template = ChecklistTemplate(id=3, code="national", version=2, checksum="ab" * 32)
    audit = Audit(
        id=41, client_uuid="5b0f6c1e-2f0a-4c55-9a59-3f3f5c1e0a11", facility_id=7, region_id=2, template=template,
        user_id=5, inspector_id=9, inspector_name="Омаров Ерлан", schedule_visit_id=None, legal_basis="planned",
        basis_reason=None, signal_source="", signal_date=None, signal_anonymous=None, prosecutor_reg_number=None,
        inspection_date=date(2026, 3, 2), check_in_at=datetime(2026, 3, 2, 4, 0, tzinfo=UTC),
        check_out_at=datetime(2026, 3, 2, 5, 30, tzinfo=UTC), gps_lat=43.25, gps_lon=76.95, gps_accuracy_m=12.0,
        representatives=["Директор Серікова А."], answers={"safety.panic_button": {"value": "no"}}, notes="",
        score_overall=91.5, section_scores={"safety": 80.0}, critical_failures=["safety.panic_button"],
        result="fail", supersedes_id=None, correction_reason=None,
        submit_uuid="0c6a2f9e-7a55-4f3e-8d7e-1c2b3a4d5e6f", submitted_at=datetime(2026, 3, 2, 5, 31, tzinfo=UTC),
        chain_seq=12)
    audit.photos = [AuditPhoto(id=100, sha256="cd" * 32, item_code="safety.panic_button", size=1234)]
    audit.violations = [Violation(item_code="safety.panic_button", severity="critical", due_date=date(2026, 3, 12),
                                  responsible="facility_head", corrective_action={"ru": "Установить"},
                                  legal_ref=None)]
    return audit


def test_an_audit_submitted_before_the_act_keeps_its_hash():
    """Is the hash of an audit submitted before the act (no act_format) the one the code before the act gave it
    (a value fixed by that code), so that stored chains still verify?"""
    audit = legacy_audit()
    assert "act" not in record_content(audit)
    assert compute_hash(record_content(audit), "ef" * 32) == \
        "4d6c2fff500e01923769c542863ef270a6e6d76c831d9ebae8b1cb64a9d652e4"


def test_a_chain_of_old_audits_and_acts_verifies(audit_api, facility, national, client, auth_headers):
    """A chain whose first link is an audit hashed before the act and whose next is an act: does it verify, and
    does the old one still print as the report it was (no act elements)?"""
    first = submit_act(audit_api, facility, national, failing=())[1].get_json()
    second = submit_act(audit_api, facility, national, failing=())[1].get_json()
    # Make the first an audit of before the act: no act elements, hashed as then, its successor relinked.
    drop_hashed_guards()
    old = db.session.get(Audit, first["id"])
    for column in ("act_format", "order_date", "order_number", "order_reg_number", "inspector_position",
                   "inspecting_body", "act_place", "representative_name", "representative_position",
                   "signature_refused", "representative_signature", "representative_signature_sha256",
                   "inspector_signature", "inspector_signature_sha256"):
        setattr(old, column, None)
    db.session.flush()
    old.record_hash = compute_hash(record_content(old), old.prev_hash)
    new = db.session.get(Audit, second["id"])
    new.prev_hash = old.record_hash
    new.record_hash = compute_hash(record_content(new), new.prev_hash)
    from inspect_app.models import AuditChainHead

    db.session.get(AuditChainHead, 1).last_hash = new.record_hash
    db.session.flush()
    assert "act" not in record_content(old) and "act" in record_content(new)
    assert verify_chain(db.session).ok
    # The public check of a printed act or report confirms both.
    for audit in (old, new):
        page = client.get(f"/verify/{audit.id}/{audit.record_hash}").get_data(as_text=True)
        assert "Акт совпадает с записью в системе." in page
    text = pdf_text(pdf(client, auth_headers, first["id"], "ru"))
    assert "Проверяющий орган" not in text and "Присутствовали от организации" in text


def test_the_form_fills_in_the_inspector_s_position_from_their_last_act(audit_api, facility, national, client,
                                                                        login):
    """Does the next checklist form offer the position the inspector gave on their last act?"""
    login("inspector")
    draft = audit_api.create("inspector", facility).get_json()
    assert 'data-act="inspector_position" maxlength="200" data-required="1"\n           value=""' in \
        client.get(f"/audits/{draft['id']}/fill").get_data(as_text=True)
    submit_act(audit_api, facility, national, failing=(), inspector_position="ведущий инспектор")
    page = client.get(f"/audits/{draft['id']}/fill").get_data(as_text=True)
    assert 'value="ведущий инспектор"' in page

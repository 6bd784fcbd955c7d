"""Does every page and API operation answer each role as the access module says?

The walk covers every rule of the app's url_map (so every operation of the OpenAPI document, which the test
checks): each GET and each write as anonymous, admin, ministry, the supervisors and inspectors of regions A and
B, on region A's records. The expected outcome comes from `services/access/` (the same predicates the services
ask), so a rule changed in one place is checked everywhere; an endpoint missing from POLICY or WRITES fails.
"""

import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import (
    ApiToken,
    AuditPhoto,
    ChecklistTemplate,
    DuplicateCandidate,
    FacilityClosure,
    Job,
    OutboxMessage,
    Prescription,
    PrescriptionEvent,
    PrescriptionItem,
    PrescriptionPhoto,
    Schedule,
    ScheduleVisit,
    Violation,
    WebhookEndpoint,
)
from inspect_app.services import access, checklists
from inspect_app.services.audits.drafts import create_draft
from inspect_app.services.users import issue_token
from tests.factories import PASSWORD, FacilityFactory, InspectorFactory, UserFactory, valid_bin
from tests.inspect_app.services.audits.conftest import jpeg_bytes

ROLES = ("anonymous", "admin", "ministry", "supervisor", "supervisor_b", "inspector", "inspector_b")

OK, FORBIDDEN, HIDDEN, LOGIN = "ok", "forbidden", "hidden", "login"


@pytest.fixture
def world(users, region_a, region_b):
    """Region A and B each: a facility (and a likely duplicate of it), an inspector with an account, a draft audit
    with a photo and a violation, a published schedule with today's visit of that inspector, a job of the region's
    supervisor."""
    checklists.ensure_templates(db.session)
    users["inspector_b"] = UserFactory(username="inspector_b", role="inspector", region=region_b)
    records = {}
    for key, region, supervisor, inspector_user in (("a", region_a, "supervisor", "inspector"),
                                                     ("b", region_b, "supervisor_b", "inspector_b")):
        facility = FacilityFactory(region=region, lat=43.25, lon=76.95)
        inspector = InspectorFactory(regions=[region], user=users[inspector_user], home_lat=43.24, home_lon=76.91)
        audit, _ = create_draft(db.session, users[inspector_user],
                                {"client_uuid": str(uuid.uuid4()), "facility_id": facility.id,
                                 "legal_basis": "planned"})
        photo = AuditPhoto(audit_id=audit.id, sha256="0" * 64, content_type="image/png", size=3, width=1, height=1,
                           data=b"png")
        today = today_almaty()
        schedule = Schedule(region=region, start_date=today, end_date=today, seed=1, time_limit=1,
                            status="published", problem={"dates": [today.isoformat()], "facilities": [],
                                                         "inspectors": [],
                                                         "travel": {"speed_kmh": 40, "road_factor": 1.3}},
                            problem_sha256="0" * 64, schedule={"routes": [], "unscheduled": []}, stats={},
                            commitment=key * 64)
        schedule.visits.append(ScheduleVisit(inspector=inspector, facility=facility, date=today, start="09:00",
                                             end="11:00", order=0))
        job = Job(id=uuid.uuid4().hex, kind="report_batch", status="running", user_id=users[supervisor].id,
                  region_id=region.id, heartbeat_at=dt.datetime.now(dt.UTC))
        twin = FacilityFactory(region=region, lat=43.25, lon=76.95)
        candidate = DuplicateCandidate(facility_a=facility, facility_b=twin, reason="same place")
        violation = Violation(audit_id=audit.id, facility_id=facility.id, item_code="safety.exits", section="safety",
                              severity="minor", item_text={"ru": "Выходы"}, corrective_action={"ru": "Освободить"},
                              responsible="facility_head", due_date=today)
        db.session.add_all([photo, schedule, job, candidate, violation])  # by audit_id: the draft is committed
        db.session.flush()
        issue_token(db.session, users[inspector_user], "phone")
        token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == users[inspector_user].id))
        national = checklists.latest_template(db.session, "national")
        draft = ChecklistTemplate(code=f"region_{region.kato}", version=90, region_kato=region.kato, draft=True,
                                  checksum=national.checksum, content=national.content, source="walk")
        closure = FacilityClosure(facility_id=facility.id, start_date=today, end_date=today, reason="repair")
        endpoint = WebhookEndpoint(owner_id=users[supervisor].id, region_id=region.id, url="https://hooks.example.kz/w",
                                   events=["audit_submitted"], secret="whsec_walk")
        message = OutboxMessage(key=f"walk:{key}", event_id="0" * 32, kind="critical_violation",
                                to_address="walk@example.kz", subject="s", text_body="t", html_body="h",
                                status="failed")
        db.session.add_all([draft, closure, endpoint, message])
        prescription = Prescription(number=f"{key}-2026-00001", audit_id=audit.id, facility_id=facility.id,
                                    region_id=region.id, delivered_on=today)
        item = PrescriptionItem(prescription=prescription, violation=violation, position=1, facility_id=facility.id,
                                item_code=violation.item_code, section="safety", severity="minor")
        event = PrescriptionEvent(item=item, kind="reported", state="reported", due_date=today + dt.timedelta(days=10),
                                  escalation=0, note="Сделано", actor_name="Директор", via_link=True)
        db.session.add_all([draft, closure, prescription, item, event])
        db.session.flush()
        evidence = PrescriptionPhoto(event_id=event.id, sha256="0" * 64, content_type="image/png", size=3, width=1,
                                     height=1, data=b"png")
        db.session.add(evidence)
        db.session.flush()
        records[key] = {"prescription": prescription, "item": item, "evidence": evidence,
                        "closure": closure, "facility": facility, "inspector": inspector, "audit": audit,
                        "photo": photo, "schedule": schedule, "visit": schedule.visits[0], "job": job, "twin": twin,
                        "candidate": candidate, "violation": violation, "account": users[inspector_user],
                        "token": token, "checklist": draft, "endpoint": endpoint, "message": message}
    db.session.commit()
    return records


# --- what each endpoint needs, from the access module --------------------------------------------------------
# Each function takes (user or None, region A's records) and returns the outcome it must have.


def public(user, a):
    """The same for everyone, signed in or not (`test_public_pages_answer_everyone_the_same`)."""
    return None


def signed_in(user, a):
    return OK if user else LOGIN


def registry(user, a):
    return (OK if access.may_read_registry(user) else FORBIDDEN) if user else LOGIN


def registry_editor(user, a):
    if not user:
        return LOGIN
    return OK if access.may_edit_registry(user) else FORBIDDEN


def facility(user, a):
    if not user:
        return LOGIN
    if not access.may_read_registry(user):
        return FORBIDDEN
    return OK if access.may_see_facility(user, a["facility"]) else HIDDEN


def facility_edit(user, a):
    outcome = facility(user, a)
    if outcome == OK and not access.may_edit_facility(user, a["facility"]):
        return FORBIDDEN
    return outcome


def inspector(user, a):
    if not user:
        return LOGIN
    if not access.may_read_registry(user):
        return FORBIDDEN
    return OK if access.in_region(user, a["facility"].region_id) else HIDDEN


def inspector_edit(user, a):
    outcome = inspector(user, a)
    return FORBIDDEN if outcome == OK and not access.may_edit_registry(user) else outcome


def audit(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_audit(user, a["audit"]) else HIDDEN


def audit_fill(user, a):
    outcome = audit(user, a)
    return FORBIDDEN if outcome == OK and not access.may_edit_draft(user, a["audit"]) else outcome


def audit_start(user, a):
    if not user:
        return LOGIN
    return OK if access.may_start_audit_without_visit(user) else FORBIDDEN


def schedules_page(user, a):
    return OK if user else LOGIN  # inspectors are sent on to their route (a redirect is OK)


def schedule(user, a):
    if not user:
        return LOGIN
    if access.is_inspector(user):
        return HIDDEN
    return OK if access.in_region(user, a["schedule"].region_id) else HIDDEN


def schedule_change(user, a):
    outcome = schedule(user, a)
    return FORBIDDEN if outcome == OK and not access.may_edit_schedule(user, a["schedule"]) else outcome


def job(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_job(user, a["job"]) else HIDDEN


def not_a_stats_job(user, a):
    """The world's job is a report batch: as a statistics export it is found by nobody."""
    return HIDDEN if user else LOGIN


def batch_job(user, a):
    """A report batch is a job: its starter's (a registry reader's), an admin's; inspectors start none."""
    return job(user, a)


def route(user, a):
    """A day: one's own (inspectors), or region A's inspector's for those who may read that region."""
    if not user:
        return LOGIN
    if access.is_inspector(user):
        return OK if user.id == a["inspector"].user_id else HIDDEN
    return OK if access.may_read_inspector_route(user, a["inspector"]) else HIDDEN


def visit(user, a):
    if not user:
        return LOGIN
    own = a["inspector"].id if access.is_inspector(user) and user.id == a["inspector"].user_id else None
    return OK if access.may_read_visit(user, a["visit"], own) else HIDDEN


def access_log(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_access_log(user) else FORBIDDEN


def user_manager(user, a):
    """The users page: admins and supervisors."""
    if not user:
        return LOGIN
    return OK if access.may_manage_users(user) else FORBIDDEN


def managed_account(user, a):
    """Region A's inspector's account: an admin's, region A's supervisor's; as if unknown to the others."""
    if not user:
        return LOGIN
    if not access.may_manage_users(user):
        return FORBIDDEN
    return OK if access.may_manage_user(user, a["account"]) else HIDDEN


def admin_history(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_admin_history(user) else FORBIDDEN


def outbox_page(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_outbox(user) else HIDDEN


def webhooks_page(user, a):
    if not user:
        return LOGIN
    return OK if access.may_manage_webhooks(user) else HIDDEN


def webhook_page(user, a):
    if not user:
        return LOGIN
    return OK if access.may_manage_webhooks(user) and access.in_region(user, a["endpoint"].region_id) else HIDDEN


def settings_page(user, a):
    if not user:
        return LOGIN
    return OK if access.may_change_settings(user) else FORBIDDEN


def checklists_page(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_checklists(user) else FORBIDDEN


def checklist_version(user, a):
    """Region A's draft extension: admins and region A's supervisors; as if unknown to region B's."""
    outcome = checklists_page(user, a)
    if outcome != OK:
        return outcome
    return OK if access.may_manage_checklist(user, a["facility"].region) else HIDDEN


def review_queue(user, a):
    """The review queue and its counts: supervisors and admins."""
    if not user:
        return LOGIN
    return OK if access.may_review_audits(user) else FORBIDDEN


def review_page(user, a):
    """Region A's audit under review: its region's supervisors and admins (never its author); as if unknown to
    region B's supervisor."""
    outcome = review_queue(user, a)
    if outcome != OK:
        return outcome
    if not access.may_read_audit(user, a["audit"]):
        return HIDDEN
    return OK if access.may_review_audit(user, a["audit"]) else FORBIDDEN


def logged_out_page(user, a):
    return OK  # the login form; a signed-in user is sent on (a redirect is OK)


def write(user, a):
    """Every write asks an anonymous caller to sign in (`test_every_write_asks_anonymous_to_sign_in`)."""
    return LOGIN


# --- who may write, from the access module --------------------------------------------------------------------
# Each takes (a signed-in user, region A's records): True when the write is the user's to make, False when it
# must be refused (403 or 404), None when it does not apply to the role (nothing to refuse or allow).


def may_edit_draft(user, a):
    return access.may_edit_draft(user, a["audit"])


def may_write_readable_audit(user, a):
    """Corrections: an audit writer who may read the audit."""
    return access.may_write_audits(user) and access.may_read_audit(user, a["audit"])


def prescription_list(user, a):
    if not user:
        return LOGIN
    return OK if access.may_list_prescriptions(user) else FORBIDDEN


def prescription_read(user, a):
    if not user:
        return LOGIN
    return OK if access.may_read_prescription(user, a["prescription"]) else HIDDEN


def may_decide_prescription(user, a):
    """Decisions, deadlines and the facility's link: the region's supervisors and admins."""
    return access.may_decide_prescription(user, a["prescription"])


def may_resolve_violation(user, a):
    """Closing a violation: the region's supervisors and admins (an inspector never closes their own)."""
    return access.may_resolve_violation(user, a["audit"])


def may_review(user, a):
    """A decision on region A's audit: its region's supervisors and admins, not its author."""
    return access.may_review_audit(user, a["audit"])


def may_correct_returned(user, a):
    """The correction of a returned audit (the draft here is not returned: allowed writers get a 409)."""
    return access.may_correct_returned(user, a["audit"])


def may_start_from_visit(user, a):
    own = a["inspector"].id if access.is_inspector(user) and user.id == a["inspector"].user_id else None
    return access.may_write_audits(user) and access.may_read_visit(user, a["visit"], own)


def may_start_without_visit(user, a):
    return access.may_start_audit_without_visit(user) and access.in_region(user, a["facility"].region_id)


def may_export_statistics(user, a):
    """Without a region a statistics export is of the user's own scope: every registry reader may start one."""
    return access.may_read_registry(user)


def may_batch_reports(user, a):
    return access.may_read_registry(user) and access.in_region(user, a["facility"].region_id)


def may_edit_region_registry(user, a):
    """A new facility or inspector of region A, or a change to region A's inspector."""
    return access.may_edit_registry(user) and access.in_region(user, a["facility"].region_id)


def may_edit_facility(user, a):
    return access.may_edit_facility(user, a["facility"])


def may_edit_registry(user, a):
    return access.may_edit_registry(user)


def may_merge(user, a):
    return access.may_edit_facility(user, a["facility"]) and access.may_edit_facility(user, a["twin"])


def may_edit_schedule(user, a):
    return access.may_edit_schedule(user, a["schedule"])


def may_build_own(user, a):
    """A what-if of the user's own region (the page's form): admins (who have none: a 422) and supervisors."""
    return access.may_build_schedules(user)


def may_edit_calendar(user, a):
    return access.may_edit_calendar(user)


def may_build(user, a):
    return access.is_admin(user) or (access.is_supervisor(user) and user.region_id == a["schedule"].region_id)


def may_cancel_job(user, a):
    return access.may_read_job(user, a["job"])


def signed_in_user(user, a):
    """Revoking one's own calendar URL: anyone signed in (for one who has none, nothing to revoke)."""
    return True


def may_have_calendar(user, a):
    return access.may_have_calendar(user)


def may_set_release(user, a):
    """The release hour of the user's own region; a user of no region has none to set (a 400)."""
    if user.region is None:
        return None
    return access.is_admin(user) or access.is_supervisor(user)


def may_manage_account(user, a):
    return access.may_manage_users(user) and access.may_manage_user(user, a["account"])


def may_create_region_inspector(user, a):
    return "inspector" in access.assignable_roles(user) and access.in_region(user, a["facility"].region_id)


def may_read_outbox(user, a):
    return access.may_read_outbox(user)


def may_manage_webhooks(user, a):
    return access.may_manage_webhooks(user)


def may_manage_region_webhook(user, a):
    return access.may_manage_webhooks(user) and access.in_region(user, a["endpoint"].region_id)


def is_token_owner(user, a):
    return user.id == a["account"].id


def may_revoke_others_token(user, a):
    return may_manage_account(user, a) and access.may_revoke_token_of(user, a["account"])


def may_manage_region_checklist(user, a):
    return access.may_read_checklists(user) and access.may_manage_checklist(user, a["facility"].region)


REGIONAL_YAML = """code: region_{kato}
version: 1
extends: {{code: national, version: 1}}
title: {{ru: "Р", kk: "Р", en: "R"}}
sections:
  - code: safety
    items:
      - code: safety.walk_item
        kind: yes_no
        severity: minor
        legal_ref: {{ru: "Закон", kk: "Заң", en: "Law"}}
        text: {{ru: "Пункт", kk: "Тармақ", en: "Item"}}
        corrective_action: {{ru: "Сделать", kk: "Жасау", en: "Do"}}
"""


def _facility_fields(a) -> dict:
    return {"bin": valid_bin(), "name_ru": "Новая школа", "type": "school", "agency": "education",
            "region_kato": a["facility"].region.kato, "lat": 43.26, "lon": 76.96, "risk": "low"}


def _inspector_fields(a) -> dict:
    return {"full_name": "Новый Инспектор", "agency": "education", "region_katos": [a["facility"].region.kato],
            "skills": ["safety"], "home_lat": 43.25, "home_lon": 76.95}


def _file(name: str, content: bytes) -> dict:
    return {"file": (io.BytesIO(content), name)}


YESTERDAY = (today_almaty() - dt.timedelta(days=1)).isoformat()
TODAY = today_almaty().isoformat()
IN_A_MONTH = (today_almaty() + dt.timedelta(days=30)).isoformat()

# (endpoint, method) -> (body of region A's records: ("json" | "form" | "files", dict) or None, who may)
# Bodies parse, so a refusal cannot hide behind a 422; an allowed write may still be refused by a business rule
# (a published schedule cannot be published again: 409), which is not an access refusal.
WRITES = {
    ("api_audits.Audits", "POST"): (lambda a: ("json", {"client_uuid": str(uuid.uuid4()), "legal_basis": "planned",
                                                        "facility_id": a["facility"].id,
                                                        "schedule_visit_id": a["visit"].id}), may_start_from_visit),
    ("api_audits.AuditById", "PATCH"): (lambda a: ("json", {"notes": "Проверено"}), may_edit_draft),
    ("api_audits.AuditPhotos", "POST"): (lambda a: ("files", _file("p.jpg", jpeg_bytes())), may_edit_draft),
    ("api_audits.AuditSubmit", "POST"): (lambda a: ("json", {"client_uuid": str(uuid.uuid4())}), may_edit_draft),
    ("api_audits.AuditUpgradeTemplate", "POST"): (None, may_edit_draft),
    ("api_audits.AuditCorrections", "POST"): (lambda a: ("json", {"client_uuid": str(uuid.uuid4()),
                                                                  "reason": "Опечатка в ответе"}),
                                              may_write_readable_audit),
    ("api_audits.ViolationResolve", "POST"): (lambda a: ("json", {"note": "Устранено"}), may_resolve_violation),
    ("api_audits.ReportBatches", "POST"): (lambda a: ("json", {"region": a["facility"].region.kato,
                                                               "date_from": YESTERDAY, "date_to": TODAY}),
                                           may_batch_reports),
    ("api_reviews.ReviewDecide", "POST"): (lambda a: ("json", {"outcome": "accepted"}), may_review),
    ("review.decide", "POST"): (lambda a: ("form", {"outcome": "accepted"}), may_review),
    ("review.correct", "POST"): (lambda a: ("form", {"reason": "Возвращена"}), may_correct_returned),
    ("api_route.AuditDiscard", "POST"): (lambda a: ("json", {"reason": "Открыт по ошибке"}), may_edit_draft),
    ("api_route.VisitNotDone", "POST"): (lambda a: ("json", {"reason": "closed"}), may_start_from_visit),
    ("api_facilities.Facilities", "POST"): (lambda a: ("json", _facility_fields(a)), may_edit_region_registry),
    ("api_facilities.FacilityById", "PATCH"): (lambda a: ("json", {"name_ru": "Переименована"}), may_edit_facility),
    ("api_facilities.FacilityById", "DELETE"): (None, may_edit_facility),
    ("api_inspectors.Inspectors", "POST"): (lambda a: ("json", _inspector_fields(a)), may_edit_region_registry),
    ("api_inspectors.InspectorById", "PATCH"): (lambda a: ("json", {"full_name": "Переименован"}),
                                                may_edit_region_registry),
    ("api_inspectors.InspectorById", "DELETE"): (None, may_edit_region_registry),
    ("api_registry.Duplicates", "POST"): (None, may_edit_registry),
    ("api_registry.Import", "POST"): (lambda a: ("files", _file("r.csv", b"bin,name_ru\n")), may_edit_registry),
    ("api_registry.Merge", "POST"): (lambda a: ("json", {"keep_id": a["facility"].id, "drop_id": a["twin"].id}),
                                     may_merge),
    ("api_schedules.Schedules", "POST"): (lambda a: ("json", {"region": a["facility"].region.kato,
                                                              "start": YESTERDAY}), may_build),
    ("api_schedules.ScheduleAbsences", "POST"): (lambda a: ("json", {"inspector_id": a["inspector"].id,
                                                                     "dates": [TODAY]}), may_edit_schedule),
    ("api_schedules.ScheduleDiscard", "POST"): (None, may_edit_schedule),
    ("api_schedules.ScheduleEdits", "POST"): (lambda a: ("json", {"action": "remove", "visit_id": a["visit"].id}),
                                              may_edit_schedule),
    ("api_schedules.SchedulePublish", "POST"): (None, may_edit_schedule),
    ("api_schedules.ScheduleUrgent", "POST"): (lambda a: ("json", {"facility_id": a["twin"].id}), may_edit_schedule),
    ("api_calendar.CalendarTransfers", "PUT"): (lambda a: ("json", {"transfers": [
        {"day_off": "2031-04-04", "working_day": "2031-04-05"}]}), may_edit_calendar),
    ("api_calendar.CalendarBreaks", "PUT"): (lambda a: ("json", {"breaks": [
        {"start_date": "2031-10-27", "end_date": "2031-11-02"}]}), may_edit_calendar),
    ("api_facilities.FacilityClosures", "POST"): (lambda a: ("json", {"start_date": TODAY, "end_date": TODAY,
                                                                      "reason": "quarantine"}), may_edit_facility),
    ("api_facilities.FacilityClosureById", "DELETE"): (None, may_edit_facility),
    ("api_capacity.CapacityWhatIfs", "POST"): (lambda a: ("json", {"region": a["facility"].region.kato,
                                                                   "scenario": "fill", "fill": 0.7}), may_build),
    ("api_prescriptions.PrescriptionLink", "POST"): (None, may_decide_prescription),
    ("api_prescriptions.PrescriptionLink", "DELETE"): (None, may_decide_prescription),
    ("api_prescriptions.ItemDecision", "POST"): (lambda a: ("json", {"decision": "accept", "comment": "Принято"}),
                                                 may_decide_prescription),
    ("api_prescriptions.ItemDeadline", "POST"): (lambda a: ("json", {"due_date": IN_A_MONTH}),
                                                 may_decide_prescription),
    # pages
    ("prescriptions.issue_link", "POST"): (None, may_decide_prescription),
    ("prescriptions.revoke_link", "POST"): (None, may_decide_prescription),
    ("prescriptions.decide", "POST"): (lambda a: ("form", {"decision": "reject", "comment": "Не то фото"}),
                                       may_decide_prescription),
    ("prescriptions.deadline", "POST"): (lambda a: ("form", {"due_date": IN_A_MONTH}), may_decide_prescription),
    ("account.index", "POST"): (lambda a: ("form", {"locale": "kk"}), signed_in_user),
    ("account.password_page", "POST"): (lambda a: ("form", {"current_password": "wrong", "password": "x",
                                                            "password_repeat": "x"}), signed_in_user),
    ("account.tokens", "POST"): (lambda a: ("form", {"name": "walk", "days": "5"}), signed_in_user),
    ("account.revoke", "POST"): (None, is_token_owner),
    ("notifications.preferences_page", "POST"): (lambda a: ("form", {"email": "walk@example.kz"}), signed_in_user),
    ("notifications.retry", "POST"): (None, may_read_outbox),
    ("notifications.webhooks_page", "POST"): (lambda a: ("form", {"url": "https://hooks.example.kz/walk",
                                                                  "events": "audit_submitted"}), may_manage_webhooks),
    ("notifications.webhook_test", "POST"): (None, may_manage_region_webhook),
    ("notifications.webhook_active", "POST"): (lambda a: ("form", {"active": "0"}), may_manage_region_webhook),
    ("users.create", "POST"): (lambda a: ("form", {"username": "walker", "role": "inspector",
                                                   "region_kato": a["facility"].region.kato}),
                               may_create_region_inspector),
    ("users.edit", "POST"): (lambda a: ("form", {"role": "inspector", "region_kato": a["facility"].region.kato,
                                                 "full_name": "Переименован"}), may_manage_account),
    ("users.set_active", "POST"): (lambda a: ("form", {"active": "0"}), may_manage_account),
    ("users.reset_password", "POST"): (lambda a: ("form", {"method": "link"}), may_manage_account),
    ("users.revoke_token", "POST"): (None, may_revoke_others_token),
    ("settings.index", "POST"): (lambda a: ("form", {"key": "checkin_max_distance_m", "value": "250"}),
                                 lambda user, a: access.may_change_settings(user)),
    ("checklists.upload", "POST"): (lambda a: ("files", _file("r.yaml", REGIONAL_YAML.format(
        kato=a["facility"].region.kato).encode())), may_manage_region_checklist),
    ("checklists.activate", "POST"): (lambda a: ("form", {"active_from": TODAY}), may_manage_region_checklist),
    ("capacity.what_if", "POST"): (lambda a: ("form", {"scenario": "fill", "fill": "0.7"}), may_build_own),
    ("calendar.transfers", "POST"): (lambda a: ("form", {"transfers": "2031-04-04 > 2031-04-05"}), may_edit_calendar),
    ("calendar.breaks", "POST"): (lambda a: ("form", {"breaks": "2031-10-27..2031-11-02"}), may_edit_calendar),
    ("facilities.add_closure", "POST"): (lambda a: ("form", {"start_date": TODAY, "end_date": TODAY,
                                                             "reason": "quarantine"}), may_edit_facility),
    ("facilities.remove_closure", "POST"): (None, may_edit_facility),
    ("audits.new", "POST"): (lambda a: ("form", {"facility_id": a["facility"].id, "legal_basis": "planned",
                                                 "client_uuid": str(uuid.uuid4())}), may_start_without_visit),
    ("audits.batch", "POST"): (lambda a: ("form", {"region": a["facility"].region.kato, "date_from": YESTERDAY,
                                                   "date_to": TODAY}), may_batch_reports),
    ("dashboard.national_export", "POST"): (lambda a: ("form", {"format": "xlsx"}), may_export_statistics),
    ("route.discard", "POST"): (lambda a: ("form", {"reason": "Открыт по ошибке"}), may_edit_draft),
    ("route.not_done", "POST"): (lambda a: ("form", {"reason": "closed"}), may_start_from_visit),
    ("route.calendar_rotate", "POST"): (None, may_have_calendar),
    ("route.calendar_revoke", "POST"): (None, signed_in_user),
    ("route.route_release", "POST"): (lambda a: ("form", {"route_release": "evening"}), may_set_release),
    ("facilities.create", "POST"): (lambda a: ("form", _facility_fields(a)), may_edit_region_registry),
    ("facilities.edit", "POST"): (lambda a: ("form", {**_facility_fields(a), "bin": a["facility"].bin,
                                                      "version": a["facility"].version}), may_edit_facility),
    ("facilities.archive", "POST"): (lambda a: ("form", {"note": "Закрыт"}), may_edit_facility),
    ("inspectors.create", "POST"): (lambda a: ("form", {**_inspector_fields(a), "skills": "safety"}),
                                    may_edit_region_registry),
    ("inspectors.edit", "POST"): (lambda a: ("form", {**_inspector_fields(a), "skills": "safety"}),
                                  may_edit_region_registry),
    ("inspectors.archive", "POST"): (None, may_edit_region_registry),
    ("registry.import_page", "POST"): (lambda a: ("files", _file("r.csv", b"bin,name_ru\n")), may_edit_registry),
    ("registry.scan", "POST"): (None, may_edit_registry),
    ("registry.dismiss", "POST"): (None, may_merge),
    ("registry.merge", "POST"): (lambda a: ("form", {"keep": "a", "confirm": "1"}), may_merge),
    ("jobs.cancel", "POST"): (None, may_cancel_job),
    ("schedules.build", "POST"): (lambda a: ("form", {"region": a["facility"].region.kato, "start": YESTERDAY,
                                                      "days": 1}), may_build),
    ("schedules.publish", "POST"): (lambda a: ("form", {"confirm": "1"}), may_edit_schedule),
    ("schedules.discard", "POST"): (lambda a: ("form", {"confirm": "1"}), may_edit_schedule),
    ("schedules.edit", "POST"): (lambda a: ("form", {"action": "remove", "visit_id": a["visit"].id}),
                                 may_edit_schedule),
    ("schedules.absence", "POST"): (lambda a: ("form", {"inspector_id": a["inspector"].id, "dates": TODAY}),
                                    may_edit_schedule),
    ("schedules.urgent", "POST"): (lambda a: ("form", {"facility_id": a["twin"].id, "option": 0,
                                                       "reason": "complaint"}), may_edit_schedule),
}

WRITE = {"POST", "PATCH", "DELETE", "PUT"}

# endpoint -> (GET URL from region A's records or None, rule for GET or None when the endpoint has no GET)
POLICY = {
    "main.index": ("/", signed_in),
    "api-docs.openapi_swagger_ui": ("/api/docs", public),
    "api-docs.openapi_json": ("/api/openapi.json", public),
    "route.service_worker": ("/sw.js", public),
    "main.manifest": ("/manifest.webmanifest", public),
    "auth.login": ("/auth/login", logged_out_page),
    "auth.logout": (None, None),
    "verify.verify": ("/verify/{audit}/{wrong_hash}", public),
    "schedules.commitment": ("/schedules/commitment/{commitment}", public),
    "route.calendar": ("/calendar/unknown-token.ics", public),
    # API
    "api_facilities.Facilities": ("/api/v1/facilities/", registry),
    "api_facilities.FacilityById": ("/api/v1/facilities/{facility}", facility),
    "api_facilities.FacilityHistory": ("/api/v1/facilities/{facility}/history", facility),
    "api_inspectors.Inspectors": ("/api/v1/inspectors/", registry),
    "api_inspectors.InspectorById": ("/api/v1/inspectors/{inspector}", inspector),
    "api_registry.Duplicates": ("/api/v1/registry/duplicates", registry),
    "api_registry.Export": ("/api/v1/registry/export?format=csv", registry),
    "api_registry.Import": (None, None),
    "api_registry.Merge": (None, None),
    "api_registry.Regions": ("/api/v1/registry/regions", registry),
    "api_statistics.Export": ("/api/v1/statistics/export?table=regions&format=csv", registry),
    "api_statistics.Summary": ("/api/v1/statistics/summary", registry),
    "api_statistics.Workbook": ("/api/v1/statistics/workbook", registry),
    "api_statistics.ComplianceIndex": ("/api/v1/statistics/index?format=csv", registry),
    "api_statistics.InspectorFigures": ("/api/v1/statistics/inspectors?format=csv", registry),
    "api_statistics.PrescriptionFigures": ("/api/v1/statistics/prescriptions?format=csv", registry),
    "api_statistics.SummaryPdf": ("/api/v1/statistics/summary.pdf", registry),
    "api_statistics.PrescriptionSummary": ("/api/v1/statistics/prescriptions/summary", registry),
    "api_statistics.InspectorSummary": ("/api/v1/statistics/inspectors/summary", registry),
    "api_statistics.IndexSummary": ("/api/v1/statistics/index/summary", registry),
    "api_audits.Audits": ("/api/v1/audits/", signed_in),
    "api_audits.AuditById": ("/api/v1/audits/{audit}", audit),
    "api_audits.AuditCorrections": (None, None),
    "api_route.AuditDiscard": (None, None),
    "api_audits.AuditPhotos": (None, None),
    "api_audits.AuditPhotoById": ("/api/v1/audits/{audit}/photos/{photo}", audit),
    "api_audits.AuditReport": ("/api/v1/audits/{audit}/report.pdf", audit),
    "api_audits.AuditSubmit": (None, None),
    "api_audits.AuditUpgradeTemplate": (None, None),
    "api_audits.ReportBatches": (None, None),
    "api_audits.ReportBatchById": ("/api/v1/audits/report-batches/{job}", batch_job),
    "api_audits.ReportBatchDownload": ("/api/v1/audits/report-batches/{job}/download", batch_job),
    "api_audits.ViolationResolve": (None, None),
    "api_reviews.ReviewQueue": ("/api/v1/reviews/", review_queue),
    "api_reviews.ReviewCounts": ("/api/v1/reviews/counts", review_queue),
    "api_reviews.ReviewById": ("/api/v1/reviews/{audit}", review_page),
    "api_reviews.ReviewDecide": (None, None),
    "review.index": ("/review/", review_queue),
    "review.show": ("/review/{audit}", review_page),
    "review.decide": (None, None),
    "review.correct": (None, None),
    "api_schedules.Schedules": ("/api/v1/schedules/", signed_in),
    "api_schedules.ScheduleById": ("/api/v1/schedules/{schedule}", schedule),
    "api_schedules.ScheduleVisits": ("/api/v1/schedules/{schedule}/visits", schedule),
    "api_schedules.ScheduleExport": ("/api/v1/schedules/{schedule}/export", schedule),
    "api_schedules.ScheduleAbsences": (None, None),
    "api_schedules.ScheduleDiscard": (None, None),
    "api_schedules.ScheduleEdits": (None, None),
    "api_schedules.SchedulePublish": (None, None),
    "api_schedules.ScheduleUrgent": (None, None),
    "api_route.AccessLog": ("/api/v1/schedules/access-log", access_log),
    "api_route.MyRoute": ("/api/v1/my/route?inspector_id={inspector}", route),
    "api_route.VisitNotDone": (None, None),
    "api_calendar.CalendarYear": ("/api/v1/calendar/?year=2031", registry),
    "api_calendar.CalendarHistory": ("/api/v1/calendar/2031/history", registry),
    "api_calendar.CalendarTransfers": (None, None),
    "api_calendar.CalendarBreaks": (None, None),
    "api_facilities.FacilityClosures": ("/api/v1/facilities/{facility}/closures", facility),
    "api_facilities.FacilityClosureById": (None, None),
    "api_capacity.CapacityPlan": ("/api/v1/capacity/?year=2031", registry),
    "api_capacity.CapacityExport": ("/api/v1/capacity/export?year=2031&format=csv", registry),
    "api_capacity.CapacityWhatIfs": (None, None),
    "api_prescriptions.Items": ("/api/v1/prescriptions/items", prescription_list),
    "api_prescriptions.ItemsExport": ("/api/v1/prescriptions/items/export?format=csv", prescription_list),
    "api_prescriptions.PrescriptionById": ("/api/v1/prescriptions/{prescription}", prescription_read),
    "api_prescriptions.PrescriptionPdf": ("/api/v1/prescriptions/{prescription}/prescription.pdf",
                                          prescription_read),
    "api_prescriptions.PrescriptionLink": (None, None),
    "api_prescriptions.ItemDecision": (None, None),
    "api_prescriptions.ItemDeadline": (None, None),
    # pages
    "prescriptions.index": ("/prescriptions/", prescription_list),
    "prescriptions.export": ("/prescriptions/export?format=xlsx", prescription_list),
    "prescriptions.show": ("/prescriptions/{prescription}", prescription_read),
    "prescriptions.pdf": ("/prescriptions/{prescription}/prescription.pdf?lang=kk", prescription_read),
    "prescriptions.photo": ("/prescriptions/photos/{evidence}", prescription_read),
    "prescriptions.facility": ("/prescriptions/facility/{facility}", facility),
    "prescriptions.issue_link": (None, None),
    "prescriptions.revoke_link": (None, None),
    "prescriptions.decide": (None, None),
    "prescriptions.deadline": (None, None),
    "facility_link.page": ("/p/not-a-link", public),
    "facility_link.photo": ("/p/not-a-link/photos/1", public),
    "capacity.index": ("/capacity/?year=2031", registry),
    "capacity.export": ("/capacity/export.csv?year=2031", registry),
    "capacity.what_if": (None, None),
    "calendar.index": ("/calendar/?year=2031", registry),
    "calendar.transfers": (None, None),
    "calendar.breaks": (None, None),
    "facilities.add_closure": (None, None),
    "facilities.remove_closure": (None, None),
    "facilities.index": ("/facilities/", registry),
    "facilities.show": ("/facilities/{facility}", facility),
    "facilities.edit": ("/facilities/{facility}/edit", facility_edit),
    "facilities.create": ("/facilities/new", registry_editor),
    "facilities.archive": (None, None),
    "inspectors.index": ("/inspectors/", registry),
    "inspectors.show": ("/inspectors/{inspector}", inspector),
    "inspectors.edit": ("/inspectors/{inspector}/edit", inspector_edit),
    "inspectors.create": ("/inspectors/new", registry_editor),
    "inspectors.archive": (None, None),
    "registry.duplicates_page": ("/registry/duplicates", registry),
    "registry.export_page": ("/registry/export", registry),
    "registry.export": ("/registry/export/csv", registry),
    "registry.import_page": ("/registry/import", registry_editor),
    "registry.dismiss": (None, None),
    "registry.merge": (None, None),
    "registry.scan": (None, None),
    "dashboard.index": ("/dashboard", registry),
    "dashboard.export": ("/dashboard/export/regions.csv", registry),
    "dashboard.export_all": ("/dashboard/export-all.xlsx", registry),
    "dashboard.map_page": ("/dashboard/map", registry),
    "dashboard.map_data": ("/dashboard/map.json", registry),
    "dashboard.map_facility": ("/dashboard/map/facility/{facility}.json", facility),
    "dashboard.index_page": ("/dashboard/index", registry),
    "dashboard.index_export": ("/dashboard/index/export.csv", registry),
    "dashboard.inspectors_export": ("/dashboard/inspectors.csv", registry),
    "dashboard.remedies_export": ("/dashboard/prescriptions.csv", registry),
    "dashboard.summary_pdf": ("/dashboard/summary.pdf", registry),
    "dashboard.national_download": ("/dashboard/exports/{job}", not_a_stats_job),
    "dashboard.national_export": (None, None),
    "audits.index": ("/audits/", signed_in),
    "audits.new": ("/audits/new", audit_start),
    "audits.show": ("/audits/{audit}", audit),
    "audits.fill": ("/audits/{audit}/fill", audit_fill),
    "audits.photo": ("/audits/{audit}/photos/{photo}", audit),
    "audits.report_pdf": ("/audits/{audit}/report.pdf", audit),
    "audits.batch": (None, None),
    "audits.batch_download": ("/audits/batches/{job}.zip", batch_job),
    "route.discard": (None, None),
    "jobs.show": ("/jobs/{job}", job),
    "jobs.status": ("/jobs/{job}.json", job),
    "jobs.cancel": (None, None),
    "schedules.index": ("/schedules/", schedules_page),
    "schedules.show": ("/schedules/{schedule}", schedule),
    "schedules.export": ("/schedules/{schedule}/export.json", schedule),
    "schedules.publish": ("/schedules/{schedule}/publish", schedule_change),
    "schedules.discard": ("/schedules/{schedule}/discard", schedule_change),
    "schedules.urgent": ("/schedules/{schedule}/urgent", schedule_change),
    "schedules.absence": (None, None),
    "schedules.edit": (None, None),
    "schedules.build": (None, None),
    "route.access_log": ("/schedules/access-log", access_log),
    "route.route_release": (None, None),
    "route.my_route": ("/my/route?inspector_id={inspector}", route),
    "route.sheet": ("/my/route/sheet.pdf?inspector_id={inspector}", route),
    "route.stop": ("/my/route/stops/{visit}", visit),
    "route.not_done": (None, None),
    "route.calendar_rotate": (None, None),
    "route.calendar_revoke": (None, None),
    "auth.reset": ("/auth/reset/not-a-link", public),
    "account.index": ("/account/", signed_in),
    "account.password_page": ("/account/password", signed_in),
    "account.tokens": ("/account/tokens", signed_in),
    "account.revoke": (None, None),
    "notifications.preferences_page": ("/account/notifications", signed_in),
    "notifications.outbox_page": ("/notifications/outbox", outbox_page),
    "notifications.retry": (None, None),
    "notifications.webhooks_page": ("/webhooks/", webhooks_page),
    "notifications.webhook": ("/webhooks/{endpoint}", webhook_page),
    "notifications.webhook_test": (None, None),
    "notifications.webhook_active": (None, None),
    "users.index": ("/users/", user_manager),
    "users.create": ("/users/new", user_manager),
    "users.show": ("/users/{account}", managed_account),
    "users.edit": ("/users/{account}/edit", managed_account),
    "users.set_active": (None, None),
    "users.reset_password": (None, None),
    "users.revoke_token": (None, None),
    "users.history_page": ("/users/history", admin_history),
    "users.history_csv": ("/users/history.csv", admin_history),
    "checklists.index": ("/checklists/", checklists_page),
    "settings.index": ("/settings/", settings_page),
    "checklists.upload": ("/checklists/upload", checklists_page),
    "checklists.show": ("/checklists/{checklist}", checklist_version),
    "checklists.preview": ("/checklists/{checklist}/preview", checklist_version),
    "checklists.preview_pdf": ("/checklists/{checklist}/preview.pdf", checklist_version),
    "checklists.download": ("/checklists/{checklist}.yaml", checklist_version),
    "checklists.activate": (None, None),
}
# Writes anyone may send without signing in.
PUBLIC_WRITES = {"auth.login", "auth.logout", "auth.reset", "facility_link.page"}
# What a refused request may still touch: the bearer token's time of last use (it did authenticate).
VOLATILE_COLUMNS: dict[str, set[str]] = {"api_token": {"last_used_at"}}
# Pages that refuse a write with an error message on the page they send the user back to (a redirect), where
# the API answers 403/404 for the same refusal; and one whose form offers only the user's regions (another
# region's is a 400). Either way nothing may change.
REFUSED_WITH_MESSAGE = {"schedules.edit", "schedules.absence", "route.discard", "route.not_done",
                        "route.route_release"}
REFUSED_AS_BAD_FORM = {"audits.batch"}


def _rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.rule.startswith("/vendor/")]


def test_every_endpoint_has_a_rule(app):
    """Is a new route without a line in POLICY caught (and is every OpenAPI operation a route here)?"""
    endpoints = {r.endpoint for r in _rules(app)}
    assert endpoints - POLICY.keys() == set(), "add these endpoints to POLICY with the rule they follow"
    assert POLICY.keys() - endpoints == set(), "POLICY names endpoints that no longer exist"
    for rule in _rules(app):
        has_get = "GET" in rule.methods
        assert (POLICY[rule.endpoint][1] is not None) == has_get, rule.endpoint
    spec = app.test_client().get("/api/openapi.json").get_json()
    routed = {(r.rule.replace("<int:", "{").replace("<", "{").replace(">", "}"), m.lower())
              for r in _rules(app) for m in r.methods - {"HEAD", "OPTIONS"}}
    operations = {(path, method) for path, item in spec["paths"].items() for method in item
                  if method in {"get", "post", "patch", "put", "delete"}}
    assert operations - routed == set()
    writes = {(r.endpoint, m) for r in _rules(app) for m in r.methods & WRITE if r.endpoint not in PUBLIC_WRITES}
    assert writes - WRITES.keys() == set(), "add these writes to WRITES with the rule they follow"
    assert WRITES.keys() - writes == set(), "WRITES names writes that no longer exist"


def _outcome(response, api: bool) -> str:
    status = response.status_code
    assert status < 500, (status, response.get_data(as_text=True)[:300])
    if status == 401 or (status == 302 and "/auth/login" in response.headers.get("Location", "")):
        return LOGIN
    return {403: FORBIDDEN, 404: HIDDEN}.get(status, OK)


def _write_url(rule, a: dict) -> str:
    url = rule.rule
    for name, value in (("facility_id", a["facility"].id), ("inspector_id", a["inspector"].id),
                        ("audit_id", a["audit"].id), ("photo_id", a["photo"].id),
                        ("schedule_id", a["schedule"].id), ("visit_id", a["visit"].id),
                        ("job_id", a["job"].id), ("candidate_id", a["candidate"].id),
                        ("violation_id", a["violation"].id), ("closure_id", a["closure"].id), ("year", 2031),
                        ("user_id", a["account"].id), ("token_id", a["token"].id),
                        ("template_id", a["checklist"].id), ("endpoint_id", a["endpoint"].id),
                        ("message_id", a["message"].id), ("prescription_id", a["prescription"].id),
                        ("item_id", a["item"].id)):
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return url


def _url(template: str, a: dict) -> str:
    return template.format(facility=a["facility"].id, inspector=a["inspector"].id, audit=a["audit"].id,
                           photo=a["photo"].id, schedule=a["schedule"].id, visit=a["visit"].id, job=a["job"].id,
                           commitment=a["schedule"].commitment, wrong_hash="0" * 64, account=a["account"].id,
                           checklist=a["checklist"].id, endpoint=a["endpoint"].id, prescription=a["prescription"].id,
                           evidence=a["evidence"].id)


def test_an_inspector_cannot_start_a_report_batch_of_the_region(client, auth_headers, users, world):
    """Is the region's ZIP of reports refused to an inspector (who reads only their own audits)?"""
    response = client.post("/api/v1/audits/report-batches", headers=auth_headers("inspector"),
                           json={"region": world["a"]["facility"].region.kato, "date_from": "2026-01-01",
                                 "date_to": "2026-01-31"})
    assert response.status_code == 403
    started = sa.select(sa.func.count()).select_from(Job).where(Job.kind == "report_batch",
                                                                Job.user_id == users["inspector"].id)
    assert db.session.scalar(started) == 0


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_read_answers_as_the_policy_says(app, client, users, world, role):
    """As this role, does each GET on region A's records answer OK, 403, 404 or 'sign in' as the policy says?"""
    user = users.get(role)
    headers = {"Authorization": f"Bearer {issue_token(db.session, user, 'walk')}"} if user else {}
    if user:
        client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    a = world["a"]
    wrong = []
    for rule in _rules(app):
        template, expect = POLICY[rule.endpoint]
        if expect is None:
            continue
        api = rule.rule.startswith("/api/v1/")
        url = _url(template, a)
        response = client.get(url, headers=headers if api else {})
        got, want = _outcome(response, api), expect(user, a)
        response.close()
        if want is not None and got != want:
            wrong.append(f"{rule.endpoint} {url}: {got} ({response.status_code}), policy says {want}")
    assert not wrong, "\n".join(wrong)


def test_public_pages_answer_everyone_the_same(app, users, world):
    """Do the public pages (verify, commitment, calendar, docs) answer anonymous and every role alike?"""
    a = world["a"]
    for endpoint, (template, expect) in POLICY.items():
        if expect is not public:
            continue
        statuses = set()
        for role in ROLES:
            client = app.test_client()
            if role != "anonymous":
                client.post("/auth/login", data={"username": users[role].username, "password": PASSWORD})
            response = client.get(_url(template, a))
            statuses.add(response.status_code)
            response.close()  # static files (the service worker) stream from an open file
        assert len(statuses) == 1, (endpoint, statuses)


def test_every_write_asks_anonymous_to_sign_in(app, client, world):
    """Does every write (API and form) refuse an anonymous caller before doing anything?"""
    a = world["a"]
    count_before = db.session.scalar(sa.select(sa.func.count()).select_from(Schedule))
    wrong = []
    for rule in _rules(app):
        if rule.endpoint in PUBLIC_WRITES:
            continue
        for method in sorted(rule.methods & WRITE):
            url = _write_url(rule, a)
            response = client.open(url, method=method, json={})
            if _outcome(response, url.startswith("/api/")) != write(None, a):
                wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Schedule)) == count_before


def _database_state() -> dict[str, int]:
    """Every table's rows, hashed: what a refused write must leave as it found it."""
    def rows(table):
        columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS.get(table.name, set())]
        return hash(tuple(sorted(repr(tuple(row)) for row in db.session.execute(sa.select(*columns)))))

    return {table.name: rows(table) for table in db.metadata.sorted_tables}


def _send(client, method: str, url: str, body, headers: dict):
    kind, data = body if body else ("json", {})
    if kind == "json":
        return client.open(url, method=method, json=data, headers=headers)
    return client.open(url, method=method, data=data, headers=headers,
                       content_type="multipart/form-data" if kind == "files" else None)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_write_answers_each_role_as_the_policy_says(app, client, users, world, role):
    """As this role, is each write on region A's records refused (403/404, nothing changed) exactly when the
    access module says so, and never refused when it allows it?

    Each write runs in a savepoint rolled back after it, so every one meets the same records. (The test client
    serves requests in this test's app context, so they share its session: the session's own savepoint is ended
    before and rolled back after each write, inside the outer one.)
    """
    user = users[role]
    headers = {"Authorization": f"Bearer {issue_token(db.session, user, 'walk')}"}
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    a = world["a"]
    connection = db.session.connection()
    before = _database_state()
    wrong = []
    for rule in _rules(app):
        for method in sorted(rule.methods & WRITE):
            if rule.endpoint in PUBLIC_WRITES:
                continue
            make_body, may = WRITES[(rule.endpoint, method)]
            allowed = may(user, a)
            if allowed is None:
                continue
            url = _write_url(rule, a)
            api = url.startswith("/api/")
            db.session.commit()
            savepoint = connection.begin_nested()
            try:
                response = _send(client, method, url, make_body(a) if make_body else None, headers if api else {})
                got = _outcome(response, api)
                response.close()
                with client.session_transaction() as session:
                    errors = [m for category, m in session.pop("_flashes", []) if category == "error"]
                refused = got in (FORBIDDEN, HIDDEN, LOGIN)
                if not allowed and not refused:
                    refused = ((rule.endpoint in REFUSED_WITH_MESSAGE and response.status_code == 302 and errors)
                               or (rule.endpoint in REFUSED_AS_BAD_FORM and response.status_code == 400))
                if refused and allowed:
                    wrong.append(f"{method} {url}: refused ({response.status_code}), the policy allows it")
                elif not refused and not allowed:
                    wrong.append(f"{method} {url}: answered {response.status_code}, the policy refuses it "
                                 f"{response.get_data(as_text=True)[:200]!r}")
                elif refused:
                    after = _database_state()
                    changed = sorted(name for name in before if after[name] != before[name])
                    if changed:
                        wrong.append(f"{method} {url}: refused ({response.status_code}) but changed {changed}")
            finally:
                db.session.rollback()
                savepoint.rollback()
    assert not wrong, "\n".join(wrong)

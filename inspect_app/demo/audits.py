"""Demo history of completed audits: failures, violations with deadlines, some resolved, all in the hash chain.

Deterministic for a seed, and submitted through the same `audits.submit` as real inspections, so the demo
chain verifies and every demo report renders exactly as a real one would.
"""

import base64
import hashlib
import io
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import sqlalchemy as sa
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

import forms
from inspect_app.demo.prescriptions import seed_prescription_states
from inspect_app.i18n import ALMATY
from inspect_app.models import Audit, AuditPhoto, Facility, Inspector, Region, User, ViolationStatus
from inspect_app.services import checklists
from inspect_app.services.audits import submit
from inspect_app.services.statistics import tally

FAIL_RATE = {"critical": 0.02, "major": 0.07, "minor": 0.14}
REPRESENTATIVES = ("Директор Серікова А. Б.", "Заместитель директора Ким О. В.", "Завхоз Жумабаев Н. С.",
                   "Медсестра Ахметова Г. К.", "Заведующая Петренко Л. И.")
# (name, position) of the organisation's representative who acknowledges the act.
SIGNERS = (("Серікова Айгүл Бекқызы", "директор"), ("Ким Ольга Викторовна", "заместитель директора"),
           ("Петренко Людмила Ивановна", "заведующая"), ("Жумабаев Нурлан Серикович", "заместитель по АХЧ"))
POSITIONS = ("главный специалист-инспектор", "ведущий специалист-инспектор", "инспектор")
SIGNALS = {
    "complaint": "Обращение родителей через eOtinish",
    "prosecutor_demand": "Прокуратура области",
    "state_body_request": "Управление образования",
    "media_report": "Публикация в Instagram",
    "prior_order": "Контроль исполнения предписания",
}


@cache
def _demo_signature(n: int) -> str:
    """A signature as a phone's canvas sends it: a base64 PNG of pen strokes, a few variants."""
    rng = random.Random(1000 + n)
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    x, y = 40, 110
    points = [(x, y)]
    for _ in range(18):
        x += rng.randint(15, 35)
        y = max(30, min(170, y + rng.randint(-45, 45)))
        points.append((x, y))
    draw.line(points, fill=(20, 20, 90, 255), width=4, joint="curve")
    draw.line([(points[0][0], 150), (points[-1][0], 140)], fill=(20, 20, 90, 255), width=3)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _act(rng: random.Random, audit: Audit) -> dict:
    """The act's elements the inspector enters at the stop: the order (for ordered inspections), positions, the
    representative who signs, or (one act in ten) refuses, with a witness."""
    name, position = rng.choice(SIGNERS)
    act = {"inspector_position": rng.choice(POSITIONS), "representative_name": name,
           "representative_position": position, "inspector_signature": _demo_signature(rng.randint(0, 3))}
    if audit.legal_basis != "monitoring":
        ordered = audit.inspection_date - timedelta(days=rng.randint(1, 5))
        act.update(order_date=ordered, order_number=str(rng.randint(10, 400)),
                   order_reg_number=f"{ordered:%y}{audit.region.kato[:2]}{rng.randint(10**8, 10**9 - 1)}")
    if rng.random() < 0.1:
        act.update(signature_refused=True, refusal_witness=rng.choice(("", "Ахметов Болат, сторож")))
    else:
        act["representative_signature"] = _demo_signature(rng.randint(4, 7))
        if rng.random() < 0.2:
            act["representative_explanation"] = "С нарушениями согласна, заявка на ремонт подана в отдел образования."
    return act


@cache
def _demo_photo(n: int) -> bytes:
    """A small synthetic 'photo' (a JPEG that any viewer opens), a few variants."""
    rng = random.Random(n)
    img = Image.new("RGB", (480, 360), (rng.randint(90, 200), rng.randint(90, 200), rng.randint(90, 200)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randint(0, 440), rng.randint(0, 320)
        draw.rectangle((x, y, x + rng.randint(20, 160), y + rng.randint(20, 120)),
                       fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def _answer(item: forms.Item, fail: bool, rng: random.Random) -> dict:
    if item.kind == "yes_no":
        return {"value": "no" if fail else "yes"}
    if item.kind == "number":
        lo, hi = item.min, item.max
        if fail:
            value = (lo - rng.randint(1, 10)) if lo is not None else (hi + rng.randint(1, 5))
        else:
            value = lo + rng.randint(0, 20) if lo is not None else hi - rng.randint(0, 3)
            if hi is not None:
                value = min(value, hi)
        return {"value": value}
    if item.kind == "choice":
        options = [o.code for o in item.options if o.fails == fail]
        return {"value": rng.choice(options)}
    return {"value": rng.choice(("Замечаний нет", "Документы предоставлены", ""))}


def seed_audits(session: Session, *, region_kato: str, seed: int = 1, count: int = 300,
                today: date | None = None) -> int:
    """Add `count` submitted audits over the past year for facilities of a region; flushes, does not commit.

    Failures follow per-severity rates; failed items that need a photo get one; most violations whose
    deadline has passed are marked resolved. Returns the number of audits added.
    """
    today = today or datetime.now(ALMATY).date()
    rng = random.Random(seed)
    region = session.scalar(sa.select(Region).where(Region.kato == region_kato))
    actor = session.scalar(sa.select(User).where(User.role == "admin").order_by(User.id))
    if region is None or actor is None or count <= 0:
        return 0
    if session.scalar(sa.select(Audit.id).where(Audit.region_id == region.id).limit(1)) is not None:
        return 0  # the demo history exists already; a second seed adds none
    checklists.ensure_templates(session)
    facilities = list(session.scalars(sa.select(Facility).where(Facility.region_id == region.id,
                                                                Facility.archived_at.is_(None))
                                      .order_by(Facility.id)))
    inspectors = list(session.scalars(sa.select(Inspector).where(Inspector.regions.any(Region.id == region.id))
                                      .order_by(Inspector.id)))
    if not facilities or not inspectors:
        return 0
    linked = [i for i in inspectors if i.user_id is not None]
    template_row = checklists.template_for_facility(session, facilities[0])
    template = checklists.parsed(template_row)
    days = sorted(today - timedelta(days=rng.randint(2, 365)) for _ in range(count))
    for n, day in enumerate(days):
        facility = rng.choice(facilities)
        # The demo inspector's own login should open a few audits of their own.
        inspector = rng.choice(linked if linked and rng.random() < 0.15 else inspectors)
        audit = _draft(session, rng, facility, inspector, template_row, day, seed, n)
        answers = {}
        for item in forms.items_for(template, facility.type):
            fail = item.kind != "text" and rng.random() < FAIL_RATE[item.severity]
            answers[item.code] = _answer(item, fail, rng)
            if fail and item.photo_required_on_fail:
                photo = AuditPhoto(audit_id=audit.id, item_code=item.code, content_type="image/jpeg",
                                   data=_demo_photo(rng.randint(0, 5)), width=480, height=360)
                photo.size = len(photo.data)
                photo.sha256 = hashlib.sha256(photo.data).hexdigest()
                session.add(photo)
                session.flush()
                answers[item.code]["photos"] = [photo.id]
            if fail and rng.random() < 0.5:
                answers[item.code]["comment"] = rng.choice(("Со слов директора, заявка подана", "Выявлено при обходе",
                                                            "Представитель с нарушением согласен"))
        submitted_at = audit.check_out_at
        # Only a draft's author may submit it: the linked inspector's own login, else the demo's actor.
        author = session.get(User, audit.user_id) if audit.user_id else actor
        submit(session, author, audit, {"client_uuid": _uuid(seed, n, "submit"), "answers": answers,
                                       "submitted_at": submitted_at, **_act(rng, audit)}, commit=False)
        for violation in audit.violations:
            if violation.due_date < today and rng.random() < 0.75:
                violation.status = ViolationStatus.RESOLVED
                tally.violation_status_changed(session, violation, ViolationStatus.OPEN)
                violation.resolved_at = datetime.combine(
                    violation.due_date - timedelta(days=rng.randint(0, 5)), time(6), tzinfo=UTC)
    session.flush()
    seed_prescription_states(session, region_kato=region_kato, seed=seed, today=today, photo=_demo_photo)
    return count


def _uuid(seed: int, n: int, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tekseru-demo/{seed}/{n}/{kind}"))


def _draft(session: Session, rng: random.Random, facility: Facility, inspector: Inspector, template_row,
           day: date, seed: int, n: int) -> Audit:
    start = datetime.combine(day, time(rng.randint(8, 14), rng.choice((0, 15, 30, 45))), tzinfo=ALMATY)
    roll = rng.random()
    basis = "planned" if roll < 0.7 else ("unplanned" if roll < 0.9 else "monitoring")
    extra = {}
    if basis == "unplanned":
        reason = rng.choice(sorted(SIGNALS))
        extra = {"basis_reason": reason, "signal_source": SIGNALS[reason],
                 "signal_date": day - timedelta(days=rng.randint(1, 10)),
                 "signal_anonymous": reason == "complaint" and rng.random() < 0.4,
                 "prosecutor_reg_number": f"24-{rng.randint(1000, 9999)}-{rng.randint(100000, 999999)}"
                 if reason == "prosecutor_demand" else None}
    audit = Audit(
        client_uuid=_uuid(seed, n, "draft"), facility_id=facility.id, region_id=facility.region_id,
        template_id=template_row.id, user_id=inspector.user_id, inspector_id=inspector.id,
        inspector_name=inspector.full_name, legal_basis=basis, inspection_date=day,
        check_in_at=start.astimezone(UTC),
        check_out_at=(start + timedelta(minutes=rng.randint(50, 150))).astimezone(UTC),
        gps_lat=round(facility.lat + rng.uniform(-0.0004, 0.0004), 6),
        gps_lon=round(facility.lon + rng.uniform(-0.0004, 0.0004), 6), gps_accuracy_m=float(rng.randint(4, 30)),
        representatives=rng.sample(REPRESENTATIVES, rng.randint(1, 2)), answers={}, **extra,
    )
    session.add(audit)
    session.flush()
    return audit

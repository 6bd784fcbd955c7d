"""Demo review decisions: the older demo audits accepted by the region's supervisor, one of the demo inspector's
returned with a comment naming its failed items, and the last weeks' audits left in the review queue."""

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Audit, Region, ReviewDecision, ReviewOutcome, User, Violation
from inspect_app.models.vocab import Role

# Audits inspected within this many days wait in the queue; older ones are decided.
QUEUE_DAYS = 30
RETURN_COMMENT = ("Уточните ответы по отмеченным пунктам: к нарушению нет пояснения, а на фото не видно, "
                  "о каком помещении идёт речь.")


def seed_reviews(session: Session, *, region_kato: str, seed: int = 1, today: date) -> tuple[int, int, int]:
    """Decide the region's demo audits older than QUEUE_DAYS; flushes, does not commit.

    Returns (accepted, returned, left in the queue). A second run adds nothing.
    """
    region = session.scalar(sa.select(Region).where(Region.kato == region_kato))
    supervisor = session.scalar(sa.select(User).where(User.role == Role.SUPERVISOR.value,
                                                      User.region_id == getattr(region, "id", None))
                                .order_by(User.id))
    inspector = session.scalar(sa.select(User).where(User.username == "inspector"))
    if region is None or supervisor is None:
        return 0, 0, 0
    decided = sa.exists().where(ReviewDecision.audit_id == Audit.id)
    audits = list(session.scalars(sa.select(Audit).where(Audit.region_id == region.id, Audit.status == "submitted",
                                                         ~decided).order_by(Audit.inspection_date, Audit.id)))
    cutoff = today - timedelta(days=QUEUE_DAYS)
    old = [a for a in audits if a.inspection_date < cutoff and a.user_id != supervisor.id]
    mine = [a for a in old if inspector is not None and a.user_id == inspector.id]
    # The newest of the demo inspector's audits with a violation, so the return has items to name.
    returned = next((a for a in reversed(mine) if a.violations), mine[-1] if mine else None)
    rng = random.Random(seed)
    name = supervisor.full_name or supervisor.username
    for audit in old:
        when = datetime.combine(audit.inspection_date + timedelta(days=rng.randint(1, 4)), time(5, rng.randint(0, 59)),
                                tzinfo=UTC)
        if audit is returned:
            failed = list(session.scalars(sa.select(Violation.item_code).where(Violation.audit_id == audit.id)))
            session.add(ReviewDecision(audit_id=audit.id, reviewer_id=supervisor.id, reviewer_name=name,
                                       decided_at=when, outcome=ReviewOutcome.RETURNED.value, comment=RETURN_COMMENT,
                                       item_codes=failed[:2]))
        else:
            session.add(ReviewDecision(audit_id=audit.id, reviewer_id=supervisor.id, reviewer_name=name,
                                       decided_at=when, outcome=ReviewOutcome.ACCEPTED.value, comment="",
                                       item_codes=[]))
    session.flush()
    return len(old) - (returned is not None), int(returned is not None), len(audits) - len(old)

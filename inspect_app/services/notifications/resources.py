"""Resources as the API shows them, for event bodies: the API's schemas, minus anything that tells when a
facility will be inspected (a facility's follow-up date) and anything a schedule would reveal."""

from typing import Any

from inspect_app.models import Audit, Facility, Job, Schedule
from inspect_app.schemas.audit import AuditSummarySchema, ViolationSchema
from inspect_app.schemas.facility import FacilitySchema

# The day a facility becomes due again after a critical violation: the next visit's window, never sent.
FACILITY_SECRET_FIELDS = ("followup_due_date",)


def facility_resource(facility: Facility) -> dict[str, Any]:
    """A facility as GET /api/v1/facilities/<id> shows it, without its follow-up date."""
    return FacilitySchema(exclude=FACILITY_SECRET_FIELDS).dump(facility)


def audit_resource(audit: Audit, **extra: Any) -> dict[str, Any]:
    """An audit as the API's list shows it, with its violations (the orders and their deadlines)."""
    return {**AuditSummarySchema().dump(audit), "violations": ViolationSchema(many=True).dump(audit.violations),
            **extra}


def schedule_resource(schedule: Schedule) -> dict[str, Any]:
    """A published schedule's commitment and region, never its content or dates."""
    return {"id": schedule.id, "region_kato": schedule.region.kato if schedule.region else None,
            "commitment": schedule.commitment,
            "published_at": schedule.published_at.isoformat() if schedule.published_at else None}


def job_resource(job: Job) -> dict[str, Any]:
    """A job's kind and outcome, never its result (a build's result is a draft schedule)."""
    return {"id": job.id, "kind": job.kind, "status": job.status}

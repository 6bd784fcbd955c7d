"""Database models. Every model module is imported here so that Alembic and the app see all tables."""

from inspect_app.models.admin_event import AdminEvent
from inspect_app.models.audit import (
    Audit,
    AuditChainHead,
    AuditPhoto,
    AuditStatus,
    ChecklistTemplate,
    Violation,
    ViolationStatus,
)
from inspect_app.models.calendar import CalendarTransfer, FacilityClosure, SchoolBreak
from inspect_app.models.facility import DuplicateCandidate, DuplicateStatus, Facility
from inspect_app.models.geo import District, Region
from inspect_app.models.history import ChangeRecord
from inspect_app.models.inspector import Inspector, InspectorAbsence, InspectorConflict
from inspect_app.models.job import Job, JobStatus
from inspect_app.models.notification import (
    NotificationPreference,
    OutboxMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from inspect_app.models.prescription import (
    Prescription,
    PrescriptionCounter,
    PrescriptionEvent,
    PrescriptionItem,
    PrescriptionLink,
    PrescriptionPhoto,
)
from inspect_app.models.review import ReviewDecision, ReviewOutcome
from inspect_app.models.route import CalendarFeed, RouteAccess
from inspect_app.models.schedule import Schedule, ScheduleStatus, ScheduleVisit, UrgentRequest, VisitStatus
from inspect_app.models.setting import SettingValue
from inspect_app.models.tally import AuditMonthCount, TallyKind, ViolationMonthCount
from inspect_app.models.user import ApiToken, PasswordReset, User
from inspect_app.models.vocab import FacilityStatus

__all__ = [
    "AdminEvent",
    "ApiToken",
    "Audit",
    "AuditChainHead",
    "AuditMonthCount",
    "AuditPhoto",
    "AuditStatus",
    "CalendarFeed",
    "CalendarTransfer",
    "ChangeRecord",
    "ChecklistTemplate",
    "District",
    "DuplicateCandidate",
    "DuplicateStatus",
    "Facility",
    "FacilityClosure",
    "FacilityStatus",
    "Inspector",
    "InspectorAbsence",
    "InspectorConflict",
    "Job",
    "JobStatus",
    "NotificationPreference",
    "OutboxMessage",
    "PasswordReset",
    "Prescription",
    "PrescriptionCounter",
    "PrescriptionEvent",
    "PrescriptionItem",
    "PrescriptionLink",
    "PrescriptionPhoto",
    "Region",
    "ReviewDecision",
    "ReviewOutcome",
    "RouteAccess",
    "Schedule",
    "ScheduleStatus",
    "ScheduleVisit",
    "SchoolBreak",
    "SettingValue",
    "TallyKind",
    "UrgentRequest",
    "User",
    "Violation",
    "ViolationMonthCount",
    "ViolationStatus",
    "VisitStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]

"""Database models. Every model module is imported here so that Alembic and the app see all tables."""

from inspect_app.models.admin_event import AdminEvent
from inspect_app.models.audit import Audit, AuditChainHead, AuditPhoto, ChecklistTemplate, Violation
from inspect_app.models.calendar import CalendarTransfer, FacilityClosure, SchoolBreak
from inspect_app.models.facility import DuplicateCandidate, Facility
from inspect_app.models.geo import District, Region
from inspect_app.models.history import ChangeRecord
from inspect_app.models.inspector import Inspector, InspectorAbsence, InspectorConflict
from inspect_app.models.job import Job
from inspect_app.models.route import CalendarFeed, RouteAccess
from inspect_app.models.schedule import Schedule, ScheduleVisit, UrgentRequest
from inspect_app.models.setting import SettingValue
from inspect_app.models.tally import AuditMonthCount
from inspect_app.models.user import ApiToken, PasswordReset, User

__all__ = [
    "AdminEvent",
    "ApiToken",
    "Audit",
    "AuditChainHead",
    "AuditMonthCount",
    "AuditPhoto",
    "CalendarFeed",
    "CalendarTransfer",
    "ChangeRecord",
    "ChecklistTemplate",
    "District",
    "DuplicateCandidate",
    "Facility",
    "FacilityClosure",
    "Inspector",
    "InspectorAbsence",
    "InspectorConflict",
    "Job",
    "PasswordReset",
    "Region",
    "RouteAccess",
    "Schedule",
    "SettingValue",
    "ScheduleVisit",
    "SchoolBreak",
    "UrgentRequest",
    "User",
    "Violation",
]

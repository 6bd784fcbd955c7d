"""What the signed-in user may do, for templates (`can.edit_registry`): every answer asked of services/access/."""

from inspect_app.models import Audit, Facility, Schedule, User
from inspect_app.services.access import (
    is_admin,
    is_inspector,
    is_supervisor,
    may_change_settings,
    may_edit_calendar,
    may_edit_draft,
    may_edit_facility,
    may_edit_registry,
    may_edit_schedule,
    may_list_prescriptions,
    may_manage_users,
    may_manage_webhooks,
    may_read_access_log,
    may_read_admin_history,
    may_read_checklists,
    may_read_outbox,
    may_read_registry,
    may_review_audit,
    may_review_audits,
    may_start_audit_without_visit,
    may_write_audits,
)


class Rights:
    """What the signed-in user may do, for templates (`can.edit_registry`, `can.edit_schedule(s)`)."""

    def __init__(self, user: User | None):
        self._user = user if getattr(user, "is_authenticated", False) else None

    @property
    def read_registry(self) -> bool:
        return may_read_registry(self._user)

    @property
    def edit_registry(self) -> bool:
        return may_edit_registry(self._user)

    @property
    def list_prescriptions(self) -> bool:
        return may_list_prescriptions(self._user)

    @property
    def write_audits(self) -> bool:
        return may_write_audits(self._user)

    @property
    def edit_calendar(self) -> bool:
        return may_edit_calendar(self._user)

    @property
    def own_route(self) -> bool:
        """The user has a route of their own (an inspector), so pages show theirs, offline-ready."""
        return is_inspector(self._user)

    @property
    def read_outbox(self) -> bool:
        """The e-mail outbox page (admins)."""
        return may_read_outbox(self._user)

    @property
    def manage_webhooks(self) -> bool:
        """The webhooks pages (admins; supervisors for their region)."""
        return may_manage_webhooks(self._user)

    @property
    def read_access_log(self) -> bool:
        return self._user is not None and may_read_access_log(self._user)

    @property
    def start_audit(self) -> bool:
        """The "start an inspection" form (inspectors start from their stops instead)."""
        return self._user is not None and may_start_audit_without_visit(self._user)

    @property
    def set_own_region_release(self) -> bool:
        """The release-time form of the access log page, for the user's own region."""
        return is_supervisor(self._user)

    @property
    def manage_users(self) -> bool:
        """The users page (admins: everyone; supervisors: their region's inspectors)."""
        return may_manage_users(self._user)

    @property
    def read_admin_history(self) -> bool:
        return may_read_admin_history(self._user)

    @property
    def change_settings(self) -> bool:
        return may_change_settings(self._user)

    @property
    def review_audits(self) -> bool:
        """The review queue (supervisors: their region; admins: every region)."""
        return may_review_audits(self._user)

    @property
    def read_checklists(self) -> bool:
        return may_read_checklists(self._user)

    @property
    def revoke_any_token(self) -> bool:
        """Tokens listed on a user's page come with a revoke button (admins)."""
        return is_admin(self._user)

    def edit_draft(self, audit: Audit) -> bool:
        return self._user is not None and not audit.is_submitted and may_edit_draft(self._user, audit)

    def review_audit(self, audit: Audit) -> bool:
        """The audit page links to its review (a supervisor of its region or an admin, not its author)."""
        return self._user is not None and audit.is_submitted and may_review_audit(self._user, audit)

    def edit_schedule(self, schedule: Schedule) -> bool:
        return self._user is not None and may_edit_schedule(self._user, schedule)

    def edit_facility(self, facility: Facility) -> bool:
        return self._user is not None and may_edit_facility(self._user, facility)

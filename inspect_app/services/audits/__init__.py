"""Audits (inspections), one module per job: `queries` (finding audits in the user's scope), `drafts` (opening
and saving a draft, who may write it, merging answers), `photos`, `submission` (the score, each failed item
turned into a violation, the facility's dates, the record frozen into the chain), `chain` (the SHA-256 chain and
its check), `corrections` (a new version of a submitted record), `violations` (resolving one), `visits` (an
audit started from a stop of the route, a not-done, a discard), `act` (the act's elements and signatures),
`reports` (the PDFs and a region's ZIP) and
`verification` (the public page that checks a printed report).

Every write checks the user's rights and the input first and changes nothing when either fails; then it writes
in one transaction and commits. A submitted audit is never edited.

The names below are the package's public face; views, API and CLI import them from here.
"""

from inspect_app.services.access import audit_filter, require_audit_writer
from inspect_app.services.audits.act import last_position
from inspect_app.services.audits.corrections import create_correction
from inspect_app.services.audits.drafts import (
    DRAFT_FIELDS,
    StaleDraft,
    answer_errors,
    check_draft_writer,
    lock_draft,
    merged_answers,
)
from inspect_app.services.audits.queries import (
    VIOLATION_FILTERS,
    as_of,
    audit_query,
    draft_score,
    facilities_to_inspect,
    get_audit,
    inspector_label,
    matching_violations,
    may_read,
    superseded_by,
    violation_kind_names,
)
from inspect_app.services.audits.submission import UUID_USED_ELSEWHERE, submit
from inspect_app.services.audits.violations import resolve_violation

__all__ = [
    "DRAFT_FIELDS", "UUID_USED_ELSEWHERE", "StaleDraft", "answer_errors", "as_of", "audit_filter", "audit_query",
    "check_draft_writer", "create_correction", "draft_score", "facilities_to_inspect", "get_audit",
    "inspector_label", "last_position", "matching_violations", "VIOLATION_FILTERS",
    "lock_draft", "may_read", "merged_answers", "require_audit_writer", "resolve_violation", "submit", "superseded_by",
    "violation_kind_names",
]

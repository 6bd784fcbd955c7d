"""Audits (inspections), one module per job: `drafts` (opening and saving a draft), `submission` (scoring,
violations, the hash chain; corrections; scoping and listing), `chain` (the SHA-256 chain and its check),
`photos`, `visits` (an audit started from a stop of the route, a not-done, a discard), `reports` (the PDFs and
a region's ZIP) and `verification` (the public page that checks a printed report).

The names below are the package's public face; views, API and CLI import them from here.
"""

from inspect_app.services.audits.submission import (
    DRAFT_FIELDS,
    UUID_USED_ELSEWHERE,
    StaleDraft,
    answer_errors,
    as_of,
    audit_filter,
    audit_query,
    check_draft_writer,
    create_correction,
    draft_score,
    facilities_to_inspect,
    get_audit,
    lock_draft,
    may_read,
    merged_answers,
    require_audit_writer,
    resolve_violation,
    submit,
    superseded_by,
)

__all__ = [
    "DRAFT_FIELDS", "UUID_USED_ELSEWHERE", "StaleDraft", "answer_errors", "as_of", "audit_filter", "audit_query",
    "check_draft_writer", "create_correction", "draft_score", "facilities_to_inspect", "get_audit", "lock_draft",
    "may_read", "merged_answers", "require_audit_writer", "resolve_violation", "submit", "superseded_by",
]

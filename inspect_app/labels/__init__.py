"""Every label a person reads for a code: vocabulary values, record fields, history actions, report headings.

One place, translated once through the Babel catalogs: pages use them directly, PDF reports through
`report_labels` (exports/ knows nothing of Flask, so it receives the translated strings).
Sentences made from the engine's and the jobs' English messages are in `sentences.py`, re-exported here.

The registry lives by subject: `vocabularies` (LABELS: each stored or computed code, `label`, `labels_of`),
`history` (record fields and history actions), `documents` (the printed act, prescription and route sheet),
`schedules` (idle inspectors, refused edits, unscheduled facilities), `fairness` and `statistics`. Every public
name is re-exported here: `from inspect_app.labels import label` wherever it lives.
"""

from inspect_app.labels.documents import (  # noqa: F401
    ACT_LABELS,
    INSPECTORATE,
    PRESCRIPTION_COLUMNS,
    PRESCRIPTION_LABELS,
    REPORT_KINDS,
    REPORT_LABELS,
    ROUTE_SHEET_LABELS,
    prescription_labels,
    report_labels,
    route_sheet_labels,
)
from inspect_app.labels.fairness import (  # noqa: F401
    FAIRNESS_AXES,
    FAIRNESS_REASONS,
    fairness_group,
    fairness_warning,
)
from inspect_app.labels.history import (  # noqa: F401
    ACTIONS,
    FIELD_LABELS,
    change_value,
    field_label,
)
from inspect_app.labels.schedules import (  # noqa: F401
    IDLE_REASONS,
    INTERNAL_RULES,
    RULE_ADVICE,
    edit_refusal,
    idle_reason,
    unscheduled_reason,
)
from inspect_app.labels.statistics import (  # noqa: F401
    STAT_COLUMN_LABELS,
    STATS_SUMMARY_LABELS,
    reviewed_of,
    stat_column_label,
    stats_summary_labels,
)
from inspect_app.labels.vocabularies import (  # noqa: F401
    BASIS_LABELS,
    CHANNEL_LABELS,
    CLOSURE_REASONS,
    LABELS,
    NOT_DONE_LABELS,
    REASON_LABELS,
    RELEASE_LABELS,
    RESULT_LABELS,
    REVIEW_OUTCOME_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    URGENT_REASON_LABELS,
    VIOLATION_STATUS_LABELS,
    VISIT_STATUS_LABELS,
    closure_reason,
    label,
    labels_of,
)
from inspect_app.sentences import (  # noqa: F401 (their home was here; pages and services import them from here)
    EXCLUSION_REASONS,
    HOLIDAY_MARKS,
    HOLIDAYS,
    JOB_PHASES,
    RULE_SENTENCES,
    UNSCHEDULED_REASONS,
    duplicate_reason,
    exclusion_reason,
    holiday_name,
    job_phase,
    predictability_sentence,
    template_problem,
    violation_sentence,
)

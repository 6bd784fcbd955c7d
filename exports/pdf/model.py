"""The printed report as plain dataclasses: what the app fills and the layout draws.

Localisable fields accept either a plain string (already in the report language)
or a mapping {"ru": ..., "kk": ..., "en": ...}; forms.I18nText works too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

Localized = str | Mapping[str, str]

STATUS_PASSED, STATUS_FAILED, STATUS_NA, STATUS_UNANSWERED = "passed", "failed", "na", "unanswered"
STATUS_NOTED = "noted"  # free-text items: recorded, never pass/fail


@dataclass
class Facility:
    """The inspected organisation."""

    name_ru: str
    name_kk: str
    bin: str
    address: Localized
    facility_type: str  # forms.FACILITY_TYPES code, shown translated
    agency: Localized
    name_en: str | None = None


@dataclass
class ReportSection:
    """A checklist section with its score in percent (None if nothing scorable)."""

    code: str
    title: Localized
    score: float | None = None


@dataclass
class ReportItem:
    """One answered (or unanswered) checklist item."""

    section: str  # ReportSection.code
    code: str
    text: Localized
    answer: Localized  # display text, e.g. forms.answer_display()
    status: str  # passed | failed | na | unanswered | noted
    severity: str  # critical | major | minor
    comment: str = ""
    legal_ref: Localized = ""  # the norm the requirement comes from


@dataclass
class ReportViolation:
    """A violation with its corrective action."""

    item_text: Localized
    corrective_action: Localized
    responsible: Localized  # a role code such as "facility_head" is translated
    deadline: date
    severity: str
    item_code: str = ""
    legal_ref: Localized = ""


@dataclass
class ReportPhoto:
    """A photo taken during the inspection (any format Pillow reads)."""

    data: bytes
    caption: Localized = ""


@dataclass
class ActDetails:
    """The elements of the act on the results (Entrepreneurial Code art. 152) beyond the audit report's.

    Signatures are PNG bytes (the strokes drawn on the phone); a refusal to sign has none for the representative.
    """

    drawn_up_at: datetime | None  # date and time the act was drawn up (aware, or naive meaning UTC)
    place: str
    inspecting_body: Localized
    order_date: date | None
    order_number: str
    order_reg_number: str
    order_required: bool
    inspector_position: str
    representative_name: str
    representative_position: str
    signature_refused: bool
    refusal_witness: str = ""
    explanation: str = ""
    representative_signature: bytes | None = None
    inspector_signature: bytes | None = None


@dataclass
class AuditReport:
    """Everything printed in an audit report; the app fills it from its records."""

    facility: Facility
    inspector_name: str
    inspection_date: date
    check_in: datetime | None  # aware, or naive meaning UTC; printed in Asia/Almaty time
    check_out: datetime | None
    gps: tuple[float, float] | None  # (latitude, longitude)
    legal_basis: Localized
    representatives: Sequence[str]
    overall_score: float | None
    result: str  # pass | pass_with_violations | fail
    sections: Sequence[ReportSection]
    items: Sequence[ReportItem]
    violations: Sequence[ReportViolation]
    record_hash: str
    verification_url: str
    photos: Sequence[ReportPhoto] = field(default_factory=list)
    critical_failures: Sequence[Localized] = field(default_factory=list)
    template_label: str = ""  # e.g. "national v1 (sha256 1a2b…)"
    gps_accuracy_m: float | None = None
    language: str = "ru"
    # The act's own elements; None for an audit submitted before the act (printed as the report it was).
    act: ActDetails | None = None

"""PDF audit report (A4, reportlab platypus, PT Sans) built from plain dataclasses.

model: what is printed; flowables: drawing pieces; layout: the page and the entry points;
from_forms: the parts a forms.Template and its answers give.
"""

from exports.pdf.from_forms import legal_ref, report_parts_from_forms
from exports.pdf.layout import render_audit_report, write_audit_report
from exports.pdf.model import (
    STATUS_FAILED,
    STATUS_NA,
    STATUS_NOTED,
    STATUS_PASSED,
    STATUS_UNANSWERED,
    ActDetails,
    AuditReport,
    Facility,
    Localized,
    ReportItem,
    ReportPhoto,
    ReportSection,
    ReportViolation,
)

__all__ = [
    "STATUS_FAILED", "STATUS_NA", "STATUS_NOTED", "STATUS_PASSED", "STATUS_UNANSWERED",
    "ActDetails", "AuditReport", "Facility", "Localized", "ReportItem", "ReportPhoto", "ReportSection",
    "ReportViolation",
    "legal_ref", "render_audit_report", "report_parts_from_forms", "write_audit_report",
]

"""The prescription to remedy (предписание об устранении выявленных нарушений) as a PDF, in ru, kk or en, with the
report's fonts and a QR code to the act's public verification page. Framework-free: plain data in, bytes out;
headings come translated from the caller (a missing key prints as the key)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from exports.fonts import FONT_REGULAR
from exports.pdf.flowables import HEAD_BG, QrCode, canvas_maker, fmt_date, grid_table, para, styles

LANGS = ("ru", "kk", "en")


@dataclass(frozen=True)
class PrescriptionLine:
    """One item: the requirement, its legal reference, what must be done (each {ru, kk, en}), the deadline."""

    position: int
    severity: str
    requirement: dict[str, str]
    legal_ref: dict[str, str]
    action: dict[str, str]
    due_date: date
    state: str


@dataclass(frozen=True)
class PrescriptionDoc:
    """What the PDF prints."""

    number: str
    delivered_on: date
    inspection_date: date
    facility_name: dict[str, str]
    facility_bin: str
    facility_address: str
    inspector_name: str
    representatives: list[str]
    verification_url: str
    record_hash: str
    lines: list[PrescriptionLine] = field(default_factory=list)


def render_prescription(doc: PrescriptionDoc, lang: str, labels: Mapping[str, str]) -> bytes:
    """The PDF bytes of a prescription in `lang`."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")

    def words(key: str) -> str:
        return labels.get(key, key)

    def text(value: dict[str, str]) -> str:
        return value.get(lang) or value.get("ru") or ""

    st = styles()
    buf = io.BytesIO()
    name = text(doc.facility_name)
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=18 * mm, title=f"{words('title')} {doc.number}", author=doc.inspector_name,
                            subject=doc.record_hash, lang=lang, initialFontName=FONT_REGULAR)
    story: list[Any] = [para(words("title"), st.title), para(f"{words('number')} {doc.number}", st.name),
                        para(name, st.subname)]
    facts = [("delivered", fmt_date(doc.delivered_on)), ("act", fmt_date(doc.inspection_date)),
             ("bin", doc.facility_bin), ("address", doc.facility_address or "—"),
             ("inspector", doc.inspector_name), ("representatives", "; ".join(doc.representatives) or "—")]
    story.append(grid_table([[para(words(k), st.head), para(v, st.cell, 132 * mm)] for k, v in facts],
                            [48 * mm, 132 * mm], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_BG)]))
    story.append(para(words("items"), st.h2))
    rows = [[para(words("number"), st.head), para(words("requirement"), st.head), para(words("action"), st.head),
             para(words("deadline"), st.head), para(words("state"), st.head)]]
    for line in doc.lines:
        requirement = f"{text(line.requirement)}\n{words('severity.' + line.severity)}"
        if text(line.legal_ref):
            requirement += f" · {words('legal_ref')}: {text(line.legal_ref)}"
        rows.append([para(str(line.position), st.cell), para(requirement, st.cell, 70 * mm),
                     para(text(line.action), st.cell, 60 * mm), para(fmt_date(line.due_date), st.cell),
                     para(words("state." + line.state), st.cell)])
    story.append(grid_table(rows, [8 * mm, 72 * mm, 62 * mm, 18 * mm, 20 * mm], header=True))
    story.append(Spacer(1, 5 * mm))
    line = "_" * 38
    sig = Table([[para(words("inspector_sig"), st.head), para(words("representative_sig"), st.head)],
                 [para(line, st.base), para(line, st.base)],
                 [para(f"{words('sig_hint')}: {doc.inspector_name}", st.muted), para(words("sig_hint"), st.muted)]],
                colWidths=[90 * mm, 90 * mm], hAlign="LEFT")
    sig.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR), ("TOPPADDING", (0, 1), (-1, 1), 9 * mm)]))
    verify = Table([[QrCode(doc.verification_url, 32 * mm),
                     [para(words("verify"), st.small), para(doc.verification_url, st.mono)]]],
                   colWidths=[36 * mm, 144 * mm], hAlign="LEFT")
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)]))
    story.append(KeepTogether([para(words("signatures"), st.h2), sig, Spacer(1, 5 * mm), verify]))
    footer = f"{doc.facility_bin} · {doc.number} · {doc.record_hash[:16]}"
    pdf.build(story, canvasmaker=canvas_maker(words("page"), footer))
    return buf.getvalue()

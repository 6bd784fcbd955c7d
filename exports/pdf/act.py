"""The act's own blocks (Entrepreneurial Code art. 152): its header rows, the violated items, the attachments and
the signatures drawn on the phone (or the representative's refusal); `layout` puts them in the report."""

from __future__ import annotations

import io
from datetime import UTC
from typing import Any

from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Image, Spacer, Table, TableStyle

from exports.fonts import FONT_REGULAR
from exports.i18n import Words, localize
from exports.pdf.flowables import ALMATY, Styles, clip, fmt_date, fmt_time, para
from exports.pdf.model import STATUS_FAILED, AuditReport


def act_rows(report: AuditReport, words: Words, name_row: tuple[str, str], times: str,
              gps: str) -> list[tuple[str, str]]:
    """The header of an act: every element art. 152 of the Entrepreneurial Code names, in its order."""
    lang, fac, act = words.lang, report.facility, report.act
    drawn = act.drawn_up_at
    day = (drawn if drawn.tzinfo else drawn.replace(tzinfo=UTC)).astimezone(ALMATY).date() if drawn else None
    drawn_up = f"{fmt_date(day)} {fmt_time(drawn)} ({words('tz')}), {act.place or '—'}"
    if act.order_required or act.order_number or act.order_date:
        order = (f"{words('no')} {act.order_number or '—'} ({fmt_date(act.order_date)}), "
                 f"{words('order_reg')} {act.order_reg_number or '—'}")
    else:
        order = words("order_none")
    inspector = ", ".join(x for x in (report.inspector_name, act.inspector_position) if x)
    head = ", ".join(x for x in (act.representative_name, act.representative_position) if x) or "—"
    return [
        ("drawn_up", drawn_up),
        ("inspecting_body", localize(act.inspecting_body, lang)),
        ("legal_basis", localize(report.legal_basis, lang)),
        ("order", order),
        ("inspectors", inspector),
        name_row,
        ("bin", fac.bin),
        ("address", localize(fac.address, lang)),
        ("facility_type", words(fac.facility_type)),
        ("agency", localize(fac.agency, lang)),
        ("facility_head", head),
        ("representatives", "; ".join(report.representatives) or "—"),
        ("period", f"{fmt_date(report.inspection_date)}, {act.place or '—'}, {times}"),
        ("gps", gps),
    ]


def violated_items(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    """The checklist's items found violated, by their number in the checklist (an element of the act)."""
    failed = [item for item in report.items if item.status == STATUS_FAILED]
    text = "; ".join(f"{item.code} — {localize(item.text, words.lang)}" for item in failed) or words("no_violations")
    return [CondPageBreak(20 * mm), para(words("violated_items"), st.h2), para(clip(text), st.base)]


def attachments(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    """What the act lists as attached: the checklist, the representative's explanation, each photo by number."""
    lang, act = words.lang, report.act
    lines = [f"{words('attachment_checklist')} ({report.template_label or '—'})"]
    if act.explanation:
        lines.append(words("explanation"))
    for n, photo in enumerate(report.photos, start=1):
        caption = localize(photo.caption, lang)
        lines.append(words("attachment_photo").replace("%(n)s", str(n)) + (f": {caption}" if caption else ""))
    flow: list[Any] = [CondPageBreak(25 * mm), para(words("attachments"), st.h2)]
    flow += [para(f"{n}. {line}", st.base) for n, line in enumerate(lines, start=1)]
    if act.explanation:
        flow += [Spacer(1, 2 * mm), para(words("explanation"), st.head), para(clip(act.explanation), st.base)]
    return flow


def signature_image(data: bytes | None) -> Image | None:
    """The signature's strokes on white, at most 80 x 28 mm; None when there is none or it cannot be read."""
    if not data:
        return None
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            img = img.convert("RGBA")
            white = PILImage.new("RGBA", img.size, (255, 255, 255, 255))
            white.alpha_composite(img)
            out = io.BytesIO()
            white.convert("RGB").save(out, "PNG")
            w, h = img.size
    except Exception:  # noqa: BLE001 - an unreadable signature prints as a blank line, never fails the act
        return None
    out.seek(0)
    scale = min(80 * mm / max(w, 1), 28 * mm / max(h, 1))
    return Image(out, width=w * scale, height=h * scale)


def act_signatures(report: AuditReport, words: Words, st: Styles) -> Table:
    """Both sides' signatures as drawn on the phone, or the representative's recorded refusal."""
    act, line = report.act, "_" * 38
    inspector_img = signature_image(act.inspector_signature) or para(line, st.base)
    who = ", ".join(x for x in (report.inspector_name, act.inspector_position) if x)
    rep_who = ", ".join(x for x in (act.representative_name, act.representative_position) if x)
    if act.signature_refused:
        rep_head = words("refused")
        rep_img: Any = para(f"{words('witness')}: {act.refusal_witness}" if act.refusal_witness
                            else words("no_signature"), st.base)
    else:
        rep_head = words("acknowledged")
        rep_img = signature_image(act.representative_signature) or para(line, st.base)
    rows = [
        [para(words("inspector_sig"), st.head), para(f"{words('representative_sig')}: {rep_head}", st.head)],
        [inspector_img, rep_img],
        [para(who, st.muted), para(rep_who, st.muted)],
    ]
    table = Table(rows, colWidths=[90 * mm, 90 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 1), (-1, 1), 3 * mm)]))
    return table

"""The report's layout: header, summary, items, violations, photos, signatures, and the entry points."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from exports.fonts import FONT_BOLD, FONT_REGULAR
from exports.i18n import LANGS, Words, localize
from exports.pdf import act
from exports.pdf.flowables import (
    FAIL_BG,
    HEAD_BG,
    MUTED,
    RESULT_COLOURS,
    STATUS_COLOURS,
    THUMB_PX,
    QrCode,
    Styles,
    TextCell,
    canvas_maker,
    clip,
    fit,
    fits,
    fmt_date,
    fmt_score,
    fmt_time,
    grid_table,
    para,
    styles,
)
from exports.pdf.model import STATUS_FAILED, AuditReport, ReportItem, ReportSection

# ---------------------------------------------------------------- content blocks


def _header(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    lang = words.lang
    fac = report.facility
    if lang == "kk":
        main_name, other_name = fac.name_kk, fac.name_ru
    elif lang == "en":
        main_name, other_name = fac.name_en or fac.name_ru, fac.name_kk
    else:
        main_name, other_name = fac.name_ru, fac.name_kk
    # The kind of inspection under the Code's title of the act, e.g. "(without prior notice)", when the caller has one.
    kind = [para(words.labels["act_subtitle"], st.subname)] if words.labels.get("act_subtitle") else []
    flow: list[Any] = [para(words("title"), st.title), *kind, para(main_name, st.name), para(other_name, st.subname)]

    gps = "—"
    if report.gps:
        lat, lon = report.gps
        gps = f"{lat:.6f}, {lon:.6f}"
        if report.gps_accuracy_m is not None:
            gps += f" (±{report.gps_accuracy_m:.0f} m)"
    times = f"{fmt_time(report.check_in)} – {fmt_time(report.check_out)} ({words('tz')})"
    name_row = ("name_ru", fac.name_ru) if lang == "kk" else ("name_kk", fac.name_kk)
    if report.act is not None:
        rows = act.act_rows(report, words, name_row, times, gps)
    else:
        rows = _report_rows(report, words, name_row, times, gps)
    if report.template_label:
        rows.append(("template", report.template_label))
    data = [[para(words(key), st.head), para(value, st.cell, 132 * mm)] for key, value in rows]
    flow.append(grid_table(data, [48 * mm, 132 * mm], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), HEAD_BG)]))
    flow.append(Spacer(1, 3 * mm))
    flow.extend(_summary(report, words, st))
    return flow


def _report_rows(report: AuditReport, words: Words, name_row: tuple[str, str], times: str,
                 gps: str) -> list[tuple[str, str]]:
    """The header of a report submitted before the act existed, as it always printed."""
    lang, fac = words.lang, report.facility
    return [
        name_row,
        ("bin", fac.bin),
        ("address", localize(fac.address, lang)),
        ("facility_type", words(fac.facility_type)),
        ("agency", localize(fac.agency, lang)),
        ("inspector", report.inspector_name),
        ("date", fmt_date(report.inspection_date)),
        ("times", times),
        ("gps", gps),
        ("legal_basis", localize(report.legal_basis, lang)),
        ("representatives", "; ".join(report.representatives) or "—"),
    ]


def _summary(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    lang = words.lang
    colour = RESULT_COLOURS.get(report.result, colors.black)
    verdict = Paragraph(
        f"{escape(words('result'))}: <font color='{colour.hexval()}'>{escape(words(report.result))}</font>"
        f"&nbsp;&nbsp;&nbsp;{escape(words('overall_score'))}: {escape(fmt_score(report.overall_score, lang))}",
        st.result,
    )
    rows = [[para(words("section"), st.head), para(words("score"), st.head)]]
    rows += [[para(localize(s.title, lang), st.cell), para(fmt_score(s.score, lang), st.cell)] for s in report.sections]
    flow: list[Any] = [verdict, Spacer(1, 2 * mm), grid_table(rows, [60 * mm, 30 * mm], header=True)]
    if report.critical_failures:
        crit = "; ".join(localize(c, lang) for c in report.critical_failures)
        flow.append(Spacer(1, 1.5 * mm))
        flow.append(
            Paragraph(
                f"<font color='{RESULT_COLOURS['fail'].hexval()}'><b>{escape(words('critical_failures'))}:</b> "
                f"{escape(clip(crit))}</font>",
                st.base,
            )
        )
    return flow


def _items(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    lang = words.lang
    widths = [11 * mm, 70 * mm, 27 * mm, 46 * mm, 26 * mm]
    head = [para(words(k), st.head) for k in ("no", "requirement", "answer", "comment", "status")]
    flow: list[Any] = [para(words("items"), st.h2)]
    by_section: dict[str, list[ReportItem]] = {}
    for item in report.items:
        by_section.setdefault(item.section, []).append(item)
    section_order = [s for s in report.sections if s.code in by_section]
    known = {s.code for s in section_order}
    section_order += [ReportSection(code, code) for code in by_section if code not in known]
    for n, section in enumerate(section_order, start=1):
        title = f"{n}. {localize(section.title, lang)} — {fmt_score(section.score, lang)}"
        rows = [head]
        extra: list[tuple] = []
        for m, item in enumerate(by_section[section.code], start=1):
            status_colour = STATUS_COLOURS.get(item.status, colors.black)
            requirement = TextCell(
                [
                    (localize(item.text, lang), FONT_REGULAR, st.cell.fontSize, st.cell.leading, colors.black),
                    (f"{item.code} · {words(item.severity)}", FONT_REGULAR, 7, 9, MUTED),
                    *_norm(item.legal_ref, words),
                ]
            )
            status = words(item.status)
            if fits(status, FONT_BOLD, st.cell.fontSize, widths[4]):
                extra += [
                    ("TEXTCOLOR", (4, m), (4, m), status_colour),
                    ("FONTNAME", (4, m), (4, m), FONT_BOLD),
                ]
            else:
                status = TextCell([(status, FONT_BOLD, st.cell.fontSize, st.cell.leading, status_colour)])
            rows.append(
                [
                    f"{n}.{m}",
                    requirement,
                    fit(localize(item.answer, lang), st.cell, widths[2]),
                    fit(item.comment or "", st.cell, widths[3]),
                    status,
                ]
            )
            if item.status == STATUS_FAILED:
                extra.append(("BACKGROUND", (0, m), (-1, m), FAIL_BG))
        # Keeps a section title from being stranded at the bottom of a page.
        flow.append(CondPageBreak(30 * mm))
        flow.append(para(title, st.h2))
        flow.append(grid_table(rows, widths, header=True, extra=extra))
    return flow


def _norm(legal_ref: Any, words: Words) -> list[tuple]:
    """The run naming the norm a requirement comes from, in the report language (none when it has none)."""
    text = localize(legal_ref, words.lang)
    return [(f"{words('legal_ref')}: {text}", FONT_REGULAR, 7, 9, MUTED)] if text else []


def _violations(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    lang = words.lang
    flow: list[Any] = [CondPageBreak(30 * mm), para(words("violations"), st.h2)]
    if not report.violations:
        flow.append(para(words("no_violations"), st.base))
        return flow
    widths = [8 * mm, 48 * mm, 52 * mm, 26 * mm, 19 * mm, 27 * mm]
    rows = [
        [
            para(words(k), st.head)
            for k in ("no", "violation", "corrective_action", "responsible", "deadline", "severity")
        ]
    ]
    order = {"critical": 0, "major": 1, "minor": 2}
    violations = sorted(report.violations, key=lambda v: (order.get(v.severity, 3), v.deadline))
    for n, v in enumerate(violations, start=1):
        responsible = localize(v.responsible, lang)
        rows.append(
            [
                str(n),
                TextCell([(localize(v.item_text, lang), FONT_REGULAR, st.cell.fontSize, st.cell.leading, colors.black),
                          *_norm(v.legal_ref, words)]),
                fit(localize(v.corrective_action, lang), st.cell, widths[2]),
                fit(words(responsible), st.cell, widths[3]),
                fmt_date(v.deadline),
                fit(words(v.severity), st.cell, widths[5]),
            ]
        )
    flow.append(grid_table(rows, widths, header=True))
    return flow


def _thumbnail(data: bytes) -> tuple[io.BytesIO, int, int] | None:
    """Downscaled JPEG of the photo with its size, or None if the bytes are not an image."""
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            # JPEG draft mode decodes at reduced scale: far cheaper than a full decode.
            w, h = img.size
            scale = THUMB_PX / max(w, h, 1)
            img.draft("RGB", (max(1, int(w * scale)), max(1, int(h * scale))))
            img.thumbnail((THUMB_PX, THUMB_PX))
            out = io.BytesIO()
            # Re-encoding keeps the PDF small however large the camera original was.
            img.convert("RGB").save(out, "JPEG", quality=80)
            width, height = img.size
    except Exception:  # noqa: BLE001 - any unreadable photo is skipped, never fatal
        return None
    out.seek(0)
    return out, width, height


def _photos(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    lang = words.lang
    cells = []
    box = 55 * mm
    for photo in report.photos:
        thumb = _thumbnail(photo.data)
        if thumb is None:
            continue
        jpeg, w, h = thumb
        scale = min(box / w, box / h)
        cells.append(
            [Image(jpeg, width=w * scale, height=h * scale), para(localize(photo.caption, lang), st.small, 58 * mm)]
        )
    if not cells:
        return []
    rows = []
    for i in range(0, len(cells), 3):
        chunk = cells[i : i + 3]
        chunk += [["", ""]] * (3 - len(chunk))
        rows.append(
            [
                Table(
                    [[c[0]], [c[1]]],
                    colWidths=[58 * mm],
                    style=[("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)],
                )
                if c[0] != ""
                else ""
                for c in chunk
            ]
        )
    table = Table(rows, colWidths=[60 * mm] * 3, hAlign="LEFT", splitInRow=0)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)]))
    return [CondPageBreak(70 * mm), para(words("photos"), st.h2), table]


def _signatures_and_verification(report: AuditReport, words: Words, st: Styles) -> list[Any]:
    line = "_" * 38
    sig_rows = [
        [para(words("inspector_sig"), st.head), para(words("representative_sig"), st.head)],
        [para(line, st.base), para(line, st.base)],
        [para(f"{words('sig_hint')}: {report.inspector_name}", st.muted),
         para(words("sig_hint"), st.muted)],
    ]
    sig = Table(sig_rows, colWidths=[90 * mm, 90 * mm], hAlign="LEFT")
    sig.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR), ("TOPPADDING", (0, 1), (-1, 1), 9 * mm)]))
    if report.act is not None:
        sig = act.act_signatures(report, words, st)

    drawing = QrCode(report.verification_url, 32 * mm)
    text = [
        para(words("record_hash"), st.head),
        para(report.record_hash, st.mono),
        Spacer(1, 2 * mm),
        para(words("verify"), st.small),
        para(report.verification_url, st.mono),
    ]
    verify = Table([[drawing, text]], colWidths=[36 * mm, 144 * mm], hAlign="LEFT")
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)]))
    return [KeepTogether([para(words("signatures"), st.h2), sig, Spacer(1, 5 * mm), verify])]


# ---------------------------------------------------------------- entry points


def write_audit_report(report: AuditReport, fp: BinaryIO, lang: str | None = None,
                       labels: Mapping[str, str] | None = None) -> None:
    """Render the report as PDF into a binary file object (lang defaults to report.language).

    `labels` maps each heading key and printed code (see `Words`) to its text in `lang`; the app passes
    them from its Babel catalogs. A missing key prints as the key itself.
    """
    lang = lang or report.language
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    words = Words(lang, labels or {})
    st = styles()
    fac = report.facility
    doc = SimpleDocTemplate(
        fp,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title=f"{words('title')} — {fac.name_kk if lang == 'kk' else fac.name_ru}",
        author=report.inspector_name,
        subject=report.record_hash,
        lang=lang,
        # Otherwise each page starts in reportlab's Helvetica, named in the PDF but not embedded.
        initialFontName=FONT_REGULAR,
    )
    footer = f"{fac.bin} · {fmt_date(report.inspection_date)} · {report.record_hash[:16]}"
    story: list[Any] = []
    story += _header(report, words, st)
    story += _items(report, words, st)
    story += _violations(report, words, st)
    if report.act is not None:
        story += act.violated_items(report, words, st)
        story += act.attachments(report, words, st)
    story += _photos(report, words, st)
    story += _signatures_and_verification(report, words, st)
    doc.build(story, canvasmaker=canvas_maker(words("page"), footer))


def render_audit_report(report: AuditReport, lang: str | None = None,
                        labels: Mapping[str, str] | None = None) -> bytes:
    """Render the report and return the PDF bytes (lang: ru, kk or en; default report.language)."""
    buf = io.BytesIO()
    write_audit_report(report, buf, lang, labels)
    return buf.getvalue()

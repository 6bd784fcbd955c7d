"""PDF audit report (A4, reportlab platypus, PT Sans) built from plain dataclasses.

Localisable fields accept either a plain string (already in the report language)
or a mapping {"ru": ..., "kk": ..., "en": ...}; forms.I18nText works too.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, BinaryIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from exports.fonts import FONT_BOLD, FONT_REGULAR, register_fonts
from exports.i18n import LANGS, label, localize

Localized = str | Mapping[str, str]

# Without the optional rl_accel C extension, ASCII85-encoding image streams in pure
# Python is the single largest cost of a report; binary streams are valid PDF too.
rl_config.useA85 = 0

try:
    ALMATY = ZoneInfo("Asia/Almaty")
except ZoneInfoNotFoundError:  # no tzdata: Kazakhstan has been on a single UTC+5 since 2024
    ALMATY = timezone(timedelta(hours=5), "Asia/Almaty")

# A row taller than a page cannot be placed without splitting it, so free text is capped (see _clip).
MAX_CELL_CHARS = 3000
MAX_CELL_HEIGHT = 420  # points; an A4 frame here is ~740 pt including the repeated header
THUMB_PX = 360  # 55 mm at ~165 dpi: sharp in print, cheap to decode

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


@dataclass
class ReportViolation:
    """A violation with its corrective action."""

    item_text: Localized
    corrective_action: Localized
    responsible: Localized  # a role code such as "facility_head" is translated
    deadline: date
    severity: str
    item_code: str = ""


@dataclass
class ReportPhoto:
    """A photo taken during the inspection (any format Pillow reads)."""

    data: bytes
    caption: Localized = ""


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


# ---------------------------------------------------------------- formatting helpers


def _fmt_date(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "—"


def _fmt_time(dt: datetime | None) -> str:
    if dt is None:
        return "—"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(ALMATY).strftime("%H:%M")


def _fmt_score(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return (text.replace(".", ",") if lang in ("ru", "kk") else text) + " %"


def _clip(text: str, style: ParagraphStyle | None = None, width: float | None = None) -> str:
    """Text cut (with an ellipsis) so that its cell stays well under a page tall.

    splitInRow=0 means a row taller than the frame cannot be placed at all, so
    free text that would wrap to more than MAX_CELL_HEIGHT in a cell of `width`
    is shortened; the estimate is deliberately pessimistic.
    """
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    if style is None or width is None or len(text) < 200:
        return text
    usable = max(width - 6, 1)
    lines = sum(
        1 + int(stringWidth(line, style.fontName, style.fontSize) * 1.15 // usable) for line in text.split("\n")
    )
    height = lines * style.leading
    if height <= MAX_CELL_HEIGHT:
        return text
    return text[: max(1, int(len(text) * MAX_CELL_HEIGHT / height) - 1)] + "…"


def _fits(text: str, font: str, size: float, width: float) -> bool:
    """True if the text fits on one line of a cell `width` wide (with the table's padding)."""
    return "\n" not in text and stringWidth(text, font, size) <= width - 6


def _fit(text: str, style: ParagraphStyle, width: float, colour: Any = colors.black) -> Any:
    """The text itself if it fits on one line of the cell (cheapest), else a wrapping _Text."""
    if colour is colors.black and style.fontName == FONT_REGULAR and _fits(text, style.fontName, style.fontSize, width):
        return text
    return _Text([(text, style.fontName, style.fontSize, style.leading, colour)])


def _p(text: Any, style: ParagraphStyle, width: float | None = None) -> Paragraph:
    """Paragraph with escaped text and kept line breaks, clipped to fit a cell `width` wide if given."""
    return Paragraph(escape(_clip(str(text), style, width)).replace("\n", "<br/>"), style)


def _wrap_line(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of one line; a word wider than the cell is broken between characters."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split(" "):
        w = stringWidth(word, font, size)
        if w > width:
            if current:
                lines.append(" ".join(current))
                current, used = [], 0.0
            piece = ""
            for ch in word:
                if stringWidth(piece + ch, font, size) > width and piece:
                    lines.append(piece)
                    piece = ""
                piece += ch
            current, used = [piece], stringWidth(piece, font, size)
            continue
        extra = w + (space if current else 0.0)
        if current and used + extra > width:
            lines.append(" ".join(current))
            current, used = [word], w
        else:
            current.append(word)
            used += extra
    lines.append(" ".join(current))
    return lines


class _Text(Flowable):
    """Wrapped plain text in one or more runs (text, font, size, leading, colour).

    Used for table cells instead of Paragraph: no markup parsing and a simple line
    breaker make it several times cheaper, which matters for batch rendering.
    Text that would make the cell taller than MAX_CELL_HEIGHT is cut with an
    ellipsis, because a row that does not fit on a page cannot be split.
    """

    def __init__(self, runs: Sequence[tuple[str, str, float, float, Any]]) -> None:
        super().__init__()
        self.runs = [r for r in runs if r[0]]
        self._lines: list[tuple[str, str, float, float, Any]] = []
        self._for_width: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._for_width != avail_width:
            lines = []
            for text, font, size, leading, colour in self.runs:
                for raw in _clip(text).split("\n"):
                    lines += [(ln, font, size, leading, colour) for ln in _wrap_line(raw, font, size, avail_width)]
            height = 0.0
            for i, line in enumerate(lines):
                if height + line[3] > MAX_CELL_HEIGHT:
                    text, font, size, leading, colour = lines[i - 1]
                    lines = lines[: i - 1] + [(text[:-1] + "…", font, size, leading, colour)]
                    break
                height += line[3]
            self._lines = lines
            self._for_width = avail_width
        self.width = avail_width
        self.height = sum(line[3] for line in self._lines)
        return self.width, self.height

    def draw(self) -> None:
        top = self.height
        # One text object per cell instead of one per line keeps the content stream short.
        text_obj = self.canv.beginText()
        current: tuple[Any, ...] = ()
        for text, font, size, leading, colour in self._lines:
            if current != (font, size, colour):
                text_obj.setFont(font, size)
                text_obj.setFillColor(colour)
                current = (font, size, colour)
            # Baseline placement as in Paragraph: one font size below the line's top.
            text_obj.setTextOrigin(0, top - size)
            text_obj.textOut(text)
            top -= leading
        self.canv.drawText(text_obj)


_RESULT_COLOURS = {
    "pass": colors.HexColor("#1b7f3b"),
    "pass_with_violations": colors.HexColor("#b26a00"),
    "fail": colors.HexColor("#b3261e"),
}
_MUTED = colors.HexColor("#666666")
_STATUS_COLOURS = {
    STATUS_PASSED: colors.HexColor("#1b7f3b"),
    STATUS_FAILED: colors.HexColor("#b3261e"),
    STATUS_NA: _MUTED,
    STATUS_UNANSWERED: _MUTED,
    STATUS_NOTED: _MUTED,
}
_GRID = colors.HexColor("#b0b7c3")
_HEAD_BG = colors.HexColor("#e8edf4")
_FAIL_BG = colors.HexColor("#fdecea")


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle("base", fontName=FONT_REGULAR, fontSize=9, leading=11.5)
        self.base = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=colors.HexColor("#555555"))
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=FONT_BOLD)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, alignment=TA_CENTER, spaceAfter=2 * mm
        )
        self.name = ParagraphStyle(
            "name", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        )
        self.subname = ParagraphStyle(
            "subname", parent=base, fontSize=10, leading=13, alignment=TA_CENTER, spaceAfter=3 * mm
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14, spaceBefore=4 * mm, spaceAfter=2 * mm
        )
        self.result = ParagraphStyle("result", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15)
        self.mono = ParagraphStyle("mono", parent=self.small, fontSize=7.5, leading=9.5)


_STYLES: _Styles | None = None


def _styles() -> _Styles:
    global _STYLES
    if _STYLES is None:
        register_fonts()
        _STYLES = _Styles()
    return _STYLES


def _table(rows: list[list[Any]], widths: list[float], *, header: bool, extra: list[tuple] = ()) -> Table:
    # splitInRow=0 (reportlab default, set explicitly) keeps every row whole across pages.
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=0, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


# ---------------------------------------------------------------- page furniture


def _canvas_maker(lang: str, footer_left: str):
    """Canvas class that defers page drawing so the footer can say 'page X of Y'."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Without this the page preamble selects Helvetica, which then sits in every page's resources.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT_REGULAR
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(_GRID)
            self.setLineWidth(0.4)
            self.line(15 * mm, 12 * mm, width - 15 * mm, 12 * mm)
            self.setFont(FONT_REGULAR, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(15 * mm, 8 * mm, footer_left)
            self.drawRightString(
                width - 15 * mm, 8 * mm, label("page", lang).format(page=self._pageNumber, total=total)
            )
            self.restoreState()

    return NumberedCanvas


class _QrCode(Flowable):
    """QR code drawn straight onto the canvas, one rectangle per run of dark modules.

    A graphics Drawing would select Helvetica in its initial state (putting a
    Helvetica resource on every page), and QrCodeWidget encodes the data twice.
    """

    BORDER = 2  # quiet zone in modules; the table cell adds more white around it

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        self.qr.addData(text)
        self.qr.make()
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = self.qr.getModuleCount()
        box = self.size / (count + 2 * self.BORDER)
        self.canv.setFillColor(colors.black)
        for r, row in enumerate(self.qr.modules):
            c = 0
            for dark, run in itertools.groupby(bool(m) for m in row):
                n = len(list(run))
                if dark:
                    y = self.size - (r + self.BORDER + 1) * box
                    self.canv.rect((c + self.BORDER) * box, y, n * box, box, stroke=0, fill=1)
                c += n


# ---------------------------------------------------------------- content blocks


def _header(report: AuditReport, lang: str, st: _Styles) -> list[Any]:
    fac = report.facility
    if lang == "kk":
        main_name, other_name = fac.name_kk, fac.name_ru
    elif lang == "en":
        main_name, other_name = fac.name_en or fac.name_ru, fac.name_kk
    else:
        main_name, other_name = fac.name_ru, fac.name_kk
    flow: list[Any] = [_p(label("title", lang), st.title), _p(main_name, st.name), _p(other_name, st.subname)]

    gps = "—"
    if report.gps:
        lat, lon = report.gps
        gps = f"{lat:.6f}, {lon:.6f}"
        if report.gps_accuracy_m is not None:
            gps += f" (±{report.gps_accuracy_m:.0f} m)"
    times = f"{_fmt_time(report.check_in)} – {_fmt_time(report.check_out)} ({label('tz', lang)})"
    name_row = ("name_ru", fac.name_ru) if lang == "kk" else ("name_kk", fac.name_kk)
    rows = [
        name_row,
        ("bin", fac.bin),
        ("address", localize(fac.address, lang)),
        ("facility_type", label(fac.facility_type, lang)),
        ("agency", localize(fac.agency, lang)),
        ("inspector", report.inspector_name),
        ("date", _fmt_date(report.inspection_date)),
        ("times", times),
        ("gps", gps),
        ("legal_basis", localize(report.legal_basis, lang)),
        ("representatives", "; ".join(report.representatives) or "—"),
    ]
    if report.template_label:
        rows.append(("template", report.template_label))
    data = [[_p(label(key, lang), st.head), _p(value, st.cell, 132 * mm)] for key, value in rows]
    flow.append(_table(data, [48 * mm, 132 * mm], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), _HEAD_BG)]))
    flow.append(Spacer(1, 3 * mm))
    flow.extend(_summary(report, lang, st))
    return flow


def _summary(report: AuditReport, lang: str, st: _Styles) -> list[Any]:
    colour = _RESULT_COLOURS.get(report.result, colors.black)
    verdict = Paragraph(
        f"{escape(label('result', lang))}: <font color='{colour.hexval()}'>{escape(label(report.result, lang))}</font>"
        f"&nbsp;&nbsp;&nbsp;{escape(label('overall_score', lang))}: {escape(_fmt_score(report.overall_score, lang))}",
        st.result,
    )
    rows = [[_p(label("section", lang), st.head), _p(label("score", lang), st.head)]]
    rows += [[_p(localize(s.title, lang), st.cell), _p(_fmt_score(s.score, lang), st.cell)] for s in report.sections]
    flow: list[Any] = [verdict, Spacer(1, 2 * mm), _table(rows, [60 * mm, 30 * mm], header=True)]
    if report.critical_failures:
        crit = "; ".join(localize(c, lang) for c in report.critical_failures)
        flow.append(Spacer(1, 1.5 * mm))
        flow.append(
            Paragraph(
                f"<font color='{_RESULT_COLOURS['fail'].hexval()}'><b>{escape(label('critical_failures', lang))}:</b> "
                f"{escape(_clip(crit))}</font>",
                st.base,
            )
        )
    return flow


def _items(report: AuditReport, lang: str, st: _Styles) -> list[Any]:
    widths = [11 * mm, 70 * mm, 27 * mm, 46 * mm, 26 * mm]
    head = [_p(label(k, lang), st.head) for k in ("no", "requirement", "answer", "comment", "status")]
    flow: list[Any] = [_p(label("items", lang), st.h2)]
    by_section: dict[str, list[ReportItem]] = {}
    for item in report.items:
        by_section.setdefault(item.section, []).append(item)
    section_order = [s for s in report.sections if s.code in by_section]
    known = {s.code for s in section_order}
    section_order += [ReportSection(code, code) for code in by_section if code not in known]
    for n, section in enumerate(section_order, start=1):
        title = f"{n}. {localize(section.title, lang)} — {_fmt_score(section.score, lang)}"
        rows = [head]
        extra: list[tuple] = []
        for m, item in enumerate(by_section[section.code], start=1):
            status_colour = _STATUS_COLOURS.get(item.status, colors.black)
            requirement = _Text(
                [
                    (localize(item.text, lang), FONT_REGULAR, st.cell.fontSize, st.cell.leading, colors.black),
                    (f"{item.code} · {label(item.severity, lang)}", FONT_REGULAR, 7, 9, _MUTED),
                ]
            )
            status = label(item.status, lang)
            if _fits(status, FONT_BOLD, st.cell.fontSize, widths[4]):
                extra += [
                    ("TEXTCOLOR", (4, m), (4, m), status_colour),
                    ("FONTNAME", (4, m), (4, m), FONT_BOLD),
                ]
            else:
                status = _Text([(status, FONT_BOLD, st.cell.fontSize, st.cell.leading, status_colour)])
            rows.append(
                [
                    f"{n}.{m}",
                    requirement,
                    _fit(localize(item.answer, lang), st.cell, widths[2]),
                    _fit(item.comment or "", st.cell, widths[3]),
                    status,
                ]
            )
            if item.status == STATUS_FAILED:
                extra.append(("BACKGROUND", (0, m), (-1, m), _FAIL_BG))
        # Keeps a section title from being stranded at the bottom of a page.
        flow.append(CondPageBreak(30 * mm))
        flow.append(_p(title, st.h2))
        flow.append(_table(rows, widths, header=True, extra=extra))
    return flow


def _violations(report: AuditReport, lang: str, st: _Styles) -> list[Any]:
    flow: list[Any] = [CondPageBreak(30 * mm), _p(label("violations", lang), st.h2)]
    if not report.violations:
        flow.append(_p(label("no_violations", lang), st.base))
        return flow
    widths = [8 * mm, 48 * mm, 52 * mm, 26 * mm, 19 * mm, 27 * mm]
    rows = [
        [
            _p(label(k, lang), st.head)
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
                _fit(localize(v.item_text, lang), st.cell, widths[1]),
                _fit(localize(v.corrective_action, lang), st.cell, widths[2]),
                _fit(label(responsible, lang), st.cell, widths[3]),
                _fmt_date(v.deadline),
                _fit(label(v.severity, lang), st.cell, widths[5]),
            ]
        )
    flow.append(_table(rows, widths, header=True))
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


def _photos(report: AuditReport, lang: str, st: _Styles) -> list[Any]:
    cells = []
    box = 55 * mm
    for photo in report.photos:
        thumb = _thumbnail(photo.data)
        if thumb is None:
            continue
        jpeg, w, h = thumb
        scale = min(box / w, box / h)
        cells.append(
            [Image(jpeg, width=w * scale, height=h * scale), _p(localize(photo.caption, lang), st.small, 58 * mm)]
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
    return [CondPageBreak(70 * mm), _p(label("photos", lang), st.h2), table]


def _signatures_and_verification(report: AuditReport, lang: str, st: _Styles) -> list[Any]:
    line = "_" * 38
    sig_rows = [
        [_p(label("inspector_sig", lang), st.head), _p(label("representative_sig", lang), st.head)],
        [_p(line, st.base), _p(line, st.base)],
        [_p(f"{label('sig_hint', lang)}: {report.inspector_name}", st.muted), _p(label("sig_hint", lang), st.muted)],
    ]
    sig = Table(sig_rows, colWidths=[90 * mm, 90 * mm], hAlign="LEFT")
    sig.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR), ("TOPPADDING", (0, 1), (-1, 1), 9 * mm)]))

    drawing = _QrCode(report.verification_url, 32 * mm)
    text = [
        _p(label("record_hash", lang), st.head),
        _p(report.record_hash, st.mono),
        Spacer(1, 2 * mm),
        _p(label("verify", lang), st.small),
        _p(report.verification_url, st.mono),
    ]
    verify = Table([[drawing, text]], colWidths=[36 * mm, 144 * mm], hAlign="LEFT")
    verify.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)]))
    return [KeepTogether([_p(label("signatures", lang), st.h2), sig, Spacer(1, 5 * mm), verify])]


# ---------------------------------------------------------------- entry points


def write_audit_report(report: AuditReport, fp: BinaryIO, lang: str | None = None) -> None:
    """Render the report as PDF into a binary file object (lang defaults to report.language)."""
    lang = lang or report.language
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    st = _styles()
    fac = report.facility
    doc = SimpleDocTemplate(
        fp,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=18 * mm,
        title=f"{label('title', lang)} — {fac.name_kk if lang == 'kk' else fac.name_ru}",
        author=report.inspector_name,
        subject=report.record_hash,
        lang=lang,
    )
    footer = f"{fac.bin} · {_fmt_date(report.inspection_date)} · {report.record_hash[:16]}"
    story: list[Any] = []
    story += _header(report, lang, st)
    story += _items(report, lang, st)
    story += _violations(report, lang, st)
    story += _photos(report, lang, st)
    story += _signatures_and_verification(report, lang, st)
    doc.build(story, canvasmaker=_canvas_maker(lang, footer))


def render_audit_report(report: AuditReport, lang: str | None = None) -> bytes:
    """Render the report and return the PDF bytes (lang: ru, kk or en; default report.language)."""
    buf = io.BytesIO()
    write_audit_report(report, buf, lang)
    return buf.getvalue()


def report_parts_from_forms(
    template: Any,
    facility_type: str,
    answers: Mapping[str, Any],
    inspection_date: date,
    **violation_options: Any,
) -> dict[str, Any]:
    """AuditReport fields derived from a forms.Template and its answers.

    Returns sections, items, violations, overall_score, result and
    critical_failures, ready for ``AuditReport(**parts, facility=..., ...)``;
    texts stay trilingual so one set of parts renders in any language.
    `violation_options` go to forms.derive_violations (deadlines, responsible).
    """
    from forms import answer_display, derive_violations, items_for, outcome, score

    result = score(template, facility_type, answers)
    applicable = {it.code for it in items_for(template, facility_type)}
    statuses = {"pass": STATUS_PASSED, "fail": STATUS_FAILED, "na": STATUS_NA, None: STATUS_UNANSWERED}
    items = []
    for sec in template.sections:
        for item in sec.items:
            if item.code not in applicable:
                continue
            answer = answers.get(item.code)
            items.append(
                ReportItem(
                    section=sec.code,
                    code=item.code,
                    text=item.text,
                    answer={lang: answer_display(item, answer, lang) for lang in LANGS},
                    status=(
                        STATUS_NOTED
                        if item.kind == "text" and outcome(item, answer) == "pass"
                        else statuses[outcome(item, answer)]
                    ),
                    severity=item.severity,
                    comment=(answer.get("comment") or "") if isinstance(answer, Mapping) else "",
                )
            )
    violations = [
        ReportViolation(
            item_text=v.item_text,
            corrective_action=v.corrective_action,
            responsible=v.responsible,
            deadline=v.due_date,
            severity=v.severity,
            item_code=v.item_code,
        )
        for v in derive_violations(template, facility_type, answers, inspection_date, **violation_options)
    ]
    by_code = template.items_by_code
    return {
        "sections": [
            ReportSection(s.code, s.title, result.section(s.code).score if result.section(s.code) else None)
            for s in template.sections
        ],
        "items": items,
        "violations": violations,
        "overall_score": result.overall,
        "result": result.result,
        "critical_failures": [by_code[c][1].text for c in result.critical_failures],
    }

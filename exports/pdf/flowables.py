"""Drawing pieces of the report: formatting, cheap text cells, styles, tables, the page footer and the QR code."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from exports.fonts import FONT_BOLD, FONT_REGULAR, register_fonts
from exports.i18n import fmt_decimal
from exports.pdf.model import STATUS_FAILED, STATUS_NA, STATUS_NOTED, STATUS_PASSED, STATUS_UNANSWERED

# Without the optional rl_accel C extension, ASCII85-encoding image streams in pure
# Python is the single largest cost of a report; binary streams are valid PDF too.
rl_config.useA85 = 0

try:
    ALMATY = ZoneInfo("Asia/Almaty")
except ZoneInfoNotFoundError:  # no tzdata: Kazakhstan has been on a single UTC+5 since 2024
    ALMATY = timezone(timedelta(hours=5), "Asia/Almaty")

# A row taller than a page cannot be placed without splitting it, so free text is capped (see clip).
MAX_CELL_CHARS = 3000
MAX_CELL_HEIGHT = 420  # points; an A4 frame here is ~740 pt including the repeated header
THUMB_PX = 360  # 55 mm at ~165 dpi: sharp in print, cheap to decode

# ---------------------------------------------------------------- formatting helpers


def fmt_date(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "—"


def fmt_time(dt: datetime | None) -> str:
    if dt is None:
        return "—"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(ALMATY).strftime("%H:%M")


def fmt_score(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    return fmt_decimal(value, lang) + " %"


def clip(text: str, style: ParagraphStyle | None = None, width: float | None = None) -> str:
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


def fits(text: str, font: str, size: float, width: float) -> bool:
    """True if the text fits on one line of a cell `width` wide (with the table's padding)."""
    return "\n" not in text and stringWidth(text, font, size) <= width - 6


def fit(text: str, style: ParagraphStyle, width: float, colour: Any = colors.black) -> Any:
    """The text itself if it fits on one line of the cell (cheapest), else a wrapping TextCell."""
    if colour is colors.black and style.fontName == FONT_REGULAR and fits(text, style.fontName, style.fontSize, width):
        return text
    return TextCell([(text, style.fontName, style.fontSize, style.leading, colour)])


def para(text: Any, style: ParagraphStyle, width: float | None = None) -> Paragraph:
    """Paragraph with escaped text and kept line breaks, clipped to fit a cell `width` wide if given."""
    return Paragraph(escape(clip(str(text), style, width)).replace("\n", "<br/>"), style)


def wrap_line(text: str, font: str, size: float, width: float) -> list[str]:
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


class TextCell(Flowable):
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
                for raw in clip(text).split("\n"):
                    lines += [(ln, font, size, leading, colour) for ln in wrap_line(raw, font, size, avail_width)]
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


RESULT_COLOURS = {
    "pass": colors.HexColor("#1b7f3b"),
    "pass_with_violations": colors.HexColor("#b26a00"),
    "fail": colors.HexColor("#b3261e"),
}
MUTED = colors.HexColor("#666666")
STATUS_COLOURS = {
    STATUS_PASSED: colors.HexColor("#1b7f3b"),
    STATUS_FAILED: colors.HexColor("#b3261e"),
    STATUS_NA: MUTED,
    STATUS_UNANSWERED: MUTED,
    STATUS_NOTED: MUTED,
}
GRID = colors.HexColor("#b0b7c3")
HEAD_BG = colors.HexColor("#e8edf4")
FAIL_BG = colors.HexColor("#fdecea")


class Styles:
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


STYLES_CACHE: Styles | None = None


def styles() -> Styles:
    global STYLES_CACHE
    if STYLES_CACHE is None:
        register_fonts()
        STYLES_CACHE = Styles()
    return STYLES_CACHE


def grid_table(rows: list[list[Any]], widths: list[float], *, header: bool, extra: list[tuple] = ()) -> Table:
    # splitInRow=0 (reportlab default, set explicitly) keeps every row whole across pages.
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=0, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


# ---------------------------------------------------------------- page furniture


def canvas_maker(page_label: str, footer_left: str):
    """Canvas class that defers page drawing so the footer can say 'page X of Y' (`page_label` with {page}, {total})."""

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
            self.setStrokeColor(GRID)
            self.setLineWidth(0.4)
            self.line(15 * mm, 12 * mm, width - 15 * mm, 12 * mm)
            self.setFont(FONT_REGULAR, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(15 * mm, 8 * mm, footer_left)
            self.drawRightString(
                width - 15 * mm, 8 * mm, page_label.format(page=self._pageNumber, total=total)
            )
            self.restoreState()

    return NumberedCanvas


class QrCode(Flowable):
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

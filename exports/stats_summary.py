"""The dashboard's PDF summary (A4 landscape, PT Sans): key figures, two charts drawn here with reportlab graphics
and the tables, from plain data whose words the caller gives already translated."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from exports.fonts import FONT_BOLD, FONT_REGULAR, register_fonts
from exports.i18n import fmt_decimal


@dataclass(frozen=True)
class Chart:
    """A bar chart: a label per category and a series per (name, colour hex, values); stacked or side by side."""

    title: str
    categories: list[str]
    series: list[tuple[str, str, list[float]]]
    stacked: bool = True


@dataclass(frozen=True)
class SummaryTable:
    """A table: its title, column headings and rows (numbers are printed in the language's way)."""

    title: str
    headers: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class StatsSummary:
    """Everything the summary prints, already in the reader's language."""

    title: str
    scope: str
    figures: list[tuple[str, str]]
    charts: list[Chart] = field(default_factory=list)
    tables: list[SummaryTable] = field(default_factory=list)
    footer: str = ""


def _cell(value: object, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return fmt_decimal(value, lang)
    return str(value)


def _chart(chart: Chart, width: float, font: str) -> Drawing:
    height = 70 * mm
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, chart.title, fontName=FONT_BOLD, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y = 30, 38
    bars.width, bars.height = width - 190, height - 60
    bars.data = [values or [0] for _name, _colour, values in chart.series] or [[0]]
    bars.categoryAxis.categoryNames = chart.categories or [""]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 6
    bars.categoryAxis.labels.angle = 45 if len(chart.categories) > 8 else 0
    bars.categoryAxis.labels.boxAnchor = "ne" if len(chart.categories) > 8 else "n"
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.valueAxis.forceZero = True
    _whole_steps(bars, chart)
    if chart.stacked:
        bars.categoryAxis.style = "stacked"
    for n, (_name, colour, _values) in enumerate(chart.series):
        bars.bars[n].fillColor = colors.HexColor(colour)
        bars.bars[n].strokeColor = None
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = width - 150, height - 25
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.colorNamePairs = [(colors.HexColor(colour), name) for name, colour, _values in chart.series]
    drawing.add(legend)
    return drawing


def _whole_steps(bars: VerticalBarChart, chart: Chart) -> None:
    """Counts on a whole-number axis: reportlab would mark 2 inspections 0, 0.5, 1, 1.5, 2. The step is the
    smallest of 1, 2, 5, 10, 20, 50... giving at most 10 intervals up to the tallest bar (or stack)."""
    columns = [list(values) for _name, _colour, values in chart.series]
    if chart.stacked:
        top = max((sum(c) for c in zip(*columns, strict=False)), default=0)
    else:
        top = max((max(c, default=0) for c in columns), default=0)
    top = max(1, math.ceil(top))
    step = 1
    while top / step > 10:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    bars.valueAxis.valueStep = step
    bars.valueAxis.valueMax = math.ceil(top / step) * step
    bars.valueAxis.labelTextFormat = "%d"


def write_stats_summary(summary: StatsSummary, lang: str = "ru") -> bytes:
    """The summary as PDF bytes, its /Lang set to `lang`."""
    register_fonts()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, title=summary.title, lang=lang)
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=15, leading=19)
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=3)
    body = ParagraphStyle("body", fontName=FONT_REGULAR, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=body, fontName=FONT_BOLD)
    story: list = [Paragraph(escape(summary.title), title), Paragraph(escape(summary.scope), body), Spacer(1, 4 * mm)]
    figures = [[Paragraph(escape(name), body), Paragraph(f"<b>{escape(value)}</b>", body)]
               for name, value in summary.figures]
    if figures:
        half = (len(figures) + 1) // 2
        left, right = figures[:half], figures[half:] + [["", ""]] * (half - len(figures[half:]))
        grid = Table([a + b for a, b in zip(left, right, strict=True)], colWidths=[85 * mm, 45 * mm] * 2)
        grid.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [grid, Spacer(1, 4 * mm)]
    usable = page[0] - 24 * mm
    for chart in summary.charts:
        story += [_chart(chart, usable, FONT_REGULAR), Spacer(1, 3 * mm)]
    for table in summary.tables:
        data = [[Paragraph(escape(h), head) for h in table.headers]]
        data += [[Paragraph(escape(_cell(v, lang)), body) for v in row] for row in table.rows]
        grid = Table(data, repeatRows=1, hAlign="LEFT")
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                                  ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(KeepTogether([Paragraph(escape(table.title), heading)]))
        story.append(grid)
    if summary.footer:
        story += [Spacer(1, 4 * mm), Paragraph(escape(summary.footer), body)]
    doc.build(story)
    return buffer.getvalue()

"""The printable route sheet of an inspector's day (A4, PT Sans) and its iCalendar feed, from plain data."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import icalendar
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from exports.fonts import FONT_BOLD, FONT_REGULAR, register_fonts
from exports.i18n import fmt_decimal

ALMATY = ZoneInfo("Asia/Almaty")

LABELS = {
    "title": {"ru": "Маршрутный лист", "kk": "Маршрут парағы", "en": "Route sheet"},
    "inspector": {"ru": "Инспектор", "kk": "Инспектор", "en": "Inspector"},
    "date": {"ru": "Дата", "kk": "Күні", "en": "Date"},
    "no": {"ru": "№", "kk": "№", "en": "No."},
    "time": {"ru": "Время", "kk": "Уақыты", "en": "Time"},
    "facility": {"ru": "Объект", "kk": "Нысан", "en": "Facility"},
    "km": {"ru": "км", "kk": "км", "en": "km"},
    "mark": {"ru": "Отметка", "kk": "Белгі", "en": "Mark"},
    "total": {"ru": "Всего в пути, км (по дорогам, оценка)", "kk": "Жолда барлығы, км (жол бойынша, бағалау)",
              "en": "Total travel, km (road estimate)"},
    "secret": {"ru": "Конфиденциально: не передавать объектам проверки.",
               "kk": "Құпия: тексерілетін нысандарға берілмейді.",
               "en": "Confidential: never show to the facilities inspected."},
    "none": {"ru": "На этот день посещений нет.", "kk": "Бұл күнге бару жоқ.", "en": "No visits on this day."},
}


@dataclass(frozen=True)
class RouteStop:
    """One stop of the sheet."""

    order: int
    start: str
    end: str
    name: str
    address: str
    bin: str
    km: float | None
    lat: float
    lon: float
    uid: str = ""
    # When the visit was last revised (published, moved by a revision, marked not done) and how many
    # revisions of the schedule it has been through: the calendar's DTSTAMP, LAST-MODIFIED and SEQUENCE.
    modified: datetime | None = None
    sequence: int = 0


@dataclass(frozen=True)
class RouteSheet:
    """An inspector's day."""

    inspector: str
    day: date
    stops: list[RouteStop] = field(default_factory=list)
    km: float = 0.0


def _label(key: str, lang: str) -> str:
    return LABELS[key].get(lang) or LABELS[key]["ru"]


def write_route_sheet(sheet: RouteSheet, lang: str = "ru") -> bytes:
    """The route sheet as PDF bytes."""
    register_fonts()
    normal = ParagraphStyle("n", fontName=FONT_REGULAR, fontSize=9.5, leading=12)
    bold = ParagraphStyle("b", parent=normal, fontName=FONT_BOLD)
    title = ParagraphStyle("t", parent=normal, fontName=FONT_BOLD, fontSize=15, leading=19)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=_label("title", lang), author="Tekseru", lang=lang,
                            # Otherwise each page starts in reportlab's Helvetica, named in the PDF but not embedded.
                            initialFontName=FONT_REGULAR)
    story = [Paragraph(escape(_label("title", lang)), title), Spacer(1, 3 * mm),
             Paragraph(f"{escape(_label('inspector', lang))}: <b>{escape(sheet.inspector)}</b>", normal),
             Paragraph(f"{escape(_label('date', lang))}: <b>{sheet.day.strftime('%d.%m.%Y')}</b>", normal),
             Spacer(1, 4 * mm)]
    if sheet.stops:
        rows = [[Paragraph(escape(_label(k, lang)), bold) for k in ("no", "time", "facility", "km", "mark")]]
        for s in sheet.stops:
            rows.append([str(s.order + 1), f"{s.start}–{s.end}",
                         Paragraph(f"<b>{escape(s.name)}</b><br/>{escape(s.address)}<br/>"
                                   f"{escape(s.bin)} · {s.lat:.5f}, {s.lon:.5f}", normal),
                         "" if s.km is None else fmt_decimal(s.km, lang), ""])
        table = Table(rows, colWidths=[10 * mm, 24 * mm, 108 * mm, 14 * mm, 24 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))]))
        story += [table, Spacer(1, 3 * mm),
                  Paragraph(f"{escape(_label('total', lang))}: <b>{fmt_decimal(sheet.km, lang)}</b>", normal)]
    else:
        story.append(Paragraph(escape(_label("none", lang)), normal))
    story += [Spacer(1, 6 * mm), Paragraph(escape(_label("secret", lang)), normal)]
    doc.build(story)
    return out.getvalue()


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(0), ALMATY) + timedelta(hours=hours, minutes=minutes)


def write_calendar(sheets: list[RouteSheet], calendar_name: str, uid_host: str = "tekseru") -> bytes:
    """Days as one iCalendar (RFC 5545) feed: one event per stop, in Almaty time.

    The feed has no METHOD, so DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2), the stop's
    `modified`, like LAST-MODIFIED: the same data gives the same bytes on every fetch, and a calendar app
    sees a change only when there is one. A stop's `uid` is `<left>@<right>`; a bare left side gets
    `uid_host` (the deployment's host) as its right side.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tekseru//route//RU")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", "Asia/Almaty")
    for day, s in ((sheet.day, s) for sheet in sheets for s in sheet.stops):
        event = icalendar.Event()
        uid = s.uid or f"{day.isoformat()}-{s.order}"
        event.add("uid", uid if "@" in uid else f"{uid}@{uid_host}")
        # Without a recorded revision, the start of the day: still the same on every fetch.
        modified = s.modified or _at(day, "00:00")
        event.add("dtstamp", modified)
        event.add("last-modified", modified)
        event.add("sequence", s.sequence)
        event.add("dtstart", _at(day, s.start))
        event.add("dtend", _at(day, s.end))
        event.add("summary", f"{s.order + 1}. {s.name}")
        event.add("location", s.address)
        event.add("geo", (s.lat, s.lon))
        event.add("class", "CONFIDENTIAL")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()

"""PT Sans registration for reportlab: the built-in Type 1 fonts have no Cyrillic glyphs."""

from __future__ import annotations

import threading

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_REGULAR = "PTSans"
FONT_BOLD = "PTSans-Bold"
FAMILY = "PT Sans"

_lock = threading.Lock()
_registered = False


def register_fonts() -> tuple[str, str]:
    """Register PT Sans regular and bold with reportlab once per process; return their names."""
    global _registered
    if _registered:
        return FONT_REGULAR, FONT_BOLD
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(FONT_REGULAR, str(fontpkg.path(FAMILY, 400))))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fontpkg.path(FAMILY, 700))))
            # Lets <b> inside Paragraph markup pick the bold face instead of Helvetica-Bold.
            addMapping(FONT_REGULAR, 0, 0, FONT_REGULAR)
            addMapping(FONT_REGULAR, 1, 0, FONT_BOLD)
            addMapping(FONT_REGULAR, 0, 1, FONT_REGULAR)
            addMapping(FONT_REGULAR, 1, 1, FONT_BOLD)
            _registered = True
    return FONT_REGULAR, FONT_BOLD

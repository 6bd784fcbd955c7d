"""Is the route sheet PDF self-contained and in its language: fonts embedded, /Lang, km with the locale's comma?"""

import subprocess
import tempfile
from datetime import date

import pytest

from exports.route_sheet import LABEL_KEYS, RouteSheet, RouteStop, write_route_sheet
from tests.exports.pdf_checks import assert_fonts_embedded_and_language

SHEET = RouteSheet("Аскаров Ерлан", date(2026, 12, 7), [
    RouteStop(0, "09:00", "10:30", "Мектеп № 12", "Талғар қ., Абай к-сі, 10", "190540000123", 12.34, 43.3, 76.9),
    RouteStop(1, "11:00", "12:30", "Балабақша", "Талғар қ., Абай к-сі, 11", "190540000135", 80.0, 43.31, 76.95),
], km=93.4)
# The headings come from the caller (the app asks its label registry); any text per key will do here.
LABELS = {key: key.capitalize() for key in LABEL_KEYS}


def _text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_route_sheet_embeds_its_fonts_and_declares_its_language(lang):
    """Does the sheet name no unembedded font (reportlab's initial Helvetica was) and declare /Lang?"""
    assert_fonts_embedded_and_language(write_route_sheet(SHEET, LABELS, lang), lang)


@pytest.mark.parametrize(("lang", "total", "leg"), [("ru", "93,4", "12,3"), ("kk", "93,4", "12,3"),
                                                    ("en", "93.4", "12.3")])
def test_km_are_written_as_the_language_writes_numbers(lang, total, leg):
    """Are km printed with a decimal comma in Russian and Kazakh, as the reports print scores, and a point in
    English?"""
    text = _text(write_route_sheet(SHEET, LABELS, lang))
    assert total in text and leg in text

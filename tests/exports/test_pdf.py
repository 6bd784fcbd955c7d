import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime

import pypdf
import pytest
from PIL import Image

from exports.pdf import (
    AuditReport,
    Facility,
    ReportItem,
    ReportPhoto,
    ReportSection,
    ReportViolation,
    report_parts_from_forms,
    write_audit_report,
)
from exports.pdf import render_audit_report as render_with
from forms import items_for, load_builtin_templates, merge_templates
from tests.exports.pdf_checks import assert_fonts_embedded_and_language
from tests.exports.report_labels import LABELS


def render_audit_report(report, lang, labels=None):
    """The PDF with the test labels of `lang` unless others are given."""
    return render_with(report, lang, LABELS.get(lang, {}) if labels is None else labels)


# Pure tests: no database transaction needed.

NAME_KK = "«Әйгерім» балабақшасы — Ғылым, Қазақ, Өңір, Өнер, Ұлағат, Үміт, Жиһаз, Іргетас"
NAME_RU = "Детский сад «Айгерим»"
KK_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
URL = "https://tekseru.example.kz/verify/5d41402abc4b2a76"
HASH = "5d41402abc4b2a76b9719d911017c592" * 2


def _norm(text):
    return re.sub(r"\s+", " ", text).strip()


def _photo(color=(30, 120, 200)):
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(buf, "JPEG")
    return buf.getvalue()


def make_report(items, sections, violations=(), photos=(), **kw):
    base = dict(
        facility=Facility(
            name_ru=NAME_RU,
            name_kk=NAME_KK,
            bin="990140001234",
            address={"ru": "г. Алматы, ул. Абая, 10", "kk": "Алматы қ., Абай к-сі, 10", "en": "10 Abai St, Almaty"},
            facility_type="kindergarten",
            agency="Управление образования г. Алматы",
        ),
        inspector_name="Сейтқалиева Әсел Нұрланқызы",
        inspection_date=date(2026, 2, 3),
        check_in=datetime(2026, 2, 3, 3, 40, tzinfo=UTC),
        check_out=datetime(2026, 2, 3, 6, 5, tzinfo=UTC),
        gps=(43.238949, 76.889709),
        legal_basis="Приказ № 12-ВП от 02.02.2026",
        representatives=["Заведующая Ахметова Г. К."],
        overall_score=81.5,
        result="fail",
        sections=sections,
        items=items,
        violations=list(violations),
        photos=list(photos),
        record_hash=HASH,
        verification_url=URL,
    )
    base.update(kw)
    return AuditReport(**base)


def pages_text(pdf):
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def forms_report():
    national, regional = load_builtin_templates()
    tpl = merge_templates(national, regional)
    answers = {}
    for item in items_for(tpl, "kindergarten"):
        value = {"yes_no": "yes", "number": item.min if item.min is not None else item.max, "text": "—"}.get(item.kind)
        if item.kind == "choice":
            value = item.options[0].code
        answers[item.code] = {"value": value}
    answers["safety.panic_button"] = {"value": "no", "comment": "Сигнал не доходит до пульта", "photos": ["p1"]}
    answers["nutrition.fridge_temp"] = {"value": "9,5", "photos": ["p2"]}
    answers["health.toilets"] = {"value": "poor"}
    parts = report_parts_from_forms(tpl, "kindergarten", answers, date(2026, 2, 3))
    return tpl, parts, make_report(**parts, photos=[ReportPhoto(_photo(), "Тревожная кнопка")])


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_text_has_kazakh_name_and_every_failed_item(forms_report, lang):
    tpl, parts, report = forms_report
    text = _norm(" ".join(pages_text(render_audit_report(report, lang))))
    assert NAME_KK in text
    failed = [i for i in parts["items"] if i.status == "failed"]
    assert {i.code for i in failed} == {"safety.panic_button", "nutrition.fridge_temp", "health.toilets"}
    for item in failed:
        assert _norm(item.text.get(lang)) in text
    for v in parts["violations"]:
        assert _norm(v.corrective_action.get(lang)) in text
    assert "13.02.2026" in text  # critical deadline: 10 days
    assert URL in text and HASH in text
    assert "08:40" in text and "11:05" in text  # Asia/Almaty, UTC+5


def test_the_callers_labels_are_printed(forms_report):
    """Are headings and printed codes the caller's translated labels (the app passes its catalogs' texts)?"""
    _tpl, _parts, report = forms_report
    labels = {"title": "ТЕКСЕРУ НӘТИЖЕЛЕРІ ТУРАЛЫ АКТ", "kindergarten": "Балабақша",
              "page": "{total} беттің {page}-беті"}
    first = pages_text(render_audit_report(report, "kk", labels))[0]
    assert "ТЕКСЕРУ НӘТИЖЕЛЕРІ ТУРАЛЫ АКТ" in first and "Балабақша" in first and "беттің 1-беті" in first
    # Without labels a key prints as itself, never as another language's text.
    assert "title" in pages_text(render_audit_report(report, "kk", {}))[0]
    with pytest.raises(ValueError):
        render_audit_report(report, "de")


def test_fonts_are_pt_sans_only(forms_report):
    _tpl, _parts, report = forms_report
    reader = pypdf.PdfReader(io.BytesIO(render_audit_report(report, "kk")))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].get_object().values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts, "no fonts found"
    assert all("PTSans" in f for f in fonts), fonts
    assert not any("Helvetica" in f for f in fonts)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_report_embeds_every_font_it_names_and_declares_its_language(forms_report, lang):
    """Does pdffonts list only embedded fonts (no page-initial Helvetica) and the catalog carry /Lang?"""
    _tpl, _parts, report = forms_report
    assert_fonts_embedded_and_language(render_audit_report(report, lang), lang)


def test_kazakh_letters_survive_extraction():
    items = [ReportItem("s", "s.a", "Тексеру: " + KK_LETTERS, "Жоқ", "failed", "critical", comment=KK_LETTERS)]
    pdf = render_audit_report(make_report(items, [ReportSection("s", "Қауіпсіздік", 0.0)]), "kk")
    text = " ".join(pages_text(pdf))
    assert text.count(KK_LETTERS) >= 2


def _long_report(n=120):
    filler = " Дополнительные пояснения к требованию для проверки переноса строк в ячейке таблицы."
    items = [
        ReportItem(
            section="safety",
            code=f"safety.item_{i:03d}",
            text=f"Требование номер {i:03d}." + filler * (1 + i % 4),
            answer="Нет" if i % 7 == 0 else "Да",
            status="failed" if i % 7 == 0 else "passed",
            severity="major",
            comment="Комментарий инспектора. " * (i % 5),
        )
        for i in range(1, n + 1)
    ]
    violations = [
        ReportViolation(it.text, "Устранить нарушение", "facility_head", date(2026, 3, 5), "major")
        for it in items
        if it.status == "failed"
    ]
    return make_report(items, [ReportSection("safety", "Безопасность", 85.7)], violations)


def test_long_report_pages_numbered_header_repeated_rows_whole():
    report = _long_report()
    pages = pages_text(render_audit_report(report, "ru"))
    total = len(pages)
    assert total >= 4
    for n, text in enumerate(pages, start=1):
        assert f"Страница {n} из {total}" in text
    # One section = one table, so a header on page 2 can only come from repeatRows.
    assert "safety.item_" not in pages[1].split("Требование")[0]
    for page in pages[1:3]:
        assert "Требование" in page and "Комментарий" in page and "Результат" in page
    norm_pages = [_norm(p) for p in pages]
    for item in report.items:
        # A row cut in two would leave no page holding the whole text.
        assert any(_norm(item.text) in p for p in norm_pages), item.code


def test_photos_embedded_and_bad_photo_skipped(forms_report):
    _tpl, parts, _report = forms_report

    def images(pdf):
        count = 0
        for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
            count += len(page.images)
        return count

    with_photos = make_report(**parts, photos=[ReportPhoto(_photo(), "Вход"), ReportPhoto(b"not an image", "x")])
    pdf = render_audit_report(with_photos, "ru")
    assert images(pdf) == 1
    assert "Фотофиксация" in " ".join(pages_text(pdf))
    no_photos = render_audit_report(make_report(**parts), "ru")
    assert images(no_photos) == 0
    assert "Фотофиксация" not in " ".join(pages_text(no_photos))


def test_write_to_file_object(forms_report, tmp_path):
    _tpl, _parts, report = forms_report
    path = tmp_path / "r.pdf"
    with path.open("wb") as fh:
        write_audit_report(report, fh, "en", LABELS["en"])
    assert path.read_bytes().startswith(b"%PDF")
    assert len(pypdf.PdfReader(str(path)).pages) >= 2


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_page_one_renders_without_errors_and_is_not_blank(forms_report, tmp_path):
    _tpl, _parts, report = forms_report
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_audit_report(report, "kk"))
    proc = subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""  # poppler reports missing glyphs/fonts on stderr
    png = next(tmp_path.glob("p*.png"))
    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 0.01 * img.width * img.height


def test_pt_sans_has_every_kazakh_letter():
    from reportlab.pdfbase import pdfmetrics

    from exports.fonts import FONT_BOLD, FONT_REGULAR, register_fonts

    register_fonts()
    for name in (FONT_REGULAR, FONT_BOLD):
        face = pdfmetrics.getFont(name).face
        missing = [ch for ch in KK_LETTERS + "№°«»—" if ord(ch) not in face.charToGlyph]
        assert missing == [], (name, missing)


def test_huge_comment_is_clipped_not_a_layout_error():
    items = [ReportItem("s", "s.long", "Очень длинное требование " * 80, "Нет", "failed", "major", comment="Ә" * 6000)]
    violations = [ReportViolation("Нарушение " * 300, "Устранить " * 300, "facility_head", date(2026, 3, 1), "major")]
    pdf = render_audit_report(make_report(items, [ReportSection("s", "Раздел", 0.0)], violations), "ru")
    text = _norm(" ".join(pages_text(pdf)))
    assert "…" in text
    assert "Руководитель организации" in text  # role code translated


def test_empty_draft_report_renders():
    pdf = render_audit_report(make_report([], [], overall_score=None, result="pass"), "kk")
    text = " ".join(pages_text(pdf))
    assert "Бұзушылықтар анықталған жоқ" in text
    assert NAME_KK in _norm(text)


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None, reason="poppler-utils/zbar-tools missing"
)
def test_qr_code_decodes_to_verification_url(forms_report, tmp_path):
    _tpl, _parts, report = forms_report
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_audit_report(report, "ru"))
    last = len(pypdf.PdfReader(str(pdf)).pages)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", str(last), "-l", str(last), str(pdf), str(tmp_path / "q")],
        check=True,
        timeout=60,
    )
    png = next(tmp_path.glob("q*.png"))
    proc = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == URL

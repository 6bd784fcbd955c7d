"""Official words (issue 24): one term per concept in each language, counts in the language's plural forms, and every
label of the registry said in Russian, Kazakh and English."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, ngettext

from inspect_app import labels, sentences
from inspect_app.labels import template_problem
from inspect_app.sentences import predictability_sentence
from tests.inspect_app.test_translations import extracted_msgids

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "inspect_app" / "translations"
TEMPLATES = ROOT / "forms" / "templates"

# Variants the bilingual review replaced, with the word that took their place.
FORBIDDEN_KK = {
    r"\b[Бб]ағыт": "маршрут (route)",
    r"[Чч]ек-пара": "тексеру парағы (checklist)",
    r"\bҚолдар\b": "Қолтаңбалар (signatures)",
    r"оқшаулағыш": "оқшаулау бөлмесі (isolation room)",
    r"\b[Сс]ыни\b": "өрескел (grave violation)",
    r"[Аа]са маңызды": "өрескел (grave violation)",
    r"\bЕлеусіз\b": "болмашы (minor violation)",
    r"[Мм]едбике": "мейіргер (nurse)",
    r"\b[Нн]ысан": "объект (one word for the object of control)",
    r"[Тт]іркелгі": "есептік жазба (account)",
    r"өткен шақ": "өткен күн (grammar's past tense)",
    r"\bлайықты\b": "сәйкес келетін (suitable)",
    r"[Тт]ұқым|\bдән|[Бб]астапқы сан": "бастапқы мән (seed)",
    r"[Мм]індеттеме": "бақылау хэші (commitment)",
    r"кері қайтару\b|кері қайтарылды": "кері қайтарып алу (revoke)",
    r"[Мм]едициналық тексеру": "медициналық қарап-тексеру (medical examination)",
}
FORBIDDEN_RU = {
    r"[Зз]ерн[оаоме]": "начальное значение (seed)",
    r"[Оо]бязательств": "контрольный хеш (commitment)",
    r"[Чч]ек-лист": "проверочный лист",
    r"Соответствует с нарушениями": "Соответствует частично (выявлены нарушения)",
    r"[Кк]ритическ": "грубое (the legal grade)",
    r"\bсигнал": "сообщение",
    r"Отказ в (допуске|доступе)|не пустили": "Недопуск инспектора на объект",
}


def _strings(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def _catalog(lang: str):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh)


def test_no_replaced_kazakh_variant_comes_back():
    """Does no Kazakh translation, nor any Kazakh text of the shipped checklists, use a variant the glossary
    replaced (бағыт, чек-парақ, Қолдар, оқшаулағыш, сыни, медбике ...)?"""
    found = [f"{message.id!r}: {text} ({why})" for message in _catalog("kk") if message.id
             for text in _strings(message) for pattern, why in FORBIDDEN_KK.items() if re.search(pattern, text)]
    for path in TEMPLATES.glob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith(("kk:", "title:")):
                found += [f"{path.name}: {line.strip()} ({why})" for pattern, why in FORBIDDEN_KK.items()
                          if re.search(pattern, line)]
    assert not found, found[:10]


def test_deleting_is_never_said_with_the_word_for_remedying():
    """Does Kazakh keep жою for remedying a violation and say өшіру for deleting (so "Удалён" and "Устранено" never
    read alike)?"""
    found = [f"{message.id!r}: {text}" for message in _catalog("kk")
             if isinstance(message.id, str) and re.search(r"[Уу]дал", message.id)
             for text in _strings(message) if re.search(r"\b[Жж]ой", text)]
    assert not found, found


def test_russian_pages_say_the_corrected_words(app):
    """Does every message, as a Russian reader gets it, avoid the calques and variants the review replaced (зерно,
    обязательство, чек-лист, «Соответствует с нарушениями», критическое, сигнал, three names of refused entry)?"""
    found = []
    with app.test_request_context(), force_locale("ru"):
        for msgid in extracted_msgids():
            text = gettext(msgid)
            found += [f"{msgid!r} -> {text!r} ({why})" for pattern, why in FORBIDDEN_RU.items()
                      if re.search(pattern, text)]
    assert not found, found[:10]


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("ru", 1, "Скачать ZIP (1 акт)"), ("ru", 2, "Скачать ZIP (2 акта)"), ("ru", 5, "Скачать ZIP (5 актов)"),
    ("ru", 21, "Скачать ZIP (21 акт)"), ("ru", 11, "Скачать ZIP (11 актов)"),
    ("kk", 1, "ZIP жүктеп алу (1 акт)"), ("kk", 2, "ZIP жүктеп алу (2 акт)"), ("kk", 5, "ZIP жүктеп алу (5 акт)"),
    ("kk", 21, "ZIP жүктеп алу (21 акт)"),
    ("en", 1, "Download ZIP (1 report)"), ("en", 21, "Download ZIP (21 reports)"),
])
def test_a_count_takes_the_plural_form_of_its_language(app, lang, n, expected):
    """Is a count of acts said as the language says it: 1 акт, 2 акта, 5 актов, 21 акт (never "1 отчётов")?"""
    with app.test_request_context(), force_locale(lang):
        assert ngettext("Скачать ZIP (%(num)s акт)", "Скачать ZIP (%(num)s актов)", n) == expected


@pytest.mark.parametrize(("n", "ru", "kk"), [
    (1, "1 соседний объект рядом с «Школа» перенесён", "«Школа» маңындағы 1 көрші объект"),
    (2, "2 соседних объекта рядом с «Школа» перенесены", "«Школа» маңындағы 2 көрші объект"),
    (5, "5 соседних объектов рядом с «Школа» перенесены", "«Школа» маңындағы 5 көрші объект"),
    (21, "21 соседний объект рядом с «Школа» перенесён", "«Школа» маңындағы 21 көрші объект"),
])
def test_a_predictability_warning_counts_in_ru_and_kk(app, n, ru, kk):
    """Does a supervisor's warning about moved neighbours agree with its count in Russian and Kazakh?"""
    message = f"{n} neighbouring facilities around 7 all moved to 2027-03-01"
    with app.test_request_context():
        with force_locale("ru"):
            assert predictability_sentence(message, lambda fid: "Школа").startswith(ru)
        with force_locale("kk"):
            assert predictability_sentence(message, lambda fid: "Школа").startswith(kk)


@pytest.mark.parametrize(("n", "visits", "days"), [(1, "1 посещение", "1 инспекторо-день"),
                                                   (2, "2 посещения", "2 инспекторо-дня"),
                                                   (5, "5 посещений", "5 инспекторо-дней"),
                                                   (21, "21 посещение", "21 инспекторо-день")])
def test_capacity_counts_agree_in_russian(app, n, visits, days):
    """Are the schedule page's capacity figures said with the noun form their number needs?"""
    with app.test_request_context(), force_locale("ru"):
        assert ngettext("%(num)s посещение", "%(num)s посещений", n) == visits
        assert ngettext("%(num)s инспекторо-день", "%(num)s инспекторо-дней", n) == days


def _registry() -> dict[str, object]:
    """Every translated text of the label registry and its sentences, by where it lives."""
    out = {}
    for module in (labels, sentences):
        for name, value in vars(module).items():
            if not name.isupper() or not isinstance(value, dict):
                continue
            for key, text in value.items():
                for sub, leaf in (text.items() if isinstance(text, dict) else [("", text)]):
                    if hasattr(leaf, "_args"):
                        out[f"{module.__name__}.{name}[{key}]{'[' + sub + ']' if sub else ''}"] = leaf
    return out


# Words Kazakh (or English) writes as Russian does: the same text in both catalogs is right for these.
SAME_IN_KK = {"Инспектор", "Колледж", "Интернат", "Туризм", "Телефон", "карантин", "Балл", "Объект", "API", "№", "км",
              "Наурыз мейрамы"}
SAME_IN_EN = {"API", "№"}


def test_every_label_is_said_in_all_three_languages(app):
    """Does each label of the registry read as a non-empty text in ru, kk and en, the kk and en ones translated
    (not the Russian msgid shown as a fallback)?"""
    registry = _registry()
    assert len(registry) > 300
    empty, untranslated = [], []
    with app.test_request_context():
        for where, text in registry.items():
            msgid = text._args[0]
            for lang in ("ru", "kk", "en"):
                with force_locale(lang):
                    said = str(text)
                if not said.strip():
                    empty.append(f"{where} in {lang}")
                same = SAME_IN_KK if lang == "kk" else SAME_IN_EN
                if lang != "ru" and said == msgid and msgid not in same:
                    untranslated.append(f"{where} in {lang}: {msgid}")
    assert not empty and not untranslated, (empty + untranslated)[:10]


def test_an_upload_problem_names_the_fault_in_the_readers_language(app):
    """Is a checklist upload problem, which forms/ gives as a code and parameters, worded in ru, kk and en?"""
    params = {"value": "tiny", "allowed": ["critical", "major", "minor"]}
    with app.test_request_context():
        with force_locale("ru"):
            assert template_problem("bad_severity", params) == (
                "степень нарушения «tiny» недопустима; допустимы: critical, major, minor")
        with force_locale("kk"):
            assert template_problem("legal_ref_missing", {"item": "safety.x"}).startswith("safety.x тармағында")
        with force_locale("en"):
            assert template_problem("bad_severity", params).startswith("severity “tiny” is not allowed")


@pytest.mark.parametrize(("n", "ru", "kk"), [(1, "не меньше 1 символа", "кемінде 1 таңба"),
                                             (2, "не меньше 2 символов", "кемінде 2 таңба"),
                                             (5, "не меньше 5 символов", "кемінде 5 таңба"),
                                             (21, "не меньше 21 символа", "кемінде 21 таңба")])
def test_a_validation_message_counts_characters_in_the_language(app, n, ru, kk):
    """Does a field's length refusal (API, forms, import) agree with its figure in Russian and Kazakh?"""
    from inspect_app.messages import ui_message

    with app.test_request_context():
        with force_locale("ru"):
            assert ru in ui_message(f"Shorter than minimum length {n}.")
        with force_locale("kk"):
            assert kk in ui_message(f"Shorter than minimum length {n}.")

"""Words a person reads: every message of the templates and the code has its Kazakh and English translation."""

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "inspect_app" / "translations"


def extracted_msgids() -> set[str]:
    """The msgids `make translations-update` extracts (babel.cfg, keywords `_` and `_l`), as Babel finds them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        ids.add(message if isinstance(message, str) else message[0])
    return {m for m in ids if m}


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_every_message_has_a_translation(lang):
    """Does the catalog translate every msgid of the templates and the code (none missing, none empty)?"""
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    translated = set()
    for message in catalog:
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.id and all(s.strip() for s in strings):
            translated.add(message.id if isinstance(message.id, str) else message.id[0])
    missing = sorted(extracted_msgids() - translated)
    assert not missing, f"{len(missing)} messages without a {lang} translation, e.g. {missing[:10]}"


def test_a_fresh_clone_gets_its_catalogs_compiled(tmp_path):
    """Are missing or stale .mo files compiled before the tests (a fresh clone has none), and fresh ones kept?"""
    import gettext
    import os
    import shutil

    from tests.conftest import compile_stale_catalogs

    shutil.copytree(CATALOGS, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.mo"))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in compile_stale_catalogs(tmp_path)) == [
        "en/LC_MESSAGES/messages.mo", "kk/LC_MESSAGES/messages.mo", "ru/LC_MESSAGES/messages.mo"]
    assert compile_stale_catalogs(tmp_path) == []
    with open(tmp_path / "kk" / "LC_MESSAGES" / "messages.mo", "rb") as fh:
        kk = gettext.GNUTranslations(fh)
    assert kk.gettext("Маршрутный лист") == "Маршрут парағы"
    po = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    later = (tmp_path / "en" / "LC_MESSAGES" / "messages.mo").stat().st_mtime + 10
    os.utime(po, (later, later))
    assert compile_stale_catalogs(tmp_path) == [tmp_path / "en" / "LC_MESSAGES" / "messages.mo"]

"""Does checking an uploaded template name the line and field of each problem, and the diff each kind of change?"""

import dataclasses

import pytest
import yaml

from forms import load_template, template_from_dict
from forms.model import TEMPLATES_DIR, I18nText
from forms.upload import check_yaml, diff

TEXT = (TEMPLATES_DIR / "region_750000000.yaml").read_text(encoding="utf-8")


def _without_legal_refs(text: str) -> str:
    """The template with every legal_ref block (the key and its ru/kk/en lines) taken out."""
    lines, out, skipping = text.splitlines(), [], False
    for line in lines:
        if line.strip().startswith("legal_ref:"):
            skipping = True
            continue
        if skipping and line.strip()[:3] in ("ru:", "kk:", "en:"):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES_DIR.glob("*.yaml")))
def test_every_shipped_template_passes_upload_validation(name):
    """Would each template we ship be accepted by the upload page (legal references in ru, kk and en included)?"""
    template, problems = check_yaml((TEMPLATES_DIR / name).read_text(encoding="utf-8"))
    assert problems == [] and template is not None


def test_every_item_without_a_legal_reference_is_named_with_its_line():
    """Is each item (notes aside) lacking legal_ref a problem of its own, coded, at the line of its `- code:`?"""
    text = _without_legal_refs(TEXT)
    template, problems = check_yaml(text)
    assert template is None
    lines = text.splitlines()
    assert len(problems) == text.count("      - code: ")
    for problem in problems:
        assert problem.field == "legal_ref" and lines[problem.line - 1].strip().startswith("- code:")
        assert problem.code == "legal_ref_missing" and problem.params["item"] in lines[problem.line - 1]


def test_a_russian_only_legal_reference_is_refused_on_upload_but_read_in_old_versions():
    """Is the plain-string legal_ref of versions stored before translation still read, but refused in an upload?"""
    first = TEXT.index("        legal_ref:\n")
    end = TEXT.index("\n", TEXT.index("en:", first))
    text = TEXT[:first] + '        legal_ref: "Закон РК «О гражданской защите»"' + TEXT[end:]
    template, (problem,) = check_yaml(text)
    assert template is None and problem.code == "legal_ref_untranslated"
    old = template_from_dict(yaml.safe_load(text))
    item = next(i for s in old.sections for i in s.items if isinstance(i.legal_ref, str))
    assert item.legal_ref_in("kk") == "Закон РК «О гражданской защите»"


def test_a_structural_error_names_its_line_and_field():
    """Is an unknown severity reported at its own line, under the field `severity`?"""
    bad = TEXT.replace("severity: minor", "severity: tiny", 1)
    _template, (problem,) = check_yaml(bad)
    assert problem.field == "severity" and problem.code == "bad_severity"
    assert problem.params == {"value": "tiny", "allowed": ["critical", "major", "minor"]}
    assert "severity: tiny" in bad.splitlines()[problem.line - 1]


def test_broken_yaml_names_its_line():
    """Is unparsable YAML reported as such, with a line?"""
    _template, (problem,) = check_yaml("code: national\nversion: [1\n")
    assert problem.field == "yaml" and problem.code == "yaml_invalid" and problem.line is not None


def test_the_diff_tells_each_kind_of_change():
    """Are an added, a removed, a reworded and a re-graded item each reported once?"""
    old = load_template(TEMPLATES_DIR / "national.yaml")
    first, second, third = old.sections[0].items[:3]
    reworded = dataclasses.replace(first, text=I18nText(ru="Новый текст", kk=first.text.kk, en=first.text.en))
    regraded = dataclasses.replace(second, severity="minor" if second.severity != "minor" else "major")
    added = dataclasses.replace(third, code="safety.brand_new")
    items = (reworded, regraded, added, *old.sections[0].items[3:])
    new = dataclasses.replace(old, sections=(dataclasses.replace(old.sections[0], items=items), *old.sections[1:]))
    kinds = {(c.kind, c.code) for c in diff(old, new)}
    assert kinds == {("reworded", first.code), ("severity", second.code), ("added", "safety.brand_new"),
                     ("removed", third.code)}


def test_every_shipped_legal_reference_fits_the_violation_record():
    """Does each shipped item's Russian legal reference fit the stored violation's column (300 characters)?"""
    for path in TEMPLATES_DIR.glob("*.yaml"):
        template = load_template(path)
        for section in template.sections:
            for item in section.items:
                assert len(item.legal_ref_in("ru")) <= 300, item.code

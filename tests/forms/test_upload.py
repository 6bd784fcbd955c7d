"""Does checking an uploaded template name the line and field of each problem, and the diff each kind of change?"""

import dataclasses

from forms import load_template
from forms.model import TEMPLATES_DIR, I18nText
from forms.upload import check_yaml, diff

TEXT = (TEMPLATES_DIR / "region_750000000.yaml").read_text(encoding="utf-8")


def test_every_item_without_a_legal_reference_is_named_with_its_line():
    """Is each item lacking legal_ref a problem of its own, at the line of its `- code:`?"""
    template, problems = check_yaml(TEXT)
    assert template is None
    lines = TEXT.splitlines()
    assert len(problems) == TEXT.count("      - code: ")
    for problem in problems:
        assert problem.field == "legal_ref" and lines[problem.line - 1].strip().startswith("- code:")


def test_a_structural_error_names_its_line_and_field():
    """Is an unknown severity reported at its own line, under the field `severity`?"""
    bad = TEXT.replace("severity: minor", "severity: tiny", 1)
    _template, (problem,) = check_yaml(bad)
    assert problem.field == "severity"
    assert "severity: tiny" in bad.splitlines()[problem.line - 1]


def test_broken_yaml_names_its_line():
    """Is unparsable YAML reported as such, with a line?"""
    _template, (problem,) = check_yaml("code: national\nversion: [1\n")
    assert problem.field == "yaml" and problem.line is not None


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

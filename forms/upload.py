"""Checking an uploaded YAML template for people: every problem with its line and field, and the diff of two
versions (added, removed, reworded, severity changed). Plain data, no Flask."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import yaml

from forms.model import LANGS, I18nText, Template, TemplateError
from forms.parsing import template_from_dict

_STEP = re.compile(r"\b(section|item|option) (\d+)\b")
_KEYS_IN = re.compile(r"'([a-z_]+)'")
_ITEM_CODE = re.compile(r"\([a-z][a-z0-9_]*\.[a-z0-9_.]+\)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded template: its line (1-based; None when unknown), field, what is wrong as a
    code with its parameters (the app words it in the reader's language) and the same in English (`message`)."""

    line: int | None
    field: str
    code: str
    params: dict = dataclasses.field(default_factory=dict)
    english: str = ""

    @property
    def message(self) -> str:
        """The problem in English, for the command line and logs."""
        return self.english or self.code

    @classmethod
    def of(cls, error: TemplateError, line: int | None = None, field: str = "") -> Problem:
        """The problem a forms.TemplateError describes."""
        return cls(line, field, error.code, dict(error.params), str(error))


def _child(node, key):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None, None


def _locate(root, message: str) -> tuple[int | None, str]:
    """The line and field a forms.TemplateError message names (its `section i item j ... field` path)."""
    node, line, field = root, None, ""
    for step, index in _STEP.findall(message):
        _key, seq = _child(node, {"section": "sections", "item": "items", "option": "options"}[step])
        if not isinstance(seq, yaml.SequenceNode) or int(index) >= len(seq.value):
            break
        node = seq.value[int(index)]
        line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        rest = _ITEM_CODE.split(message)[-1]
        named = _KEYS_IN.findall(message)
        for key_node, _value in node.value:
            key = getattr(key_node, "value", None)
            if isinstance(key, str) and (re.search(rf"\b{re.escape(key)}\b", rest) or key in named):
                return key_node.start_mark.line + 1, key
        if line is None:
            line = node.start_mark.line + 1
    return line, field


def check_yaml(text: str) -> tuple[Template | None, list[Problem]]:
    """Parse an uploaded template: (template, []) when valid, else (None, problems with lines and fields).

    Beyond what `forms` demands of every template (ru, kk and en texts, codes, kinds, severities), an upload
    needs a legal reference in ru, kk and en on every item that can fail (free-text notes never do): each item
    lacking one is a problem of its own. The plain (Russian only) string of older versions is refused here.
    """
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = str(getattr(exc, "problem", None) or exc)
        return None, [Problem(mark.line + 1 if mark else None, "yaml", "yaml_invalid", {"detail": detail},
                              f"not valid YAML: {detail}")]
    try:
        template = template_from_dict(data)
    except TemplateError as exc:
        line, field = _locate(root, str(exc))
        return None, [Problem.of(exc, line, field)]
    problems = []
    _key, sections = _child(root, "sections")
    for i, section in enumerate(template.sections):
        _k, items = _child(sections.value[i], "items")
        for j, item in enumerate(section.items):
            if item.kind == "text":
                continue
            node = items.value[j]
            if not isinstance(item.legal_ref, I18nText):
                code = "legal_ref_untranslated" if (item.legal_ref or "").strip() else "legal_ref_missing"
                problems.append(Problem(node.start_mark.line + 1, "legal_ref", code, {"item": item.code},
                                        f"item {item.code} needs a legal reference (legal_ref) in ru, kk and en"))
    return (template if not problems else None), problems


@dataclass(frozen=True)
class Change:
    """One difference between two versions: kind is added, removed, reworded or severity."""

    kind: str
    code: str
    old: dict | str | None
    new: dict | str | None


def diff(old: Template | None, new: Template) -> list[Change]:
    """What `new` changes against `old`, item by item in `new`'s order (removed items last)."""
    before = old.items_by_code if old is not None else {}
    after = new.items_by_code
    changes = []
    for code, (_section, item) in after.items():
        if code not in before:
            changes.append(Change("added", code, None, item.text.to_dict()))
            continue
        previous = before[code][1]
        if previous.text != item.text:
            changes.append(Change("reworded", code, previous.text.to_dict(), item.text.to_dict()))
        if previous.severity != item.severity:
            changes.append(Change("severity", code, previous.severity, item.severity))
    for code, (_section, item) in before.items():
        if code not in after:
            changes.append(Change("removed", code, item.text.to_dict(), None))
    return changes


__all__ = ["LANGS", "Change", "Problem", "check_yaml", "diff"]

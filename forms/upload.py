"""Checking an uploaded YAML template for people: every problem with its line and field, and the diff of two
versions (added, removed, reworded, severity changed). Plain data, no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from forms.model import LANGS, Template, TemplateError
from forms.parsing import template_from_dict

_STEP = re.compile(r"\b(section|item|option) (\d+)\b")
_KEYS_IN = re.compile(r"'([a-z_]+)'")
_ITEM_CODE = re.compile(r"\([a-z][a-z0-9_]*\.[a-z0-9_.]+\)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded template: its line (1-based; None when unknown), field and message."""

    line: int | None
    field: str
    message: str


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
    needs a legal reference on every item: each missing one is a problem of its own.
    """
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(mark.line + 1 if mark else None, "yaml", f"not valid YAML: {exc.problem or exc}"
                              if hasattr(exc, "problem") else f"not valid YAML: {exc}")]
    try:
        template = template_from_dict(data)
    except TemplateError as exc:
        line, field = _locate(root, str(exc))
        return None, [Problem(line, field, str(exc))]
    problems = []
    _key, sections = _child(root, "sections")
    for i, section in enumerate(template.sections):
        _k, items = _child(sections.value[i], "items")
        for j, item in enumerate(section.items):
            node = items.value[j]
            if not (item.legal_ref or "").strip():
                problems.append(Problem(node.start_mark.line + 1, "legal_ref",
                                        f"item {item.code} has no legal reference (legal_ref)"))
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

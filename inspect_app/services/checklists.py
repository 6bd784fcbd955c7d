"""Checklist templates in the database: loading the YAML files as versions, and picking the one to use."""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

import forms
from inspect_app.i18n import today_almaty
from inspect_app.models import ChecklistTemplate, Facility
from inspect_app.services.errors import InvalidInput, NotFound

NATIONAL_CODE = "national"
_REGIONAL_CODE = re.compile(r"^region_(\d{9})$")


@dataclass(frozen=True)
class LoadResult:
    """What loading the template files did: (code, version) created, codes unchanged, and errors."""

    created: list[tuple[str, int]]
    unchanged: list[str]
    errors: list[str]


def _effective_templates(directory: Path | None) -> tuple[list[tuple[forms.Template, str]], list[str]]:
    """Every file's template as audits use it (regional ones merged onto the national one), with errors."""
    errors: list[str] = []
    raw: list[tuple[forms.Template, str]] = []
    paths = sorted((directory or forms.model.TEMPLATES_DIR).glob("*.yaml"))
    for path in paths:
        try:
            raw.append((forms.load_template(path), path.name))
        except forms.TemplateError as exc:
            errors.append(str(exc))
    bases = {t.code: t for t, _ in raw if t.extends is None}
    out = []
    for template, name in raw:
        if template.extends is None:
            out.append((template, name))
            continue
        base = bases.get(template.extends.code)
        try:
            if base is None:
                raise forms.TemplateError(f"{name}: extends {template.extends.code!r}, which is not loaded")
            out.append((forms.merge_templates(base, template), name))
        except forms.TemplateError as exc:
            errors.append(f"{name}: {exc}" if not str(exc).startswith(name) else str(exc))
    return out, errors


def load_templates(session: Session, directory: Path | None = None) -> LoadResult:
    """Store every template file whose content differs from the latest stored version; commits.

    A changed file becomes the next version of its code (the numbering is the app's, so a file edited
    without bumping its `version` still gets a new stored version); an unchanged file adds nothing.
    Files with errors are reported and skipped; the valid ones are still stored.
    """
    templates, errors = _effective_templates(directory)
    created, unchanged = [], []
    for template, name in templates:
        latest = latest_template(session, template.code)
        if latest is not None and latest.checksum == template.checksum:
            unchanged.append(template.code)
            continue
        match = _REGIONAL_CODE.match(template.code)
        row = ChecklistTemplate(
            code=template.code,
            version=newest_version(session, template.code) + 1,
            region_kato=match.group(1) if match else None,
            checksum=template.checksum,
            content=forms.template_to_dict(template),
            source=name,
        )
        session.add(row)
        session.flush()
        created.append((row.code, row.version))
    session.commit()
    return LoadResult(created, unchanged, errors)


def ensure_templates(session: Session) -> None:
    """Load the builtin templates when none is stored yet (first use of a fresh database); commits then."""
    if session.scalar(sa.select(ChecklistTemplate.id).limit(1)) is None:
        try:
            load_templates(session)
        except sa.exc.IntegrityError:
            # A concurrent first use stored the same versions first; theirs are the ones to use.
            session.rollback()


def in_force_filter(today=None) -> sa.ColumnElement[bool]:
    """Versions in force today (Almaty): activated (not a draft) and from a date not after today, or undated."""
    today = today or today_almaty()
    return sa.and_(ChecklistTemplate.draft.is_(False),
                   sa.or_(ChecklistTemplate.active_from.is_(None), ChecklistTemplate.active_from <= today))


def latest_template(session: Session, code: str) -> ChecklistTemplate | None:
    """The version of a template code in force today: the newest activated one whose date has come, or None.

    An uploaded draft, or a version activated from a later date, is not used by new audits yet.
    """
    return session.scalar(
        sa.select(ChecklistTemplate).where(ChecklistTemplate.code == code, in_force_filter())
        .order_by(ChecklistTemplate.version.desc())
    )


def newest_version(session: Session, code: str) -> int:
    """The highest version number stored for a code (drafts included), 0 when none: the next one is this + 1."""
    return session.scalar(sa.select(sa.func.coalesce(sa.func.max(ChecklistTemplate.version), 0))
                          .where(ChecklistTemplate.code == code))


def template_for_facility(session: Session, facility: Facility) -> ChecklistTemplate:
    """The template a new audit of this facility is filled against: its region's extension, else the national one."""
    ensure_templates(session)
    row = latest_template(session, f"region_{facility.region.kato}") or latest_template(session, NATIONAL_CODE)
    if row is None:
        raise NotFound("No checklist template is loaded; run `flask checklists load`.")
    return row


def is_latest(session: Session, row: ChecklistTemplate) -> bool:
    """True when no newer version of the same template code is in force (drafts and later dates do not count)."""
    newest = session.scalar(sa.select(sa.func.max(ChecklistTemplate.version))
                            .where(ChecklistTemplate.code == row.code, in_force_filter()))
    return newest is None or newest <= row.version


def parsed(row: ChecklistTemplate) -> forms.Template:
    """The stored version as a forms.Template (cached by id and checksum: stored versions never change)."""
    return _parse(row.id, row.checksum, _Frozen(row.content))


class _Frozen:
    """Hashable wrapper so a stored content dict can key the parse cache by (id, checksum) alone."""

    def __init__(self, content: dict) -> None:
        self.content = content

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return True


@lru_cache(maxsize=64)
def _parse(template_id: int, checksum: str, content: _Frozen) -> forms.Template:
    try:
        return forms.template_from_dict(content.content)
    except forms.TemplateError as exc:
        raise InvalidInput(f"Stored checklist template {template_id} is invalid: {exc}") from exc


def list_templates(session: Session) -> list[ChecklistTemplate]:
    """Every stored template version, by code and version."""
    return list(session.scalars(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.code,
                                                                     ChecklistTemplate.version)))

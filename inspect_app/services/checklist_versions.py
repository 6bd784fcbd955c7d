"""Checklist versions managed in the browser: upload a YAML template as a draft (checked, every problem with its
line and field), compare it with the version in force, activate it from a date, download any version as YAML.

Admins manage the national template and every regional extension; a region's supervisors their region's
extension (`access.may_manage_checklist`). A stored version is never changed except a draft's activation;
audits keep pointing at the version they were filled against.
"""

import re
from datetime import date

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

import forms
from forms.upload import Change, Problem, check_yaml, diff
from inspect_app.i18n import today_almaty
from inspect_app.models import ChecklistTemplate, User
from inspect_app.services import access, checklists
from inspect_app.services.admin_history import record
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.regions import region_by_kato

MAX_YAML_BYTES = 1_000_000
_REGIONAL = re.compile(r"^region_(\d{9})$")


class TemplateRefused(InvalidInput):
    """An upload with problems; `problems` name the line and field of each (nothing is stored)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("The checklist template has errors.", "file", errors={"file": [p.message for p in problems]})
        self.problems = problems


def version_query(user: User) -> sa.Select:
    """The versions the user may see here, by code and newest first."""
    return (sa.select(ChecklistTemplate).where(access.checklist_filter(user))
            .order_by(ChecklistTemplate.code, ChecklistTemplate.version.desc()))


def get_version(session: Session, user: User, template_id: int) -> ChecklistTemplate:
    """One version the user may see, or NotFound."""
    access.require_checklist_reader(user)
    row = session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.id == template_id,
                                                            access.checklist_filter(user))) \
        if access.is_storable_id(template_id) else None
    if row is None:
        raise NotFound("Checklist version not found.")
    return row


def _effective(session: Session, user: User, template: forms.Template) -> tuple[forms.Template, str | None]:
    """The template as audits would use it (an extension merged onto the national one in force) and its region."""
    if template.code == checklists.NATIONAL_CODE:
        access.require_checklist_manager(user, None)
        return template, None
    match = _REGIONAL.match(template.code)
    if match is None:
        raise TemplateRefused([Problem(None, "code", "template_code_name", {"code": template.code},
                                       f"code {template.code!r}: use 'national' or 'region_<KATO>'")])
    region = region_by_kato(session, match.group(1), "file")
    access.require_checklist_manager(user, region)
    national = checklists.latest_template(session, checklists.NATIONAL_CODE)
    if national is None:
        raise TemplateRefused([Problem(None, "extends", "no_national", {},
                                       "no national template is in force to extend")])
    try:
        return forms.merge_templates(checklists.parsed(national), template), region.kato
    except forms.TemplateError as exc:
        raise TemplateRefused([Problem.of(exc, None, "extends")]) from exc


def upload(session: Session, user: User, text: str, filename: str = "") -> ChecklistTemplate:
    """Store a valid YAML template as the next version of its code, a draft (not used until activated); commits.

    Any problem refuses the whole upload (TemplateRefused, every problem found with its line and field).
    """
    access.require_checklist_reader(user)
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise TemplateRefused([Problem(None, "file", "file_too_large", {"mb": MAX_YAML_BYTES // 1_000_000},
                                       "the file is larger than 1 MB")])
    template, problems = check_yaml(text)
    if problems:
        raise TemplateRefused(problems)
    effective, region_kato = _effective(session, user, template)
    in_force = checklists.latest_template(session, template.code)
    if in_force is not None and in_force.checksum == effective.checksum:
        raise Conflict("This version is the one in force already.", "file")
    row = ChecklistTemplate(code=template.code, version=checklists.newest_version(session, template.code) + 1,
                            region_kato=region_kato, checksum=effective.checksum,
                            content=forms.template_to_dict(effective), source=(filename or "upload")[:200],
                            draft=True, yaml_text=text, uploaded_by_id=user.id)
    session.add(row)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:  # another upload of the same code took this number first
        session.rollback()
        raise Conflict("Another version of this checklist was uploaded meanwhile; upload again.", "file") from exc
    record(session, user, "checklist_uploaded", None, code=row.code, version=row.version)
    session.commit()
    return row


def changes_against_in_force(session: Session, row: ChecklistTemplate) -> tuple[ChecklistTemplate | None,
                                                                                 list[Change]]:
    """The version in force of the same code (None if none) and what `row` changes against it."""
    in_force = checklists.latest_template(session, row.code)
    if in_force is not None and in_force.id == row.id:
        return in_force, []
    return in_force, diff(checklists.parsed(in_force) if in_force else None, checklists.parsed(row))


def activate(session: Session, user: User, row: ChecklistTemplate, active_from: date) -> ChecklistTemplate:
    """Put a draft in force from `active_from` (today or later, Almaty): new audits from that day use it, audits
    already filled keep theirs. Commits."""
    access.require_checklist_manager(user, _region_of(session, row))
    if not row.draft:
        raise Conflict("This version is already activated.", "active_from")
    if active_from < today_almaty():
        raise InvalidInput("The date must be today or later.", "active_from")
    rebased = _rebased_extensions(session, user, row, active_from) if row.code == checklists.NATIONAL_CODE else []
    done = session.execute(sa.update(ChecklistTemplate)
                           .where(ChecklistTemplate.id == row.id, ChecklistTemplate.draft.is_(True))
                           .values(draft=False, active_from=active_from).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.rollback()
        raise Conflict("This version is already activated.", "active_from")
    record(session, user, "checklist_activated", None, code=row.code, version=row.version,
           active_from=active_from.isoformat())
    for regional, dropped in rebased:
        session.add(regional)
        session.flush()
        record(session, user, "checklist_rebased", None, code=regional.code, version=regional.version,
               national_version=row.version, active_from=active_from.isoformat(), dropped=list(dropped))
    session.commit()
    session.refresh(row)
    return row


def _rebased_extensions(session: Session, user: User, national: ChecklistTemplate,
                        active_from: date) -> list[tuple[ChecklistTemplate, tuple[str, ...]]]:
    """Every region's extension merged again onto the national version being activated, as new versions in force
    from the same day (not stored yet), with the item codes each dropped because the national version now has
    them. Nothing is stored when one no longer fits: the activation is refused naming the region."""
    codes = session.scalars(sa.select(ChecklistTemplate.code).distinct()
                            .where(ChecklistTemplate.region_kato.is_not(None))).all()
    new_national = checklists.parsed(national)
    out = []
    for code in sorted(codes):
        current = session.scalar(sa.select(ChecklistTemplate)
                                 .where(ChecklistTemplate.code == code, ChecklistTemplate.draft.is_(False))
                                 .order_by(ChecklistTemplate.version.desc()))
        if current is None:
            continue
        merged = checklists.parsed(current)
        base = _national_under(session, merged)
        if base is None:
            continue
        version = checklists.newest_version(session, code) + 1
        try:
            effective, extension, dropped = forms.rebase_extension(merged, base, new_national,
                                                                   version)
        except forms.TemplateError as exc:
            raise InvalidInput(f"The extension of region {current.region_kato} no longer fits: {exc}",
                               "active_from") from exc
        out.append((ChecklistTemplate(
            code=code, version=version, region_kato=current.region_kato, checksum=effective.checksum,
            content=forms.template_to_dict(effective), source=f"national v{national.version}"[:200], draft=False,
            active_from=active_from, uploaded_by_id=user.id,
            yaml_text=yaml.safe_dump(forms.template_to_dict(extension), allow_unicode=True, sort_keys=False,
                                     width=120)), dropped))
    return out


def _national_under(session: Session, merged: forms.Template) -> forms.Template | None:
    """The national version a regional template was merged onto: the newest activated one with the version its
    `extends` names whose items it all has."""
    if merged.extends is None:
        return None
    rows = session.scalars(sa.select(ChecklistTemplate)
                           .where(ChecklistTemplate.code == merged.extends.code, ChecklistTemplate.draft.is_(False))
                           .order_by(ChecklistTemplate.version.desc()))
    for row in rows:
        base = checklists.parsed(row)
        if base.version == merged.extends.version and base.items_by_code.keys() <= merged.items_by_code.keys():
            return base
    return None


def _region_of(session: Session, row: ChecklistTemplate):
    return region_by_kato(session, row.region_kato, "region") if row.region_kato else None


def as_yaml(row: ChecklistTemplate) -> str:
    """The version as YAML: the uploaded text as it came, or the stored (effective) content for loaded ones."""
    if row.yaml_text is not None:
        return row.yaml_text
    return yaml.safe_dump(row.content, allow_unicode=True, sort_keys=False, width=120)


def state(row: ChecklistTemplate, in_force_id: int | None) -> str:
    """draft, in_force, scheduled (activated from a later date) or replaced."""
    if row.draft:
        return "draft"
    if row.id == in_force_id:
        return "in_force"
    if row.active_from is not None and row.active_from > today_almaty():
        return "scheduled"
    return "replaced"


def preview_pdf(row: ChecklistTemplate, facility_type: str, lang: str) -> bytes:
    """The report an audit of a `facility_type` filled against this version would print, unanswered (a sample:
    no facility, no hash)."""
    from exports.pdf import AuditReport
    from exports.pdf import Facility as ReportFacility
    from exports.pdf.from_forms import report_parts_from_forms
    from inspect_app.labels import BASIS_LABELS, label
    from inspect_app.services.audits.reports import in_each_language, render

    if facility_type not in forms.FACILITY_TYPES:
        raise InvalidInput("Unknown facility type.", "type")
    today = today_almaty()
    parts = report_parts_from_forms(checklists.parsed(row), facility_type, {}, today)
    sample = "ОБРАЗЕЦ / ҮЛГІ / SAMPLE"
    report = AuditReport(
        facility=ReportFacility(name_ru=sample, name_kk=sample, bin="—", address="—", facility_type=facility_type,
                                agency=in_each_language(lambda: label("education", "agency"))),
        inspector_name="—", inspection_date=today, check_in=None, check_out=None, gps=None,
        legal_basis=in_each_language(lambda: str(BASIS_LABELS["planned"])), representatives=[],
        record_hash=sample, verification_url=sample, template_label=row.label, **parts)
    return render(report, lang)

"""Audit schemas: draft input, submission, corrections, photos, list arguments, and the output views."""

from datetime import UTC

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

import forms
from inspect_app.models.audit import AUDIT_RESULTS, AUDIT_STATUSES, LEGAL_BASES, UNPLANNED_REASONS
from inspect_app.models.job import JOB_STATUSES
from inspect_app.models.vocab import AGENCIES
from inspect_app.schemas.fields import ChangesSomething, Day, FilePart, Moment, RecordId, UtcDateTime, validate_kato

KATO = validate_kato
REPORT_LANG = validate.OneOf(("ru", "kk", "en"))
# The longest period of one report batch, here only (the API, the web form, the CLI and the service check it):
# a year of a region's reports is a few thousand PDFs, minutes of one worker.
BATCH_PERIOD_DAYS = validate.Range(min=0, max=366, error="The period may span at most {max} days.")


class AnswersField(fields.Dict):
    """item code -> answer object (or null to clear it); the values are checked against the template later."""

    def __init__(self, **kwargs):
        super().__init__(keys=fields.String(validate=validate.Length(max=120)), values=fields.Raw(allow_none=True),
                         **kwargs)


class SavedAtField(fields.Dict):
    """item code -> when the client saved that item's answer (ISO 8601); an older save never wins over a newer."""

    def __init__(self, **kwargs):
        super().__init__(keys=fields.String(validate=validate.Length(max=120)),
                         values=fields.AwareDateTime(default_timezone=UTC), **kwargs)


class LegalBasisMixin(Schema):
    """The legal basis of an inspection and, for an unplanned one, the signal that caused it."""

    legal_basis = fields.String(validate=validate.OneOf(LEGAL_BASES))
    basis_reason = fields.String(allow_none=True, validate=validate.OneOf(UNPLANNED_REASONS))
    signal_source = fields.String(validate=validate.Length(max=500))
    signal_date = Day(allow_none=True)
    signal_anonymous = fields.Boolean(allow_none=True)
    prosecutor_reg_number = fields.String(allow_none=True, validate=validate.Length(max=64))

    @validates_schema
    def check_basis(self, data, **kwargs):
        """An unplanned inspection names its reason; the other kinds carry no signal."""
        basis = data.get("legal_basis")
        if basis is None:
            return
        if basis == "unplanned" and not data.get("basis_reason"):
            raise ValidationError("An unplanned inspection needs its reason.", "basis_reason")
        if basis != "unplanned":
            for key in ("basis_reason", "signal_date", "signal_anonymous", "prosecutor_reg_number"):
                if data.get(key):
                    raise ValidationError("Only an unplanned inspection has a signal.", key)
            if data.get("signal_source"):
                raise ValidationError("Only an unplanned inspection has a signal.", "signal_source")


class VisitFieldsMixin(Schema):
    """Check-in, check-out, position and the people present."""

    check_in_at = Moment(allow_none=True)
    check_out_at = Moment(allow_none=True)
    gps_lat = fields.Float(allow_none=True, validate=validate.Range(-90, 90))
    gps_lon = fields.Float(allow_none=True, validate=validate.Range(-180, 180))
    gps_accuracy_m = fields.Float(allow_none=True, validate=validate.Range(0, 100_000))
    representatives = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                                  validate=validate.Length(max=20))
    notes = fields.String(validate=validate.Length(max=5000))


class ActFieldsMixin(Schema):
    """The act's elements typed on the phone (services/audits/act.py): the order of the inspection, the inspector's
    position, the representative with their acknowledgement (a signature) or refusal, the inspector's signature."""

    order_date = Day(allow_none=True, metadata={
        "description": "Date of the act ordering the inspection (required for planned and unplanned ones)."})
    order_number = fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "Number of the act ordering the inspection (required for planned and unplanned ones)."})
    order_reg_number = fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "Its registration number with the Committee on Legal Statistics (planned and unplanned)."})
    inspector_position = fields.String(allow_none=True, validate=validate.Length(max=200))
    representative_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    representative_position = fields.String(allow_none=True, validate=validate.Length(max=200))
    representative_explanation = fields.String(allow_none=True, validate=validate.Length(max=5000))
    signature_refused = fields.Boolean(allow_none=True, metadata={
        "description": "The representative refused to sign: no representative_signature is needed."})
    refusal_witness = fields.String(allow_none=True, validate=validate.Length(max=200))
    representative_signature = fields.String(allow_none=True, validate=validate.Length(max=300_000), metadata={
        "description": "PNG of the strokes, base64 (a data:image/png;base64, URL too), at most 200 KB."})
    inspector_signature = fields.String(allow_none=True, validate=validate.Length(max=300_000), metadata={
        "description": "PNG of the strokes, base64 (a data:image/png;base64, URL too), at most 200 KB."})


class AuditCreateSchema(LegalBasisMixin, VisitFieldsMixin):
    """A new draft: which facility, why, and the check-in; `client_uuid` makes a retry return the same draft."""

    class Meta:
        unknown = EXCLUDE
        # check_basis_given below, said in the OpenAPI document (a JSON Schema anyOf would say it too, but
        # client generators then lose the body's type).
        openapi = {"description": "A new draft audit. It names the schedule visit it belongs to "
                                  "(`schedule_visit_id`) or, for an audit outside a schedule, its `legal_basis`, "
                                  "which is then required (422 without it)."}

    client_uuid = fields.UUID(required=True)
    facility_id = RecordId(required=True, strict=True)
    # Optional for a scheduled visit: its audit is "planned" (or "unplanned" for an urgent one).
    legal_basis = fields.String(validate=validate.OneOf(LEGAL_BASES), metadata={
        "description": "Required without `schedule_visit_id`; a visit's audit is planned (unplanned if urgent)."})
    schedule_visit_id = RecordId(allow_none=True, strict=True)
    inspection_date = Day()

    @validates_schema
    def check_basis_given(self, data, **kwargs):
        """An audit without a visit says why it happens."""
        if not data.get("schedule_visit_id") and not data.get("legal_basis"):
            raise ValidationError("Missing data for required field.", "legal_basis")

    answers = AnswersField()
    answers_saved_at = SavedAtField()


class AuditDraftSchema(ChangesSomething, LegalBasisMixin, VisitFieldsMixin, ActFieldsMixin):
    """Changes to a draft: answers are merged item by item (null clears an item).

    With `version` (the draft's version the client last read) a save of a changed draft is refused with 409,
    whose body carries the current draft under `current`; without it the save is merged item by item.
    """

    answers = AnswersField()
    answers_saved_at = SavedAtField()
    inspection_date = Day()
    version = fields.Integer(strict=True, validate=validate.Range(min=1))


class AuditSubmitSchema(ActFieldsMixin):
    """A submission; the same `client_uuid` again returns the same submitted audit.

    It makes the act on the results: the act's elements not saved on the draft come here, and one missing is a
    422 naming it (`order_date`, `order_number`, `order_reg_number` for planned and unplanned inspections;
    `inspector_position`, `representative_name`, `representative_position`, `representative_signature` unless
    `signature_refused`, `inspector_signature`).
    """

    client_uuid = fields.UUID(required=True)
    answers = AnswersField()
    answers_saved_at = SavedAtField()
    version = fields.Integer(strict=True, validate=validate.Range(min=1))
    representatives = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                                  validate=validate.Length(max=20))
    notes = fields.String(validate=validate.Length(max=5000))
    check_out_at = Moment(allow_none=True)


class AuditCorrectionSchema(Schema):
    """A correction of a submitted audit: a new draft with the reason."""

    client_uuid = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class PhotoUploadSchema(Schema):
    """A photo upload (multipart/form-data): the image file, and optionally the item it documents, a caption and
    the client's id of the upload (a retry with the same id returns the photo stored the first time)."""

    file = FilePart(required=True)
    item_code = fields.String(validate=validate.Length(max=120))
    caption = fields.String(validate=validate.Length(max=300))
    client_uuid = fields.UUID()


class AuditQueryArgsSchema(Schema):
    """Filters of the audit list."""

    class Meta:
        unknown = EXCLUDE

    facility_id = RecordId()
    inspector_id = RecordId()
    user_id = RecordId()
    region = fields.String(validate=KATO)
    district = fields.String(validate=KATO, metadata={"description": "KATO code of the facility's district"})
    current = fields.Boolean(metadata={"description": "Leave out audits replaced by a submitted correction (the "
                                                      "statistics count a corrected inspection once)"})
    date_from = Day()
    date_to = Day()
    result = fields.String(validate=validate.OneOf(AUDIT_RESULTS))
    status = fields.String(validate=validate.OneOf(AUDIT_STATUSES))
    q = fields.String(validate=validate.Length(max=200))
    # The rows of a violation figure: audits holding at least one (not superseded) violation of this kind.
    section = fields.String(validate=validate.Length(min=1, max=64),
                            metadata={"description": "Audits with a violation in this checklist section"})
    item_code = fields.String(validate=validate.Length(min=1, max=120),
                              metadata={"description": "Audits with a violation of this checklist item"})
    severity = fields.String(validate=validate.OneOf(forms.SEVERITIES),
                             metadata={"description": "Audits with a violation of this severity"})
    facility_type = fields.String(validate=validate.OneOf(forms.FACILITY_TYPES),
                                  metadata={"description": "Audits of a facility of this type with a violation"})
    agency = fields.String(validate=validate.OneOf(AGENCIES),
                           metadata={"description": "Audits of a facility of this agency with a violation"})
    # The rows of an inspector figure.
    visit_done = fields.Boolean(metadata={"description": "Audits of a route's visit done (the figure 'visits "
                                                         "done' counts these)"})
    returned = fields.Boolean(metadata={"description": "Audits a supervisor returned for correction"})


class ReportArgsSchema(Schema):
    """The language of a PDF report."""

    class Meta:
        unknown = EXCLUDE

    lang = fields.String(load_default="ru", validate=REPORT_LANG)


class ReportBatchSchema(Schema):
    """A ZIP of every report of a region and period."""

    region = fields.String(required=True, validate=KATO)
    date_from = Day(required=True)
    date_to = Day(required=True)
    lang = fields.String(load_default="ru", validate=REPORT_LANG)

    @validates_schema
    def check_period(self, data, **kwargs):
        """The period runs forwards and spans at most BATCH_PERIOD_DAYS."""
        if "date_from" in data and "date_to" in data:
            span = (data["date_to"] - data["date_from"]).days
            if span < 0:
                raise ValidationError("The period ends before it starts.", "date_to")
            try:
                BATCH_PERIOD_DAYS(span)
            except ValidationError as error:
                raise ValidationError(error.messages, "date_to") from error


class PhotoSchema(Schema):
    """A photo's metadata (its bytes are at /photos/<id>)."""

    id = fields.Integer()
    item_code = fields.String(allow_none=True)
    sha256 = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    caption = fields.String()
    client_uuid = fields.String(allow_none=True)


class ViolationSchema(Schema):
    """A violation with its corrective action."""

    id = fields.Integer()
    item_code = fields.String()
    section = fields.String()
    severity = fields.String()
    item_text = fields.Dict()
    corrective_action = fields.Dict()
    responsible = fields.String()
    due_date = fields.Date()
    legal_ref = fields.String(allow_none=True)
    status = fields.String()
    resolved_at = UtcDateTime(allow_none=True)


class ViolationResolveSchema(Schema):
    """Closing a violation once its corrective action is done."""

    note = fields.String(load_default="", validate=validate.Length(max=1000))


class AuditSummarySchema(Schema):
    """An audit in a list."""

    id = fields.Integer()
    status = fields.String()
    facility_id = fields.Integer()
    facility_name_ru = fields.Function(lambda a: a.facility.name_ru, metadata={"type": "string"})
    facility_name_kk = fields.Function(lambda a: a.facility.name_kk, metadata={"type": "string"})
    facility_bin = fields.Function(lambda a: a.facility.bin, metadata={"type": "string"})
    region_kato = fields.Function(lambda a: a.region.kato, metadata={"type": "string"})
    inspector_id = fields.Integer(allow_none=True)
    user_id = fields.Integer(allow_none=True)
    inspector_name = fields.String()
    inspection_date = fields.Date()
    legal_basis = fields.String()
    score_overall = fields.Float(allow_none=True)
    result = fields.String(allow_none=True)
    record_hash = fields.String(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)


class AuditSchema(AuditSummarySchema):
    """One audit with everything recorded."""

    client_uuid = fields.String()
    template = fields.Function(lambda a: {"id": a.template.id, "code": a.template.code,
                                          "version": a.template.version, "checksum": a.template.checksum},
                               metadata={"type": "object", "description": "The checklist version it is filled against.",
                                         "properties": {"id": {"type": "integer"}, "code": {"type": "string"},
                                                        "version": {"type": "integer"},
                                                        "checksum": {"type": "string"}}})
    schedule_visit_id = fields.Integer(allow_none=True)
    basis_reason = fields.String(allow_none=True)
    signal_source = fields.String()
    signal_date = fields.Date(allow_none=True)
    signal_anonymous = fields.Boolean(allow_none=True)
    prosecutor_reg_number = fields.String(allow_none=True)
    check_in_at = UtcDateTime(allow_none=True)
    check_out_at = UtcDateTime(allow_none=True)
    gps_lat = fields.Float(allow_none=True)
    gps_lon = fields.Float(allow_none=True)
    gps_accuracy_m = fields.Float(allow_none=True)
    checkin_distance_m = fields.Float(allow_none=True, metadata={"description": "Check-in metres from the facility."})
    checkin_far = fields.Boolean(metadata={"description": "Checked in farther than CHECKIN_MAX_DISTANCE_M."})
    discarded_at = fields.DateTime(allow_none=True)
    discard_reason = fields.String(allow_none=True)
    representatives = fields.List(fields.String())
    answers = fields.Dict()
    answers_saved_at = fields.Function(lambda a: a.answers_saved_at or {}, metadata={
        "type": "object", "additionalProperties": {"type": "string", "format": "date-time"},
        "description": "Item code -> when the client saved that answer."})
    version = fields.Integer()
    notes = fields.String()
    section_scores = fields.Dict()
    critical_failures = fields.List(fields.String())
    correction_reason = fields.String(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    chain_seq = fields.Integer(allow_none=True)
    prev_hash = fields.String(allow_none=True)
    act_format = fields.Integer(allow_none=True, metadata={
        "description": "Set when the record is an act on the results (its elements are in the hash)."})
    order_date = fields.Date(allow_none=True)
    order_number = fields.String(allow_none=True)
    order_reg_number = fields.String(allow_none=True)
    inspector_position = fields.String(allow_none=True)
    inspecting_body = fields.Dict(allow_none=True, keys=fields.String(), values=fields.String())
    act_place = fields.String(allow_none=True)
    representative_name = fields.String(allow_none=True)
    representative_position = fields.String(allow_none=True)
    representative_explanation = fields.String(allow_none=True)
    signature_refused = fields.Boolean(allow_none=True)
    refusal_witness = fields.String(allow_none=True)
    representative_signature_sha256 = fields.String(allow_none=True)
    inspector_signature_sha256 = fields.String(allow_none=True)
    photos = fields.List(fields.Nested(PhotoSchema))
    violations = fields.List(fields.Nested(ViolationSchema))
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class AuditConflictSchema(Schema):
    """A 409 on a draft: the Error fields and, when the client's `version` was stale, the draft as stored now
    (merge the unsent answers into it and save again)."""

    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Dict())
    current = fields.Nested(AuditSchema)


class JobStatusSchema(Schema):
    """A background job's progress, as a progress bar shows it."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(JOB_STATUSES)})
    phase = fields.String(allow_none=True)
    progress = fields.Float(required=True, metadata={"minimum": 0, "maximum": 1})
    message = fields.String(allow_none=True)
    elapsed_seconds = fields.Float(allow_none=True)
    result = fields.Dict(allow_none=True, metadata={"description": "What the job made (ids, file names)"})
    cancel_requested = fields.Boolean(required=True)


class JobStartedSchema(Schema):
    """The id of a started job and where to watch it."""

    job_id = fields.String()
    status = fields.String()
    status_url = fields.String()
    download_url = fields.String()

"""trust: the database itself refuses to rewrite a hashed record

A trigger on `audit`, `violation` and `audit_photo` refuses an UPDATE that changes a column of the hash chain's
content (services/audit_chain.py `record_content`) once the audit carries its `record_hash`; whatever path
writes, a submitted audit stays as it was hashed. Columns outside the hashed content (a violation's resolution,
the sync timestamps, the row version) stay writable.

On SQLite a later `batch_alter_table` of one of these tables rebuilds it without its triggers: such a migration
must call `create_guards()` of this module again.

Revision ID: 0007_trust
Revises: 0007_calendar
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_trust'
down_revision = '0007_calendar'
branch_labels = None
depends_on = None

MESSAGE = "hashed record: a submitted audit cannot be changed"

# Per table: the hashed columns, and those of them that are JSON (compared as text on PostgreSQL, whose json
# type has no equality).
AUDIT = ("id", "client_uuid", "facility_id", "region_id", "template_id", "user_id", "inspector_id",
         "inspector_name", "schedule_visit_id", "legal_basis", "basis_reason", "signal_source", "signal_date",
         "signal_anonymous", "prosecutor_reg_number", "inspection_date", "check_in_at", "check_out_at", "gps_lat",
         "gps_lon", "gps_accuracy_m", "representatives", "answers", "notes", "score_overall", "section_scores",
         "critical_failures", "result", "supersedes_id", "correction_reason", "submit_uuid", "submitted_at",
         "chain_seq", "prev_hash", "record_hash")
# The act's elements (0008_act): guarded wherever they exist, so that a create_guards() of any later migration
# keeps guarding them (and this migration, run before they exist, guards the others).
ACT = ("act_format", "order_date", "order_number", "order_reg_number", "inspector_position", "inspecting_body",
       "act_place", "representative_name", "representative_position", "representative_explanation",
       "signature_refused", "refusal_witness", "representative_signature", "representative_signature_sha256",
       "inspector_signature", "inspector_signature_sha256")
VIOLATION = ("audit_id", "item_code", "severity", "item_text", "corrective_action", "responsible", "due_date",
             "legal_ref")
PHOTO = ("audit_id", "item_code", "sha256", "size", "data")
JSON = {"inspecting_body", "representatives", "answers", "section_scores", "critical_failures", "item_text", "corrective_action"}

# table -> (hashed columns, SQL that is true when OLD belongs to a hashed audit)
GUARDS = {
    "audit": (AUDIT + ACT, "OLD.record_hash IS NOT NULL"),
    "violation": (VIOLATION, "EXISTS (SELECT 1 FROM audit WHERE audit.id = OLD.audit_id "
                             "AND audit.record_hash IS NOT NULL)"),
    "audit_photo": (PHOTO, "EXISTS (SELECT 1 FROM audit WHERE audit.id = OLD.audit_id "
                           "AND audit.record_hash IS NOT NULL)"),
}


def _changed(columns, dialect: str) -> str:
    if dialect == "sqlite":
        return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return " OR ".join(f"OLD.{c}::text IS DISTINCT FROM NEW.{c}::text" if c in JSON
                       else f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def create_guards() -> None:
    """Create (again) the triggers that refuse to change a hashed record."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    inspector = sa.inspect(bind)
    for table, (wanted, hashed) in GUARDS.items():
        present = {c["name"] for c in inspector.get_columns(table)}
        columns = [c for c in wanted if c in present]
        name = f"{table}_hashed_guard"
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
                       f"WHEN ({hashed}) AND ({_changed(columns, dialect)}) "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
        else:
            op.execute(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       f"IF ({hashed}) AND ({_changed(columns, dialect)}) THEN "
                       f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END IF; "
                       f"RETURN NEW; END $$")
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def upgrade():
    create_guards()


def downgrade():
    dialect = op.get_bind().dialect.name
    for table in GUARDS:
        name = f"{table}_hashed_guard"
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")

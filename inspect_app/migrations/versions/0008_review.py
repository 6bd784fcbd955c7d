"""review: a supervisor's decision on a submitted audit (accepted or returned), one per audit version,
append-only (a trigger refuses UPDATE and DELETE)

Revision ID: 0008_review
Revises: 0008_act
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_review'
down_revision = '0008_act'
branch_labels = None
depends_on = None

MESSAGE = "review decisions are append-only"
GUARD = "review_decision_append_only"


def upgrade():
    op.create_table(
        'review_decision',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('audit_id', sa.Integer(), sa.ForeignKey('audit.id'), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=False),
        sa.Column('reviewer_name', sa.String(200), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('outcome', sa.String(16), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('item_codes', sa.JSON(), nullable=False),
        sa.UniqueConstraint('audit_id', name='uq_review_decision_audit'),
    )
    op.create_index('ix_review_decision_reviewer_id', 'review_decision', ['reviewer_id'])
    op.create_index('ix_review_decision_decided_at', 'review_decision', ['decided_at'])
    op.create_index('ix_review_decision_outcome', 'review_decision', ['outcome'])
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {GUARD}_{event.lower()} BEFORE {event} ON review_decision "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    else:
        op.execute(f"CREATE OR REPLACE FUNCTION {GUARD}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END $$")
        op.execute(f"CREATE TRIGGER {GUARD} BEFORE UPDATE OR DELETE ON review_decision "
                   f"FOR EACH ROW EXECUTE FUNCTION {GUARD}()")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {GUARD} ON review_decision")
        op.execute(f"DROP FUNCTION IF EXISTS {GUARD}()")
    op.drop_table('review_decision')

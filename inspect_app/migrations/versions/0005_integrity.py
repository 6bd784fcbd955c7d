"""integrity: audit draft versions and per-item save times, one correction per record

Revision ID: 0005_integrity
Revises: 0004
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0005_integrity'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers_saved_at', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_index(batch_op.f('ix_audit_supersedes_id'))
        batch_op.create_index(batch_op.f('ix_audit_supersedes_id'), ['supersedes_id'], unique=True)


def downgrade():
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_supersedes_id'))
        batch_op.create_index(batch_op.f('ix_audit_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.drop_column('version')
        batch_op.drop_column('answers_saved_at')

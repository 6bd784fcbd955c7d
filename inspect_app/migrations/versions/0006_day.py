"""the inspector's day offline: the client UUID of a visit's not-done and of a draft's discard, so that a
phone's outbox may send either again without an error or a second record

Revision ID: 0006_day
Revises: 0005_inspday
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

revision = '0006_day'
down_revision = '0005_inspday'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schedule_visit') as batch:
        batch.add_column(sa.Column('not_done_uuid', sa.String(36), nullable=True))
    with op.batch_alter_table('audit') as batch:
        batch.add_column(sa.Column('discard_uuid', sa.String(36), nullable=True))


def downgrade():
    with op.batch_alter_table('audit') as batch:
        batch.drop_column('discard_uuid')
    with op.batch_alter_table('schedule_visit') as batch:
        batch.drop_column('not_done_uuid')

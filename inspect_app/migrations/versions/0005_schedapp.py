"""schedapp: fill, successors of published schedules, discarded drafts, urgent visits, one active build per region

Revision ID: 0005_schedapp
Revises: 0005_secweb
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_schedapp'
down_revision = '0005_secweb'
branch_labels = None
depends_on = None

ACTIVE_BUILD = "kind = 'schedule_build' AND status IN ('queued', 'running')"


def upgrade():
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fill', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('superseded_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('revision_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('discarded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('discarded_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_schedule_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_schedule_supersedes_id_schedule'), 'schedule',
                                    ['supersedes_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_schedule_discarded_by_id_user'), 'user',
                                    ['discarded_by_id'], ['id'])
    with op.batch_alter_table('schedule_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('deadline', sa.DateTime(timezone=True), nullable=True))
    op.create_table('urgent_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_urgent_request_created_by_id_user')),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_urgent_request_facility_id_facility')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_urgent_request_region_id_region')),
    sa.ForeignKeyConstraint(['schedule_id'], ['schedule.id'], name=op.f('fk_urgent_request_schedule_id_schedule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_request'))
    )
    with op.batch_alter_table('urgent_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_urgent_request_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_urgent_request_region_id'), ['region_id'], unique=False)
    op.create_index('uq_job_active_build', 'job', ['region_id'], unique=True,
                    sqlite_where=sa.text(ACTIVE_BUILD), postgresql_where=sa.text(ACTIVE_BUILD))


def downgrade():
    op.drop_index('uq_job_active_build', table_name='job')
    op.drop_table('urgent_request')
    with op.batch_alter_table('schedule_visit', schema=None) as batch_op:
        batch_op.drop_column('deadline')
        batch_op.drop_column('urgent')
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_schedule_discarded_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_schedule_supersedes_id_schedule'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_schedule_supersedes_id'))
        for column in ('discarded_by_id', 'discarded_at', 'revision', 'revision_kind', 'superseded_from',
                       'effective_from', 'supersedes_id', 'fill'):
            batch_op.drop_column(column)

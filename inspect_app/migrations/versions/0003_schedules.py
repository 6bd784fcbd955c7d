"""schedules: surprise-inspection schedules and their visits

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('time_limit', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('problem', sa.JSON(), nullable=False),
    sa.Column('problem_sha256', sa.String(length=64), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('original', sa.JSON(), nullable=True),
    sa.Column('commitment', sa.String(length=64), nullable=True),
    sa.Column('batch', sa.String(length=32), nullable=True),
    sa.Column('national_seed', sa.BigInteger(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_schedule_created_by_id_user')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_schedule_published_by_id_user')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_schedule_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule')),
    sa.UniqueConstraint('commitment', name=op.f('uq_schedule_commitment'))
    )
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_problem_sha256'), ['problem_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_status'), ['status'], unique=False)

    op.create_table('schedule_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('start', sa.String(length=5), nullable=False),
    sa.Column('end', sa.String(length=5), nullable=False),
    sa.Column('order', sa.Integer(), nullable=False),
    sa.Column('must_visit', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_schedule_visit_facility_id_facility')),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspector.id'], name=op.f('fk_schedule_visit_inspector_id_inspector')),
    sa.ForeignKeyConstraint(['schedule_id'], ['schedule.id'], name=op.f('fk_schedule_visit_schedule_id_schedule'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_visit'))
    )
    with op.batch_alter_table('schedule_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_visit_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_visit_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index('ix_schedule_visit_inspector_date', ['inspector_id', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_visit_schedule_id'), ['schedule_id'], unique=False)



def downgrade():
    with op.batch_alter_table('schedule_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_visit_schedule_id'))
        batch_op.drop_index('ix_schedule_visit_inspector_date')
        batch_op.drop_index(batch_op.f('ix_schedule_visit_facility_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_visit_date'))

    op.drop_table('schedule_visit')
    with op.batch_alter_table('schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_status'))
        batch_op.drop_index(batch_op.f('ix_schedule_region_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_problem_sha256'))
        batch_op.drop_index(batch_op.f('ix_schedule_batch'))

    op.drop_table('schedule')

"""the inspector's day: visit states, region release setting, check-in distance, discarded drafts,
photo client ids, route access log, calendar feeds

Revision ID: 0005_inspday
Revises: 0005_integrity
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = '0005_inspday'
down_revision = '0005_integrity'
branch_labels = None
depends_on = None

LIVE = "supersedes_id IS NULL AND status <> 'discarded'"


def upgrade():
    with op.batch_alter_table('schedule_visit') as batch:
        batch.add_column(sa.Column('status', sa.String(16), nullable=False, server_default='planned'))
        batch.add_column(sa.Column('not_done_reason', sa.String(16), nullable=True))
        batch.add_column(sa.Column('not_done_note', sa.String(500), nullable=False, server_default=''))
        batch.add_column(sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('region') as batch:
        batch.add_column(sa.Column('route_release', sa.String(8), nullable=False, server_default='morning'))
    with op.batch_alter_table('audit') as batch:
        batch.add_column(sa.Column('checkin_distance_m', sa.Float(), nullable=True))
        batch.add_column(sa.Column('checkin_far', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('discarded_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('discard_reason', sa.String(500), nullable=True))
    op.create_index('uq_audit_live_visit', 'audit', ['schedule_visit_id'], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    with op.batch_alter_table('audit_photo') as batch:
        batch.add_column(sa.Column('client_uuid', sa.String(36), nullable=True))
        batch.create_unique_constraint('uq_audit_photo_client_uuid', ['client_uuid'])
    op.create_table(
        'route_access',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=True),
        sa.Column('schedule_id', sa.Integer(), sa.ForeignKey('schedule.id', ondelete='SET NULL'), nullable=True),
        sa.Column('inspector_id', sa.Integer(), sa.ForeignKey('inspector.id'), nullable=True),
        sa.Column('day', sa.Date(), nullable=True),
        sa.Column('channel', sa.String(16), nullable=False),
        sa.Column('what', sa.String(200), nullable=False),
    )
    op.create_index('ix_route_access_region_at', 'route_access', ['region_id', 'at'])
    op.create_index('ix_route_access_user_id', 'route_access', ['user_id'])
    op.create_index('ix_route_access_schedule_id', 'route_access', ['schedule_id'])
    op.create_table(
        'calendar_feed',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='CASCADE'), nullable=False,
                  unique=True),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    )


def downgrade():
    op.drop_table('calendar_feed')
    op.drop_index('ix_route_access_schedule_id', table_name='route_access')
    op.drop_index('ix_route_access_user_id', table_name='route_access')
    op.drop_index('ix_route_access_region_at', table_name='route_access')
    op.drop_table('route_access')
    with op.batch_alter_table('audit_photo') as batch:
        batch.drop_constraint('uq_audit_photo_client_uuid', type_='unique')
        batch.drop_column('client_uuid')
    op.drop_index('uq_audit_live_visit', table_name='audit')
    with op.batch_alter_table('audit') as batch:
        for name in ('discard_reason', 'discarded_at', 'checkin_far', 'checkin_distance_m'):
            batch.drop_column(name)
    with op.batch_alter_table('region') as batch:
        batch.drop_column('route_release')
    with op.batch_alter_table('schedule_visit') as batch:
        for name in ('status_at', 'not_done_note', 'not_done_reason', 'status'):
            batch.drop_column(name)

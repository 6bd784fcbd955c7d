"""notifications: users' e-mail addresses and per-event preferences, the e-mail outbox, webhook endpoints,
their deliveries and every attempt

Revision ID: 0008_notify
Revises: 0008_review
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_notify'
down_revision = '0008_review'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('email', sa.String(254), nullable=True))
    op.create_table(
        'notification_preference',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('delivery', sa.String(16), nullable=False),
        sa.UniqueConstraint('user_id', 'kind', name='uq_notification_preference_user_kind'),
    )
    op.create_index('ix_notification_preference_user_id', 'notification_preference', ['user_id'])
    op.create_table(
        'outbox_message',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(160), nullable=False, unique=True),
        sa.Column('event_id', sa.String(32), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='SET NULL'), nullable=True),
        sa.Column('to_address', sa.String(254), nullable=False),
        sa.Column('locale', sa.String(5), nullable=False),
        sa.Column('subject', sa.String(300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('link_path', sa.String(300), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('claim_token', sa.String(32), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    )
    for column in ('event_id', 'kind', 'user_id', 'status', 'next_attempt_at'):
        op.create_index(f'ix_outbox_message_{column}', 'outbox_message', [column])
    op.create_table(
        'webhook_endpoint',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=True),
        sa.Column('url', sa.String(500), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret', sa.String(80), nullable=False),
        sa.Column('allow_private', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('claim_token', sa.String(32), nullable=True),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_webhook_endpoint_owner_id', 'webhook_endpoint', ['owner_id'])
    op.create_index('ix_webhook_endpoint_region_id', 'webhook_endpoint', ['region_id'])
    op.create_table(
        'webhook_delivery',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('endpoint_id', sa.Integer(), sa.ForeignKey('webhook_endpoint.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('event_id', sa.String(32), nullable=False),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint('endpoint_id', 'event_id', name='uq_webhook_delivery_event'),
    )
    op.create_index('ix_webhook_delivery_endpoint_id', 'webhook_delivery', ['endpoint_id'])
    op.create_index('ix_webhook_delivery_status', 'webhook_delivery', ['status'])
    op.create_table(
        'webhook_attempt',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('delivery_id', sa.Integer(), sa.ForeignKey('webhook_delivery.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.Column('error', sa.String(300), nullable=False),
    )
    op.create_index('ix_webhook_attempt_delivery_id', 'webhook_attempt', ['delivery_id'])


def downgrade():
    op.drop_table('webhook_attempt')
    op.drop_table('webhook_delivery')
    op.drop_table('webhook_endpoint')
    op.drop_table('outbox_message')
    op.drop_table('notification_preference')
    with op.batch_alter_table('user') as batch:
        batch.drop_column('email')

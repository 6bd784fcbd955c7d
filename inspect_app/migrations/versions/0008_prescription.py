"""prescription: the numbered prescription to remedy an audit's violations, its items, their append-only events
(the newest gives an item's state and deadline), the facility's evidence photos, the region-year counters that
number prescriptions, and the facility's secret links (only the token's hash stored)

Revision ID: 0008_prescription
Revises: 0008_notify
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_prescription'
down_revision = '0008_notify'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'prescription',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('number', sa.String(32), nullable=False, unique=True),
        sa.Column('audit_id', sa.Integer(), sa.ForeignKey('audit.id'), nullable=False, unique=True),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False, index=True),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False, index=True),
        sa.Column('delivered_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'prescription_item',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('prescription_id', sa.Integer(), sa.ForeignKey('prescription.id'), nullable=False, index=True),
        sa.Column('violation_id', sa.Integer(), sa.ForeignKey('violation.id'), nullable=False, unique=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('facility_id', sa.Integer(), sa.ForeignKey('facility.id'), nullable=False, index=True),
        sa.Column('item_code', sa.String(120), nullable=False),
        sa.Column('section', sa.String(64), nullable=False),
        sa.Column('severity', sa.String(16), nullable=False),
    )
    op.create_table(
        'prescription_event',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('item_id', sa.Integer(), sa.ForeignKey('prescription_item.id'), nullable=False),
        sa.Column('kind', sa.String(24), nullable=False),
        sa.Column('state', sa.String(16), nullable=False, index=True),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('escalation', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(2000), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('actor_name', sa.String(200), nullable=False),
        sa.Column('via_link', sa.Boolean(), nullable=False),
        sa.Column('audit_id', sa.Integer(), sa.ForeignKey('audit.id'), nullable=True),
    )
    op.create_index('ix_prescription_event_item', 'prescription_event', ['item_id', 'id'])
    op.create_table(
        'prescription_photo',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('prescription_event.id'), nullable=False, index=True),
        sa.Column('sha256', sa.String(64), nullable=False),
        sa.Column('content_type', sa.String(64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        'prescription_counter',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.UniqueConstraint('region_id', 'year', name='uq_prescription_counter'),
    )
    op.create_table(
        'prescription_link',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('prescription_id', sa.Integer(), sa.ForeignKey('prescription.id'), nullable=False, index=True),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    )


def downgrade():
    for table in ('prescription_link', 'prescription_counter', 'prescription_photo', 'prescription_event',
                  'prescription_item', 'prescription'):
        op.drop_table(table)

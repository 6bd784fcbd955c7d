"""Kazakhstan's calendar: the government's transfers of days off, the school year's breaks (with the
2025/2026 school year the Ministry of Enlightenment published), and facilities' own closures

Revision ID: 0007_calendar
Revises: 0006_day
Create Date: 2026-12-07

"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0007_calendar'
down_revision = '0006_day'
branch_labels = None
depends_on = None

# The 2025/2026 school year as published (the first graders' extra week in February closes no school).
BREAKS_2025 = (
    (dt.date(2025, 10, 27), dt.date(2025, 11, 2), "осенние каникулы"),
    (dt.date(2025, 12, 29), dt.date(2026, 1, 7), "зимние каникулы"),
    (dt.date(2026, 3, 19), dt.date(2026, 3, 29), "весенние каникулы"),
    (dt.date(2026, 5, 26), dt.date(2026, 8, 31), "летние каникулы"),
)


def upgrade():
    op.create_table(
        'calendar_transfer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('day_off', sa.Date(), nullable=True),
        sa.Column('working_day', sa.Date(), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.CheckConstraint('day_off IS NOT NULL OR working_day IS NOT NULL',
                           name=op.f('ck_calendar_transfer_one_date')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_transfer')),
        sa.UniqueConstraint('day_off', name=op.f('uq_calendar_transfer_day_off')),
        sa.UniqueConstraint('working_day', name=op.f('uq_calendar_transfer_working_day')),
    )
    op.create_index(op.f('ix_calendar_transfer_year'), 'calendar_transfer', ['year'], unique=False)
    breaks = op.create_table(
        'school_break',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_year', sa.Integer(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.CheckConstraint('end_date >= start_date', name=op.f('ck_school_break_break_order')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_school_break')),
        sa.UniqueConstraint('school_year', 'start_date', name=op.f('uq_school_break_school_year')),
    )
    op.create_index(op.f('ix_school_break_school_year'), 'school_break', ['school_year'], unique=False)
    op.create_table(
        'facility_closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('end_date >= start_date', name=op.f('ck_facility_closure_closure_order')),
        sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_facility_closure_facility_id_facility'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_facility_closure_created_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_closure')),
    )
    op.create_index(op.f('ix_facility_closure_facility_id'), 'facility_closure', ['facility_id'], unique=False)
    op.bulk_insert(breaks, [{"school_year": 2025, "start_date": a, "end_date": b, "note": note}
                            for a, b, note in BREAKS_2025])


def downgrade():
    op.drop_index(op.f('ix_facility_closure_facility_id'), table_name='facility_closure')
    op.drop_table('facility_closure')
    op.drop_index(op.f('ix_school_break_school_year'), table_name='school_break')
    op.drop_table('school_break')
    op.drop_index(op.f('ix_calendar_transfer_year'), table_name='calendar_transfer')
    op.drop_table('calendar_transfer')

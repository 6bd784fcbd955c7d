"""speed: the violations counted by month, area, type, agency, section, severity, item and deadline month (kept by
the submit, corrections and resolutions), backfilled from the violations

Revision ID: 0009_speed
Revises: 0008_dash
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0009_speed'
down_revision = '0008_dash'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'violation_month_count',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('kind', sa.String(8), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False),
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(120), nullable=False),
        sa.Column('section', sa.String(64), nullable=False),
        sa.Column('severity', sa.String(16), nullable=False),
        sa.Column('due_month', sa.Date(), nullable=False),
        sa.Column('violations', sa.Integer(), nullable=False),
        sa.Column('open', sa.Integer(), nullable=False),
        sa.Column('resolved', sa.Integer(), nullable=False),
        sa.Column('first_id', sa.Integer(), nullable=False),
        sa.UniqueConstraint('kind', 'month', 'region_id', 'district_id', 'key', 'section', 'severity', 'due_month',
                            name='uq_violation_month_count_key'),
    )
    op.create_index('ix_violation_month_count_kind_month', 'violation_month_count', ['kind', 'month'])
    op.create_index('ix_violation_month_count_kind_region_month', 'violation_month_count',
                    ['kind', 'region_id', 'month'])
    postgres = op.get_bind().dialect.name == "postgresql"

    def month(column: str) -> str:
        return (f"CAST(date_trunc('month', {column}) AS DATE)" if postgres
                else f"date({column}, 'start of month')")

    # kind: (district, key, section, severity, deadline month), as the writes keep them (services/statistics/tally)
    groupings = {
        "cell": ("COALESCE(facility.district_id, 0)", "''", "violation.section", "violation.severity",
                 month("violation.due_date")),
        "region": ("0", "''", "violation.section", "violation.severity", month("violation.due_date")),
        "type": ("0", "facility.type", "''", "''", month("violation.due_date")),
        "agency": ("0", "facility.agency", "''", "''", month("violation.due_date")),
        "item": ("0", "violation.item_code", "violation.section", "violation.severity", month("audit.inspection_date")),
    }
    for kind, (district, key, section, severity, due_month) in groupings.items():
        op.execute(f"""
            INSERT INTO violation_month_count (kind, month, region_id, district_id, key, section, severity, due_month,
                violations, open, resolved, first_id)
            SELECT '{kind}', {month('audit.inspection_date')}, facility.region_id, {district}, {key}, {section},
                   {severity}, {due_month}, count(*), sum(CASE WHEN violation.status = 'open' THEN 1 ELSE 0 END),
                   sum(CASE WHEN violation.status = 'resolved' THEN 1 ELSE 0 END), min(violation.id)
            FROM violation JOIN audit ON audit.id = violation.audit_id
            JOIN facility ON facility.id = violation.facility_id
            WHERE violation.status != 'superseded' AND audit.status = 'submitted'
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        """)


def downgrade():
    op.drop_index('ix_violation_month_count_kind_region_month', table_name='violation_month_count')
    op.drop_index('ix_violation_month_count_kind_month', table_name='violation_month_count')
    op.drop_table('violation_month_count')

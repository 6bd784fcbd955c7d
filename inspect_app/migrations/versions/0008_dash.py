"""the dashboard at national scale: inspections counted by month and area (kept by the submit), and indexes
for the period's audits, their violations and the open critical ones

Revision ID: 0008_dash
Revises: 0008_prescription
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_dash'
down_revision = '0008_prescription'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_month_count',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=False),
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.Column('legal_basis', sa.String(16), nullable=False),
        sa.Column('result', sa.String(24), nullable=False),
        sa.Column('audits', sa.Integer(), nullable=False),
        sa.UniqueConstraint('month', 'region_id', 'district_id', 'legal_basis', 'result',
                            name='uq_audit_month_count_key'),
    )
    op.create_index('ix_audit_month_count_region_id', 'audit_month_count', ['region_id'])
    # The period's submitted audits read from the index alone (PostgreSQL), the few corrections from theirs.
    op.create_index('ix_audit_counted', 'audit', ['inspection_date'],
                    postgresql_include=['facility_id', 'result', 'legal_basis', 'id'],
                    postgresql_where=sa.text("status = 'submitted'"), sqlite_where=sa.text("status = 'submitted'"))
    op.create_index('ix_violation_open_critical', 'violation', ['facility_id', 'due_date'],
                    postgresql_where=sa.text("status = 'open' AND severity = 'critical'"),
                    sqlite_where=sa.text("status = 'open' AND severity = 'critical'"))
    op.create_index('ix_facility_merged_into_id', 'facility', ['merged_into_id'],
                    postgresql_where=sa.text("merged_into_id IS NOT NULL"),
                    sqlite_where=sa.text("merged_into_id IS NOT NULL"))
    op.add_column('facility', sa.Column('last_audit_id', sa.Integer(), nullable=True))
    op.add_column('facility', sa.Column('last_result', sa.String(24), nullable=True))
    # Each facility's newest counted audit (its own or a merged record's), as the submit keeps it from now on.
    newest = """(SELECT audit.{column} FROM audit
        WHERE audit.status = 'submitted' AND (audit.facility_id = facility.id OR audit.facility_id IN (
                SELECT merged.id FROM facility AS merged WHERE merged.merged_into_id = facility.id))
          AND NOT EXISTS (SELECT 1 FROM audit AS correction
                          WHERE correction.supersedes_id = audit.id AND correction.status = 'submitted')
        ORDER BY audit.inspection_date DESC, audit.id DESC LIMIT 1)"""
    op.execute(f"UPDATE facility SET last_audit_id = {newest.format(column='id')}, "
               f"last_result = {newest.format(column='result')} WHERE merged_into_id IS NULL")
    month = ("CAST(date_trunc('month', audit.inspection_date) AS DATE)"
             if op.get_bind().dialect.name == "postgresql" else "date(audit.inspection_date, 'start of month')")
    op.execute(f"""
        INSERT INTO audit_month_count (month, region_id, district_id, legal_basis, result, audits)
        SELECT {month}, facility.region_id, COALESCE(facility.district_id, 0), audit.legal_basis,
               COALESCE(audit.result, ''), count(*)
        FROM audit JOIN facility ON facility.id = audit.facility_id
        WHERE audit.status = 'submitted' AND NOT EXISTS (
            SELECT 1 FROM audit AS correction
            WHERE correction.supersedes_id = audit.id AND correction.status = 'submitted')
        GROUP BY 1, 2, 3, 4, 5
    """)


def downgrade():
    with op.batch_alter_table('facility') as batch:
        batch.drop_column('last_result')
        batch.drop_column('last_audit_id')
    op.drop_index('ix_facility_merged_into_id', table_name='facility')
    op.drop_index('ix_violation_open_critical', table_name='violation')
    op.drop_index('ix_audit_counted', table_name='audit')
    op.drop_index('ix_audit_month_count_region_id', table_name='audit_month_count')
    op.drop_table('audit_month_count')

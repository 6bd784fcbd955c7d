"""opencritical: each facility's open critical violations and their earliest deadline on its row (kept by the
writes that change them), backfilled; a covering index of the live facilities' figure columns, the counted
audits' index covering the inspectors' figures too, and the open violations by deadline

Revision ID: 0010_opencritical
Revises: 0009_speed
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0010_opencritical'
down_revision = '0009_speed'
branch_labels = None
depends_on = None

LIVE_FIGURE_COLUMNS = ["district_id", "risk", "type", "status", "last_inspection_date", "last_result",
                       "open_critical", "lat", "lon"]
OPEN_CRITICAL = "violation.facility_id = facility.id AND violation.status = 'open' AND violation.severity = 'critical'"


def upgrade():
    op.add_column('facility', sa.Column('open_critical', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('facility', sa.Column('open_critical_due', sa.Date(), nullable=True))
    op.execute(f"""
        UPDATE facility SET open_critical = (SELECT count(*) FROM violation WHERE {OPEN_CRITICAL}),
                            open_critical_due = (SELECT min(violation.due_date) FROM violation WHERE {OPEN_CRITICAL})
        WHERE EXISTS (SELECT 1 FROM violation WHERE {OPEN_CRITICAL})""")
    live = sa.text("archived_at IS NULL")
    op.create_index('ix_facility_live_figures', 'facility', ['region_id', 'id'], sqlite_where=live,
                    postgresql_where=live, postgresql_include=LIVE_FIGURE_COLUMNS)
    urgent = sa.text("open_critical > 0 AND archived_at IS NULL")
    op.create_index('ix_facility_open_critical', 'facility', ['open_critical_due', 'name_ru'], sqlite_where=urgent,
                    postgresql_where=urgent, postgresql_include=['region_id'])

    _counted_audits_index(['facility_id', 'result', 'legal_basis', 'id', 'region_id', 'inspector_id', 'submitted_at'])
    opened = sa.text("status = 'open'")
    op.create_index('ix_violation_open_due_date', 'violation', ['due_date'], sqlite_where=opened,
                    postgresql_where=opened)


def _counted_audits_index(include: list[str]) -> None:
    submitted = sa.text("status = 'submitted'")
    op.drop_index('ix_audit_counted', table_name='audit')
    op.create_index('ix_audit_counted', 'audit', ['inspection_date'], postgresql_include=include,
                    postgresql_where=submitted, sqlite_where=submitted)


def downgrade():
    op.drop_index('ix_violation_open_due_date', table_name='violation')
    _counted_audits_index(['facility_id', 'result', 'legal_basis', 'id'])
    op.drop_index('ix_facility_open_critical', table_name='facility')
    op.drop_index('ix_facility_live_figures', table_name='facility')
    with op.batch_alter_table('facility') as batch:
        batch.drop_column('open_critical_due')
        batch.drop_column('open_critical')

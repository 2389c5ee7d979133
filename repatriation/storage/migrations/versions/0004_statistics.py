"""Statistics facts: a narrow per-case row of dimension codes plus multi-valued items, backfilled.

Revision ID: 0004_statistics
Revises: 0003_accounts
Create Date: 2026-11-24 23:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_statistics'
down_revision = '0003_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_statistic_items',
    sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_statistic_items_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'kind', 'code', name=op.f('pk_case_statistic_items'))
    )
    op.create_table('case_statistics',
    sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('received_year', sa.Integer(), nullable=False),
    sa.Column('received_month', sa.Integer(), nullable=False),
    sa.Column('corridor', sa.String(length=2), nullable=False),
    sa.Column('gate_code', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=24), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('ethnic_code', sa.String(length=4), nullable=False),
    sa.Column('province_old', sa.String(length=8), nullable=False),
    sa.Column('province_new', sa.String(length=8), nullable=False),
    sa.Column('screening', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('follow_up', sa.String(length=16), nullable=False),
    sa.Column('age_at_return', sa.Integer(), nullable=True),
    sa.Column('age_at_trafficking', sa.Integer(), nullable=True),
    sa.Column('person_key', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_statistics_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_statistics'))
    )
    with op.batch_alter_table('case_statistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_statistics_person_key'), ['person_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_statistics_received_on'), ['received_on'], unique=False)
    _backfill()


_COLUMNS = frozenset({
    'case_id', 'received_on', 'received_year', 'received_month', 'corridor', 'gate_code', 'channel',
    'sex', 'ethnic_code', 'province_old', 'province_new', 'screening', 'status', 'outcome',
    'follow_up', 'age_at_return', 'age_at_trafficking', 'person_key',
})


def _backfill() -> None:
    # Existing cases get their facts from their stored documents, in chunks. This uses the
    # application's codec and fact derivation, as the repository does on every save.
    import json

    from sqlalchemy.orm import Session

    from repatriation.domain.case import Case
    from repatriation.domain.codec import from_jsonable
    from repatriation.storage.statistics_tables import write_statistics_facts

    session = Session(bind=op.get_bind())
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('document', sa.Text))
    last = 0
    while True:
        rows = session.execute(
            sa.select(cases.c.id, cases.c.document).where(cases.c.id > last)
            .order_by(cases.c.id).limit(2000)
        ).all()
        if not rows:
            break
        pairs = [(row.id, from_jsonable(Case, json.loads(row.document))) for row in rows]
        # Only this revision's columns: later revisions add theirs (0006: route) with defaults.
        write_statistics_facts(session, pairs, columns=_COLUMNS)
        last = rows[-1].id
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('case_statistics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_statistics_received_on'))
        batch_op.drop_index(batch_op.f('ix_case_statistics_person_key'))

    op.drop_table('case_statistics')
    op.drop_table('case_statistic_items')

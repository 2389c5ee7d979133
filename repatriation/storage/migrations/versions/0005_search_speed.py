"""Search speed: a status+corridor index for the case list and FTS5 prefix indexes for typing.

Revision ID: 0005_search_speed
Revises: 0004_statistics
"""

from alembic import op

from repatriation.storage.search_index import CREATE_STATEMENTS, DROP_STATEMENTS

revision = "0005_search_speed"
down_revision = "0004_statistics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_status_corridor_received", ["status", "corridor", "received_on"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        # Recreated with prefix='1 2 3' (search as you type); 'rebuild' refills it from cases.
        for statement in (*DROP_STATEMENTS, *CREATE_STATEMENTS):
            op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_corridor_received")

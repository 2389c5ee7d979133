"""Statistics facts: room for the "none" corridor of a child trafficked inside Viet Nam.

Revision ID: 0011_corridor_inside_viet_nam
Revises: 0010_release_ledger
"""

from alembic import op
import sqlalchemy as sa

revision = "0011_corridor_inside_viet_nam"
down_revision = "0010_release_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The column held the two-letter country codes only; PostgreSQL refuses "none" in VARCHAR(2)
    # (SQLite does not check lengths, which is how this went unseen).
    with op.batch_alter_table("case_statistics", schema=None) as batch_op:
        batch_op.alter_column("corridor", existing_type=sa.String(length=2), type_=sa.String(length=8),
                              existing_nullable=False)


def downgrade() -> None:
    # Cases counted under "none" go back to the unknown country "XX" before the column narrows.
    op.execute("UPDATE case_statistics SET corridor = 'XX' WHERE corridor = 'none'")
    with op.batch_alter_table("case_statistics", schema=None) as batch_op:
        batch_op.alter_column("corridor", existing_type=sa.String(length=8), type_=sa.String(length=2),
                              existing_nullable=False)

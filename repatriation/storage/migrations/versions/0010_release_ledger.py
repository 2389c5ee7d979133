"""Release ledger for statistics, and the route of each case among the statistics facts.

Revision ID: 0010_release_ledger
Revises: 0009_keyed_pseudonyms
"""

from alembic import op
import sqlalchemy as sa

revision = "0010_release_ledger"
down_revision = "0009_keyed_pseudonyms"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statistics_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("dimensions", sa.String(length=200), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_releases")),
    )
    with op.batch_alter_table("statistics_releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statistics_releases_period"), ["period"], unique=False)
    with op.batch_alter_table("case_statistics", schema=None) as batch_op:
        # Every case recorded before routes existed went abroad: the corridor was mandatory.
        batch_op.add_column(
            sa.Column("route", sa.String(length=24), server_default="cross_border", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("case_statistics", schema=None) as batch_op:
        batch_op.drop_column("route")
    with op.batch_alter_table("statistics_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistics_releases_period"))
    op.drop_table("statistics_releases")

"""Privacy loss (epsilon) of each release in the ledger, for the yearly budget of noisy releases.

Revision ID: 0012_release_privacy_loss
Revises: 0011_corridor_inside_viet_nam
"""

from alembic import op
import sqlalchemy as sa

revision = "0012_release_privacy_loss"
down_revision = "0011_corridor_inside_viet_nam"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("statistics_releases", schema=None) as batch_op:
        # Suppressed releases spend no privacy budget: every earlier row is 0.
        batch_op.add_column(sa.Column("epsilon", sa.Float(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("method", sa.String(length=16), server_default="suppression", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("statistics_releases", schema=None) as batch_op:
        batch_op.drop_column("method")
        batch_op.drop_column("epsilon")

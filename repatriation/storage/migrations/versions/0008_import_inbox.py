"""Import inbox (received cases and their pending changes) and a counterpart's country.

Revision ID: 0008_import_inbox
Revises: 0007_audit_covers_cases
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_import_inbox"
down_revision = "0007_audit_covers_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("key_directory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=False,
                                      server_default=""))
    op.create_table(
        "inbox_cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bundle_id", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("sender_agency", sa.String(length=200), nullable=False),
        sa.Column("global_id", sa.String(length=36), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("paths", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_cases")),
    )
    op.create_index(op.f("ix_inbox_cases_bundle_id"), "inbox_cases", ["bundle_id"])
    op.create_index(op.f("ix_inbox_cases_global_id"), "inbox_cases", ["global_id"])
    op.create_table(
        "inbox_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("global_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("item_key", sa.String(length=300), nullable=True),
        sa.Column("ours", sa.Text(), nullable=False),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["received_id"], ["inbox_cases.id"],
                                name=op.f("fk_inbox_changes_received_id_inbox_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_changes")),
    )
    op.create_index(op.f("ix_inbox_changes_received_id"), "inbox_changes", ["received_id"])
    op.create_index("ix_inbox_changes_global_state", "inbox_changes", ["global_id", "state"])


def downgrade() -> None:
    op.drop_table("inbox_changes")
    op.drop_table("inbox_cases")
    with op.batch_alter_table("key_directory", schema=None) as batch_op:
        batch_op.drop_column("country")

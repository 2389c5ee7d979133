"""Case identity: a random global id for every case, created once; bundle revisions keyed by it.

Existing cases get their UUID here, written into both the column and the stored document, so
that every later read returns the same id. The per-sender revision table (rollback check) moves
from the human reference, which two desks may share, to the global id.

Revision ID: 0006_case_identity
Revises: 0005_search_speed
"""

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0006_case_identity"
down_revision = "0005_search_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, never a batch copy of ``cases``: on SQLite the copy drops the old
    # table, and its ON DELETE CASCADE would empty the statistics and verification rows.
    op.add_column("cases", sa.Column("global_id", sa.String(length=36), nullable=True))
    bind = op.get_bind()
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("reference", sa.String),
                     sa.column("document", sa.Text), sa.column("global_id", sa.String))
    ids: dict[str, str] = {}
    for row in bind.execute(sa.select(cases.c.id, cases.c.reference, cases.c.document)).all():
        document = json.loads(row.document)
        global_id = document.get("global_id") or str(uuid.uuid4())
        document["global_id"] = global_id
        ids[row.reference] = global_id
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        bind.execute(sa.update(cases).where(cases.c.id == row.id)
                     .values(document=text, global_id=global_id))
    op.create_index("ix_cases_global_id", "cases", ["global_id"], unique=True)
    revisions = sa.table("bundle_case_revisions", sa.column("sender", sa.String),
                         sa.column("reference", sa.String), sa.column("revision", sa.Integer))
    rows = bind.execute(sa.select(revisions.c.sender, revisions.c.reference,
                                  revisions.c.revision)).all()
    bind.execute(sa.delete(revisions))
    with op.batch_alter_table("bundle_case_revisions", schema=None) as batch_op:
        batch_op.alter_column("reference", existing_type=sa.String(length=32),
                              type_=sa.String(length=64), existing_nullable=False)
    kept = [{"sender": r.sender, "reference": ids[r.reference], "revision": r.revision}
            for r in rows if r.reference in ids]
    if kept:
        bind.execute(sa.insert(revisions), kept)


def downgrade() -> None:
    op.execute("DELETE FROM bundle_case_revisions")
    with op.batch_alter_table("bundle_case_revisions", schema=None) as batch_op:
        batch_op.alter_column("reference", existing_type=sa.String(length=64),
                              type_=sa.String(length=32), existing_nullable=False)
    op.drop_index("ix_cases_global_id", table_name="cases")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE cases DROP COLUMN global_id")  # native since SQLite 3.35
    else:
        op.drop_column("cases", "global_id")

"""Audit covers case rows: one entry records the document hash of every case already stored.

From this revision on, every entry that writes a case carries the hash of the stored document
(``audit verify`` names rows changed outside the services). Cases written before it get their
hashes from this one baseline entry, so an upgraded desk verifies clean.

Revision ID: 0007_audit_covers_cases
Revises: 0006_case_identity
"""

from datetime import datetime

from alembic import op
from sqlalchemy import select
from sqlalchemy.orm import Session

from repatriation.domain.audit_records import document_digest
from repatriation.storage.audit_log import SqlAuditLog
from repatriation.storage.tables import CaseRow

revision = "0007_audit_covers_cases"
down_revision = "0006_case_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    session = Session(bind=op.get_bind())
    documents = {
        reference: document_digest(document)
        for reference, document in session.execute(select(CaseRow.reference, CaseRow.document))
    }
    if documents:
        now = datetime.now().replace(microsecond=0)
        SqlAuditLog(session, lambda: documents, now).flush()
    session.flush()


def downgrade() -> None:
    pass  # the baseline entry is part of the chain; removing it would break the log

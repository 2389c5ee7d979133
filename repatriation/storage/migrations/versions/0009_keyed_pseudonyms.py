"""Keyed pseudonyms: statistics rows count persons by an HMAC keyed with the desk's secret.

The person key was SHA-256(name|birth date|sex): a list of likely names and birth dates
confirmed a suspected child. It is now HMAC-SHA-256 under a random key kept in the (encrypted)
database; every statistics row is derived again. Records anonymised earlier keep the pseudonym
in their name (it is what counts them once); new anonymisations use the keyed one.

Revision ID: 0009_keyed_pseudonyms
Revises: 0008_import_inbox
"""

from alembic import op
from sqlalchemy.orm import Session

from repatriation.storage.statistics_tables import rebuild_statistics_facts

revision = "0009_keyed_pseudonyms"
down_revision = "0008_import_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    session = Session(bind=op.get_bind())
    rebuild_statistics_facts(session)
    session.flush()


def downgrade() -> None:
    pass  # the keyed pseudonyms are as good for counting; nothing to undo

"""Bundles: key directory, imported bundles (replay set), per-sender case revisions, exports.

Revision ID: 0002_bundles
Revises: 0001_initial
Create Date: 2026-11-24 22:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_bundles'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('key_directory',
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('x25519_recipient', sa.String(length=100), nullable=False),
    sa.Column('ed25519_public', sa.String(length=64), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=False),
    sa.Column('valid_until', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('verified_out_of_band', sa.Boolean(), nullable=False),
    sa.Column('verified_by', sa.String(length=64), nullable=False),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_key_directory'))
    )
    op.create_table('imported_bundles',
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('bundle_id', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('sender', 'bundle_id', name=op.f('pk_imported_bundles'))
    )
    op.create_table('bundle_case_revisions',
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('sender', 'reference', name=op.f('pk_bundle_case_revisions'))
    )
    op.create_table('exported_bundles',
    sa.Column('bundle_id', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('recipients', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_exported_bundles')),
    sa.UniqueConstraint('sequence', name=op.f('uq_exported_bundles_sequence'))
    )


def downgrade() -> None:
    op.drop_table('exported_bundles')
    op.drop_table('bundle_case_revisions')
    op.drop_table('imported_bundles')
    op.drop_table('key_directory')

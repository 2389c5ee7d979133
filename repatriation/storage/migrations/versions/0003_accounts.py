"""User accounts: roles, Argon2id password hashes, persisted failed-login back-off.

Revision ID: 0003_accounts
Revises: 0002_bundles
Create Date: 2026-11-25 00:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_accounts'
down_revision = '0002_bundles'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_accounts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=32), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_accounts')),
    sa.UniqueConstraint('username', name=op.f('uq_user_accounts_username'))
    )


def downgrade() -> None:
    op.drop_table('user_accounts')

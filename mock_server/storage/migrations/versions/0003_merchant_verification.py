"""Merchant verification: requirements and verification state on merchants, key scopes.

Revision ID: 0003_merchant_verification
Revises: 0002_delivery_lease
Create Date: 2026-12-02 02:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_merchant_verification"
down_revision: str | Sequence[str] | None = "0002_delivery_lease"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add merchants.requirements and merchants.verification (empty for existing merchants,
    which were active before verification existed) and api_keys.scope (existing keys are secret
    keys)."""
    with op.batch_alter_table("merchants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requirements", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(
            sa.Column("verification", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(length=12), nullable=False, server_default="secret")
        )


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_column("scope")
    with op.batch_alter_table("merchants", schema=None) as batch_op:
        batch_op.drop_column("verification")
        batch_op.drop_column("requirements")

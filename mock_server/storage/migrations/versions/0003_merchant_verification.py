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
    keys). Plain ADD COLUMN (no table copy), so SQLite's foreign keys to merchants stay intact."""
    empty = sa.text("'{}'")
    op.add_column("merchants", sa.Column("requirements", sa.JSON(), nullable=False,
                                         server_default=empty))  # fmt: skip
    op.add_column("merchants", sa.Column("verification", sa.JSON(), nullable=False,
                                         server_default=empty))  # fmt: skip
    op.add_column(
        "api_keys", sa.Column("scope", sa.String(length=12), nullable=False,
                              server_default="secret")
    )  # fmt: skip


def downgrade() -> None:
    """Drop the columns again."""
    op.drop_column("api_keys", "scope")
    op.drop_column("merchants", "verification")
    op.drop_column("merchants", "requirements")

"""Webhook deliveries carry a lease, so one sandbox process attempts each at a time.

Revision ID: 0002_delivery_lease
Revises: 0001_baseline
Create Date: 2026-12-02 00:37:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_delivery_lease"
down_revision: str | Sequence[str] | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add webhook_deliveries.lease_expires_at (empty: no delivery is leased yet)."""
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_expires_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Drop webhook_deliveries.lease_expires_at."""
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_column("lease_expires_at")

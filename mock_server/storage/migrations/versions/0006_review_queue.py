"""Reviews are filed in the queue their workflow's manual_review step names.

Revision ID: 0006_review_queue
Revises: 0005_test_clocks_snapshots
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_review_queue"
down_revision: str | Sequence[str] | None = "0005_test_clocks_snapshots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add reviews.queue; reviews made before it were in the one default queue."""
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("queue", sa.String(length=64), nullable=False, server_default="default")
        )


def downgrade() -> None:
    """Drop reviews.queue."""
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("queue")

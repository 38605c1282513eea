"""Webhook signing secrets are stored sealed (storage.sealing), longer than the plain secret.

Revision ID: 0008_sealed_webhook_secrets
Revises: 0007_point_of_sale
Create Date: 2026-12-02 02:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_sealed_webhook_secrets"
down_revision: str | Sequence[str] | None = "0007_point_of_sale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """webhook_endpoints.secret becomes TEXT (a sealed value; older plain ones still open)."""
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.String(length=80), type_=sa.Text(), existing_nullable=False
        )


def downgrade() -> None:
    """Back to VARCHAR(80) (sealed secrets do not fit; only for an empty table)."""
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.Text(), type_=sa.String(length=80), existing_nullable=False
        )

"""Settlement: the merchant's balance transactions and payouts.

Revision ID: 0004_settlement
Revises: 0003_merchant_verification
Create Date: 2026-12-02 02:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_settlement"
down_revision: str | Sequence[str] | None = "0003_merchant_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create balance_transactions and payouts."""
    op.create_table(
        "balance_transactions",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("loan_id", sa.String(length=40), nullable=True),
        sa.Column("payout_id", sa.String(length=40), nullable=True),
        sa.Column("available_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_balance_transactions_merchant_seq", "balance_transactions",
                    ["merchant_id", "seq"], unique=False)  # fmt: skip
    op.create_index("ix_balance_transactions_merchant_available", "balance_transactions",
                    ["merchant_id", "available_on"], unique=False)  # fmt: skip
    op.create_table(
        "payouts",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("bank_last4", sa.String(length=4), nullable=True),
        sa.Column("failure_code", sa.String(length=40), nullable=True),
        sa.Column("fails_with", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_payouts_merchant_seq", "payouts", ["merchant_id", "seq"], unique=False)


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_payouts_merchant_seq", table_name="payouts")
    op.drop_table("payouts")
    op.drop_index("ix_balance_transactions_merchant_available", table_name="balance_transactions")
    op.drop_index("ix_balance_transactions_merchant_seq", table_name="balance_transactions")
    op.drop_table("balance_transactions")

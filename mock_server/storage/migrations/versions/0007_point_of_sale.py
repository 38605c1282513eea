"""Point of sale: hosted application pages, single-use virtual cards, the simulated card
network's authorizations and the simulated SMS outbox.

Revision ID: 0007_point_of_sale
Revises: 0006_review_queue
Create Date: 2026-12-02 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_point_of_sale"
down_revision: str | Sequence[str] | None = "0006_review_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add hosted_pages, virtual_cards, card_authorizations and sms_messages (all empty: no
    checkout before this revision had a hosted page)."""
    op.create_table(
        "hosted_pages",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("checkout_id", sa.String(length=40), nullable=False),
        sa.Column("short_code", sa.String(length=16), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("token"),
        sa.UniqueConstraint("checkout_id"),
        sa.UniqueConstraint("short_code"),
    )
    op.create_table(
        "virtual_cards",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("checkout_id", sa.String(length=40), nullable=False),
        sa.Column("loan_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("number_digest", sa.String(length=64), nullable=False),
        sa.Column("last4", sa.String(length=4), nullable=False),
        sa.Column("exp_month", sa.Integer(), nullable=False),
        sa.Column("exp_year", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("cvc_digest", sa.String(length=64), nullable=False),
        sa.Column("amount_limit", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("authorization_id", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
        sa.UniqueConstraint("checkout_id"),
        sa.UniqueConstraint("number_digest"),
    )
    with op.batch_alter_table("virtual_cards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_virtual_cards_merchant_id"), ["merchant_id"], unique=False
        )
    op.create_table(
        "card_authorizations",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("card_id", sa.String(length=40), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("response_code", sa.String(length=4), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("card_authorizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_card_authorizations_merchant_id"), ["merchant_id"], unique=False
        )
    op.create_table(
        "sms_messages",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("checkout_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("to", sa.String(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.create_index("ix_sms_messages_merchant_seq", ["merchant_id", "seq"], unique=False)


def downgrade() -> None:
    """Drop the point-of-sale tables."""
    for table in ("sms_messages", "card_authorizations", "virtual_cards", "hosted_pages"):
        op.drop_table(table)

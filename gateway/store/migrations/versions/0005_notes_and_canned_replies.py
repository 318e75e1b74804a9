"""notes and canned replies: staff's private notes on a conversation, a business's saved replies

Revision ID: 0005_notes_and_canned_replies
Revises: 0004_inbox
Create Date: 2026-12-02 17:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import gateway.store.models

revision: str = "0005_notes_and_canned_replies"
down_revision: str | None = "0004_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUTO = sqlmodel.sql.sqltypes.AutoString
_WHEN = gateway.store.models.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "staffnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("author", _AUTO(length=255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _WHEN(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staffnote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffnote_business_id"), ["business_id"])
        batch_op.create_index(batch_op.f("ix_staffnote_conversation_id"), ["conversation_id"])
    op.create_table(
        "cannedreply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("title", _AUTO(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _WHEN(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_id", "title"),
    )
    with op.batch_alter_table("cannedreply", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cannedreply_business_id"), ["business_id"])


def downgrade() -> None:
    with op.batch_alter_table("cannedreply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cannedreply_business_id"))
    op.drop_table("cannedreply")
    with op.batch_alter_table("staffnote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffnote_conversation_id"))
        batch_op.drop_index(batch_op.f("ix_staffnote_business_id"))
    op.drop_table("staffnote")

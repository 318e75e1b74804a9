"""inbox: the webhook's one write

Each inbound event is inserted once (`INSERT ... ON CONFLICT DO NOTHING`, unique on channel +
provider id) and a worker turns it into contact, conversation and message, so the request does
one statement instead of about eight.

Revision ID: 0004_inbox
Revises: 0003_analytics
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import gateway.store.models

revision: str = "0004_inbox"
down_revision: str | None = "0003_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUTO = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "inboxevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", _AUTO(length=64), nullable=False),
        sa.Column("provider_message_id", _AUTO(length=255), nullable=False),
        sa.Column("sender_id", _AUTO(length=255), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("status", _AUTO(length=16), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["channel_id"], ["channel.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id", "provider_message_id"),
    )
    with op.batch_alter_table("inboxevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inboxevent_business_id"), ["business_id"])
        batch_op.create_index("ix_inboxevent_status", ["status", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("inboxevent", schema=None) as batch_op:
        batch_op.drop_index("ix_inboxevent_status")
        batch_op.drop_index(batch_op.f("ix_inboxevent_business_id"))
    op.drop_table("inboxevent")

"""Live notifications (web chat replies, console inbox) over Redis pub/sub, DB as the truth."""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)


def conversation_topic(conversation_id: int) -> str:
    """The pub/sub channel announcing new messages of a conversation."""
    return f"sb:live:conv:{conversation_id}"


def business_topic(business_id: int) -> str:
    """The pub/sub channel announcing inbox changes of a business."""
    return f"sb:live:biz:{business_id}"


def publish(conn: redis.Redis, *topics: str) -> None:
    """Wake the listeners of these topics; losing a wake-up only delays them (they poll)."""
    try:
        for topic in topics:
            conn.publish(topic, "1")
    except redis.RedisError as exc:
        log.debug("live publish failed", extra={"error": str(exc)})

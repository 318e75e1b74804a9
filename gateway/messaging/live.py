"""Live notifications (web chat replies, console inbox) over Redis pub/sub, DB as the truth."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import redis

log = logging.getLogger(__name__)

KEEP_ALIVE_SECONDS = 15.0


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


def subscribe(conn: redis.Redis, *topics: str) -> Any:
    """A pub/sub listening on `topics`, or None when Redis is away (the caller then polls)."""
    try:
        pubsub = conn.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(*topics)
        return pubsub
    except redis.RedisError:
        return None


def wait(pubsub: Any) -> None:
    """Sleep until a wake-up or a second passes; without Redis just poll."""
    if pubsub is None:
        time.sleep(0.5)
        return
    try:
        pubsub.get_message(timeout=1.0)
    except redis.RedisError:
        time.sleep(0.5)


def event_stream(
    conn: redis.Redis,
    topics: Callable[[], Sequence[str]],
    poll: Callable[[], str],
    seconds: float,
) -> Iterator[str]:
    """A server-sent-events body: what `poll` has to say, each time it has something.

    `topics` names the pub/sub topics that announce a change; it is asked until it names some
    (the web chat's conversation may not exist yet), then they are subscribed. `poll` reads
    the database (the truth) and returns the events to send, or "". It runs again on every
    wake-up, at least once a second, until `seconds` pass; a comment keeps idle proxies open.
    """
    deadline = time.monotonic() + seconds
    pubsub = None
    last_write = time.monotonic()
    yield "retry: 1000\n\n"
    try:
        while time.monotonic() < deadline:
            if pubsub is None and (names := topics()):
                pubsub = subscribe(conn, *names)
            if text := poll():
                yield text
                last_write = time.monotonic()
            wait(pubsub)
            if time.monotonic() - last_write > KEEP_ALIVE_SECONDS:
                yield ": keep-alive\n\n"
                last_write = time.monotonic()
    finally:
        if pubsub is not None:
            pubsub.close()

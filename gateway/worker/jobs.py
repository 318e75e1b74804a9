"""RQ job entry points, addressed by import path; they take ids, never objects."""

from __future__ import annotations

from functools import cache

from gateway.analytics.counters import timed_job
from gateway.bot.brain import Brain
from gateway.core.runtime import current_runtime
from gateway.messaging import processing, sending
from gateway.worker import tasks


@cache
def brain() -> Brain:
    """This process's brain (models load once and are shared by every job)."""
    return Brain()


def process_inbound(message_id: int) -> int:
    """Run the bot on a stored inbound message (and earlier ones of its conversation)."""
    rt = current_runtime()
    with timed_job(rt.redis, rt.settings.queue_prefix, tasks.PROCESS_INBOUND):
        return processing.process_inbound(rt, brain(), message_id)


def send_outbound(message_id: int) -> str:
    """Deliver a stored outbound message through its channel's provider."""
    rt = current_runtime()
    with timed_job(rt.redis, rt.settings.queue_prefix, tasks.SEND_OUTBOUND):
        return sending.send_outbound(rt, message_id)


def process_inbox(inbox_id: int) -> int:
    """Turn a webhook's inbox row into a message, then run the bot on it."""
    rt = current_runtime()
    with timed_job(rt.redis, rt.settings.queue_prefix, tasks.PROCESS_INBOX):
        return processing.process_inbox(rt, brain(), inbox_id)

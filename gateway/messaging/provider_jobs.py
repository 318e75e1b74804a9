"""RQ jobs the providers need beside processing and sending: acknowledging an event soon after
it arrives (a Telegram button press spins until answered) and fetching media while their ids are
valid (Cloud API media ids expire). Addressed by the names in gateway/worker/tasks.py."""

from __future__ import annotations

import logging

from channels import get_provider
from channels.base import SendError
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, current_runtime
from gateway.messaging.media import download_message_media
from gateway.messaging.providers import channel_config
from gateway.store.models import Channel, Message
from gateway.worker import tasks
from gateway.worker.queueing import enqueue_in, safe_enqueue

log = logging.getLogger(__name__)

CALLBACK_ATTEMPTS = 3


def enqueue_callback_answer(rt: Runtime, message_id: int, attempt: int = 1) -> bool:
    """Ask a worker to acknowledge the inbound event stored as `message_id`."""
    job_id = f"cb-{message_id}" if attempt == 1 else f"cb-{message_id}-{attempt}"
    kwargs = {"message_id": message_id, "attempt": attempt}
    if attempt == 1:
        return safe_enqueue(rt.queue("outbound"), tasks.ANSWER_CALLBACK, job_id, kwargs)
    return enqueue_in(rt.queue("outbound"), 2.0**attempt, tasks.ANSWER_CALLBACK, job_id, kwargs)


def enqueue_media_download(rt: Runtime, message_id: int, attempt: int = 1) -> bool:
    """Ask a worker to fetch the media of a stored inbound message."""
    job_id = f"media-{message_id}" if attempt == 1 else f"media-{message_id}-{attempt}"
    kwargs = {"message_id": message_id, "attempt": attempt}
    if attempt == 1:
        return safe_enqueue(rt.queue("default"), tasks.DOWNLOAD_MEDIA, job_id, kwargs)
    return enqueue_in(rt.queue("default"), 2.0**attempt, tasks.DOWNLOAD_MEDIA, job_id, kwargs)


def ensure_media_downloaded(rt: Runtime, channel: Channel, message: Message) -> None:
    """Enqueue the download again when processing finds media never fetched (Redis was down)."""
    provider = get_provider(channel.provider)
    if provider is None or provider.fetch_media is None or message.id is None:
        return
    if any(a.get("media_id") and not a.get("path") and not a.get("fetch_attempts")
           for a in message.attachments):  # fmt: skip
        enqueue_media_download(rt, message.id)


def answer_callback(message_id: int, attempt: int = 1) -> bool:
    """Acknowledge an inbound event through its provider (a button press stops spinning)."""
    rt = current_runtime()
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        channel = session.get(Channel, row.channel_id) if row else None
        provider = get_provider(channel.provider) if channel else None
        if row is None or channel is None or provider is None or provider.acknowledge is None:
            return False
        acknowledge = provider.acknowledge
        token = row.raw.get("ack_token")
        if not isinstance(token, str) or row.raw.get("callback_answered"):
            return False
        config = channel_config(rt.settings, channel)
    try:
        acknowledge(token, config)
    except SendError as exc:
        log.warning(
            "callback answer failed",
            extra={"message_id": message_id, "code": exc.code, "attempt": attempt},
        )
        if exc.retryable and attempt < CALLBACK_ATTEMPTS:
            enqueue_callback_answer(rt, message_id, attempt + 1)
        return False
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        if row is not None:
            row.raw = {**row.raw, "callback_answered": True}
    return True


def download_media(message_id: int, attempt: int = 1) -> int:
    """Fetch a message's media by id; retried with backoff while the provider fails."""
    rt = current_runtime()
    result = download_message_media(rt, message_id)
    if result.retry:
        enqueue_media_download(rt, message_id, attempt + 1)
    return result.saved

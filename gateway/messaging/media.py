"""Media customers send by id (`Provider.fetch_media`; Cloud API media ids expire).

Files are fetched soon after arrival and kept under `var/media/<business>/`; the attachment
row then says where (`path`).
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from channels import get_provider
from channels.base import SendError
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.messaging.providers import channel_config
from gateway.store.models import Channel, Message, utcnow

log = logging.getLogger(__name__)

MAX_MEDIA_BYTES = 100 * 1024 * 1024  # the Cloud API's largest document
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class MediaResult:
    """What one download pass did: files saved, and whether a retry may fetch the rest."""

    saved: int
    retry: bool


def media_dir(rt: Runtime, business_id: int) -> Path:
    """Where one business's received files are kept."""
    return rt.settings.var_dir / "media" / str(business_id)


def download_message_media(rt: Runtime, message_id: int) -> MediaResult:
    """Fetch every not-yet-fetched attachment of a stored inbound message through its provider."""
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        channel = session.get(Channel, row.channel_id) if row else None
        provider = get_provider(channel.provider) if channel else None
        if row is None or channel is None or provider is None or provider.fetch_media is None:
            return MediaResult(0, False)
        fetch = provider.fetch_media
        config = channel_config(rt.settings, channel)
        attachments = [dict(a) for a in row.attachments]
        business_id = row.business_id
    saved, retry = 0, False
    for index, attachment in enumerate(attachments):
        media_id = attachment.get("media_id")
        if not media_id or attachment.get("path") or attachment.get("fetch_error"):
            continue
        tries = int(attachment.get("fetch_attempts", 0)) + 1
        attachment["fetch_attempts"] = tries
        try:
            content, mime = fetch(str(media_id), config)
        except SendError as exc:
            log.warning(
                "media download failed",
                extra={"message_id": message_id, "code": exc.code, "attempt": tries},
            )
            if exc.retryable and tries < MAX_ATTEMPTS:
                retry = True
            else:
                attachment["fetch_error"] = str(exc)[:200]
            continue
        if len(content) > MAX_MEDIA_BYTES:
            attachment["fetch_error"] = f"file larger than {MAX_MEDIA_BYTES} bytes"
            continue
        attachment.update(_save(rt, business_id, message_id, index, content, mime))
        saved += 1
    with session_scope(rt.engine) as session:
        row = session.get(Message, message_id)
        if row is not None:
            row.attachments = attachments
            row.updated_at = utcnow()
    return MediaResult(saved, retry)


def _save(
    rt: Runtime, business_id: int, message_id: int, index: int, content: bytes, mime: str
) -> dict[str, Any]:
    folder = media_dir(rt, business_id)
    folder.mkdir(parents=True, exist_ok=True)
    extension = mimetypes.guess_extension(mime) or ".bin"
    path = folder / f"{message_id}-{index}{extension}"
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_bytes(content)
    tmp.replace(path)
    return {"path": str(path), "size": len(content), "content_type": mime}

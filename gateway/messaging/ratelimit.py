"""Per-channel send rate limits in Redis: token buckets shared by every worker.

Each bucket holds up to `burst` tokens and refills at `rate` per second; a send takes one token
from every bucket that applies (the channel's overall bucket, and for Telegram the chat's own).
When a bucket is empty the caller learns how long to wait and re-schedules the send instead of
sleeping in the worker. Limits follow the providers' published rates (`Provider.rate_limit`,
`Provider.chat_rate_limit`) and can be overridden per channel with
`settings.rate_limit: {per_second: N, burst: N, per_chat_per_second: N}`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import redis

from channels.base import Provider, RateLimit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """A channel's limits: overall, and per recipient chat (None: no per-chat limit)."""

    channel: RateLimit | None
    per_chat: RateLimit | None = None


# Take one token from every bucket in KEYS, or none; return 0 or the milliseconds to wait.
# ARGV: now is read from Redis's clock so every worker shares one; then (rate, burst) per key.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
local state = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1]) / 1000
  local burst = tonumber(ARGV[2 * i])
  local data = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(data[1]) or burst
  local ts = tonumber(data[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
  state[i] = tokens
  if tokens < 1 then
    wait = math.max(wait, math.ceil((1 - tokens) / rate))
  end
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1]) / 1000
  local burst = tonumber(ARGV[2 * i])
  local tokens = state[i]
  if wait == 0 then tokens = tokens - 1 end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst / rate) + 1000)
end
return wait
"""


def limits_for(provider: Provider | None, settings: Mapping[str, Any]) -> Limits:
    """The limits of a channel: its provider's defaults, overridden by `settings.rate_limit`."""
    base = Limits(provider.rate_limit, provider.chat_rate_limit) if provider else Limits(None)
    custom = settings.get("rate_limit")
    if not isinstance(custom, dict):
        return base
    channel, per_chat = base.channel, base.per_chat
    rate = _positive(custom.get("per_second"))
    if rate is not None:
        channel = RateLimit(rate, _positive(custom.get("burst")) or max(1.0, rate))
    chat_rate = _positive(custom.get("per_chat_per_second"))
    if chat_rate is not None:
        per_chat = RateLimit(chat_rate, max(1.0, chat_rate))
    return Limits(channel, per_chat)


def _positive(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def acquire(
    conn: redis.Redis, channel_id: str, recipient: str, limits: Limits, prefix: str = ""
) -> float:
    """Take a send token for `recipient` on `channel_id`: 0.0, or the seconds to wait first.

    Redis being unreachable lets the send through: the provider's own 429 is the backstop.
    """
    keys: list[str] = []
    args: list[float] = []
    if limits.channel is not None:
        keys.append(f"{prefix}sb:rate:{channel_id}")
        args += [limits.channel.rate, limits.channel.burst]
    if limits.per_chat is not None:
        keys.append(f"{prefix}sb:rate:{channel_id}:{recipient}")
        args += [limits.per_chat.rate, limits.per_chat.burst]
    if not keys:
        return 0.0
    try:
        wait_ms = conn.eval(_SCRIPT, len(keys), *keys, *args)
    except redis.RedisError as exc:
        log.warning("rate limit unavailable", extra={"channel_id": channel_id, "error": str(exc)})
        return 0.0
    return float(wait_ms) / 1000.0  # type: ignore[arg-type]

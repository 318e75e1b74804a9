"""Per-channel rate limits in Redis: token buckets shared by workers; over the limit, the send
is re-scheduled instead of sleeping in the worker."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from channels import get_provider
from channels.base import RateLimit
from gateway.core.runtime import Runtime
from gateway.messaging import ratelimit
from gateway.messaging.outbound import Draft
from gateway.messaging.ratelimit import Limits
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio
from tests.gateway.channel_helpers import (
    drain,
    post_telegram,
    queue_reply,
    rows,
    scheduled_jobs,
    tg_message,
    wire,
)

pytestmark = pytest.mark.db


def test_a_bucket_gives_its_burst_then_asks_to_wait(rt: Runtime) -> None:
    # Slow refills, so the test's own pace cannot refill a bucket between calls.
    limits = Limits(RateLimit(rate=0.01, burst=3.0))
    waits = [ratelimit.acquire(rt.redis, "ch", "chat-1", limits) for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert 0 < waits[3] <= 100


def test_per_chat_buckets_are_separate_but_share_the_channel_bucket(rt: Runtime) -> None:
    limits = Limits(RateLimit(rate=0.01, burst=3.0), per_chat=RateLimit(rate=0.01, burst=1.0))
    assert ratelimit.acquire(rt.redis, "tg", "a", limits) == 0.0
    assert ratelimit.acquire(rt.redis, "tg", "a", limits) > 0  # chat a must wait
    assert ratelimit.acquire(rt.redis, "tg", "b", limits) == 0.0
    assert ratelimit.acquire(rt.redis, "tg", "c", limits) == 0.0
    assert ratelimit.acquire(rt.redis, "tg", "d", limits) > 0  # the channel's burst is spent


def test_limits_follow_the_provider_and_the_channel_settings() -> None:
    assert ratelimit.limits_for(get_provider("telegram"), {}).per_chat == RateLimit(1.0, 3.0)
    assert ratelimit.limits_for(get_provider("twilio"), {}).channel == RateLimit(10.0, 10.0)
    custom = ratelimit.limits_for(
        get_provider("twilio"), {"rate_limit": {"per_second": 1, "burst": 2}}
    )
    assert custom.channel == RateLimit(1.0, 2.0)
    assert ratelimit.limits_for(get_provider("webchat"), {}) == Limits(None)


def test_a_send_over_the_limit_is_rescheduled_not_sent_and_not_counted(
    client: FlaskClient,
    demo: Runtime,
    fake_twilio: FakeTwilio,
    fake_telegram: FakeTelegram,
    fake_graph: FakeGraph,
) -> None:
    slow = {"rate_limit": {"per_second": 30, "per_chat_per_second": 0.001}}
    wired = wire(demo, fake_twilio, fake_telegram, fake_graph, {"tg": slow})
    post_telegram(client, tg_message("hi", 1))
    drain(demo)
    [held] = queue_reply(demo, "tg", Draft(text="second message to the same chat"))
    drain(demo)
    assert len(wired.telegram.method_calls("sendMessage")) == 1
    row = [r for r in rows(demo, "out") if r.id == held][0]
    assert (row.status, row.attempts) == ("pending", 0)
    assert [job for job, _ in scheduled_jobs(demo)][0].startswith(f"out-{held}-t")

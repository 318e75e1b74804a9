"""The walking skeleton's path, end to end: web chat -> database -> Redis -> real workers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import redis
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.cli.config_file import apply_config, parse_config
from gateway.core.db import session_scope
from gateway.core.redis_server import start_redis
from gateway.core.runtime import Runtime
from gateway.core.settings import Settings
from gateway.worker import tasks
from tests.conftest import DEMO_YAML
from tests.gateway import WITH_ECHO
from tests.gateway.chat_helpers import messages, open_chat, say, sent_replies
from tests.support import WorkerPool, wait_for

pytestmark = pytest.mark.db


def test_a_chat_message_gets_one_reply_through_a_real_worker(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    open_chat(client)
    assert say(client, "hello there").status_code == 202
    worker_pool.start(1)
    replies = wait_for(lambda: sent_replies(demo))
    assert "Acme Dental" in replies[0].text
    inbound = messages(demo, "in")
    assert [m.status for m in inbound] == ["processed"]
    assert replies[0].reply_to_id == inbound[0].id


def test_the_same_message_posted_twice_is_stored_and_answered_once(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    open_chat(client)
    first = say(client, "hello", msg_id="same-id-1")
    second = say(client, "hello", msg_id="same-id-1")
    assert first.status_code == second.status_code == 202
    assert second.get_json() == {"stored": 0, "duplicates": 1}
    worker_pool.start(1)
    wait_for(lambda: sent_replies(demo))
    time.sleep(1.5)  # give a wrong second reply the chance to appear
    assert len(messages(demo, "in")) == 1
    assert len(sent_replies(demo)) == 1


def test_messages_of_one_conversation_are_answered_in_order_with_two_workers(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    open_chat(client)
    texts = [f"message number {i}" for i in range(6)]
    for text in texts:
        assert say(client, text).status_code == 202
    worker_pool.start(2)
    replies = wait_for(lambda: (r := sent_replies(demo)) and len(r) == 6 and r)
    inbound = messages(demo, "in")
    # Replies were created in the order of the messages they answer ...
    assert [r.reply_to_id for r in replies] == [m.id for m in inbound]
    # ... and each message was processed only after the one before it.
    processed = [m.processed_at for m in inbound]
    assert processed == sorted(processed)  # type: ignore[type-var]


def test_redis_down_the_webhook_still_stores_and_the_sweep_answers_after(
    settings: Settings, tmp_path: Path
) -> None:
    port_dir = tmp_path / "own-redis"
    url, proc = start_redis(port_dir, persist=False)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    own = settings.model_copy(update={"redis_url": url})
    rt = Runtime.build(own)
    with session_scope(rt.engine) as session:
        apply_config(session, parse_config(DEMO_YAML, env={}, templates=WITH_ECHO), own.secret_key)
    client = create_app(runtime=rt).test_client()
    open_chat(client)
    proc.terminate()
    proc.wait(timeout=10)
    try:
        response = say(client, "are you there?")
        assert response.status_code == 202
        assert [m.text for m in messages(rt, "in")] == ["are you there?"]
        assert client.get("/readyz").status_code == 503
        assert "redis" in client.get("/readyz").get_json()
        _, proc = start_redis(port_dir, port=port, persist=False)
        pool = WorkerPool(own, tmp_path)
        pool.start(1)
        try:
            replies = wait_for(lambda: sent_replies(rt), timeout=30)
            time.sleep(1.5)
            assert len(sent_replies(rt)) == len(replies) == 1
        finally:
            pool.stop_all()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        rt.close()


def test_a_worker_killed_mid_job_leaves_the_message_to_be_answered_once(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    open_chat(client)
    slow = worker_pool.start_slow(commit_delay=3)
    assert say(client, "hello slow world").status_code == 202
    conn = redis.Redis.from_url(demo.settings.redis_url or "")
    wait_for(lambda: conn.exists("sb:lock:conv:1"))  # the job is inside processing
    worker_pool.kill(slow)
    assert sent_replies(demo) == []
    assert [m.status for m in messages(demo, "in")] == ["received"]
    worker_pool.start(1)
    wait_for(lambda: sent_replies(demo), timeout=40)
    time.sleep(1.5)
    assert len(sent_replies(demo)) == 1
    assert [m.status for m in messages(demo, "in")] == ["processed"]


def test_a_lock_that_expires_mid_job_never_answers_a_message_twice(
    client: FlaskClient, demo: Runtime, worker_pool: WorkerPool
) -> None:
    open_chat(client)
    slow = worker_pool.start_slow(commit_delay=10, SWITCHBOARD_LOCK_SECONDS="1")
    assert say(client, "hello slow world").status_code == 202
    conn = redis.Redis.from_url(demo.settings.redis_url or "")
    wait_for(lambda: conn.exists("sb:lock:conv:1"))  # inside processing, then 10 s in commit
    wait_for(lambda: not conn.exists("sb:lock:conv:1"))  # the lock expired under it
    [inbound] = messages(demo, "in")
    # A second job for the same message (as the sweep would send), on a worker of its own.
    demo.queue("inbound").enqueue(
        tasks.PROCESS_INBOUND, job_id="again", kwargs={"message_id": inbound.id}
    )
    worker_pool.start(1, SWITCHBOARD_LOCK_SECONDS="1")
    wait_for(lambda: slow.poll() is None and sent_replies(demo), timeout=60)
    wait_for(lambda: demo.queue("inbound").count == 0, timeout=30)
    time.sleep(3)  # both attempts have ended: the second rolled back, nothing more comes
    assert len(messages(demo, "out")) == len(sent_replies(demo)) == 1
    assert [m.status for m in messages(demo, "in")] == ["processed"]


def test_concurrent_deliveries_of_one_message_store_it_once(
    client: FlaskClient, demo: Runtime
) -> None:
    open_chat(client)
    results: list[int] = []

    def post() -> None:
        results.append(say(client, "race", msg_id="race-1").status_code)

    threads = [threading.Thread(target=post) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [202] * 5
    assert len(messages(demo, "in")) == 1

"""N stored messages through W real workers to the reply: messages/s and per-message latency.

Runs on a private redis-server and a throwaway SQLite database (or PostgreSQL with --postgres),
loads one "echo" business (the minimal flow, with understanding and profile memory on), and
measures, against a baseline of no-op RQ jobs drained by the same kind of workers in the same run:
  1. backlog drain: N messages over C conversations already queued, W workers start: msgs/s;
  2. steady load: messages posted at a fixed rate, latency from stored to reply sent (p50/p99).
Usage: PYTHONPATH=. python bench/pipeline.py [--messages 1000] [--workers 2] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from redis import Redis
from rq import Queue, Worker
from sqlmodel import col, func, select

from bench.common import append_results, percentile
from channels.base import InboundMessage, Network
from gateway.cli.config_file import TEMPLATES, apply_config, parse_config
from gateway.core.db import make_engine, session_scope
from gateway.core.migrate import upgrade
from gateway.core.redis_server import start_redis
from gateway.core.runtime import Runtime
from gateway.core.settings import load_settings
from gateway.messaging.inbound import accept_events
from gateway.store.models import Channel, Direction, Message

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """
businesses:
  - slug: bench-biz
    name: Bench Biz
    template: echo
    languages: [en, es]
    channels:
      - id: bench-web
        provider: webchat
"""
TEXTS = [
    "Hi, I'm Ana, can I book a cleaning next Tuesday at 5pm?",
    "hola, quería saber el precio de una limpieza",
    "thanks!",
    "what are your opening hours on saturday?",
]


def noop() -> None:
    """The baseline job: nothing at all."""


def _start_workers(
    env: dict[str, str], count: int, log_dir: Path, conn: Redis
) -> list[subprocess.Popen[bytes]]:
    procs = []
    for i in range(count):
        log = open(log_dir / f"worker-{i}.log", "wb")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "gateway", "worker"],
                env=env,
                stdout=log,
                stderr=log,
                cwd=ROOT,
            )
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready = sum(
            "models loaded" in (log_dir / f"worker-{i}.log").read_text() for i in range(count)
        )
        if ready == count:
            return procs
        time.sleep(0.2)
    raise SystemExit("workers did not start")


def _stop(procs: list[subprocess.Popen[bytes]], conn: Redis) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    while Worker.all(connection=conn):
        time.sleep(0.1)


def _sent(rt: Runtime) -> int:
    with session_scope(rt.engine) as session:
        return session.exec(
            select(func.count())
            .select_from(Message)
            .where(Message.direction == Direction.OUT, Message.status == "sent")
        ).one()


def _post(rt: Runtime, channel: Channel, conversations: int, n: int) -> None:
    for i in range(n):
        msg = InboundMessage(
            provider_message_id=uuid.uuid4().hex,
            sender_id=f"visitor-{i % conversations}",
            network=Network.WEBCHAT,
            text=TEXTS[i % len(TEXTS)],
        )
        accept_events(rt, channel, [msg])


def _wait_sent(rt: Runtime, target: int, limit: float = 600) -> float:
    start = time.monotonic()
    while _sent(rt) < target:
        if time.monotonic() - start > limit:
            raise SystemExit(f"only {_sent(rt)} of {target} replies after {limit}s")
        time.sleep(0.05)
    return time.monotonic() - start


def _latencies(rt: Runtime, after_id: int) -> list[float]:
    with session_scope(rt.engine) as session:
        rows = session.exec(
            select(Message.created_at, Message.sent_at, Message.reply_to_id).where(
                Message.direction == Direction.OUT, col(Message.id) > after_id
            )
        ).all()
        inbound = dict(
            session.exec(
                select(Message.id, Message.created_at).where(Message.direction == Direction.IN)
            ).all()
        )
    return [
        (sent - inbound[reply_to]).total_seconds() * 1000
        for _, sent, reply_to in rows
        if sent and reply_to in inbound
    ]


def main() -> None:
    """Run the three measurements and append them to bench/RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=40.0, help="steady-load messages per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="steady-load duration")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-"))
    redis_url, redis_proc = start_redis(tmp / "redis", persist=False)
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    if args.postgres:
        name = f"sb_bench_{uuid.uuid4().hex[:6]}"
        with psycopg.connect("postgresql://127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        db_url = f"postgresql://127.0.0.1:5432/{name}"
    settings = load_settings(
        database_url=db_url,
        redis_url=redis_url,
        var_dir=tmp / "var",
        secret_key="bench-secret-key-0123456789",
        sweep_interval=30,
        sweep_min_age=60,
    )
    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    rt = Runtime.build(settings)
    with session_scope(rt.engine) as session:
        apply_config(
            session,
            parse_config(CONFIG, env={}, templates=(*TEMPLATES, "echo")),
            settings.secret_key,
        )
        channel = session.get(Channel, "bench-web")
    assert channel is not None
    env = dict(os.environ) | {
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "SWITCHBOARD_VAR_DIR": str(tmp / "var"),
        "SWITCHBOARD_SECRET_KEY": settings.secret_key,
        "SWITCHBOARD_LOG_LEVEL": os.environ.get("BENCH_WORKER_LOG", "WARNING"),
        "SWITCHBOARD_SWEEP_INTERVAL": "30",
        "SWITCHBOARD_SWEEP_MIN_AGE": "60",
        "PYTHONPATH": str(ROOT),
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        # Baseline: no-op jobs through the same workers.
        queue = Queue("default", connection=rt.redis)
        for _ in range(args.messages):
            queue.enqueue("bench.pipeline.noop")
        procs = _start_workers(env, args.workers, tmp, rt.redis)
        t0 = time.monotonic()
        while queue.count or queue.started_job_registry.count:
            time.sleep(0.02)
        noop_rate = args.messages / (time.monotonic() - t0)
        _stop(procs, rt.redis)

        # 1. Backlog drain.
        t0 = time.monotonic()
        _post(rt, channel, args.conversations, args.messages)
        store_rate = args.messages / (time.monotonic() - t0)
        procs = _start_workers(env, args.workers, tmp, rt.redis)
        drain = _wait_sent(rt, args.messages)
        drain_rate = args.messages / drain

        # 2. Steady load at a fixed rate.
        with session_scope(rt.engine) as session:
            last_id = session.exec(select(func.max(Message.id))).one() or 0
        total = int(args.rate * args.seconds)
        start = time.monotonic()
        for i in range(total):
            target = start + i / args.rate
            time.sleep(max(0.0, target - time.monotonic()))
            _post(rt, channel, args.conversations, 1)
        _wait_sent(rt, args.messages + total)
        lat = _latencies(rt, last_id)
        _stop(procs, rt.redis)
    finally:
        for proc in procs:
            proc.kill()
        rt.close()
        redis_proc.terminate()

    db = "PostgreSQL" if args.postgres else "SQLite (WAL)"
    rows = [
        ("baseline: no-op RQ jobs drained", f"{noop_rate:.0f} jobs/s"),
        ("webhook-side store + enqueue (one process)", f"{store_rate:.0f} msgs/s"),
        (
            "backlog drain to reply sent",
            f"{drain_rate:.1f} msgs/s ({drain_rate / noop_rate:.0%} of baseline)",
        ),
        (
            f"steady {args.rate:.0f} msgs/s for {args.seconds:.0f}s: stored → reply sent p50",
            f"{percentile(lat, 50):.0f} ms",
        ),
        ("steady: p99", f"{percentile(lat, 99):.0f} ms"),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    body = (
        f"`bench/pipeline.py` — {args.messages} messages over {args.conversations} "
        f"conversations, {args.workers} workers (non-forking), {db}, echo template with "
        f"understanding and memory.\n\n| measure | value |\n|---|---|\n{table}\n\n"
        "Goal: at least 100 messages/s with 2 workers on 2 cores for the minimal flow.\n"
    )
    print(body)
    if not args.no_write:
        append_results("Pipeline", body)


if __name__ == "__main__":
    main()

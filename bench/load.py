"""Steady load through real signed webhooks of every provider to replies at local fakes, with a
worker killed (SIGKILL) a third of the way in and Redis restarted empty at two thirds.

Starts a private redis-server, gunicorn as `switchboard serve` runs it, `--workers` real
`switchboard worker` processes and local fakes of the Telegram, Twilio and Graph APIs (the
real SDKs pointed at them), over a throwaway SQLite file or PostgreSQL database, with one
business on the echo template (short fixed replies, so every reply can be accounted for).
Messages go round-robin to the web chat, Twilio, Telegram and WhatsApp webhooks at a fixed rate
(open loop). Reports ack p50/p99 (from when each request was due), webhook-arrival-to-reply-sent
p50/p99, and lost and duplicated replies, which must both be 0.

    PYTHONPATH=. .venv/bin/python bench/load.py [--rate 20] [--seconds 30] [--workers 2]
        [--postgres]
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from redis import Redis
from rq import Worker
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bench.common import append_results, machine, percentile
from bench.webhook_ack import (
    ENDPOINTS,
    SECRET_KEY,
    TG_SECRET,
    TW_TOKEN,
    WA_SECRET,
    Req,
    _cookie,
    _free_port,
    _gunicorn,
    _postgres_database,
)
from gateway.cli.config_file import TEMPLATES, apply_config, parse_config
from gateway.core.db import make_engine, session_scope
from gateway.core.migrate import upgrade
from gateway.core.redis_server import start_redis
from gateway.store.models import Direction, InboxEvent, Message
from tests.fakes import FakeGraph, FakeTelegram, FakeTwilio

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TG_TOKEN = "123456:bench"
PROVIDERS = ("webchat", "twilio", "telegram", "whatsapp")
WEBCHAT = "bench-web"
SETTLE_SECONDS = 180.0


def _config(tg: str, tw: str, wa: str) -> str:
    """One echo business with a channel per provider, each pointed at its local fake."""
    return f"""
businesses:
  - slug: bench-biz
    name: Bench Biz
    template: echo
    languages: [en]
    channels:
      - {{id: bench-web, provider: webchat}}
      - {{id: bench-tw, provider: twilio, account_sid: {ACCOUNT}, auth_token: {TW_TOKEN},
          from_number: "+14155550100", api_base: "{tw}"}}
      - {{id: bench-tg, provider: telegram, token: "{TG_TOKEN}", secret_token: {TG_SECRET},
          api_base: "{tg}"}}
      - {{id: bench-wa, provider: whatsapp, access_token: bench, app_secret: {WA_SECRET},
          verify_token: bench, phone_number_id: "106540352242922", api_base: "{wa}"}}
"""


def _env(tmp: Path, redis_url: str, port: int, database_url: str) -> dict[str, str]:
    return dict(os.environ) | {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CHROMA_PATH": str(tmp / "chroma"),
        "SWITCHBOARD_SECRET_KEY": SECRET_KEY,
        "SWITCHBOARD_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "SWITCHBOARD_VAR_DIR": str(tmp / "var"),
        "SWITCHBOARD_LOG_LEVEL": os.environ.get("BENCH_WORKER_LOG", "WARNING"),
        "SWITCHBOARD_SWEEP_INTERVAL": "5",
        "SWITCHBOARD_SWEEP_MIN_AGE": "10",
        "PYTHONPATH": str(ROOT),
    }


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "ab")  # noqa: SIM115 - kept open for the worker's lifetime
    return subprocess.Popen([sys.executable, "-m", "gateway", "worker"], env=env, cwd=ROOT,
                            stdout=out, stderr=subprocess.STDOUT)  # fmt: skip


class Driver:
    """Open-loop requests at a fixed rate from a pool of threads; ack latency from due time."""

    def __init__(self, port: int, rate: float, total: int, cookie: str) -> None:
        self.port, self.rate, self.total, self.cookie = port, rate, total, cookie
        self.tag = str(int(time.time()) % 100_000)
        self.acks: list[float] = []
        self.refused: Counter[str] = Counter()
        self._next = 0
        self._lock = threading.Lock()
        self.start = time.perf_counter() + 0.5

    def run(self, threads: int = 32) -> None:
        """Send every request, then return."""
        pool = [threading.Thread(target=self._loop) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()

    def _send(
        self, conn: http.client.HTTPConnection, request: Req, endpoint: str
    ) -> tuple[http.client.HTTPConnection, str | None]:
        """One request; None when it was acknowledged (2xx), else why not. A kept-alive
        connection the server closed while idle is retried once on a new one, as providers do."""
        headers = dict(request.headers)
        if endpoint == "webchat":
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                conn.request(request.method, request.path, body=request.body, headers=headers)
                response = conn.getresponse()
                response.read()
                return conn, None if response.status < 300 else str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                stale = isinstance(exc, BrokenPipeError | http.client.RemoteDisconnected)
                if attempt or not stale:
                    return conn, type(exc).__name__
        return conn, "unreachable"

    def _loop(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        base = f"http://127.0.0.1:{self.port}"
        while True:
            with self._lock:
                i, self._next = self._next, self._next + 1
            if i >= self.total:
                break
            endpoint = PROVIDERS[i % len(PROVIDERS)]
            request = ENDPOINTS[endpoint](base, self.tag, i)
            due = self.start + i / self.rate
            time.sleep(max(0.0, due - time.perf_counter()))
            conn, why = self._send(conn, request, endpoint)
            with self._lock:
                if why is None:
                    self.acks.append((time.perf_counter() - due) * 1000)
                else:
                    self.refused[f"{endpoint}: {why}"] += 1
        conn.close()


@dataclass(frozen=True)
class Outcome:
    """What the database says after the load: inbound messages and the replies sent to them."""

    inbound: dict[int, str]  # message id -> channel id
    replies: list[tuple[int, str]]  # (inbound id, text) of each reply sent
    latencies: list[float]  # webhook arrival to reply sent, ms

    def answered(self) -> set[int]:
        """Inbound messages with at least one reply sent."""
        return {reply_to for reply_to, _ in self.replies}

    def duplicated(self) -> int:
        """Replies stored twice for one message (the same text to the same message)."""
        return sum(n - 1 for n in Counter(self.replies).values() if n > 1)

    def through_providers(self) -> int:
        """Replies sent through a provider's API (each one call), not the hosted web chat."""
        return sum(1 for reply_to, _ in self.replies if self.inbound.get(reply_to) != WEBCHAT)


def _outcome(engine: Engine) -> Outcome:
    with session_scope(engine) as db:
        inbound = db.exec(
            select(Message.id, Message.channel_id).where(Message.direction == Direction.IN)
        ).all()
        sent = db.exec(
            select(Message.reply_to_id, Message.text, Message.sent_at).where(
                Message.direction == Direction.OUT, col(Message.sent_at).is_not(None)
            )
        ).all()
        arrived = dict(db.exec(select(InboxEvent.message_id, InboxEvent.created_at)).all())
    latencies = [
        (at - arrived[reply_to]).total_seconds() * 1000
        for reply_to, _, at in sent
        if reply_to in arrived and at is not None
    ]
    return Outcome(
        inbound={int(i or 0): channel for i, channel in inbound},
        replies=[(int(r), text) for r, text, _ in sent if r is not None],
        latencies=latencies,
    )


def _wait_for_workers(redis_url: str, count: int) -> None:
    """Until `count` workers have loaded their models and registered."""
    conn = Redis.from_url(redis_url)
    deadline = time.monotonic() + 300
    while len(Worker.all(connection=conn)) < count:
        if time.monotonic() > deadline:
            raise SystemExit("workers did not start")
        time.sleep(0.5)


def main() -> None:
    """Run the load with its two failures and append the numbers to bench/RESULTS.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sb-load-"))
    redis_port = _free_port()
    redis_url, redis_proc = start_redis(tmp / "redis", port=redis_port, persist=False)
    pg_name = f"sb_load_{uuid.uuid4().hex[:6]}" if args.postgres else None
    db_url = _postgres_database(pg_name, True) if pg_name else f"sqlite:///{tmp / 'load.db'}"
    port = _free_port()
    procs: list[subprocess.Popen[bytes]] = []
    with FakeTelegram(token=TG_TOKEN) as tg, FakeTwilio({ACCOUNT: TW_TOKEN}) as tw, \
            FakeGraph(access_token="bench") as wa:  # fmt: skip
        engine = make_engine(db_url)
        upgrade(engine)
        config = parse_config(_config(tg.base_url, tw.base_url, wa.base_url), env={},
                              templates=(*TEMPLATES, "echo"))  # fmt: skip
        with session_scope(engine) as db:
            apply_config(db, config, SECRET_KEY)
        env = _env(tmp, redis_url, port, db_url)
        try:
            procs.append(_gunicorn(env, port, tmp / "gunicorn.log"))
            procs += [_worker(env, tmp / f"worker-{i}.log") for i in range(args.workers)]
            _wait_for_workers(redis_url, args.workers)
            total = int(args.rate * args.seconds)
            driver = Driver(port, args.rate, total, _cookie(port))
            feeder = threading.Thread(target=driver.run)
            feeder.start()
            time.sleep(args.seconds / 3)
            procs[1].send_signal(signal.SIGKILL)  # a worker dies mid-load, jobs in hand
            procs.append(_worker(env, tmp / "worker-replacement.log"))
            time.sleep(args.seconds / 3)
            redis_proc.terminate()  # Redis goes away and comes back empty: queues lost
            redis_proc.wait(timeout=10)
            time.sleep(2)
            redis_url, redis_proc = start_redis(tmp / "redis", port=redis_port, persist=False)
            feeder.join()
            deadline = time.monotonic() + SETTLE_SECONDS
            while time.monotonic() < deadline:
                outcome = _outcome(engine)
                answered = outcome.answered()
                if len(outcome.inbound) >= len(driver.acks) and answered >= set(outcome.inbound):
                    break
                time.sleep(1)
            provider_calls = (
                len(tg.method_calls("sendMessage")) + len(tw.messages()) + len(wa.messages())
            )
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
            redis_proc.terminate()
            engine.dispose()
            if pg_name:
                _postgres_database(pg_name, False)
    _report(args, driver, outcome, provider_calls)


def _report(args: argparse.Namespace, driver: Driver, outcome: Outcome, calls: int) -> None:
    acked = len(driver.acks)
    unanswered = set(outcome.inbound) - outcome.answered()
    lost = max(0, acked - len(outcome.inbound)) + len(unanswered)
    latencies = outcome.latencies
    db = "PostgreSQL" if args.postgres else "SQLite (WAL)"
    refused = ", ".join(f"{k} {v}" for k, v in driver.refused.items()) or "none"
    ack = f"{percentile(driver.acks, 50):.0f} / {percentile(driver.acks, 99):.0f} ms"
    reply = f"{percentile(latencies, 50):.0f} / {percentile(latencies, 99):.0f} ms"
    rows = [
        ("requests sent / acknowledged (2xx)", f"{driver.total} / {acked}"),
        ("refused, by provider", refused),
        ("ack p50 / p99", ack),
        ("webhook arrival to reply sent p50 / p99", reply),
        ("lost replies (acked, never answered)", str(lost)),
        ("duplicated replies (the same reply stored twice)", str(outcome.duplicated())),
        # each non-web-chat reply is one provider call: more calls than replies is a resend
        (
            "provider send calls at the fakes / replies sent through them",
            f"{calls} / {outcome.through_providers()}",
        ),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    body = (
        f"`bench/load.py` — {args.rate:.0f} messages/s for {args.seconds:.0f} s round-robin over "
        f"web chat, Twilio, Telegram and WhatsApp webhooks, {args.workers} workers, {db}, echo "
        f"template; one worker SIGKILLed at 1/3, Redis restarted empty at 2/3. Machine: "
        f"{machine()}.\n\n| measure | value |\n|---|---|\n{table}\n\n"
        "Lost and duplicated must both be 0.\n"
    )
    print(body)
    if not args.no_write:
        append_results("Load with failures", body)


if __name__ == "__main__":
    main()

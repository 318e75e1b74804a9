"""Webhook acknowledgement latency under real gunicorn, driven at fixed rates from this process.

Starts a private redis-server and `switchboard serve`'s gunicorn (same worker class, workers and
threads) over a SQLite file in a temp dir, with one business and a channel per provider, then
sends requests at fixed rates (open loop: request i is due at t0 + i/rate, latency is measured
from when it was due, so a server that falls behind is charged for it) to:

  bare      a Flask "ok" endpoint added by this bench's app factory only
  webchat   POST /chat/<slug>/messages (the page's JSON, with its session cookie)
  twilio    POST /webhooks/twilio/<id>, form signed with X-Twilio-Signature
  telegram  POST /webhooks/telegram/<id>, with the secret-token header
  whatsapp  POST /webhooks/whatsapp/<id>, raw body signed with X-Hub-Signature-256

Every message is unique, so each one is verified, parsed, stored and enqueued (no worker runs:
the queue only grows). Reports p50/p99 and the highest sustained rate (>= 95% of the target
delivered, no errors, p99 under 100 ms) and appends a dated section to bench/RESULTS.md.

    PYTHONPATH=. .venv/bin/python bench/webhook_ack.py [--seconds 3] [--rates 50,100,200,400]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from channels.whatsapp import signature_for  # noqa: E402

SECRET_KEY = "bench-secret-key-0123456789abcdef"
TW_TOKEN = "bench-twilio-token"
TG_SECRET = "bench-telegram-secret"
WA_SECRET = "bench-meta-app-secret"
CONFIG = (
    """
businesses:
  - slug: bench-biz
    name: Bench Biz
    template: echo
    languages: [en]
    channels:
      - id: bench-web
        provider: webchat
      - id: bench-tw
        provider: twilio
        account_sid: AC0123456789abcdef0123456789abcdef
        auth_token: %(tw)s
        from_number: "+14155550100"
      - id: bench-tg
        provider: telegram
        token: "123456:bench"
        secret_token: %(tg)s
      - id: bench-wa
        provider: whatsapp
        access_token: bench
        app_secret: %(wa)s
        verify_token: bench
        phone_number_id: "106540352242922"
""".replace("%(tw)s", TW_TOKEN)
    .replace("%(tg)s", TG_SECRET)
    .replace("%(wa)s", WA_SECRET)
)
THREADS = 48
SUSTAINED_P99_MS = 100.0


def bench_app() -> Flask:
    """The production app plus a bare "ok" route, for gunicorn (this bench only)."""
    from gateway.app import create_app

    app = create_app()
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok", methods=["GET", "POST"])
    return app


# --- requests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    """One prepared request."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]


def _twilio(base: str, tag: str, i: int) -> Req:
    path = "/webhooks/twilio/bench-tw"
    params = {
        "MessageSid": f"SM{tag}{i:08d}".ljust(34, "0"),
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "From": f"+3460011{i % 50:04d}",
        "To": "+14155550100",
        "Body": f"Hello, is there a slot tomorrow? ({i})",
        "NumMedia": "0",
    }
    signature = RequestValidator(TW_TOKEN).compute_signature(base + path, params)
    return Req(
        "POST",
        path,
        urlencode(params).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
    )


def _telegram(base: str, tag: str, i: int) -> Req:
    update_id = int(tag) * 10_000_000 + i
    chat = 1000 + i % 50
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": chat, "is_bot": False, "first_name": "Bench"},
            "chat": {"id": chat, "type": "private"},
            "date": int(time.time()),
            "text": f"Hello, is there a slot tomorrow? ({i})",
        },
    }
    return Req(
        "POST",
        "/webhooks/telegram/bench-tg",
        json.dumps(update).encode(),
        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    )


def _whatsapp(base: str, tag: str, i: int) -> Req:
    wa_id = f"3460011{i % 50:04d}"
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "Bench"}, "wa_id": wa_id}],
        "messages": [
            {
                "from": wa_id,
                "id": f"wamid.{tag}.{i}",
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": f"Hello, is there a slot tomorrow? ({i})"},
            }
        ],
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()
    return Req(
        "POST",
        "/webhooks/whatsapp/bench-wa",
        body,
        {"Content-Type": "application/json", "X-Hub-Signature-256": signature_for(body, WA_SECRET)},
    )


def _webchat(base: str, tag: str, i: int) -> Req:
    body = json.dumps({"id": f"w{tag}-{i}", "text": f"Hello, is there a slot tomorrow? ({i})"})
    return Req(
        "POST", "/chat/bench-biz/messages", body.encode(), {"Content-Type": "application/json"}
    )


def _bare(base: str, tag: str, i: int) -> Req:
    return Req("GET", "/bench/bare", b"", {})


ENDPOINTS: dict[str, Callable[[str, str, int], Req]] = {
    "bare": _bare,
    "webchat": _webchat,
    "twilio": _twilio,
    "telegram": _telegram,
    "whatsapp": _whatsapp,
}


# --- the driver ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One endpoint at one rate."""

    endpoint: str
    rate: int
    sent: int
    ok: int
    errors: int
    achieved: float
    p50_ms: float
    p99_ms: float

    @property
    def sustained(self) -> bool:
        """Delivered what was asked, without errors, with a sane tail."""
        return (
            self.errors == 0
            and self.achieved >= 0.95 * self.rate
            and self.p99_ms < SUSTAINED_P99_MS
        )


def _cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/chat/bench-biz")
    response = conn.getresponse()
    response.read()
    conn.close()
    raw = response.getheader("Set-Cookie") or ""
    return raw.split(";", 1)[0]


def _send(
    conn: http.client.HTTPConnection, port: int, req: Req, endpoint: str, cookie: str
) -> tuple[http.client.HTTPConnection, bool]:
    """One request on a kept-alive connection (a new one after an error); whether it was 2xx."""
    headers = dict(req.headers)
    if endpoint == "webchat":
        headers["Cookie"] = cookie
    try:
        conn.request(req.method, req.path, body=req.body or None, headers=headers)
        response = conn.getresponse()
        response.read()
        return conn, response.status < 300
    except (OSError, http.client.HTTPException):
        conn.close()
        return http.client.HTTPConnection("127.0.0.1", port, timeout=10), False


def drive(port: int, endpoint: str, rate: int, seconds: float, tag: str, cookie: str) -> Run:
    """Send `rate` requests per second for `seconds` and measure each from when it was due."""
    base = f"http://127.0.0.1:{port}"
    total = int(rate * seconds)
    requests = [ENDPOINTS[endpoint](base, tag, i) for i in range(total)]
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    start = time.perf_counter() + 0.2
    finished = [start]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            with lock:
                i = next(counter)
            if i >= total:
                break
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            conn, good = _send(conn, port, requests[i], endpoint, cookie)
            done = time.perf_counter()
            with lock:
                if good:
                    latencies.append((done - due) * 1000)
                else:
                    errors[0] += 1
                finished[0] = max(finished[0], done)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(min(THREADS, total))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = max(finished[0] - start, 1e-9)
    ordered = sorted(latencies) or [float("nan")]
    return Run(
        endpoint=endpoint,
        rate=rate,
        sent=total,
        ok=len(latencies),
        errors=errors[0],
        achieved=len(latencies) / max(elapsed, seconds),
        p50_ms=statistics.median(ordered),
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    )


def _closed_loop(
    port: int, endpoint: str, seconds: float, threads: int, tag: str, cookie: str
) -> tuple[int, int, list[float]]:
    """One client process: `threads` connections, each sending as soon as the last answered."""
    base = f"http://127.0.0.1:{port}"
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            with lock:
                i = next(counter)
            req = ENDPOINTS[endpoint](base, tag, i)
            began = time.perf_counter()
            conn, good = _send(conn, port, req, endpoint, cookie)
            took = (time.perf_counter() - began) * 1000
            with lock:
                if good:
                    latencies.append(took)
                else:
                    errors[0] += 1
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return len(latencies), errors[0], latencies


@dataclass(frozen=True)
class Saturation:
    """One endpoint driven as fast as it answers (closed loop, like wrk)."""

    endpoint: str
    rate: float
    errors: int
    p50_ms: float
    p99_ms: float


def saturate(
    port: int, endpoint: str, seconds: float, tag: str, cookie: str, conns: int = 16
) -> Saturation:
    """`conns` connections over two client processes (one GIL would cap the client first)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        futures = [
            pool.submit(_closed_loop, port, endpoint, seconds, conns // 2, f"{tag}{k}", cookie)
            for k in (1, 2)
        ]
        parts = [f.result() for f in futures]
    latencies = sorted(x for _, _, lat in parts for x in lat) or [float("nan")]
    return Saturation(
        endpoint=endpoint,
        rate=sum(n for n, _, _ in parts) / seconds,
        errors=sum(e for _, e, _ in parts),
        p50_ms=statistics.median(latencies),
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    )


def _saturation_report(sats: list[Saturation], seconds: float, db: str, machine: str) -> str:
    bare = next((x.rate for x in sats if x.endpoint == "bare"), 0.0)
    lines = [
        f"{'endpoint':<10} {'req/s':>8} {'vs bare':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
    ]
    for x in sats:
        ratio = x.rate / bare if bare else float("nan")
        lines.append(
            f"{x.endpoint:<10} {x.rate:>8.1f} {ratio:>8.3f} {x.p50_ms:>8.1f} {x.p99_ms:>8.1f} "
            f"{x.errors:>6}"
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_after = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"\n## Webhook acknowledgement, saturated, {db} ({stamp})\n\n"
        f"Machine: {machine}; after: {load_after}. Command: `PYTHONPATH=. .venv/bin/python "
        f"bench/webhook_ack.py --saturate {seconds:g}{' --postgres' if db != 'SQLite' else ''}` "
        "(closed loop, 16 connections over two client processes on the same 2 cores, each "
        "request unique, verified, parsed, written to the inbox and enqueued; gunicorn 2 workers "
        'x 16 gthreads as `switchboard serve`; bare is a Flask "ok" route of the same app).\n\n'
        "```\n" + "\n".join(lines) + "\n```\n"
    )


# --- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    from gateway.core.redis_server import free_port

    return free_port()


PG_ADMIN = "postgresql://127.0.0.1:5432/test"


def _postgres_database(name: str, create: bool) -> str:
    """Create (or drop) a private database on the local PostgreSQL; its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
        else:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"


def _prepare(tmp: Path, redis_url: str, port: int, database_url: str) -> dict[str, str]:
    from gateway.cli.config_file import TEMPLATES, apply_config, parse_config
    from gateway.core.db import make_engine, session_scope
    from gateway.core.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        apply_config(
            session, parse_config(CONFIG, env={}, templates=(*TEMPLATES, "echo")), SECRET_KEY
        )
    engine.dispose()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CHROMA_PATH=str(tmp / "chroma"),
        SWITCHBOARD_SECRET_KEY=SECRET_KEY,
        SWITCHBOARD_PUBLIC_URL=f"http://127.0.0.1:{port}",
        SWITCHBOARD_VAR_DIR=str(tmp / "var"),
        SWITCHBOARD_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return env


def _gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn as `switchboard serve` runs it (2 workers, gthread, 16 threads)."""
    args = [
        sys.executable, "-m", "gunicorn", "bench.webhook_ack:bench_app()",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread",
        "--threads", "16", "--timeout", "120", "--graceful-timeout", "5",
        "--access-logfile", str(log.with_suffix(".access")),
    ]  # fmt: skip
    out = open(log, "wb")  # noqa: SIM115 - kept open for the server's lifetime
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit(f"gunicorn did not start; see {log}")


# --- report ----------------------------------------------------------------------------------


def _machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}, {cpu or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; load average before the run: {load}"
    )


def _report(runs: list[Run], seconds: float, machine: str, load_after: str) -> str:
    lines = [
        f"{'endpoint':<10} {'rate':>5} {'achieved':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}  sustained"
    ]
    for r in runs:
        lines.append(
            f"{r.endpoint:<10} {r.rate:>5} {r.achieved:>9.1f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} "
            f"{r.errors:>6}  {'yes' if r.sustained else 'no'}"
        )
    best = {
        name: max((r.rate for r in runs if r.endpoint == name and r.sustained), default=0)
        for name in ENDPOINTS
    }
    lines.append("")
    lines.append("highest sustained rate: " + ", ".join(f"{k} {v}/s" for k, v in best.items()))
    goal_lines = []
    for name in ENDPOINTS:
        if name == "bare":
            continue
        at200 = next((r for r in runs if r.endpoint == name and r.rate == 200), None)
        p99 = f"{at200.p99_ms:.1f} ms" if at200 else "n/a"
        ok_p99 = at200 is not None and at200.p99_ms < 25 and at200.errors == 0
        ok_rate = best["bare"] > 0 and best[name] >= best["bare"] / 2
        goal_lines.append(
            f"{name}: p99 at 200/s {p99} ({'meets' if ok_p99 else 'misses'} < 25 ms); "
            f"{best[name]}/s vs bare {best['bare']}/s "
            f"({'meets' if ok_rate else 'misses'} >= half)"
        )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"\n## Webhook acknowledgement ({stamp})\n\n"
        f"Machine: {machine}; after: {load_after}. Command: "
        f"`PYTHONPATH=. .venv/bin/python bench/webhook_ack.py` ({seconds:g} s per rate, open "
        f"loop, latency from when each request was due; gunicorn 2 workers x 16 gthreads as "
        f"`switchboard serve`, SQLite in a temp dir, private redis-server, no RQ worker).\n\n"
        "```\n"
        + "\n".join(lines)
        + "\n```\n\nGoals:\n"
        + "\n".join(f"- {g}" for g in goal_lines)
        + "\n"
    )


def main() -> None:
    """Run the bench and append the results to bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rates", default="50,100,200,400")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--postgres", action="store_true", help="a private PostgreSQL database")
    parser.add_argument(
        "--saturate", type=float, default=0.0, help="closed loop for this many seconds instead"
    )
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]
    endpoints = args.endpoints.split(",")
    from gateway.core.redis_server import start_redis

    machine = _machine()
    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-"))
    redis_url, redis_proc = start_redis(tmp / "redis", persist=False)
    port = _free_port()
    server = None
    pg_name = f"sb_bench_{os.getpid()}"
    db_url = _postgres_database(pg_name, True) if args.postgres else f"sqlite:///{tmp / 'bench.db'}"
    try:
        env = _prepare(tmp, redis_url, port, db_url)
        server = _gunicorn(env, port, tmp / "gunicorn.log")
        cookie = _cookie(port)
        if args.saturate:
            _run_saturated(port, endpoints, args.saturate, cookie, args, machine)
            return
        runs: list[Run] = []
        for n, endpoint in enumerate(endpoints):
            drive(port, endpoint, 50, 1.0, f"{n}9", cookie)  # warm-up, not reported
            for k, rate in enumerate(rates):
                run = drive(port, endpoint, rate, args.seconds, f"{n}{k}", cookie)
                runs.append(run)
                print(
                    f"{endpoint:<9} {rate:>4}/s  achieved {run.achieved:7.1f}  "
                    f"p50 {run.p50_ms:6.1f} ms  p99 {run.p99_ms:7.1f} ms  errors {run.errors}",
                    flush=True,
                )
                time.sleep(0.5)
                if not run.sustained and run.p99_ms > 1000:
                    break  # far past saturation: higher rates say nothing more
        load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        section = _report(runs, args.seconds, machine, load_after)
        print(section)
        if not args.no_write:
            with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
                out.write(section)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        if args.postgres:
            _postgres_database(pg_name, False)
        shutil.rmtree(tmp, ignore_errors=True)


def _run_saturated(
    port: int,
    endpoints: list[str],
    seconds: float,
    cookie: str,
    args: argparse.Namespace,
    machine: str,
) -> None:
    """Each endpoint as fast as it answers, bare first and last (the load moves meanwhile)."""
    order = ["bare", *[e for e in endpoints if e != "bare"], "bare"]
    sats = []
    for n, endpoint in enumerate(order):
        saturate(port, endpoint, 1.0, f"{n}8", cookie)  # warm-up, not reported
        sat = saturate(port, endpoint, seconds, f"{n}9", cookie)
        sats.append(sat)
        print(f"{endpoint:<9} {sat.rate:8.1f} req/s  p99 {sat.p99_ms:7.1f} ms", flush=True)
    first, last = sats[0], sats[-1]
    bare = Saturation("bare", (first.rate + last.rate) / 2, first.errors + last.errors,
                      (first.p50_ms + last.p50_ms) / 2, max(first.p99_ms, last.p99_ms))  # fmt: skip
    section = _saturation_report(
        [bare, *sats[1:-1]], seconds, "PostgreSQL" if args.postgres else "SQLite", machine
    )
    print(section)
    if not args.no_write:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(section)


if __name__ == "__main__":
    main()

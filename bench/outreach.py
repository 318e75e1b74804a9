"""Bench: N reminders due in the same minute, W real workers, delivered through the web chat.

Sets up a private redis-server and a fresh SQLite database (or --database-url), stores N
appointments with one 2 h reminder each, due spread over one minute that starts after the jobs
are scheduled, starts W `switchboard worker` processes and waits until every reminder's outbound
message is delivered (the web chat provider's send is local) or a hard deadline passes. Reports
how late the last one was and the p50/p99 lateness (due -> delivered), duplicates and losses;
appends a dated section to bench/RESULTS.md (use --no-write to skip). Stops by itself.

Run: PYTHONPATH=. .venv/bin/python bench/outreach.py [--count 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from gateway.cli.config_file import TEMPLATES, apply_config, parse_config  # noqa: E402
from gateway.core.db import make_engine, session_scope  # noqa: E402
from gateway.core.migrate import upgrade  # noqa: E402
from gateway.core.redis_server import start_redis  # noqa: E402
from gateway.core.runtime import Runtime  # noqa: E402
from gateway.core.settings import load_settings  # noqa: E402
from gateway.outreach.scheduling import schedule_rows  # noqa: E402
from gateway.store.models import (  # noqa: E402
    Appointment,
    Business,
    Contact,
    Conversation,
    Message,
    ScheduledMessage,
    utcnow,
)

RESULTS = ROOT / "bench" / "RESULTS.md"
CONFIG = """
businesses:
  - slug: bench-dental
    name: Bench Dental
    template: echo
    timezone: UTC
    languages: [en]
    settings:
      outreach:
        quiet_hours: {start: "00:00", end: "00:00"}
        feedback: {enabled: false}
    channels:
      - id: bench-web
        provider: webchat
"""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _populate(rt: Runtime, count: int, first_due: float) -> list[int]:
    """Bulk-store contacts, conversations, appointments and their 2 h reminder rows."""
    t0 = utcnow() + timedelta(seconds=first_due)
    with session_scope(rt.engine) as s:
        business = s.exec(select(Business).where(Business.slug == "bench-dental")).one()
        bid = business.id
        s.execute(
            insert(Contact),
            [
                {
                    "business_id": bid,
                    "display_name": f"C{i}",
                    "language": "en",
                    "segments": [],
                    "created_at": utcnow(),
                }
                for i in range(count)
            ],
        )
        contact_ids = list(s.exec(select(Contact.id).order_by(col(Contact.id))).all())
        s.execute(
            insert(Conversation),
            [
                {
                    "business_id": bid,
                    "contact_id": c,
                    "channel_id": "bench-web",
                    "network": "webchat",
                    "address": f"v-{c}",
                    "flow_state": {},
                    "created_at": utcnow(),
                    "updated_at": utcnow(),
                }
                for c in contact_ids
            ],
        )
        conv_of = dict(s.exec(select(Conversation.contact_id, Conversation.id)).all())
        dues = [t0 + timedelta(seconds=60.0 * i / count) for i in range(count)]
        s.execute(
            insert(Appointment),
            [
                {
                    "business_id": bid,
                    "contact_id": c,
                    "conversation_id": conv_of[c],
                    "service": "cleaning",
                    "starts_at": due + timedelta(hours=2),
                    "ends_at": due + timedelta(hours=2, minutes=30),
                    "details": {},
                    "created_at": utcnow(),
                }
                for c, due in zip(contact_ids, dues, strict=True)
            ],
        )
        appts = s.exec(
            select(
                Appointment.id,
                Appointment.contact_id,
                Appointment.conversation_id,
                Appointment.starts_at,
            ).order_by(col(Appointment.id))
        ).all()
        s.execute(
            insert(ScheduledMessage),
            [
                {
                    "business_id": bid,
                    "contact_id": c,
                    "conversation_id": conv,
                    "kind": "reminder",
                    "purpose": "reminders",
                    "due_at": starts - timedelta(hours=2),
                    "reason": f"2 h before appointment {a}",
                    "related_type": "appointment",
                    "related_id": a,
                    "status": "pending",
                    "created_at": utcnow(),
                    "payload": {"key": "reminder:2", "starts_at": starts.isoformat()},
                }
                for a, c, conv, starts in appts
            ],
        )
        ids = list(s.exec(select(ScheduledMessage.id).order_by(col(ScheduledMessage.id))).all())
    return [i for i in ids if i is not None]


def _stop(proc: subprocess.Popen[bytes], already_signalled: bool = False) -> None:
    """Stop a child process: politely, then firmly."""
    if not already_signalled and proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _progress(rt: Runtime) -> tuple[int, int]:
    with session_scope(rt.engine) as s:
        handled = s.exec(
            select(ScheduledMessage.id).where(ScheduledMessage.status != "pending")
        ).all()
        delivered = s.exec(
            select(Message.id).where(Message.author == "outreach", Message.status == "sent")
        ).all()
    return len(handled), len(delivered)


def main() -> int:
    """Run the bench and print (and optionally record) the numbers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument(
        "--deadline", type=float, default=300.0, help="give up this many s after the minute"
    )
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sb-bench-outreach-"))
    redis_url, redis_proc = start_redis(tmp / "redis", persist=False)
    db_url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    settings = load_settings(
        database_url=db_url,
        redis_url=redis_url,
        var_dir=tmp / "var",
        secret_key="bench-secret-key-0123456789",
        log_level="WARNING",
    )
    rt = Runtime.build(settings)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with session_scope(rt.engine) as s:
            apply_config(
                s, parse_config(CONFIG, env={}, templates=(*TEMPLATES, "echo")), settings.secret_key
            )
        started = time.monotonic()
        lead = 30.0 + args.count / 400.0  # time to store rows, schedule jobs and start workers
        ids = _populate(rt, args.count, lead)
        stored_in = time.monotonic() - started
        schedule_rows(rt, ids)
        scheduled_in = time.monotonic() - started
        env = dict(os.environ) | {
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "SWITCHBOARD_VAR_DIR": str(tmp / "var"),
            "SWITCHBOARD_SECRET_KEY": settings.secret_key,
            "SWITCHBOARD_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        for i in range(args.workers):
            log = open(tmp / f"worker-{i}.log", "wb")  # noqa: SIM115
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gateway", "worker"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=ROOT,
                )
            )
        with session_scope(rt.engine) as s:
            first_due = s.exec(
                select(ScheduledMessage.due_at).order_by(col(ScheduledMessage.due_at))
            ).first()
        assert first_due is not None
        ready_margin = (first_due - utcnow()).total_seconds()
        stop_at = time.monotonic() + ready_margin + 60 + args.deadline
        while time.monotonic() < stop_at:
            handled, delivered = _progress(rt)
            if delivered >= args.count:
                break
            time.sleep(1.0)
        time.sleep(3.0)  # let a wrong duplicate appear
    except BaseException:
        rt.close()
        _stop(redis_proc)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            _stop(proc, already_signalled=True)

    with session_scope(rt.engine) as s:
        rows = s.exec(select(ScheduledMessage)).all()
        msgs = s.exec(select(Message).where(Message.author == "outreach")).all()
    due_of = {r.id: r.due_at for r in rows}
    msg_row: dict[int, int] = {}
    for r in rows:
        for mid in r.payload.get("message_ids", []):
            msg_row[mid] = r.id or 0
    per_row = Counter(msg_row[m.id or 0] for m in msgs if (m.id or 0) in msg_row)
    duplicates = sum(c - 1 for c in per_row.values() if c > 1) + sum(
        1 for m in msgs if m.id not in msg_row
    )
    delivered = [m for m in msgs if m.status == "sent" and m.sent_at is not None]
    late = [
        (m.sent_at - due_of[msg_row[m.id or 0]]).total_seconds() for m in delivered if m.sent_at
    ]
    handled_late = [(r.sent_at - r.due_at).total_seconds() for r in rows if r.sent_at]
    statuses = Counter(r.status for r in rows)
    lost = args.count - len({msg_row[m.id or 0] for m in delivered})
    load = os.getloadavg()
    lines = [
        f"reminders: {args.count} due over one minute; workers: {args.workers}; database: "
        f"{'sqlite' if db_url.startswith('sqlite') else 'postgresql'}",
        f"setup: rows stored in {stored_in:.1f} s, jobs scheduled after {scheduled_in:.1f} s, "
        f"first due {ready_margin:.1f} s after workers were started",
        f"rows: {dict(statuses)}",
        f"delivered: {len(delivered)}; not delivered by the deadline: {lost}; "
        f"duplicates: {duplicates}",
        f"lateness due -> delivered: p50 {_pct(late, 0.5):.2f} s, p99 {_pct(late, 0.99):.2f} s, "
        f"max (the last one) {max(late, default=float('nan')):.2f} s",
        f"lateness due -> row handled: p50 {_pct(handled_late, 0.5):.2f} s, "
        f"p99 {_pct(handled_late, 0.99):.2f} s, "
        f"max {max(handled_late, default=float('nan')):.2f} s",
        f"goal (all within 60 s, none twice, none lost): "
        f"{'met' if late and max(late) <= 60 and not duplicates and not lost else 'NOT met'}",
        f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    ]
    print("\n".join(lines))
    rt.close()
    _stop(redis_proc)
    shutil.rmtree(tmp, ignore_errors=True)
    if not args.no_write:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        machine = (
            f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(
                f"\n## Outreach — {stamp}\n\nMachine: {machine}. Command: "
                f"`PYTHONPATH=. .venv/bin/python bench/outreach.py --count {args.count} "
                f"--workers {args.workers}`.\n\n```\n" + "\n".join(lines) + "\n```\n"
            )
    return 0 if late and max(late) <= 60 and not duplicates and not lost else 1


if __name__ == "__main__":
    sys.exit(main())

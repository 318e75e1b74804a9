"""The Prometheus text format (version 0.0.4) of Switchboard's counters and gauges.

Counters come from the Redis hashes every process writes (`counters`); gauges are read from
RQ and the database at scrape time, so every web process answers the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import redis
from sqlalchemy import func
from sqlmodel import Session, col, select

from gateway.analytics import counters
from gateway.core.runtime import QUEUE_NAMES, Runtime
from gateway.store.models import Channel, Direction, Handoff, Message

Sample = tuple[Mapping[str, str], float]


def escape(value: str) -> str:
    """A label value escaped as the text format asks (backslash, quote, newline)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def family(name: str, kind: str, help_text: str, samples: Iterable[Sample]) -> list[str]:
    """One metric family: HELP, TYPE and its sample lines."""
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    for labels, value in samples:
        label_text = ",".join(f'{k}="{escape(v)}"' for k, v in labels.items())
        lines.append(f"{name}{{{label_text}}} {value:g}" if label_text else f"{name} {value:g}")
    return lines


def _hash(conn: redis.Redis, key: str) -> dict[str, str]:
    raw = conn.hgetall(key)
    return {k.decode(): v.decode() for k, v in raw.items()}  # type: ignore[union-attr]


def request_samples(conn: redis.Redis, prefix: str) -> list[Sample]:
    """Requests by route template, method and status, summed over every web process."""
    out: list[Sample] = []
    for field, value in sorted(_hash(conn, counters.requests_key(prefix)).items()):
        route, method, status = field.split(counters.SEP)
        out.append(({"route": route, "method": method, "status": status}, float(value)))
    return out


def job_lines(conn: redis.Redis, prefix: str) -> list[str]:
    """The job duration histogram of each task."""
    name = "switchboard_job_duration_seconds"
    lines = [f"# HELP {name} How long worker jobs ran.", f"# TYPE {name} histogram"]
    fields = _hash(conn, counters.jobs_key(prefix))
    tasks = sorted({f.split(counters.SEP)[0] for f in fields})
    for task in tasks:
        t = escape(task)
        for bound in [*(str(b) for b in counters.BUCKETS), "+Inf"]:
            count = fields.get(f"{task}{counters.SEP}{bound}", "0")
            lines.append(f'{name}_bucket{{task="{t}",le="{bound}"}} {count}')
        total = fields.get(f"{task}{counters.SEP}sum", "0")
        lines.append(f'{name}_sum{{task="{t}"}} {float(total):g}')
        lines.append(f'{name}_count{{task="{t}"}} {fields.get(f"{task}{counters.SEP}+Inf", "0")}')
    return lines


def send_samples(session: Session) -> list[Sample]:
    """Outbound messages by provider, status and error code (every business together)."""
    rows = session.exec(
        select(Channel.provider, Message.status, Message.error_code, func.count())
        .join(Channel, col(Channel.id) == col(Message.channel_id))
        .where(Message.direction == Direction.OUT)
        .group_by(col(Channel.provider), col(Message.status), col(Message.error_code))
    ).all()
    return [
        ({"provider": p, "status": s, "error_code": e or ""}, float(n))
        for p, s, e, n in sorted(rows, key=lambda r: (r[0], r[1], r[2] or ""))
    ]


def handoffs_waiting(session: Session) -> float:
    """Handoffs no staff member has taken yet."""
    return float(session.exec(select(func.count()).where(Handoff.status == "open")).one())


def render(rt: Runtime) -> str:
    """The whole scrape."""
    prefix = rt.settings.queue_prefix
    depths = [({"queue": q}, float(rt.queue(q).count)) for q in QUEUE_NAMES]
    with Session(rt.engine) as session:
        sends = send_samples(session)
        waiting = handoffs_waiting(session)
    lines = [
        *family(
            "switchboard_http_requests_total",
            "counter",
            "HTTP requests answered, by route template, method and status.",
            request_samples(rt.redis, prefix),
        ),
        *family("switchboard_queue_depth", "gauge", "Jobs waiting in each RQ queue.", depths),
        *job_lines(rt.redis, prefix),
        *family(
            "switchboard_outbound_messages",
            "gauge",
            "Stored outbound messages by provider, delivery status and error code.",
            sends,
        ),
        *family(
            "switchboard_handoffs_waiting",
            "gauge",
            "Handoffs waiting for a staff member.",
            [({}, waiting)],
        ),
    ]
    return "\n".join(lines) + "\n"

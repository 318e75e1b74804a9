"""`/metrics`: Prometheus text, shared by every process, closed to the public, no personal data."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from gateway.analytics import counters
from gateway.app import create_app
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.core.settings import load_settings
from gateway.store.models import Channel, Contact, Conversation, Handoff, Message

SAMPLE = re.compile(r'^[a-z_]+(\{([a-z_]+="[^"]*",?)*\})? -?[0-9.e+-]+$')


def _seed(rt: Runtime) -> None:
    with session_scope(rt.engine) as s:
        channel = s.get(Channel, "acme-web")
        assert channel is not None
        contact = Contact(business_id=channel.business_id, display_name="Zed Private")
        s.add(contact)
        s.flush()
        conv = Conversation(
            business_id=channel.business_id, contact_id=contact.id, channel_id="acme-web",
            network="webchat", address="+34 600 123 456",
        )  # fmt: skip
        s.add(conv)
        s.flush()
        for status, code in (("sent", None), ("failed", "E42"), ("failed", "E42")):
            s.add(
                Message(
                    business_id=channel.business_id, conversation_id=conv.id,
                    channel_id="acme-web", direction="out", text="Hi Zed Private",
                    status=status, error_code=code,
                )
            )  # fmt: skip
        s.add(Handoff(business_id=channel.business_id, conversation_id=conv.id, reason="asked"))


def test_metrics_scrape_is_valid_text_with_every_family(demo: Runtime, client: FlaskClient) -> None:
    _seed(demo)
    assert client.get("/healthz").status_code == 200
    assert client.get("/nowhere").status_code == 404
    with counters.timed_job(demo.redis, "", "gateway.worker.jobs.process_inbound"):
        pass
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=0.0.4")
    body = response.get_data(as_text=True)
    for line in body.splitlines():
        assert line.startswith("# ") or SAMPLE.match(line), line
    assert 'switchboard_http_requests_total{route="/healthz",method="GET",status="200"} 1' in body
    assert 'route="<unmatched>",method="GET",status="404"} 1' in body
    assert 'switchboard_queue_depth{queue="inbound"} 0' in body
    assert (
        'switchboard_outbound_messages{provider="webchat",status="failed",error_code="E42"} 2'
        in body
    )
    assert "switchboard_handoffs_waiting 1" in body
    task = 'task="gateway.worker.jobs.process_inbound"'
    assert f'switchboard_job_duration_seconds_bucket{{{task},le="+Inf"}} 1' in body
    assert f"switchboard_job_duration_seconds_count{{{task}}} 1" in body
    assert "Zed" not in body and "600" not in body  # no personal data


def test_counts_are_shared_by_every_web_process(demo: Runtime, client: FlaskClient) -> None:
    second = Runtime.build(demo.settings)  # another gunicorn worker: own memory, same Redis
    try:
        other = create_app(runtime=second).test_client()
        client.get("/healthz")
        other.get("/healthz")
        other.get("/healthz")
        body = other.get("/metrics").get_data(as_text=True)
        healthz = 'switchboard_http_requests_total{route="/healthz",method="GET",status="200"}'
        assert f"{healthz} 3" in body
    finally:
        second.close()


def test_metrics_are_not_public(demo: Runtime, client: FlaskClient) -> None:
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=remote).status_code == 404
    proxied = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/metrics", headers=proxied).status_code == 404
    settings = load_settings(**{**demo.settings.model_dump(), "metrics_token": "scrape-me-0123"})
    rt = Runtime.build(settings)
    try:
        tokened = create_app(runtime=rt).test_client()
        assert tokened.get("/metrics").status_code == 404  # loopback is not enough then
        bad = {"Authorization": "Bearer nope"}
        assert tokened.get("/metrics", headers=bad, environ_base=remote).status_code == 404
        good = {"Authorization": "Bearer scrape-me-0123"}
        assert tokened.get("/metrics", headers=good, environ_base=remote).status_code == 200
    finally:
        rt.close()

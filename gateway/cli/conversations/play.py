"""Playing conversations: a private deployment (a loaded database template, an embedded Redis)
and a player that posts each turn at the HTTP boundary and processes it on the worker's path.

Each turn sets the deployment clock (gateway.core.clock) to the conversation's `start` plus one
minute per turn (or the turn's `at`). A message on a provider's network is the webhook request
that provider's simulator hook builds and signs (`channels.base.Simulator`; WhatsApp goes
through the Cloud API provider, SMS through Twilio); web chat posts to the widget's own page.
The replies are the outbound messages the gateway stored. Nothing of ours is mocked.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from channels import PROVIDERS
from channels.base import ChannelConfig, Network, Provider, SimulatedCustomer
from flows.understanding.text import fold
from gateway.cli.conversations.checks import (
    Check,
    Result,
    contact_handoffs,
    contact_ids,
    outcome_checks,
    text_checks,
)
from gateway.cli.conversations.spec import Spec
from gateway.core import clock
from gateway.core.crypto import encrypt_credentials
from gateway.core.db import make_engine, session_scope
from gateway.core.redis_server import start_redis
from gateway.core.runtime import Runtime, set_runtime
from gateway.core.settings import Settings, load_settings
from gateway.outreach.batch import run_due
from gateway.store.models import Business, Channel, Direction, Handoff, Message

NOWHERE = "http://127.0.0.1:9"  # providers' API base: replies are read from the database


def simulated_provider(network: Network) -> Provider | None:
    """The provider a customer on `network` writes through: the one dedicated to it (the
    WhatsApp Cloud API before Twilio's WhatsApp); None for the web chat widget."""
    carriers = [
        (len(p.simulator.networks), p)
        for p in PROVIDERS.values()
        if p.simulator and network in p.simulator.networks
    ]
    return min(carriers, key=lambda pair: pair[0], default=(0, None))[1]


def sim_channel_id(business: Business, provider: Provider) -> str:
    """The id of the local test channel the runner adds for a provider."""
    return f"{business.slug}-test-{provider.name}"


@dataclass
class Stage:
    """A private deployment to play conversations in: config loaded into a template database."""

    root: Path
    config: Path
    redis_url: str
    template_db: Path
    secret_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def chroma(self) -> Path:
        """The knowledge base every deployment reads (conversations never write to it)."""
        return self.root / "chroma"

    @classmethod
    @contextmanager
    def open(cls, config: Path, knowledge: Path | None = None) -> Iterator[Stage]:
        """A temporary directory with an embedded Redis, a loaded database template and the
        businesses' documents (`knowledge/<slug>/*`) ingested, as an owner would add them."""
        from gateway.cli.config_file import apply_config, load_config_file
        from gateway.core.migrate import upgrade

        root = Path(tempfile.mkdtemp(prefix="switchboard-test-"))
        redis_url, redis_process = start_redis(root / "redis", persist=False)
        try:
            template = root / "template.db"
            engine = make_engine(f"sqlite:///{template}")
            upgrade(engine)
            stage = cls(root, config, redis_url, template)
            with session_scope(engine) as session:
                apply_config(session, load_config_file(config), stage.secret_key)
                for business in session.exec(select(Business)).all():
                    _add_test_channels(session, business, stage.secret_key)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            if knowledge is not None and knowledge.is_dir():
                stage._ingest(knowledge)
            yield stage
        finally:
            redis_process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                redis_process.wait(timeout=10)
            shutil.rmtree(root, ignore_errors=True)

    def _settings(self, database: Path, var_dir: Path) -> Settings:
        return load_settings(
            database_url=f"sqlite:///{database}",
            redis_url=self.redis_url,
            var_dir=var_dir,
            chroma_path=str(self.chroma),
            secret_key=self.secret_key,
            public_url="https://switchboard.test",
            log_level="WARNING",
        )

    def _ingest(self, knowledge: Path) -> None:
        from gateway.kb.jobs import SUFFIXES, register_source, run_ingest

        rt = Runtime.build(self._settings(self.template_db, self.root / "var"))
        try:
            with session_scope(rt.engine) as session:
                rows = []
                for business in session.exec(select(Business)).all():
                    folder = knowledge / business.slug
                    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
                        if path.suffix.lower() in SUFFIXES and not path.name.endswith(".pdf.txt"):
                            row = register_source(session, business, str(path.resolve()))
                            rows.append((int(business.id or 0), int(row.id or 0)))
            for business_id, source_id in rows:
                run_ingest(rt, business_id, source_id)
            with rt.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            rt.close()

    @contextmanager
    def deployment(self) -> Iterator[Runtime]:
        """A fresh copy of the database and an empty Redis, as this process's runtime."""
        run = self.root / f"run-{uuid.uuid4().hex[:8]}"
        run.mkdir()
        shutil.copy(self.template_db, run / "switchboard.db")
        settings = self._settings(run / "switchboard.db", run / "var")
        rt = Runtime.build(settings)
        rt.redis.flushdb()
        set_runtime(rt)
        try:
            yield rt
        finally:
            clock.set_now(rt.redis, None, settings.queue_prefix)
            set_runtime(None)
            rt.close()
            shutil.rmtree(run, ignore_errors=True)


def _add_test_channels(session: Session, business: Business, secret_key: str) -> None:
    """A channel per provider that can simulate its webhook, beside the business's web chat."""
    assert business.id is not None
    for provider in PROVIDERS.values():
        if provider.simulator is None:
            continue
        channel_id = sim_channel_id(business, provider)
        if session.get(Channel, channel_id) is None:
            session.add(
                Channel(
                    id=channel_id,
                    business_id=business.id,
                    provider=provider.name,
                    credentials_encrypted=encrypt_credentials(
                        secret_key, dict(provider.simulator.credentials)
                    ),
                    api_base=NOWHERE,
                    settings={},
                )
            )


@dataclass
class Customer:
    """One customer across the conversations of a chain: their browser, chat id or phone."""

    client: FlaskClient
    user_id: int
    phone: str
    profile_name: str | None
    seq: int = 0


class Player:
    """Plays conversations in one deployment and checks them."""

    def __init__(self, rt: Runtime) -> None:
        from gateway.app import create_app
        from gateway.worker.jobs import brain

        self.rt = rt
        app = create_app(runtime=rt)
        app.config["TESTING"] = True
        self.app = app
        self.brain = brain()

    def customer(self, spec: Spec) -> Customer:
        """A new customer for a chain of conversations."""
        phone = str(spec.customer.get("phone") or "+346" + str(uuid.uuid4().int)[:8])
        return Customer(
            client=self.app.test_client(),
            user_id=int(str(uuid.uuid4().int)[:9]),
            phone=phone,
            profile_name=spec.customer.get("profile_name"),
        )

    def play(self, spec: Spec, who: Customer, check: bool = True) -> Result:
        """Play one conversation; when `check`, evaluate its expectations."""
        result = Result(spec)
        with session_scope(self.rt.engine) as session:
            business = session.exec(select(Business).where(Business.slug == spec.business)).first()
            if business is None:
                result.error = f"no business {spec.business!r} in the config"
                return result
            business_id = int(business.id or 0)
            first_handoff = _max_id(session, Handoff)
        replies: list[Message] = []
        now = spec.start
        for i, turn in enumerate(spec.turns):
            now = turn.at or (spec.start + timedelta(minutes=i) if i else spec.start)
            clock.set_now(self.rt.redis, now, self.rt.settings.queue_prefix)
            run_due(self.rt)  # what came due as the clock moved, as the worker's scheduler would
            before_out = self._max_out(business_id)
            handoffs_before = self._handoffs(business_id, who)
            text, payload = turn.say, None
            if turn.press is not None:
                button = _button(replies, turn.press)
                if button is None:
                    result.checks.append(Check("press", False, f"no button {turn.press!r}", i))
                    result.transcript.append((f"[press {turn.press}]", []))
                    continue
                text, payload = button["title"], button["id"]
            try:
                self._send(spec, who, business, text or "", payload)
            except Exception as exc:  # a crash is a failed conversation, with its reason
                result.error = f"turn {i + 1}: {type(exc).__name__}: {exc}"
                return result
            replies = self._outbound_after(business_id, before_out)
            said = "\n".join(m.text for m in replies)
            result.transcript.append((text or "", [m.text for m in replies]))
            if check:
                result.checks.extend(text_checks(turn.expect, said, i))
                if "handoff" in turn.expect:
                    handed = self._handoffs(business_id, who) > handoffs_before
                    result.checks.append(
                        Check("handoff", handed == bool(turn.expect["handoff"]), "", i)
                    )
        if check:
            with session_scope(self.rt.engine) as session:
                result.checks.extend(
                    outcome_checks(session, spec.outcome, business_id, first_handoff)
                )
        return result

    # -- the HTTP boundary

    def _send(
        self, spec: Spec, who: Customer, business: Business, text: str, payload: str | None
    ) -> None:
        from gateway.messaging.inbox import materialize_pending
        from gateway.messaging.processing import process_inbound

        who.seq += 1
        client = who.client
        network = Network(spec.channel)
        provider = simulated_provider(network)
        if provider is None or provider.simulator is None:  # the web chat widget, our own page
            client.get(f"/chat/{business.slug}")
            body: dict[str, Any] = {"id": uuid.uuid4().hex, "text": text}
            if payload:
                body["payload"] = payload
            path = f"/chat/{business.slug}/messages"
            response = client.post(path, data=json.dumps(body), content_type="application/json")
        else:
            channel_id = sim_channel_id(business, provider)
            path = f"/webhooks/{provider.name}/{channel_id}"
            config = ChannelConfig(
                id=channel_id,
                provider=provider.name,
                credentials=provider.simulator.credentials,
                webhook_url=self.rt.settings.public_url.rstrip("/") + path,
            )
            customer = SimulatedCustomer(who.user_id, who.phone, who.profile_name, who.seq)
            request = provider.simulator.request(config, customer, network, text, payload)
            response = client.post(path, data=request.body, headers=dict(request.headers))
        if response.status_code >= 300:
            raise RuntimeError(f"{path} answered {response.status_code}")
        materialize_pending(self.rt)  # a provider's webhook only wrote its inbox row
        for message_id in self._unprocessed(int(business.id or 0)):
            process_inbound(self.rt, self.brain, message_id)

    def _unprocessed(self, business_id: int) -> list[int]:
        with session_scope(self.rt.engine) as session:
            rows = session.exec(
                select(Message.id)
                .where(
                    Message.business_id == business_id,
                    Message.direction == Direction.IN,
                    col(Message.processed_at).is_(None),
                )
                .order_by(col(Message.id))
            ).all()
            return [int(r) for r in rows if r is not None]

    # -- reading what happened

    def _max_out(self, business_id: int) -> int:
        with session_scope(self.rt.engine) as session:
            return _max_id(session, Message, Message.business_id == business_id)

    def _outbound_after(self, business_id: int, after: int) -> list[Message]:
        with session_scope(self.rt.engine) as session:
            rows = session.exec(
                select(Message)
                .where(
                    Message.business_id == business_id,
                    Message.direction == Direction.OUT,
                    col(Message.id) > after,
                )
                .order_by(col(Message.id))
            ).all()
            for row in rows:
                session.expunge(row)
            return list(rows)

    def _handoffs(self, business_id: int, who: Customer) -> int:
        with session_scope(self.rt.engine) as session:
            return len(contact_handoffs(session, business_id, contact_ids(session)))


def _max_id(session: Session, model: Any, *where: Any) -> int:
    rows = session.exec(select(model.id).where(*where).order_by(col(model.id).desc())).first()
    return int(rows or 0)


def _button(replies: Sequence[Message], label: str) -> dict[str, str] | None:
    wanted = fold(label).strip()
    for message in reversed(replies):
        for button in message.buttons or ():
            if fold(str(button.get("title", ""))).strip() == wanted or button.get("id") == label:
                return dict(button)
    for message in reversed(replies):
        for button in message.buttons or ():
            if wanted in fold(str(button.get("title", ""))):
                return dict(button)
    return None

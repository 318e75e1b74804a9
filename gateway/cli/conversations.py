"""`switchboard test conversations/*.yaml`: conversations as data, played through the real
gateway and checked (the format: "Conversation tests" in the README).

Each conversation (with the ones it `follows`, same customer, played first) gets a fresh copy
of a database migrated and loaded with the businesses' config, and a private embedded Redis.
Each turn sets the deployment clock (gateway.core.clock) to the conversation's `start` plus one
minute per turn (or the turn's `at`), posts the message at the HTTP boundary (the web chat
endpoint, the Telegram webhook with its secret, the Twilio webhook signed) and processes it on
the path the worker runs (`process_inbound`), in this process. The replies are the outbound
messages it stored. Nothing of ours is mocked.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from flows.understanding.language import LanguageIdentifier
from flows.understanding.text import fold
from gateway.core import clock
from gateway.core.crypto import encrypt_credentials
from gateway.core.db import make_engine, session_scope
from gateway.core.redis_server import start_redis
from gateway.core.runtime import Runtime, set_runtime
from gateway.core.settings import Settings, load_settings
from gateway.store.models import (
    Appointment,
    Business,
    Channel,
    Consent,
    Conversation,
    Direction,
    Handoff,
    IntakeCase,
    Lead,
    Listing,
    Message,
    ProfileFact,
    Reservation,
    ScheduledMessage,
    Viewing,
)

CHANNELS = ("webchat", "telegram", "sms", "whatsapp")
TURN_KEYS = frozenset({"say", "press", "at", "expect"})
EXPECT_KEYS = frozenset(
    {"contains", "contains_any", "not_contains", "language", "register", "handoff", "no_reply"}
)
RECORD_KINDS = ("appointments", "reservations", "viewings", "leads", "intake_cases")
OUTCOME_KEYS = frozenset(
    {*RECORD_KINDS, "count", "handoff", "facts", "no_facts", "consent", "scheduled"}
)
TOP_KEYS = frozenset(
    {"name", "business", "channel", "start", "customer", "follows", "required", "turns", "outcome"}
)
TG_SECRET = "switchboard-conversation-test"
TW_TOKEN = "conversation-test-token"
TW_NUMBER = "+15550000000"
NOWHERE = "http://127.0.0.1:9"  # providers' API base: replies are read from the database


class FormatError(ValueError):
    """A conversation file that does not follow the format."""


# ---------------------------------------------------------------- the format


@dataclass(frozen=True)
class Turn:
    """One customer message (or button press) and what must hold after it."""

    say: str | None
    press: str | None
    at: datetime | None
    expect: Mapping[str, Any]


@dataclass(frozen=True)
class Spec:
    """One conversation file."""

    name: str
    business: str
    channel: str
    start: datetime
    customer: Mapping[str, Any]
    follows: str | None
    required: bool
    turns: tuple[Turn, ...]
    outcome: Mapping[str, Any]
    path: Path


def _instant(value: Any, where: str) -> datetime:
    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise FormatError(f"{where}: not an ISO date-time: {value!r}") from exc
    if dt.tzinfo is None:
        raise FormatError(f"{where}: needs a UTC offset, e.g. 2026-03-10T10:00:00+01:00")
    return dt


def _unknown(keys: Iterable[str], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise FormatError(f"{where}: unknown key(s) {', '.join(extra)}")


def load_spec(path: Path) -> Spec:
    """Read and validate one conversation file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FormatError(f"{path}: not YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise FormatError(f"{path}: a conversation is a mapping")
    _unknown(data, TOP_KEYS, str(path))
    for key in ("name", "business", "start", "turns"):
        if key not in data:
            raise FormatError(f"{path}: missing {key!r}")
    channel = str(data.get("channel") or "webchat")
    if channel not in CHANNELS:
        raise FormatError(f"{path}: channel must be one of {', '.join(CHANNELS)}")
    turns = []
    for i, raw in enumerate(data["turns"] or ()):
        where = f"{path}: turns[{i}]"
        if not isinstance(raw, dict):
            raise FormatError(f"{where}: a turn is a mapping")
        _unknown(raw, TURN_KEYS, where)
        if ("say" in raw) == ("press" in raw):
            raise FormatError(f"{where}: needs exactly one of say / press")
        expect = raw.get("expect") or {}
        _unknown(expect, EXPECT_KEYS, f"{where}.expect")
        turns.append(
            Turn(
                say=None if raw.get("say") is None else str(raw["say"]),
                press=None if raw.get("press") is None else str(raw["press"]),
                at=_instant(raw["at"], f"{where}.at") if raw.get("at") else None,
                expect=expect,
            )
        )
    outcome = data.get("outcome") or {}
    _unknown(outcome, OUTCOME_KEYS, f"{path}: outcome")
    return Spec(
        name=str(data["name"]),
        business=str(data["business"]),
        channel=channel,
        start=_instant(data["start"], f"{path}: start"),
        customer=dict(data.get("customer") or {}),
        follows=str(data["follows"]) if data.get("follows") else None,
        required=bool(data.get("required", True)),
        turns=tuple(turns),
        outcome=outcome,
        path=path,
    )


# ---------------------------------------------------------------- results


@dataclass
class Check:
    """One expectation and whether it held."""

    kind: str
    passed: bool
    detail: str = ""
    turn: int | None = None


@dataclass
class Result:
    """One conversation played."""

    spec: Spec
    checks: list[Check] = field(default_factory=list)
    transcript: list[tuple[str, list[str]]] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Every check held (and nothing broke)."""
        return self.error is None and all(c.passed for c in self.checks)

    @property
    def vertical(self) -> str:
        """The business's template, from the folder or the business slug."""
        return VERTICALS.get(self.spec.business, self.spec.business)


VERTICALS = {
    "smile-dental": "dental",
    "ortega-law": "legal",
    "casa-lucia": "restaurant",
    "sol-homes": "real_estate",
}


# ---------------------------------------------------------------- text checks


def _has(text: str, piece: str) -> bool:
    return fold(str(piece)).strip() in fold(text)


_FORMAL = frozenset(
    "usted ustedes le su sus desea puede indiqueme digame elija llame salga tenga "
    "podria quiera disculpe contactara responda".split()
)
_INFORMAL = frozenset(
    "tu te ti tus contigo quieres puedes dime elige llama sal tienes cuentes responde "
    "quieras prefieres perdona escribe".split()
)


def register_of(text: str) -> str | None:
    """formal (usted) / informal (tú) / None when the Spanish text shows neither or both."""
    words = [w.strip("¿?¡!.,;:()\"'") for w in fold(text).split()]
    formal = sum(w in _FORMAL for w in words)
    informal = sum(w in _INFORMAL for w in words)
    if formal and not informal:
        return "formal"
    if informal and not formal:
        return "informal"
    return None if not formal else "mixed"


_LANGUAGES = LanguageIdentifier(["en", "es"])


def _text_checks(expect: Mapping[str, Any], text: str, i: int) -> list[Check]:
    out: list[Check] = []
    for piece in _as_list(expect.get("contains")):
        out.append(Check("contains", _has(text, piece), f"{piece!r}", i))
    if "contains_any" in expect:
        pieces = _as_list(expect["contains_any"])
        out.append(Check("contains_any", any(_has(text, p) for p in pieces), f"{pieces}", i))
    for piece in _as_list(expect.get("not_contains")):
        out.append(Check("not_contains", not _has(text, piece), f"{piece!r}", i))
    if "language" in expect:
        got = _LANGUAGES.identify(text) if text.strip() else None
        out.append(Check("language", got == expect["language"], f"got {got}", i))
    if "register" in expect:
        wanted = {"informal": "informal", "tu": "informal", "tú": "informal"}.get(
            str(expect["register"]), str(expect["register"])
        )
        got = register_of(text)
        out.append(Check("register", got in (wanted, None), f"got {got}", i))
    if "no_reply" in expect:
        out.append(Check("no_reply", (not text.strip()) == bool(expect["no_reply"]), "", i))
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


# ---------------------------------------------------------------- the deployment


@dataclass
class Stage:
    """A private deployment to play conversations in: config loaded into a template database."""

    root: Path
    config: Path
    redis_url: str
    template_db: Path
    secret_key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    @contextmanager
    def open(cls, config: Path) -> Iterator[Stage]:
        """A temporary directory with an embedded Redis and a loaded database template."""
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
            yield stage
        finally:
            redis_process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                redis_process.wait(timeout=10)
            shutil.rmtree(root, ignore_errors=True)

    @contextmanager
    def deployment(self) -> Iterator[Runtime]:
        """A fresh copy of the database and an empty Redis, as this process's runtime."""
        run = self.root / f"run-{uuid.uuid4().hex[:8]}"
        run.mkdir()
        shutil.copy(self.template_db, run / "switchboard.db")
        settings: Settings = load_settings(
            database_url=f"sqlite:///{run / 'switchboard.db'}",
            redis_url=self.redis_url,
            var_dir=run / "var",
            chroma_path=str(run / "chroma"),
            secret_key=self.secret_key,
            public_url="https://switchboard.test",
            log_level="WARNING",
        )
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
    """A Telegram and an SMS channel beside the business's web chat, for conversations on them."""
    assert business.id is not None
    for provider, credentials in (
        ("telegram", {"token": "123456:conversation-test", "secret_token": TG_SECRET}),
        (
            "twilio",
            {"account_sid": "ACtest", "auth_token": TW_TOKEN, "from_number": TW_NUMBER},
        ),
    ):
        channel_id = f"{business.slug}-test-{provider}"
        if session.get(Channel, channel_id) is None:
            session.add(
                Channel(
                    id=channel_id,
                    business_id=business.id,
                    provider=provider,
                    credentials_encrypted=encrypt_credentials(secret_key, credentials),
                    api_base=NOWHERE,
                    settings={},
                )
            )


# ---------------------------------------------------------------- playing


@dataclass
class Customer:
    """One customer across the conversations of a chain: their browser, chat id or phone."""

    client: FlaskClient
    telegram_id: int
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
            telegram_id=int(str(uuid.uuid4().int)[:9]),
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
                result.checks.extend(_text_checks(turn.expect, said, i))
                if "handoff" in turn.expect:
                    handed = self._handoffs(business_id, who) > handoffs_before
                    result.checks.append(
                        Check("handoff", handed == bool(turn.expect["handoff"]), "", i)
                    )
        if check:
            with session_scope(self.rt.engine) as session:
                result.checks.extend(
                    _outcome_checks(session, spec.outcome, business_id, who, first_handoff)
                )
        return result

    # -- the HTTP boundary

    def _send(
        self, spec: Spec, who: Customer, business: Business, text: str, payload: str | None
    ) -> None:
        who.seq += 1
        client = who.client
        if spec.channel == "telegram":
            channel = f"{business.slug}-test-telegram"
            update = _telegram_update(who, text, payload)
            response = client.post(
                f"/webhooks/telegram/{channel}",
                data=json.dumps(update),
                content_type="application/json",
                headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
            )
        elif spec.channel in ("sms", "whatsapp"):
            channel = f"{business.slug}-test-twilio"
            response = _post_twilio(self.rt.settings, client, channel, who, spec.channel, text)
        else:
            web = self._web_channel(business)
            client.get(f"/chat/{business.slug}")
            body: dict[str, Any] = {"id": uuid.uuid4().hex, "text": text}
            if payload:
                body["payload"] = payload
            response = client.post(
                f"/chat/{business.slug}/messages",
                data=json.dumps(body),
                content_type="application/json",
            )
            channel = web
        if response.status_code >= 300:
            raise RuntimeError(f"{channel} answered {response.status_code}")
        for message_id in self._unprocessed(channel):
            from gateway.messaging.processing import process_inbound

            process_inbound(self.rt, self.brain, message_id)

    def _web_channel(self, business: Business) -> str:
        with session_scope(self.rt.engine) as session:
            row = session.exec(
                select(Channel).where(
                    Channel.business_id == business.id, Channel.provider == "webchat"
                )
            ).first()
            return row.id if row is not None else ""

    def _unprocessed(self, channel: str) -> list[int]:
        with session_scope(self.rt.engine) as session:
            rows = session.exec(
                select(Message.id)
                .where(
                    Message.channel_id == channel,
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
            return len(_contact_handoffs(session, business_id, _contact_ids(session, who)))


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


def _telegram_update(who: Customer, text: str, payload: str | None) -> dict[str, Any]:
    user = {"id": who.telegram_id, "is_bot": False, "first_name": who.profile_name or "Customer"}
    if who.profile_name and " " in who.profile_name:
        first, last = who.profile_name.split(" ", 1)
        user |= {"first_name": first, "last_name": last}
    chat = {"id": who.telegram_id, "type": "private", "first_name": user["first_name"]}
    message = {
        "message_id": who.seq,
        "from": user,
        "chat": chat,
        "date": int(clock.real_now().timestamp()),
        "text": text,
    }
    if payload:
        return {
            "update_id": 700000000 + who.seq,
            "callback_query": {
                "id": uuid.uuid4().hex[:16],
                "from": user,
                "message": {**message, "text": "", "from": {"id": 1, "is_bot": True}},
                "chat_instance": "1",
                "data": payload,
            },
        }
    return {"update_id": 700000000 + who.seq, "message": message}


def _post_twilio(
    settings: Settings, client: FlaskClient, channel: str, who: Customer, kind: str, text: str
) -> Any:
    from twilio.request_validator import RequestValidator

    path = f"/webhooks/twilio/{channel}"
    prefix = "whatsapp:" if kind == "whatsapp" else ""
    params = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "ACtest",
        "From": prefix + who.phone,
        "To": prefix + TW_NUMBER,
        "Body": text,
        "NumMedia": "0",
    }
    if who.profile_name:
        params["ProfileName"] = who.profile_name
    signature = RequestValidator(TW_TOKEN).compute_signature(
        settings.public_url.rstrip("/") + path, params
    )
    return client.post(
        path,
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )


# ---------------------------------------------------------------- outcome checks


def _contact_ids(session: Session, who: Customer) -> list[int]:
    """The contacts this customer's messages were filed under."""
    out: set[int] = set()
    rows = session.exec(select(Conversation)).all()
    for conv in rows:
        out.add(conv.contact_id)
    return sorted(out)


def _contact_handoffs(session: Session, business_id: int, contacts: Sequence[int]) -> list[Handoff]:
    convs = session.exec(
        select(Conversation.id).where(
            Conversation.business_id == business_id, col(Conversation.contact_id).in_(contacts)
        )
    ).all()
    return list(
        session.exec(
            select(Handoff).where(
                Handoff.business_id == business_id, col(Handoff.conversation_id).in_(convs)
            )
        ).all()
    )


def reason_kinds(handoff: Handoff) -> set[str]:
    """The kinds a handoff reason counts as: asked_for_person, frustration, urgent, vip."""
    reason = fold(handoff.reason)
    kinds = {reason}
    if any(w in reason for w in ("customer_asked", "asked for a person", "accepted a person")):
        kinds.add("asked_for_person")
    if "frustrat" in reason:
        kinds.add("frustration")
    if handoff.priority >= 3 or any(w in reason for w in ("emergency", "urgent", "court date")):
        kinds.add("urgent")
    if "vip" in reason:
        kinds.add("vip")
    return kinds


def _records(session: Session, kind: str, business_id: int) -> list[dict[str, Any]]:
    model: Any = {
        "appointments": Appointment,
        "reservations": Reservation,
        "viewings": Viewing,
        "leads": Lead,
        "intake_cases": IntakeCase,
    }[kind]
    rows = session.exec(select(model).where(model.business_id == business_id)).all()
    out: list[dict[str, Any]] = []
    for row in rows:
        data = row.model_dump()
        if kind == "viewings":
            listing = session.get(Listing, row.listing_id)
            data["listing_ref"] = listing.ref if listing else None
        out.append(data)
    return out


def _same(expected: Any, got: Any) -> bool:
    if isinstance(got, datetime) or (isinstance(expected, str) and "T" in expected):
        try:
            want = _instant(expected, "value")
            have = got if isinstance(got, datetime) else _instant(got, "value")
            return want == have
        except (FormatError, TypeError):
            return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return bool(expected) == bool(got)
    if isinstance(expected, int | float) and got is not None:
        try:
            return float(expected) == float(got)
        except (TypeError, ValueError):
            return False
    if isinstance(got, list | tuple):
        return all(fold(str(e)) in [fold(str(g)) for g in got] for e in _as_list(expected))
    if hasattr(got, "isoformat") and isinstance(expected, str):
        return got.isoformat()[:10] == expected[:10]
    return fold(str(expected)).strip() == fold(str(got)).strip()


def _match_records(expected: Sequence[Mapping[str, Any]], rows: list[dict[str, Any]]) -> bool:
    free = list(rows)
    for want in expected:
        hit = next(
            (r for r in free if all(_same(v, r.get(k)) for k, v in (want or {}).items())), None
        )
        if hit is None:
            return False
        free.remove(hit)
    return True


def _live(kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if kind in ("appointments", "reservations", "viewings"):
        return [r for r in rows if r.get("status") not in ("cancelled", "canceled")]
    return rows


def _outcome_checks(
    session: Session,
    outcome: Mapping[str, Any],
    business_id: int,
    who: Customer,
    first_handoff: int,
) -> list[Check]:
    out: list[Check] = []
    contacts = _contact_ids(session, who)
    for kind in RECORD_KINDS:
        if kind in outcome:
            rows = _records(session, kind, business_id)
            brief = [{k: str(v) for k, v in r.items() if not k.endswith("_id")} for r in rows]
            out.append(Check(kind, _match_records(_as_list(outcome[kind]), rows), f"have {brief}"))
    for kind, number in (outcome.get("count") or {}).items():
        rows = _live(kind, _records(session, kind, business_id)) if kind in RECORD_KINDS else []
        out.append(Check("count", len(rows) == int(number), f"{kind}: {len(rows)} != {number}"))
    if "handoff" in outcome:
        handoffs = [
            h
            for h in _contact_handoffs(session, business_id, contacts)
            if (h.id or 0) > first_handoff
        ]
        want = outcome["handoff"]
        if want is False or want is None:
            out.append(Check("handoff", not handoffs, f"{[h.reason for h in handoffs]}"))
        elif want is True:
            out.append(Check("handoff", bool(handoffs), "none"))
        else:
            ok = bool(handoffs)
            reasons = [fold(str(r)) for r in _as_list(want.get("reason_any"))]
            if reasons:
                ok = ok and any(
                    reasons[i] in reason_kinds(h) or any(reasons[i] in k for k in reason_kinds(h))
                    for h in handoffs
                    for i in range(len(reasons))
                )
            if "open" in want:
                is_open = any(h.status not in ("closed", "resolved", "done") for h in handoffs)
                ok = ok and is_open == bool(want["open"])
            out.append(Check("handoff", ok, f"{[(h.reason, h.status) for h in handoffs]}"))
    if "facts" in outcome or "no_facts" in outcome:
        facts = _facts(session, contacts)
        for key, value in (outcome.get("facts") or {}).items():
            have = facts.get(str(key))
            ok = have is not None and fold(str(value)) in fold(have)
            out.append(Check("facts", ok, f"{key}: {have!r}"))
        for key in _as_list(outcome.get("no_facts")):
            out.append(Check("no_facts", str(key) not in facts, f"{key}: {facts.get(str(key))!r}"))
    if "consent" in outcome:
        for purpose, wanted in (outcome["consent"] or {}).items():
            got = _consent(session, business_id, contacts, str(purpose))
            out.append(Check("consent", got == bool(wanted), f"{purpose}: {got}"))
    if "scheduled" in outcome:
        want = outcome["scheduled"] or {}
        pending = session.exec(
            select(ScheduledMessage).where(
                ScheduledMessage.business_id == business_id,
                col(ScheduledMessage.contact_id).in_(contacts),
                ScheduledMessage.status == "pending",
            )
        ).all()
        kinds = sorted({m.kind for m in pending})
        if "pending" in want:
            out.append(Check("scheduled", len(pending) == int(want["pending"]), f"pending {kinds}"))
        for kind in _as_list(want.get("kinds")):
            out.append(Check("scheduled", kind in kinds, f"pending {kinds}"))
    return out


def _facts(session: Session, contacts: Sequence[int]) -> dict[str, str]:
    out: dict[str, str] = {}
    rows = session.exec(select(ProfileFact).where(col(ProfileFact.contact_id).in_(contacts))).all()
    for row in rows:
        out[row.key] = row.value
    return out


def _consent(session: Session, business_id: int, contacts: Sequence[int], purpose: str) -> bool:
    from gateway.store.consent import _DEFAULT_ALLOWED

    rows = session.exec(
        select(Consent).where(
            Consent.business_id == business_id,
            col(Consent.contact_id).in_(contacts),
            Consent.purpose == purpose,
        )
    ).all()
    if not rows:
        return bool(_DEFAULT_ALLOWED.get(purpose, False))
    return all(r.granted for r in rows)


# ---------------------------------------------------------------- running files


def chain(spec: Spec, by_name: Mapping[str, Spec]) -> list[Spec]:
    """The conversations `spec` follows, oldest first, then `spec`."""
    out = [spec]
    seen = {spec.name}
    while out[0].follows:
        earlier = by_name.get(out[0].follows)
        if earlier is None:
            raise FormatError(f"{out[0].path}: follows {out[0].follows!r}, which is not loaded")
        if earlier.name in seen:
            raise FormatError(f"{spec.path}: a loop of follows")
        seen.add(earlier.name)
        out.insert(0, earlier)
    return out


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files and folders (every *.yaml under a folder), sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.y*ml") if p.is_file()))
        else:
            out.append(path)
    return out


def run(paths: Iterable[Path], config: Path) -> list[Result]:
    """Load, play and check conversations; a file that is not the format is a failed result."""
    specs: list[Spec] = []
    results: list[Result] = []
    files = expand(paths)
    for path in files:
        try:
            specs.append(load_spec(path))
        except FormatError as exc:
            bad = Spec(path.stem, "?", "webchat", clock.real_now(), {}, None, True, (), {}, path)
            results.append(Result(bad, error=str(exc)))
    by_name = {s.name: s for s in specs}
    # a followed conversation may live beside the file (not given on the command line)
    for spec in list(specs):
        if spec.follows and spec.follows not in by_name:
            for sibling in expand([spec.path.parent]):
                try:
                    other = load_spec(sibling)
                except FormatError:
                    continue
                by_name.setdefault(other.name, other)
    with Stage.open(config) as stage:
        for spec in specs:
            try:
                played = chain(spec, by_name)
            except FormatError as exc:
                results.append(Result(spec, error=str(exc)))
                continue
            with stage.deployment() as rt:
                player = Player(rt)
                who = player.customer(played[0])
                result = Result(spec)
                for earlier in played[:-1]:
                    setup = player.play(earlier, who, check=False)
                    if setup.error:
                        result.error = f"while playing {earlier.name}: {setup.error}"
                        break
                    _close(rt)
                if result.error is None:
                    result = player.play(spec, who)
                results.append(result)
    return results


def _close(rt: Runtime) -> None:
    """End the conversation, so the next one starts new (the same contact)."""
    with session_scope(rt.engine) as session:
        for conv in session.exec(select(Conversation)).all():
            conv.state = "closed"


def table(results: Sequence[Result], verbose: bool = False) -> str:
    """A pass/fail table, failures explained."""
    width = max([len(r.spec.name) for r in results] + [12])
    lines = [f"{'conversation':<{width}}  {'vertical':<11}  {'checks':>7}  result"]
    for r in results:
        ok = sum(c.passed for c in r.checks)
        verdict = "PASS" if r.passed else ("FAIL" if r.spec.required else "fail (optional)")
        lines.append(
            f"{r.spec.name:<{width}}  {r.vertical:<11}  {ok:>3}/{len(r.checks):<3}  {verdict}"
        )
        if r.error:
            lines.append(f"    error: {r.error}")
        for c in r.checks:
            if not c.passed:
                where = f"turn {c.turn + 1}" if c.turn is not None else "outcome"
                lines.append(f"    {where}: {c.kind} {c.detail}")
        if verbose or not r.passed:
            for said, replies in r.transcript:
                lines.append(f"      > {said}")
                lines.extend(f"        {t}" for t in replies)
    passed = sum(r.passed for r in results)
    lines.append(f"{passed}/{len(results)} conversations passed")
    return "\n".join(lines)


def failed(results: Sequence[Result]) -> bool:
    """Whether a required conversation failed."""
    return any(not r.passed and r.spec.required for r in results)

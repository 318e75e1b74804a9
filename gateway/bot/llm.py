"""The optional chat model: built from one setting, and the agent's turn wired to the brain.

`SWITCHBOARD_CHAT_MODEL` (or a business's `settings.chat_model`) is either LangChain's
`provider:model` (`openai:gpt-4o-mini`, `anthropic:claude-3-5-haiku-latest`,
`ollama:llama3.1`), built with `init_chat_model` and keyed by the provider's usual environment
variable, or `model@http://host:port/v1` for any OpenAI-compatible server (llama.cpp, vLLM,
Ollama's `/v1`). `off` turns it off for one business. Nothing set: offline, as always.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import time
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from flows.ports import Ports
from flows.types import Outcome, Turn
from gateway.core.chat_model import ModelSpec, parse_spec
from gateway.core.errors import ConfigError
from gateway.core.settings import Settings
from gateway.store.models import Business, Conversation, Direction, Message

if TYPE_CHECKING:
    from flows.agent import Usage

log = logging.getLogger(__name__)

HISTORY = 8
_ERROR_MODULES = (
    ("openai", "OpenAIError"),
    ("anthropic", "AnthropicError"),
    ("ollama", "ResponseError"),
    ("httpx", "HTTPError"),
    ("langchain_core.exceptions", "LangChainException"),
)


def spec_for(settings: Settings, business: Business) -> ModelSpec | None:
    """The business's own `chat_model` setting when present, else the deployment's."""
    own = (business.settings or {}).get("chat_model")
    try:
        return parse_spec(own if own is not None else settings.chat_model)
    except ConfigError as exc:
        log.warning("chat model setting ignored: %s", exc)
        return None


@functools.lru_cache(maxsize=16)
def build_model(spec: ModelSpec, timeout: float = 20.0) -> Any:
    """The LangChain chat model of a spec, once per process (ConfigError when unusable)."""
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"temperature": 0}
    if spec.provider in ("openai", "anthropic"):
        kwargs |= {"timeout": timeout, "max_retries": 0}
    if spec.base_url:
        kwargs |= {
            "base_url": spec.base_url,
            "api_key": os.environ.get("OPENAI_API_KEY") or "not-needed",
        }
    try:
        return init_chat_model(spec.model, model_provider=spec.provider, **kwargs)
    except (ImportError, ValueError, TypeError) as exc:
        raise ConfigError(f"chat model {spec.label}: {exc}") from exc


def chat_model_for(settings: Settings, business: Business) -> Any:
    """The business's chat model, or None (offline) when none is set or it cannot be built."""
    spec = spec_for(settings, business)
    if spec is None:
        return None
    try:
        return build_model(spec, settings.chat_timeout)
    except ConfigError as exc:
        log.warning("chat model unavailable, answering offline: %s", exc)
        return None


def model_errors() -> tuple[type[BaseException], ...]:
    """The exception types a provider's SDK raises for a failed call (those installed)."""
    found: list[type[BaseException]] = [OSError, ValueError, RuntimeError, KeyError, TypeError]
    for module, name in _ERROR_MODULES:
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def agent_turn(
    settings: Settings,
    session: Session,
    business: Business,
    conv: Conversation,
    message: Message,
    turn: Turn,
    ports: Ports,
) -> Outcome | None:
    """The chat model's outcome for this turn, or None: no model, or answer offline."""
    model = chat_model_for(settings, business)
    if model is None:
        return None
    # Imported here: LangChain's message classes cost a worker ~0.5 s at start when no model is set.
    from flows.agent import AgentConfig, run_agent

    config = AgentConfig(
        timeout=settings.chat_timeout,
        max_calls=settings.chat_max_calls,
        max_tokens=settings.chat_max_tokens,
        model_errors=model_errors(),
    )
    result = run_agent(
        model, turn, ports, _history(session, conv, message), config, _spent(session, conv)
    )
    usage = result.usage
    record = {
        "result": result.result,
        "calls": usage.calls,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "latency_ms": usage.latency_ms,
        "tools": list(result.tools),
        "at": int(time.time()),
    }
    message.annotations = {**(message.annotations or {}), "llm": record}
    log.info(
        "chat model turn",
        extra={"business_id": business.id, "conversation_id": conv.id, **record},
    )
    return result.outcome


def _history(session: Session, conv: Conversation, message: Message) -> list[tuple[str, str]]:
    rows = session.exec(
        select(Message.direction, Message.text)
        .where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            col(Message.id) != message.id,
        )
        .order_by(col(Message.id).desc())
        .limit(HISTORY)
    ).all()
    return [("customer" if d == Direction.IN else "bot", t or "") for d, t in reversed(rows)]


def _spent(session: Session, conv: Conversation) -> Usage:
    rows = session.exec(
        select(Message.annotations).where(
            Message.business_id == conv.business_id,
            Message.conversation_id == conv.id,
            Message.direction == Direction.IN,
        )
    ).all()
    from flows.agent import Usage

    spent = Usage()
    for notes in rows:
        record = (notes or {}).get("llm") or {}
        spent.calls += int(record.get("calls", 0))
        spent.input_tokens += int(record.get("input_tokens", 0))
        spent.output_tokens += int(record.get("output_tokens", 0))
    return spent


def check_model(settings: Settings, business: Business | None = None) -> tuple[str, str]:
    """(model label or 'offline', 'answers in N ms' or why not) for `switchboard doctor`."""
    own = (business.settings or {}).get("chat_model") if business is not None else None
    try:
        spec = parse_spec(own if own is not None else settings.chat_model)
    except ConfigError as exc:
        return "invalid", str(exc)
    if spec is None:
        return "offline", "no chat model configured (the offline engine answers)"
    try:
        model = build_model(spec, settings.chat_timeout)
    except ConfigError as exc:
        return spec.label, f"cannot be built: {exc}"
    started = time.monotonic()
    try:
        model.invoke("Reply with the single word: ok")
    except model_errors() as exc:
        return spec.label, f"does not answer: {type(exc).__name__}: {str(exc)[:120]}"
    return spec.label, f"answers in {int((time.monotonic() - started) * 1000)} ms"

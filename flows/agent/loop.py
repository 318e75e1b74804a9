"""One turn of the chat model: tool calls over the ports until it replies, or the offline path.

Every failure (provider error, timeout, malformed or unknown tool call, arguments out of range,
a reply stating a figure nothing supports, a spent budget) ends in `AgentResult.outcome` None
and a reason, so the caller answers with the offline engine; what was already carried out
(a confirmed booking, a handoff) is still reported truthfully.
"""

from __future__ import annotations

import concurrent.futures
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from pydantic import ValidationError

from flows.agent.desk import CHANGE_PAYLOAD, CONFIRM_PAYLOAD, Desk
from flows.agent.errors import (
    AgentError,
    BadReply,
    BadToolCall,
    BudgetExceeded,
    ModelFailed,
    ModelTimeout,
)
from flows.agent.prompt import system_prompt
from flows.agent.tools import Tool, tools_for
from flows.ports import Ports
from flows.types import Option, Outcome, Reply, Turn

_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="agent")
_DIGITS = re.compile(r"\d+")
_BUTTONS = {
    "en": ("Yes, confirm", "No, change it"),
    "es": ("Sí, confirmar", "No, cambiar"),
}
_DONE_FALLBACK = {"en": "Done: {done}.", "es": "Hecho: {done}."}
_HANDOFF_FALLBACK = {
    "en": "I'm passing you to a person from our team; they'll answer here.",
    "es": "Te paso con una persona del equipo; te responderá por aquí.",
}


class ChatModel(Protocol):
    """What the agent needs of a LangChain chat model."""

    def bind_tools(self, tools: Sequence[dict[str, Any]]) -> Any:
        """A runnable that may answer with tool calls."""
        ...


@dataclass(frozen=True)
class AgentConfig:
    """Guards: timeout per call, rounds per turn, the conversation's budget, error types."""

    timeout: float = 20.0
    max_rounds: int = 5
    max_calls: int = 40
    max_tokens: int = 40_000
    max_reply_chars: int = 1200
    model_errors: tuple[type[BaseException], ...] = (OSError, ValueError, RuntimeError)


@dataclass
class Usage:
    """Calls, tokens and time spent by the model in one turn (or a whole conversation)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0

    @property
    def tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def add(self, message: AIMessage, started: float) -> None:
        """Count one answered call."""
        meta: Mapping[str, Any] = message.usage_metadata or {}
        self.input_tokens += int(meta.get("input_tokens", 0))
        self.output_tokens += int(meta.get("output_tokens", 0))
        self.latency_ms += int((time.monotonic() - started) * 1000)


@dataclass(frozen=True)
class AgentResult:
    """The model's outcome for the turn (None: answer offline), what it cost, and why."""

    outcome: Outcome | None
    usage: Usage
    result: str = "ok"
    tools: tuple[str, ...] = field(default=())


def run_agent(
    model: ChatModel,
    turn: Turn,
    ports: Ports,
    history: Sequence[tuple[str, str]] = (),
    config: AgentConfig | None = None,
    spent: Usage | None = None,
) -> AgentResult:
    """Let the model answer this turn through the tools; never raises for a model's fault."""
    cfg = config or AgentConfig()
    state = dict(turn.state)
    turn_no = int(state.get("turns", 0)) + 1
    agent_state = dict(state.get("agent") or {})
    desk = Desk(turn=turn, ports=ports, turn_no=turn_no, pending=agent_state.get("pending"))
    usage, called = Usage(), list[str]()
    try:
        text = _converse(model, desk, history, cfg, spent or Usage(), usage, called)
    except AgentError as exc:
        return AgentResult(_salvage(desk, state, turn_no), usage, exc.reason, tuple(called))
    return AgentResult(_outcome(desk, state, turn_no, text), usage, "ok", tuple(called))


def _converse(
    model: ChatModel,
    desk: Desk,
    history: Sequence[tuple[str, str]],
    cfg: AgentConfig,
    spent: Usage,
    usage: Usage,
    called: list[str],
) -> str:
    tools = {t.name: t for t in tools_for(desk)}
    try:
        bound = model.bind_tools([t.schema() for t in tools.values()])
    except (NotImplementedError, AttributeError, TypeError, ValueError) as exc:
        raise ModelFailed(f"no tool calling: {type(exc).__name__}") from exc
    prompt = system_prompt(desk)
    messages: list[BaseMessage] = [SystemMessage(prompt), *_history(history)]
    messages.append(HumanMessage(desk.turn.text or desk.turn.payload or ""))
    for _ in range(cfg.max_rounds):
        if (
            spent.calls + usage.calls >= cfg.max_calls
            or spent.tokens + usage.tokens >= cfg.max_tokens
        ):
            raise BudgetExceeded("conversation budget spent")
        answer = _call(bound, messages, cfg, usage)
        if answer.invalid_tool_calls:
            raise BadToolCall("malformed tool arguments")
        if not answer.tool_calls:
            return _checked(answer, desk, prompt, history, cfg)
        messages.append(answer)
        for call in answer.tool_calls:
            called.append(call["name"])
            output = _run_tool(tools, call["name"], call["args"], desk)
            desk.evidence.append(output)
            messages.append(ToolMessage(output, tool_call_id=call["id"] or call["name"]))
    raise BudgetExceeded("too many tool rounds in one turn")


def _history(history: Sequence[tuple[str, str]]) -> list[BaseMessage]:
    return [
        HumanMessage(text) if role == "customer" else AIMessage(text)
        for role, text in history
        if text
    ]


def _call(bound: Any, messages: list[BaseMessage], cfg: AgentConfig, usage: Usage) -> AIMessage:
    started = time.monotonic()
    usage.calls += 1
    future = _POOL.submit(bound.invoke, messages)
    try:
        answer = future.result(timeout=cfg.timeout)
    except concurrent.futures.TimeoutError as exc:
        future.cancel()
        usage.latency_ms += int(cfg.timeout * 1000)
        raise ModelTimeout(f"no answer within {cfg.timeout}s") from exc
    except cfg.model_errors as exc:
        raise ModelFailed(type(exc).__name__) from exc
    if not isinstance(answer, AIMessage):
        raise ModelFailed(f"unexpected answer {type(answer).__name__}")
    usage.add(answer, started)
    return answer


def _run_tool(tools: Mapping[str, Tool], name: str, args: Any, desk: Desk) -> str:
    tool = tools.get(name)
    if tool is None:
        raise BadToolCall("unknown tool")
    try:
        parsed = tool.args.model_validate(args if isinstance(args, dict) else {})
    except ValidationError as exc:
        raise BadToolCall(f"invalid arguments for {name}") from exc
    return tool.run(desk, parsed)


def _checked(
    answer: AIMessage, desk: Desk, prompt: str, history: Sequence[tuple[str, str]], cfg: AgentConfig
) -> str:
    text = answer.content if isinstance(answer.content, str) else answer.text
    text = text.strip()
    if not text or len(text) > cfg.max_reply_chars:
        raise BadReply("empty or oversized reply")
    support = " ".join([prompt, desk.turn.text, *desk.evidence, *(t for _, t in history)])
    if not set(_DIGITS.findall(text)) <= set(_DIGITS.findall(support)):
        raise BadReply("a figure no tool result or message states")
    return text


def _buttons(desk: Desk) -> tuple[Option, ...]:
    yes, no = _BUTTONS.get(desk.language, _BUTTONS["en"])
    return (Option(CONFIRM_PAYLOAD, yes), Option(CHANGE_PAYLOAD, no))


def _state(desk: Desk, state: dict[str, Any], turn_no: int) -> dict[str, Any]:
    pending = desk.proposed or desk.confirmable()
    return state | {"turns": turn_no, "agent": {"pending": pending}}


def _outcome(desk: Desk, state: dict[str, Any], turn_no: int, text: str) -> Outcome:
    options = _buttons(desk) if desk.proposed else ()
    handoff = desk.handoff
    return Outcome(
        replies=(Reply(text=text, options=options),),
        state=_state(desk, state, turn_no),
        handoff_reason=handoff.reason if handoff else None,
        handoff_priority=handoff.priority if handoff else 1,
    )


def _salvage(desk: Desk, state: dict[str, Any], turn_no: int) -> Outcome | None:
    """After a failure: None (answer offline) unless something was already carried out."""
    lang = "es" if desk.language == "es" else "en"
    texts = [_DONE_FALLBACK[lang].format(done=d) for d in desk.done]
    if desk.handoff is not None:
        texts.append(_HANDOFF_FALLBACK[lang])
    if not texts:
        return None
    desk.proposed = None
    return _outcome(desk, state, turn_no, " ".join(texts))

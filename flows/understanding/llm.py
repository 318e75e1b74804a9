"""Optional chat-model path: ask a LangChain chat model for intent and entities, or give up."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from flows.understanding.types import Entity

log = logging.getLogger(__name__)

_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="understanding-llm")


class LLMEntity(BaseModel):
    """One entity as the chat model reports it."""

    kind: str = Field(description="entity kind, e.g. name, party_size, service, neighbourhood")
    value: str = Field(description="normalized value")
    text: str = Field(description="the exact words of the message it came from")


class LLMReading(BaseModel):
    """The structured answer we ask the chat model for."""

    intent: str = Field(description="one of the allowed intent names")
    confidence: float = Field(ge=0.0, le=1.0, description="how sure, 0 to 1")
    entities: list[LLMEntity] = Field(default_factory=list)


class LLMUnavailable(RuntimeError):
    """The chat model failed, timed out or answered something unusable."""


def _prompt(
    text: str, intents: Sequence[str], language: str, now_iso: str
) -> list[tuple[str, str]]:
    system = (
        "You label one customer message sent to a small business chat bot. "
        f"Allowed intents: {', '.join(intents)}. Use 'unknown' if none fits. "
        "Entities: name (the writer's own name), party_size, money, service, practice_area, "
        "neighbourhood, property_type, cuisine, allergen, dietary, insurance. "
        f"The message is probably in language '{language}'. Now is {now_iso}. "
        "Copy each entity's text exactly from the message."
    )
    return [("system", system), ("human", text)]


def ask_chat_model(
    model: Any,
    text: str,
    intents: Sequence[str],
    language: str,
    now_iso: str,
    timeout: float,
) -> LLMReading:
    """Call the model with structured output; raise LLMUnavailable on any failure or timeout."""
    try:
        runnable = model.with_structured_output(LLMReading)
    except (NotImplementedError, AttributeError, TypeError, ValueError) as exc:
        raise LLMUnavailable(f"model has no structured output: {exc}") from exc
    future = _POOL.submit(runnable.invoke, _prompt(text, intents, language, now_iso))
    try:
        result = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError as exc:
        future.cancel()
        raise LLMUnavailable(f"chat model timed out after {timeout}s") from exc
    except Exception as exc:  # noqa: BLE001 - any provider/SDK error means "use the offline path"
        raise LLMUnavailable(f"chat model failed: {type(exc).__name__}: {exc}") from exc
    if isinstance(result, dict):
        try:
            result = LLMReading.model_validate(result)
        except ValueError as exc:
            raise LLMUnavailable(f"unusable answer: {exc}") from exc
    if not isinstance(result, LLMReading):
        raise LLMUnavailable(f"unexpected answer type {type(result).__name__}")
    return result


def llm_entities(text: str, reading: LLMReading, known: Sequence[Entity]) -> list[Entity]:
    """Entities from the model whose words are in the message and whose kind we did not find."""
    have = {e.kind for e in known}
    out: list[Entity] = []
    lowered = text.lower()
    for e in reading.entities:
        if e.kind in have or not e.text:
            continue
        at = lowered.find(e.text.lower())
        if at < 0:
            continue
        value: Any = e.value
        if e.kind == "party_size" and str(e.value).isdigit():
            value = int(e.value)
        out.append(Entity(e.kind, value, text[at : at + len(e.text)], at, at + len(e.text)))
    return out

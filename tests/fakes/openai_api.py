"""A local OpenAI-compatible /v1/chat/completions server whose answers a test scripts in order.

Each answer is a reply text, one or more tool calls (arguments as a dict, or a raw string to
send malformed JSON), or a stall longer than the client's timeout. The real `langchain-openai`
client is pointed at it through its base URL.
"""

from __future__ import annotations

import json
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from tests.fakes.base import FakeServer, Recorded, Reply


@dataclass(frozen=True)
class Scripted:
    """One answer: text, tool calls (name, arguments), or a stall of `stall` seconds first."""

    text: str | None = None
    calls: tuple[tuple[str, dict[str, Any] | str], ...] = ()
    stall: float = 0.0
    tokens: tuple[int, int] = (50, 10)


class FakeOpenAI(FakeServer):
    """The fake; `script` holds the answers still to give, `chats()` the requests received."""

    name = "openai"

    def __init__(self) -> None:
        super().__init__()
        self.script: deque[Scripted] = deque()
        self.readings: deque[dict[str, Any]] = deque()

    @property
    def url(self) -> str:
        """The base URL a client is given (…/v1)."""
        return f"{self.base_url}/v1"

    def says(self, text: str) -> None:
        """Answer the next request with this text."""
        self.script.append(Scripted(text=text))

    def calls_tool(self, name: str, args: dict[str, Any] | str, *more: tuple[str, Any]) -> None:
        """Answer the next request with tool calls."""
        self.script.append(Scripted(calls=((name, args), *more)))

    def stalls(self, seconds: float) -> None:
        """Answer the next request only after `seconds` (longer than the client's timeout)."""
        self.script.append(Scripted(text="too late", stall=seconds))

    def reads(self, intent: str, confidence: float = 0.9) -> None:
        """Answer the next structured-output request (understanding) with this reading."""
        self.readings.append({"intent": intent, "confidence": confidence, "entities": []})

    def chats(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat completion requests so far, understanding's left out."""
        return [r.json for r in self.calls("/chat/completions") if not _structured(r.json)]

    def route(self, request: Recorded) -> Reply:
        """Give the next scripted answer in the OpenAI format."""
        if not request.path.endswith("/chat/completions"):
            return Reply(404, {"error": {"message": "not found"}})
        if _structured(request.json):  # understanding's reading: its own queue, else an error
            if not self.readings:
                return Reply(500, {"error": {"message": "no reading scripted"}})
            answer = Scripted(text=json.dumps(self.readings.popleft()))
        else:
            answer = self.script.popleft() if self.script else Scripted(text="(nothing scripted)")
        if answer.stall:
            time.sleep(answer.stall)
        message: dict[str, Any] = {"role": "assistant", "content": answer.text}
        if answer.calls:
            message = {"role": "assistant", "content": None, "tool_calls": _calls(answer)}
        prompt, completion = answer.tokens
        return Reply(
            200,
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 0,
                "model": (request.json or {}).get("model", "fake"),
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                },
            },
        )


def _structured(body: Any) -> bool:
    """Whether a request asks for the understanding's structured reading."""
    if not isinstance(body, dict):
        return False
    names = [t.get("function", {}).get("name") for t in body.get("tools") or ()]
    schema = (body.get("response_format") or {}).get("json_schema") or {}
    return "LLMReading" in names or schema.get("name") == "LLMReading"


def _calls(answer: Scripted) -> list[dict[str, Any]]:
    return [
        {
            "id": f"call_{i}",
            "type": "function",
            "function": {
                "name": name,
                "arguments": args if isinstance(args, str) else json.dumps(args),
            },
        }
        for i, (name, args) in enumerate(answer.calls)
    ]

"""The optional chat-model path, against a local fake of an OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from flows.understanding import Context, Understander


class FakeOpenAI:
    """A tiny OpenAI-compatible /v1/chat/completions server; `mode` picks how it answers."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.answer: dict[str, Any] = {}
        self.requests: list[dict[str, Any]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                if fake.mode == "error":
                    self._send(500, {"error": {"message": "boom", "type": "server_error"}})
                    return
                if fake.mode == "slow":
                    time.sleep(1.5)
                content = "not json at all" if fake.mode == "garbage" else json.dumps(fake.answer)
                message: dict[str, Any] = {"role": "assistant", "content": content}
                if body.get("tools"):
                    name = body["tools"][0]["function"]["name"]
                    message = {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": name, "arguments": content},
                            }
                        ],
                    }
                self._send(
                    200,
                    {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.close()


def _model(fake: FakeOpenAI) -> ChatOpenAI:
    return ChatOpenAI(
        model="gpt-fake", base_url=fake.url, api_key=SecretStr("test-key"), max_retries=0, timeout=5
    )


def test_chat_model_answers_intent_and_entities(
    understanders: dict[str, Understander], ctx_en: Context, fake: FakeOpenAI
) -> None:
    fake.answer = {
        "intent": "book_viewing",
        "confidence": 0.93,
        "entities": [{"kind": "neighbourhood", "value": "Retiro", "text": "near the park"}],
    }
    u = understanders["real_estate"].with_chat_model(_model(fake), timeout=5)
    a = u.annotate("could I pop by the place near the park on saturday?", ctx_en)
    assert a.source == "llm"
    assert a.intent == "book_viewing" and a.intent_confidence == pytest.approx(0.93)
    assert ("neighbourhood", "Retiro") in [(e.kind, e.value) for e in a.entities]
    assert a.first("date") is not None  # offline dates are kept
    assert fake.requests, "the model was really called over HTTP"
    assert "book_viewing" in json.dumps(fake.requests[0])


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_falls_back_offline_when_the_model_fails(
    understanders: dict[str, Understander], ctx_en: Context, fake: FakeOpenAI, mode: str
) -> None:
    fake.mode = mode
    u = understanders["restaurant"].with_chat_model(_model(fake), timeout=5)
    a = u.annotate("can we get a table for 2 tonight at 8?", ctx_en)
    assert a.source == "offline"
    assert a.intent == "reserve_table"
    assert fake.requests


def test_falls_back_offline_on_timeout(
    understanders: dict[str, Understander], ctx_en: Context, fake: FakeOpenAI
) -> None:
    fake.mode = "slow"
    u = understanders["restaurant"].with_chat_model(_model(fake), timeout=0.2)
    a = u.annotate("can we get a table for 2 tonight at 8?", ctx_en)
    assert a.source == "offline" and a.intent == "reserve_table"


def test_unknown_intent_from_model_is_ignored(
    understanders: dict[str, Understander], ctx_en: Context, fake: FakeOpenAI
) -> None:
    fake.answer = {"intent": "order_pizza", "confidence": 0.99, "entities": []}
    u = understanders["dental"].with_chat_model(_model(fake), timeout=5)
    a = u.annotate("do you take aetna?", ctx_en)
    assert a.source == "offline" and a.intent == "insurance"


def test_rules_skip_the_model(
    understanders: dict[str, Understander], ctx_en: Context, fake: FakeOpenAI
) -> None:
    u = understanders["dental"].with_chat_model(_model(fake), timeout=5)
    assert u.annotate("STOP", ctx_en).intent == "opt_out"
    assert fake.requests == []

"""Answers over the demo documents: extractive, via a chat model (fake OpenAI server), declines."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from knowledge import KnowledgeBase
from knowledge.answers import DECLINE, trim


def test_extractive_answer_english_with_page_reference(demo_kb: KnowledgeBase) -> None:
    answer = demo_kb.answer("smile-dental", "How much is a dental cleaning?", "en", 300)
    assert answer.grounded and "60 €" in answer.text
    assert answer.text.startswith("According to Smile Dental price list 2025, p. 1: ")
    assert answer.references[0].page == 1 and len(answer.text) <= 300
    assert "**" not in answer.text and "|" not in answer.text


def test_spanish_question_finds_english_passage_and_cites_in_spanish(
    demo_kb: KnowledgeBase,
) -> None:
    answer = demo_kb.answer("smile-dental", "¿Qué precio tiene un implante dental?", "es", 300)
    assert answer.grounded and "1,250 €" in answer.text and answer.text.startswith("Según ")


@pytest.mark.xfail(
    reason="declined by the calibrated gate at its >= 0.95 unanswerable-declined operating point",
    strict=False,
)
def test_english_question_finds_spanish_menu(demo_kb: KnowledgeBase) -> None:
    answer = demo_kb.answer("casa-lucia", "Does the tarta de queso contain gluten?", "en", 300)
    assert answer.grounded and "gluten" in answer.text and "p. 2" in answer.text


def test_exact_term_found(demo_kb: KnowledgeBase) -> None:
    passages = demo_kb.search("smile-dental", "Do you work with Adeslas?", k=3)
    assert any("Adeslas" in p.text for p in passages)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("How much does a gum graft cost?", "en"),
        ("Do you have live music on Fridays?", "en"),
        ("¿Cuánto cuesta el pulpo a la gallega?", "es"),
    ],
)
def test_unknown_is_declined_with_offer_of_a_person(
    demo_kb: KnowledgeBase, question: str, language: str
) -> None:
    business = "casa-lucia" if "pulpo" in question or "music" in question else "smile-dental"
    answer = demo_kb.answer(business, question, language, 400)
    assert not answer.grounded and answer.references == ()
    assert answer.text == DECLINE[language]
    assert "€" not in answer.text


def test_answer_trimmed_to_channel_limit(demo_kb: KnowledgeBase) -> None:
    answer = demo_kb.answer("casa-lucia", "What are your opening hours?", "en", 120)
    assert answer.grounded and len(answer.text) <= 120


def test_trim_cuts_at_a_boundary() -> None:
    assert trim("short", 10) == "short"
    cut = trim("One sentence here. Another sentence that is long.", 30)
    assert cut == "One sentence here.…" and len(cut) <= 30


class FakeOpenAI:
    """A local OpenAI-compatible chat completions endpoint with a scripted reply."""

    def __init__(self) -> None:
        self.reply = "NOT_FOUND"
        self.requests: list[dict[str, Any]] = []
        self.port = 0

    @property
    def base_url(self) -> str:
        """What ChatOpenAI's base_url points at."""
        return f"http://127.0.0.1:{self.port}/v1"


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """Serve /v1/chat/completions on 127.0.0.1."""
    state = FakeOpenAI()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            payload = {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": body.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": state.reply},
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


def _chat(fake: FakeOpenAI) -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model="fake-model", base_url=fake.base_url, api_key="test", max_retries=0)


def test_chat_model_answers_from_passages_with_references(
    demo_kb: KnowledgeBase, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply = "A dental cleaning costs 60 € and takes about 45 minutes [1]."
    answer = demo_kb.answer(
        "smile-dental", "How much is a dental cleaning?", "en", 200, _chat(fake_openai)
    )
    assert answer.grounded
    assert answer.text.startswith("A dental cleaning costs 60 €")
    cited = answer.passages[0].reference  # the reply cites [1]: the best passage
    assert answer.references == (cited,) and "[1]" not in answer.text
    assert answer.text.endswith(
        f"(Source: {cited.title}{', p. ' + str(cited.page) if cited.page else ''})"
    )
    [request] = fake_openai.requests
    prompt = " ".join(m["content"] for m in request["messages"])
    assert "ONLY the numbered passages" in prompt and "cleaning" in prompt


def test_chat_model_not_found_becomes_decline(
    demo_kb: KnowledgeBase, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply = "NOT_FOUND"
    answer = demo_kb.answer(
        "smile-dental", "¿Cuánto cuesta una limpieza?", "es", 300, _chat(fake_openai)
    )
    assert not answer.grounded and answer.text == DECLINE["es"]


def test_chat_model_invented_price_is_rejected(
    demo_kb: KnowledgeBase, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply = "A cleaning costs 45 € [1]."  # 45 € is in no passage
    answer = demo_kb.answer(
        "smile-dental", "How much is a dental cleaning?", "en", 300, _chat(fake_openai)
    )
    assert "45 €" not in answer.text and "60 €" in answer.text  # extractive fallback


def test_chat_model_not_called_when_unanswerable(
    demo_kb: KnowledgeBase, fake_openai: FakeOpenAI
) -> None:
    answer = demo_kb.answer("casa-lucia", "Do you repair bicycles?", "en", 300, _chat(fake_openai))
    assert not answer.grounded and fake_openai.requests == []


def test_chat_model_failure_falls_back_to_extractive(demo_kb: KnowledgeBase) -> None:
    from langchain_openai import ChatOpenAI

    from .conftest import free_port

    dead = ChatOpenAI(
        model="x",
        base_url=f"http://127.0.0.1:{free_port()}/v1",
        api_key="t",
        max_retries=0,
        timeout=2,
    )
    answer = demo_kb.answer("smile-dental", "How much is a dental cleaning?", "en", 300, dead)
    assert answer.grounded and "60 €" in answer.text

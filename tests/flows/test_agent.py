"""The agent's guards as pure logic: a scripted in-process chat model and in-memory ports."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage

from flows.agent import AgentConfig, Usage, run_agent
from flows.ports import Booking, BookResult, Ports
from flows.types import BusinessInfo, Turn

NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday
BUSINESS = BusinessInfo(
    slug="b",
    name="Biz",
    template="restaurant",
    timezone="UTC",
    languages=("en", "es"),
    settings={"max_party": 8},
)


class ScriptedModel:
    """A chat model that answers from a list (an exception in the list is raised)."""

    def __init__(self, *answers: AIMessage | BaseException) -> None:
        self.answers = deque(answers)
        self.seen: list[list[BaseMessage]] = []

    def bind_tools(self, tools: Sequence[dict[str, Any]]) -> ScriptedModel:
        return self

    def invoke(self, messages: list[BaseMessage]) -> AIMessage:
        self.seen.append(list(messages))
        answer = self.answers.popleft()
        if isinstance(answer, BaseException):
            raise answer
        return answer


def call(name: str, **args: Any) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": name}])


class Tables:
    """Reservations of one customer, in memory."""

    def __init__(self) -> None:
        self.booked: list[Booking] = []

    def available(self, starts_at: datetime, party_size: int) -> bool:
        return all(b.starts_at != starts_at for b in self.booked)

    def alternatives(self, starts_at: datetime, party_size: int, limit: int) -> list[datetime]:
        return [starts_at + timedelta(hours=1)]

    def reserve(self, starts_at: datetime, party_size: int, requests: str) -> BookResult:
        if not self.available(starts_at, party_size):
            return BookResult(None, (starts_at + timedelta(hours=1),))
        booking = Booking(len(self.booked) + 1, "reservation", starts_at, party_size=party_size)
        self.booked.append(booking)
        return BookResult(booking)

    def waitlist(self, starts_at: datetime, party_size: int, requests: str) -> Booking:
        raise AssertionError("not used")

    def upcoming(self) -> list[Booking]:
        return list(self.booked)

    def cancel(self, booking_id: int) -> bool:
        return False

    def last_requests(self) -> str:
        return ""


def turn(text: str, state: dict[str, Any] | None = None, language: str = "en") -> Turn:
    return Turn(business=BUSINESS, text=text, language=language, state=state or {}, now=NOW)


WHEN = "2026-03-10T21:00"


def test_a_reservation_is_proposed_then_made_on_the_next_turn_yes() -> None:
    tables = Tables()
    ports = Ports(reservations=tables)
    model = ScriptedModel(
        call("propose_reservation", starts_at=WHEN, party_size=4),
        AIMessage(content="A table for 4 on Tue 2026-03-10 21:00: shall I reserve it?"),
    )
    first = run_agent(model, turn("table for 4 tomorrow at 9pm"), ports)
    assert first.outcome is not None and tables.booked == []
    assert first.outcome.state["agent"]["pending"]["action"] == "reserve"
    model = ScriptedModel(
        call("confirm_pending"), AIMessage(content="Reserved: 4 people, 2026-03-10 21:00.")
    )
    second = run_agent(model, turn("yes please", dict(first.outcome.state)), ports)
    assert second.result == "ok" and [b.party_size for b in tables.booked] == [4]
    assert second.outcome is not None and second.outcome.state["agent"]["pending"] is None


def test_a_stale_proposal_cannot_be_confirmed() -> None:
    tables = Tables()
    state = {
        "turns": 9,
        "agent": {
            "pending": {
                "action": "reserve",
                "starts_at": WHEN + ":00+00:00",
                "party_size": 2,
                "summary": "x",
                "turn": 2,
            }
        },
    }
    model = ScriptedModel(call("confirm_pending"), AIMessage(content="Sorry, which time?"))
    result = run_agent(model, turn("yes", state), Ports(reservations=tables))
    assert result.result == "ok" and tables.booked == []
    assert "Nothing to confirm" in str(model.seen[-1][-1].content)


def test_a_party_over_the_limit_is_refused_as_out_of_range() -> None:
    model = ScriptedModel(call("propose_reservation", starts_at=WHEN, party_size=30))
    result = run_agent(model, turn("table for 30"), Ports(reservations=Tables()))
    assert result.outcome is None and result.result == "bad_tool_call"


def test_what_was_done_is_still_told_when_the_model_fails_afterwards() -> None:
    tables = Tables()
    state = {
        "turns": 1,
        "agent": {
            "pending": {
                "action": "reserve",
                "starts_at": WHEN + ":00+00:00",
                "party_size": 2,
                "summary": "table for 2",
                "turn": 1,
            }
        },
    }
    model = ScriptedModel(call("confirm_pending"), ConnectionResetError("gone"))
    result = run_agent(model, turn("sí", state, "es"), Ports(reservations=tables))
    assert result.result == "model_failed" and len(tables.booked) == 1
    assert result.outcome is not None
    assert result.outcome.replies[0].text == "Hecho: table for 2."


def test_a_spent_budget_makes_no_call() -> None:
    model = ScriptedModel()
    config = AgentConfig(max_tokens=100)
    result = run_agent(model, turn("hi"), Ports(), config=config, spent=Usage(3, 90, 20))
    assert result.outcome is None and result.result == "budget" and model.seen == []


def test_a_model_that_only_calls_tools_runs_out_of_rounds() -> None:
    model = ScriptedModel(*[call("what_we_know") for _ in range(3)])
    result = run_agent(model, turn("hi"), Ports(), config=AgentConfig(max_rounds=3))
    assert result.outcome is None and result.result == "budget" and result.usage.calls == 3


def test_a_model_without_tool_calling_is_not_used() -> None:
    class Plain:
        def bind_tools(self, tools: Sequence[dict[str, Any]]) -> Any:
            raise NotImplementedError

    result = run_agent(Plain(), turn("hi"), Ports())
    assert result.outcome is None and result.result == "model_failed"


def test_spanish_formal_register_is_asked_for() -> None:
    model = ScriptedModel(AIMessage(content="Buenos días, ¿en qué puedo ayudarle?"))
    state = {"tone": "formal"}
    result = run_agent(model, turn("Buenos días", state, "es"), Ports())
    assert result.result == "ok"
    assert "Reply in Spanish, addressing the customer as usted" in str(model.seen[0][0].content)

"""The brain's steps, in the order `Brain.think` runs them over one inbound message.

Each step reads and adds to a `Thought`. A step that has the final answer (a person takes
over, a memory command is answered) sets `thought.final`; the rest are skipped. The engine's
outcome then goes through `remember` and `welcome_back`, which only ever `replace` fields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from flows import engine, memory
from flows.ports import Knowledge, Ports
from flows.types import BusinessInfo, Outcome, Reply, Turn
from flows.understanding import Annotations
from gateway.analytics.unanswered import RecordingKnowledge, note_declined
from gateway.bot import escalation, llm
from gateway.bot.knowledge import knowledge_port
from gateway.bot.ports import build_ports
from gateway.core.runtime import Runtime
from gateway.store.facts import delete_facts, load_facts, save_facts
from gateway.store.models import Business, Contact, Conversation, Message

log = logging.getLogger(__name__)

REMEMBERED_CONFIDENCE = 0.9
"""A slot the customer answered in a flow is as good as a clear statement."""
MEMORY_COMMANDS = ("forget_me", "forget_fact")


@dataclass
class Thought:
    """One inbound message on its way through the steps, and what they found out."""

    rt: Runtime
    session: Session
    business: Business
    conv: Conversation
    contact: Contact
    message: Message
    annotations: Annotations
    now: datetime
    facts: tuple[memory.Fact, ...] = ()
    returning: bool = False
    told_us_something: bool = False
    ports: Ports | None = None
    recorder: RecordingKnowledge | None = None
    outcome: Outcome | None = None
    final: bool = False

    def finish(self, outcome: Outcome) -> None:
        """This is the answer: no later step runs."""
        self.outcome = outcome
        self.final = True


def escalate(t: Thought) -> None:
    """A person takes over (asked for, frustrated, VIP): the bot's last words."""
    handed = escalation.escalate(t.session, t.business, t.conv, t.contact, t.annotations, t.now)
    if handed is not None:
        t.finish(handed)


def recall(t: Thought) -> None:
    """What we already know about the contact, and whether they are coming back."""
    t.facts = tuple(load_facts(t.session, t.contact))
    t.returning = bool(t.facts) and not t.conv.flow_state.get("turns")


def memory_commands(t: Thought) -> None:
    """ "Forget me" / "forget my phone": done and confirmed before anything is learned."""
    if t.annotations.intent in MEMORY_COMMANDS:
        t.finish(_memory_reply(t))


def learn_facts(t: Thought) -> None:
    """Facts the message states (name, phone, preferences) merged into the profile."""
    learned = memory.facts_from(
        t.annotations, t.message.text, str(t.message.id), t.now, t.contact.display_name
    )
    t.facts = memory.merge(t.facts, learned)
    save_facts(t.session, t.contact, t.facts)
    t.told_us_something = any(f.key != "language" for f in learned)


def what_we_know(t: Thought) -> None:
    """ "What do you know about me?" answered from the profile (unless it also told us more)."""
    if t.annotations.intent == "what_do_you_know" and not t.told_us_something:
        t.finish(_memory_reply(t))


def bind_ports(t: Thought) -> None:
    """The template's ports over the database, bound to this customer."""
    knowledge = _knowledge(t.rt, t.session, t.business)
    t.recorder = RecordingKnowledge(knowledge) if knowledge is not None else None
    t.ports, _ = build_ports(t.rt, t.session, t.business, t.contact, t.conv, t.recorder)


def ask_model(t: Thought) -> None:
    """With a chat model configured, it answers through the flows' actions as tools."""
    assert t.ports is not None
    t.outcome = llm.agent_turn(
        t.rt.settings, t.session, t.business, t.conv, t.message, _turn(t), t.ports
    )


def run_engine(t: Thought) -> None:
    """The flow engine's replies and next state for this turn (unless the model answered)."""
    assert t.ports is not None
    if t.outcome is None:
        t.outcome = engine.respond(_turn(t), t.ports)
    if t.recorder is not None:
        replies = [r.text for r in t.outcome.replies]
        note_declined(t.session, t.recorder, t.conv, t.message, replies)


def _turn(t: Thought) -> Turn:
    return Turn(
        business=business_info(t.business),
        text=t.message.text,
        payload=t.message.payload,
        language=t.annotations.language,
        customer_name=_fact_value(t.facts, "name") or t.contact.display_name,
        state=dict(t.conv.flow_state),
        facts={f.key: f.value for f in t.facts},
        annotations=t.annotations,
        returning=t.returning,
        now=t.now,
    )


def remember(t: Thought) -> None:
    """Store the answers the flow asked to remember (state["remember"]) as profile facts."""
    assert t.outcome is not None
    state = dict(t.outcome.state)
    answers = state.pop("remember", None) or {}
    if not answers:
        return
    learned = [
        memory.Fact(key, value, REMEMBERED_CONFIDENCE, str(t.message.id), t.now)
        for key, value in answers.items()
    ]
    save_facts(t.session, t.contact, memory.merge(t.facts, learned))
    if "name" in answers and not t.contact.display_name:
        t.contact.display_name = str(answers["name"])
    t.outcome = replace(t.outcome, state=state)


def welcome_back(t: Thought) -> None:
    """A returning customer is greeted by name before the flow's own replies."""
    assert t.outcome is not None
    # only a bare hello gets our suggestion; a request under way, an answer or a change to
    # a booking has its own question, and a "yes" must not answer two of them
    asking = "form" not in t.outcome.state and not t.outcome.replies
    if t.returning and (greeting := memory.welcome_back(t.facts, t.annotations.language, asking)):
        t.outcome = replace(t.outcome, replies=(Reply(text=greeting), *t.outcome.replies))


PIPELINE: tuple[Callable[[Thought], None], ...] = (
    escalate,
    recall,
    memory_commands,
    learn_facts,
    what_we_know,
    bind_ports,
    ask_model,
    run_engine,
    remember,
    welcome_back,
)


def business_info(business: Business) -> BusinessInfo:
    """The plain view of a business the flows get."""
    return BusinessInfo(
        slug=business.slug,
        name=business.name,
        template=business.template,
        timezone=business.timezone,
        languages=tuple(business.languages) or ("en",),
        settings=dict(business.settings),
    )


def _knowledge(rt: Runtime, session: Session, business: Business) -> Knowledge | None:
    """The business's one answer path, the same as the admin API's (`knowledge_port`)."""
    return knowledge_port(rt.settings, session, business)


def _fact_value(facts: tuple[memory.Fact, ...], key: str) -> Any:
    return next((f.value for f in facts if f.key == key), None)


def _memory_reply(t: Thought) -> Outcome:
    language = t.annotations.language
    flow_state = t.conv.flow_state
    state = dict(flow_state) | {"turns": int(flow_state.get("turns", 0)) + 1}
    state.pop("offer", None)  # a "yes" after this answers nothing the bot offered before
    facts = list(t.facts)
    formal = t.annotations.tone == "formal" or flow_state.get("tone") == "formal"  # usted
    if t.annotations.intent == "what_do_you_know":
        known = memory.render_known(facts, language, formal)
        return Outcome(replies=(Reply(text=known),), state=state)
    request = memory.parse_forget(t.message.text) or memory.ForgetRequest(everything=True)
    _, removed = memory.apply_forget(facts, request)
    delete_facts(t.session, t.contact, None if request.everything else [f.key for f in removed])
    if request.everything:
        # "" (not None): erased, so the channel's profile name is not taken back on the next
        # message (resolve_contact only fills a name never set)
        t.contact.display_name = ""
    log.info(
        "profile facts forgotten",
        extra={
            "business_id": t.contact.business_id,
            "contact_id": t.contact.id,
            "everything": request.everything,
            "removed": len(removed),
        },
    )
    text = memory.forget_confirmation(request, removed, language, formal)
    return Outcome(replies=(Reply(text=text),), state=state)

"""The flow engine: one customer message in, the bot's replies and next state out.

`respond(turn, ports)` picks the business's template (flows.templates), then, in order:
expires a silent half-filled form; handles a pending offer (a person, a recall, ...); lets the
template's `before` hook act (emergencies, urgent dates); continues the form in progress
(corrections, a question mid-form answered then resumed, cancel, start over, confirmation);
or routes the intent. Two misunderstandings in a row offer a person.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from flows import actions, forms
from flows.forms import Ctx
from flows.ports import Ports
from flows.types import Option, Outcome, Reply, Turn

_GREETING = re.compile(r"^\s*(hi|hello|hey|hola|buenas|buenos d[ií]as)\b", re.IGNORECASE)
_START_OVER = re.compile(
    r"\b(?:start over|start again|restart|from the (?:start|beginning)|empezar de nuevo|"
    r"volver a empezar|desde el principio|empecemos de nuevo|de nuevo desde cero)\b"
)
_STOP = re.compile(
    r"^\s*(?:cancel|stop|forget it|never mind|nevermind|cancela|cancelar|dejalo|olvidalo|"
    r"para|no importa|da igual)\b"
)
_KEYWORDS = (
    (re.compile(r"\b(?:cancel\w*|anul\w*)\b"), "cancel"),
    (
        re.compile(r"\b(?:reschedul\w*|move my|cambiar (?:mi|la) (?:cita|reserva)|mover)\b"),
        "reschedule",
    ),
)
QUESTION_INTENTS = frozenset(
    {"question", "insurance", "hours", "pricing", "menu", "fees", "case_status"}
)
CLEAR_INTENT = 0.8

_ECHO = {
    "en": {
        "welcome": "Hello{name}! Welcome to {business}. How can I help you today?",
        "echo": "You said: {text}",
        "help": "How can I help you today?",
    },
    "es": {
        "welcome": "¡Hola{name}! Bienvenido a {business}. ¿En qué puedo ayudarte?",
        "echo": "Has dicho: {text}",
        "help": "¿En qué puedo ayudarte hoy?",
    },
}


def respond(turn: Turn, ports: Ports | None = None) -> Outcome:
    """Decide the replies, the next flow state and any handoff for one customer message."""
    from flows.templates import get_template

    template = get_template(turn.business.template)
    if template is None:
        return _echo(turn)
    state: dict[str, Any] = _copy(dict(turn.state))
    state["turns"] = int(state.get("turns", 0)) + 1
    ctx = Ctx(turn=turn, ports=ports or Ports(), template=template, state=state)
    _remember_tone(ctx)
    with contextlib.suppress(forms.Stop):
        _run(ctx)
    if not ctx.replies and not turn.returning:
        ctx.say(ctx.t("anything_else"), template.menu(ctx))
    if "form" in state:
        state["form"]["at"] = ctx.now.isoformat()
    return Outcome(
        replies=tuple(ctx.replies),
        state=state,
        handoff_reason=ctx.handoff[0] if ctx.handoff else None,
        handoff_priority=ctx.handoff[1] if ctx.handoff else 1,
    )


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _remember_tone(ctx: Ctx) -> None:
    # A customer who writes formally once is addressed formally for the whole conversation.
    if ctx.turn.annotations is not None and ("tone" not in ctx.state or ctx.a.tone == "formal"):
        ctx.state["tone"] = ctx.a.tone


def _run(ctx: Ctx) -> None:
    template = ctx.template
    if forms.expired(ctx):
        ctx.state.pop("form", None)
        ctx.state.pop("offer", None)
        ctx.say(ctx.t("form_expired"))
    if _pending_offer(ctx):
        return
    if template.before is not None and template.before(ctx):
        return
    form = forms.form_of(ctx)
    if form is not None:
        _continue_form(ctx, form)
        return
    _route(ctx)


def _pending_offer(ctx: Ctx) -> bool:
    """Answer a yes/no offer the bot made last turn (a person, a recall, a viewing...)."""
    offer = ctx.state.get("offer")
    if ctx.payload == "person" or (offer == "person" and ctx.affirmed()):
        ctx.state.pop("offer", None)
        ctx.state["misses"] = 0
        ctx.say(ctx.t("handing_to_person"))
        ctx.hand_off("the customer accepted a person after misunderstandings", 1)
        return True
    if offer is None:
        return False
    ctx.state.pop("offer", None)
    if offer == "person":
        if ctx.payload == "continue" or ctx.denied():
            ctx.state["misses"] = 0
            form = forms.form_of(ctx)
            if form is not None:
                slot = form.slot(ctx.state["form"].get("asked") or "")
                if slot is not None:
                    forms.ask(ctx, slot, ctx.state["form"]["values"], reask=True)
                    return True
            ctx.say(ctx.t("how_can_i_help"), ctx.template.menu(ctx))
            return True
        return False
    handler = ctx.template.offers.get(offer)
    if handler is None:
        return False
    if ctx.affirmed():
        handler(ctx, True)
        return True
    if ctx.denied():
        handler(ctx, False)
        return True
    return False


def _continue_form(ctx: Ctx, form: forms.Form) -> None:
    fs = ctx.state["form"]
    if _START_OVER.search(ctx.folded) or ctx.payload == "restart":
        ctx.say(ctx.t("starting_over"))
        forms.start_form(ctx, form.name)
        return
    if ctx.payload == "stop" or (
        not ctx.payload
        and (
            _STOP.match(ctx.folded) or (ctx.a.intent == "cancel" and ctx.a.intent_confidence > 0.9)
        )
        and not fs.get("confirming_cancel")
    ):
        ctx.state.pop("form", None)
        ctx.state["misses"] = 0
        ctx.say(ctx.t("form_cancelled"), ctx.template.menu(ctx))
        return
    if fs.get("confirming"):
        if forms.confirm_reply(ctx, form):
            ctx.state["misses"] = 0
            return
        if _digression(ctx):
            ctx.say(
                form.summary(ctx, fs["values"]) if form.summary else "",
                ctx.yes_no("opt_confirm", "opt_change"),
            )
            return
        _miss(ctx, lambda: ctx.say(ctx.t("confirm_reask"), ctx.yes_no("opt_confirm", "opt_change")))
        return
    asked = fs.get("asked")
    changed = forms.fill(ctx, form, asked)
    if changed or fs.get("rejected"):
        ctx.state["misses"] = 0
        if fs.get("rejected") and fs["rejected"] == asked:
            fs.pop("rejected", None)
            return
        fs.pop("rejected", None)
        forms.advance(ctx)
        return
    if _digression(ctx):
        slot = form.slot(asked or "")
        if slot is not None:
            forms.ask(ctx, slot, fs["values"])
        else:
            forms.advance(ctx)
        return
    slot = form.slot(asked or "")

    def reask() -> None:
        if slot is not None:
            forms.ask(ctx, slot, fs["values"], reask=True)
        else:
            forms.advance(ctx)

    _miss(ctx, reask)


def _digression(ctx: Ctx) -> bool:
    """A question in the middle of a form: answer it (the caller then resumes the form)."""
    intent = ctx.intent()
    looks_like_question = "?" in ctx.text or "¿" in ctx.text
    if intent == "human" and ctx.a.intent_confidence >= 0.9 and ctx.a.first("name") is None:
        ctx.say(ctx.t("handing_to_person"))
        ctx.hand_off("the customer asked for a person", 1)
        return False
    if not (
        looks_like_question
        or (intent in QUESTION_INTENTS and ctx.a.intent_confidence >= CLEAR_INTENT)
    ):
        return False
    answer = ctx.template.answer(ctx)
    # The form's next question may be a yes/no one: a "yes" to it must not accept a person.
    ctx.state.pop("offer", None)
    if answer is None:
        return False
    ctx.say(answer)
    return True


def _miss(ctx: Ctx, reask: Any) -> None:
    """One more misunderstanding: re-ask, or after two in a row, offer a person."""
    if ctx.handoff is not None:
        return
    misses = int(ctx.state.get("misses", 0)) + 1
    ctx.state["misses"] = misses
    if misses >= 2:
        ctx.state["offer"] = "person"
        ctx.say(
            ctx.t("offer_person"),
            (Option("person", ctx.t("opt_person")), Option("continue", ctx.t("opt_keep_trying"))),
        )
        return
    reask()


def _route(ctx: Ctx) -> None:
    """No form in progress: act on what the customer wants."""
    template = ctx.template
    intent = ctx.intent()
    declined = None
    if _plain_question(ctx):
        found = actions.answer_question(ctx.ports.knowledge, ctx.text, ctx.lang)
        if found is not None and found.grounded:
            ctx.state["misses"] = 0
            ctx.say(found.text)
            return
        declined = found.text if found is not None and found.text else None
    asks = intent in QUESTION_INTENTS or bool(_PRICE_WORDS.search(ctx.folded))
    small_talk = intent in ("greeting", "goodbye", "thanks", "affirm", "deny")
    vague = (
        ctx.a.intent_confidence < CLEAR_INTENT
        or intent in QUESTION_INTENTS
        or (small_talk and len(ctx.text.split()) >= 4)
    )
    if vague and not ctx.payload:
        for pattern, route in (*_KEYWORDS, *template.keywords):
            if pattern.search(ctx.folded) and route in template.routes:
                intent = route
                break
    handler = template.routes.get(ctx.payload) or template.routes.get(intent)
    if declined and (handler is None or asks):
        # An information question neither the settings nor the documents answer: the honest
        # "I don't know" offering a person, never a form started on a keyword of the question
        # ("how much is an appointment?"). "Can I book an appointment?" still books.
        ctx.state["misses"] = 0
        ctx.state["offer"] = "person"
        ctx.say(declined)
        return
    if handler is not None:
        ctx.state["misses"] = 0
        handler(ctx)
        return
    if intent == "human" and ctx.a.intent_confidence >= 0.9 and ctx.a.first("name") is None:
        # normally escalated by the gateway before the engine runs; this is the fallback
        ctx.say(ctx.t("handing_to_person"))
        ctx.hand_off("the customer asked for a person", 1)
        return
    if intent in QUESTION_INTENTS or "?" in ctx.text or "¿" in ctx.text:
        answer = template.answer(ctx)
        if answer is not None:
            ctx.state["misses"] = 0
            ctx.say(answer)
            return
    if intent in ("greeting",) or (_GREETING.match(ctx.text) and intent == "unknown"):
        ctx.state["misses"] = 0
        if ctx.turn.returning:
            return
        name = f", {ctx.turn.customer_name}" if ctx.turn.customer_name else ""
        ctx.say(ctx.t("welcome", name=name), template.menu(ctx))
        return
    if intent == "thanks":
        ctx.say(ctx.t("you_are_welcome"))
        return
    if intent == "goodbye":
        ctx.say(ctx.t("goodbye"))
        return
    if intent == "complaint":
        ctx.say(ctx.t("sorry_complaint"), (Option("person", ctx.t("opt_person")),))
        return
    if ctx.state["turns"] == 1 and not ctx.turn.returning:
        name = f", {ctx.turn.customer_name}" if ctx.turn.customer_name else ""
        ctx.say(ctx.t("welcome", name=name), template.menu(ctx))
        return
    _miss(ctx, lambda: ctx.say(ctx.t("didnt_understand"), template.menu(ctx)))


_PRICE_WORDS = re.compile(
    r"\b(?:how much|cost|costs|price\w*|fee|fees|charge|cuanto (?:cuesta|cuestan|vale|valen|es|"
    r"cobr\w*)|precio\w*|tarifa\w*|honorarios)\b"
)
_ACTION_ENTITIES = frozenset({"datetime", "date", "party_size", "money", "service"})
_QUESTION_START = re.compile(
    r"^(?:how|what|when|where|which|who|why|do|does|is|are|can|could|will|would|should|"
    r"cuanto\w*|cual\w*|que|donde|cuando|como|quien\w*|hay|haceis|teneis|tienen|aceptais|"
    r"podeis|puedo)\b"
)


def _plain_question(ctx: Ctx) -> bool:
    """A question with nothing to act on ("do you do video calls?"): documents answer first."""
    if ctx.payload or ctx.intent() in ("human", "emergency", "greeting", "thanks", "goodbye"):
        return False
    asked = "?" in ctx.text or "¿" in ctx.text or bool(_QUESTION_START.match(ctx.folded))
    if asked and _PRICE_WORDS.search(ctx.folded):
        return True  # "how much is an appointment for a cleaning?" asks, it does not book
    return asked and not any(e.kind in _ACTION_ENTITIES for e in ctx.a.entities)


def _echo(turn: Turn) -> Outcome:
    """The skeleton's greeting/echo flow (template "echo")."""
    texts = _ECHO.get(turn.language, _ECHO["en"])
    turns_seen = int(turn.state.get("turns", 0))
    name = f", {turn.customer_name}" if turn.customer_name else ""
    if turn.returning and turns_seen == 0:
        reply = texts["help"]
    elif turns_seen == 0 or _GREETING.match(turn.text):
        reply = texts["welcome"].format(name=name, business=turn.business.name)
    else:
        reply = texts["echo"].format(text=turn.text)
    return Outcome(replies=(Reply(text=reply),), state={**turn.state, "turns": turns_seen + 1})

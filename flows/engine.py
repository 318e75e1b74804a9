"""The flow engine: one customer message in, the bot's replies and next state out.

`respond(turn, ports)` picks the business's template (flows.templates), then, in order:
expires a silent half-filled form; hands over to a person when asked, at any point; handles an
emergency, at any point; answers a pending offer (a person, a recall, ...); lets the template's
`before` hook act; continues the form in progress (values for any slot in any order,
corrections said back in one line, a question or small talk answered and the form resumed
with its pending question, cancel, start over, confirmation and one-slot changes there); or
routes the intent (small talk, compliments and calm complaints get their own short answer).
Two misunderstandings in a row offer a person.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from typing import Any

from flows import forms
from flows.forms import ANSWERED, CLEAR_INTENT, NO_ANSWER, QUESTION_INTENTS, Ctx, say_answer
from flows.ports import Ports
from flows.types import Option, Outcome, Reply, Turn
from flows.understanding.types import Annotations

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
_PERSON = re.compile(
    r"\b(?:(?:talk|speak|chat)(?:ing)? (?:to|with) (?:a |an |the |some |your )?"
    r"(?:human|person|real person|someone|somebody|staff|owner|manager|"
    r"receptionist|operator|people)(?! (?:about|for|regarding))|"
    r"(?:a|an) (?:human|real person|actual person|human being)|"
    r"(?:not|no more|stop) (?:talking to )?(?:a |this )?(?:bot|robot|machine)|"
    r"put me through|transfer me|hablar con (?:una |un |el |la |alguna |alguien|algun )?"
    r"(?:persona|humano|alguien|encargad[oa]|dueno|duena|responsable|recepcion\w*|"
    r"operador[a]?)(?! (?:sobre|para|de mi|por))|(?:una )?persona real|un humano|"
    r"(?:no|sin) (?:quiero hablar con )?(?:un |una |el )?(?:bot|robot|maquina)|"
    r"pasame con|paseme con|paseme|pasame|"
    r"(?:pasar|pase|pases|pasa|poner|ponga|pongas)(?:me)? con (?:una persona|alguien|un "
    r"(?:abogado|agente|humano|responsable|encargado)|una (?:abogada|agente|encargada))|"
    r"(?:que )?me llame (?:un|una|alguien|el|la)\b(?! vez)|"
    r"(?:un abogado|una abogada|alguien|un agente|una persona) (?:me )?(?:llame|conteste|"
    r"responda|atienda)|someone (?:call|ring|phone) me|(?:have|get) (?:a|an|someone|somebody)"
    r" (?:\w+ )?(?:to )?call me|(?:is|are) (?:there )?(?:any ?one|any ?body|someone) there|"
    r"hay alguien|alguien ahi|speak to an? (?:agent|lawyer|attorney|dentist))\b"
)
_URGENT = re.compile(
    r"\b(?:urgent\w*|emergenc\w*|"
    r"deport\w*|detenid\w*|detained|arrested|retuvieron|retenid\w*|"
    r"water (?:pouring|everywhere|coming)|flood\w*|inundad\w*|inundacion|fuga de (?:agua|gas)|"
    r"gas leak|smell of gas|huele a gas|fire|incendio|electrics|cortocircuito)\b|^help\b"
)
_HASTE = re.compile(r"\b(?:asap|right now|ahora mismo|cuanto antes|lo antes posible)\b")
_HURTS = re.compile(
    r"\b(?:pain|hurts?|aching|ache|swollen|swelling|bleed\w*|broke\w*|knocked out|abscess|"
    r"dolor|duele|hinchad\w*|hinchazon|sangr\w*|rot[oa]|partid[oa]|flemon|absceso|infecc\w*)\b"
)
_REACTION = re.compile(
    r"\b(?:reaction|reacting|reaccion\w*|breath\w*|respir\w*|swell\w*|swollen|hinch\w*|"
    r"anaphyla\w*|anafila\w*|epipen|hives|urticaria|throat|garganta|ambulan\w*|112|911|"
    r"ate|eaten|comio|comido|comi|sick|mareo|mareado|vomit\w*)\b"
)
_ANNOYED = re.compile(
    r"\b(?:nobody|no one|no-one|nadie|ridiculous|ridicul\w*|unacceptable|inaceptable|"
    r"verguenza|disgrace|shame|harto|harta|fed up|sick of|tired of|three times|3 times|"
    r"tres veces|3 veces|otra vez|again|already|ya os|ya te|ya les|llevo una semana|"
    r"a week|una semana|still waiting|sigo esperando|increible que|es increible|"
    r"unbelievable|useless|inutil|pesimo|terrible|awful|worst|peor)\b"
)
_COMPLIMENT = re.compile(
    r"\b(?:great|amazing|awesome|excellent|wonderful|fantastic|lovely|brilliant|superb|"
    r"delicious|best|love|loved|kind|friendly|professional|thank you so much for|"
    r"genial|increible|excelente|maravillos\w*|fantastic\w*|estupend\w*|encant\w*|"
    r"buenisim\w*|riquisim\w*|delicios\w*|el mejor|la mejor|los mejores|de diez|"
    r"amabilisim\w*|majisim\w*|muy amables|muy profesional\w*|un diez|top)\b"
)
_PRAISED = re.compile(
    r"\b(?:you|your|you'?re|service|staff|team|food|place|clinic|restaurant|doctor|dentist|"
    r"lawyers?|attorneys?|job|work|agency|agents?|meal|dinner|lunch|everyone|dishes|"
    r"sois|son|eres|es|servicio|equipo|comida|trato|sitio|clinica|restaurante|doctora?|"
    r"dentista|abogad\w*|trabajo|agencia|cena|comida|platos|todos|atencion|vuestr\w*)\b"
)
_SMALL_TALK = re.compile(
    r"^(?:(?:hi|hello|hey|hola|buenas)[,!. ]*)?(?:how are you|how'?s it going|how are things|"
    r"how'?s your day|how is your day|how do you do|que tal|como estas|como esta usted|"
    r"como va|que tal estas|como te va)\b"
)
_BOT_QUESTION = re.compile(
    r"\b(?:are you (?:a |an )?(?:bot|robot|human|real|person|machine|ai)|"
    r"(?:eres|es usted) (?:un |una )?(?:bot|robot|humano|persona|maquina|real|ia))\b"
)
_COMPLAINT = re.compile(
    r"\b(?:rude|cold|overcharged|wrong bill|charged twice|waited|disappointed|not happy|"
    r"unhappy|dirty|terrible|awful|bad experience|never called|no one called|nobody called|"
    r"maleducad\w*|borde|frio|fria|cobrado de mas|cobraron de mas|decepcionad\w*|"
    r"no me gusto|sucio|sucia|mala experiencia|nadie me llamo|no me llamaron|esperando)\b"
)

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
    if _person(ctx) or _emergency(ctx) or _frustrated(ctx):
        return
    if _pending_offer(ctx):
        return
    if template.before is not None and template.before(ctx):
        return
    form = forms.form_of(ctx)
    if form is not None:
        _continue_form(ctx, form)
        return
    if _amend(ctx):
        return
    _route(ctx)


AMEND_MINUTES = 60


def _amend(ctx: Ctx) -> bool:
    """A correction just after a commit ("actually we're 5", "we can go up to 1,700"): the
    record is changed (the lead saved again, the booking moved), never a second one made."""
    last = ctx.scratch.get("last") or {}
    done = ctx.template.forms.get(str(last.get("form", "")))
    if done is None or done.amend is None or ctx.payload or ctx.is_question():
        return False
    if ctx.now - datetime.fromisoformat(last["at"]) > timedelta(minutes=AMEND_MINUTES):
        return False
    if not ctx.correcting() and ctx.intent() in ctx.template.routes:
        return False  # a new request ("and a table for Sunday too") is routed as one
    changed = forms.changes(ctx, done, last["values"])
    target = ctx.template.forms[done.amend]
    if not changed or any(target.slot(name) is None for name in changed):
        return False
    ctx.state["misses"] = 0
    forms.say_changes(ctx, done, changed)
    kept = {k: v for k, v in last["values"].items() if k not in changed}
    if target is done:
        forms.start_form(ctx, done.name, kept)
    else:
        ctx.template.routes["reschedule"](ctx)
    return True


def _person(ctx: Ctx) -> bool:
    """ "A person, please" wins at any point, in any form: the form is left, nothing booked."""
    asked = ctx.payload == "person" or (not ctx.payload and asks_for_person(ctx.a, ctx.folded))
    if not asked:
        return False
    ctx.state.pop("form", None)
    ctx.state.pop("offer", None)
    ctx.state["misses"] = 0
    ctx.say(ctx.t("handing_to_person"))
    ctx.hand_off("the customer asked for a person", 2)
    return True


def asks_for_person(a: Annotations, folded: str, confidence: float = 0.6) -> bool:
    """The customer asks for a person: in so many words, or as the classifier reads it, unless
    the message gives a phone or an e-mail ("you can reach me at ...", read as "human")."""
    if _PERSON.search(folded):
        return True
    giving = any(e.kind in ("phone", "email") for e in a.entities)
    return a.intent == "human" and a.intent_confidence >= confidence and not giving


def _emergency(ctx: Ctx) -> bool:
    """An emergency wins at any point: the template's own way (a first urgent slot) or an
    apology and an urgent handoff."""
    a = ctx.a
    # "asap" alone is haste ("we need to move asap"), an emergency only beside one
    said = bool(
        _URGENT.search(ctx.folded) or _HURTS.search(ctx.folded) or _HASTE.search(ctx.folded)
    )
    # A day with a time and no urgent words reads as a booking ("Under Marta, Friday at
    # 9pm"): the urgency score alone (high for any near time) does not make it an emergency.
    booking = any(e.kind == "datetime" for e in a.entities) and not said
    # "cancel our table, my partner's sick": a change to a booking, whatever the urgency score
    # ("I need to cancel my appointment tomorrow, something came up"): with no urgent word at
    # all, even a weak cancel/move reading outweighs the urgency score of a near date
    if (
        a.intent in ("cancel", "reschedule")
        and a.intent_confidence >= (0.8 if said else 0.4)
        and not (_URGENT.search(ctx.folded) or _HURTS.search(ctx.folded))
    ):
        return False
    # "I'm allergic to nuts" is a note for the kitchen; a reaction is the emergency.
    if any(e.kind == "allergen" for e in a.entities) and not (
        _REACTION.search(ctx.folded) or _URGENT.search(ctx.folded)
    ):
        return False
    dated = any(e.kind in ("date", "datetime") for e in a.entities)  # a hearing on Monday
    if ctx.state.get("form") and not said and not dated and a.intent_confidence < 0.8:
        return False  # mid-form, a weak guess on an answer ("Elena Ruiz") is not an emergency
    urgent = (
        (a.intent == "emergency" and a.intent_confidence >= 0.8)
        or (a.intent == "emergency" and (said or (a.urgency >= 0.3 and not booking)))
        or (a.urgency >= 0.7 and not booking)
        or bool(_URGENT.search(ctx.folded))
    )
    if not urgent or ctx.payload or (ctx.state.get("form") or {}).get("name") == "urgent":
        return False
    handled = ctx.template.emergency(ctx) if ctx.template.emergency is not None else False
    if handled is None:  # the template's own judgement: not an emergency for this business
        return False
    ctx.state.pop("offer", None)
    ctx.state["misses"] = 0
    if handled:
        return True
    ctx.state.pop("form", None)
    ctx.say(ctx.t("emergency"))
    ctx.hand_off(f"emergency: {ctx.text[:120]}", 3)
    return True


def _annoyance(ctx: Ctx) -> int:
    """How many signs of annoyance a message shows: shouting, "!!!"/"???", "nobody called",
    "three times", "a week waiting"."""
    letters = [c for c in ctx.text if c.isalpha()]
    shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6
    marks = bool(re.search(r"[!?¿¡]{3,}", ctx.text))
    words = len(_ANNOYED.findall(ctx.folded))
    return int(shouting) + int(marks) + min(words, 2) + (1 if a_complaint(ctx) else 0)


def a_complaint(ctx: Ctx) -> bool:
    """The classifier reads a complaint, in a message that does not answer the form ("me
    llamo Marta, mi marido es Pablo" is not one)."""
    answers = any(e.kind in _ANSWER_ENTITIES for e in ctx.a.entities)
    return ctx.a.intent == "complaint" and ctx.a.intent_confidence >= 0.5 and not answers


_ANSWER_ENTITIES = frozenset({"name", "phone", "email", "datetime", "date", "party_size"})


def _frustrated(ctx: Ctx) -> bool:
    """A customer annoyed twice (or very annoyed once) gets a person, not another question."""
    if ctx.payload:
        return False
    signs = _annoyance(ctx)
    if signs == 0:
        return False
    seen = int(ctx.state.get("annoyed", 0)) + 1
    ctx.state["annoyed"] = seen
    if signs < 3 and seen < 2:
        return False
    ctx.state.pop("form", None)
    ctx.state.pop("offer", None)
    ctx.state["annoyed"] = 0
    ctx.say(ctx.t("handing_to_person"))
    ctx.hand_off("the customer is frustrated", 2)
    return True


def _pending_offer(ctx: Ctx) -> bool:
    """Answer a yes/no offer the bot made last turn (a person, a recall, a viewing...)."""
    offer = ctx.state.get("offer")
    if ctx.payload == "person" or (offer == "person" and _accepts(ctx)):
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


_THANKS = re.compile(r"\b(?:thanks|thank you|thx|cheers|gracias|mil gracias)\b")
_PLAIN_YES = re.compile(r"\b(?:yes|yeah|yep|please|si|claro|sure|por favor|pasame|paseme)\b")


def _accepts(ctx: Ctx) -> bool:
    """A yes to "shall I pass you to a person?": not one that asks something else ("vale.
    otra cosa, ¿...?") nor a thank-you that closes ("perfecto, muchas gracias")."""
    if ctx.payload == "yes":
        return True
    if not ctx.affirmed() or ctx.is_question():
        return False
    return not (_THANKS.search(ctx.folded) and not _PLAIN_YES.search(ctx.folded))


def _continue_form(ctx: Ctx, form: forms.Form) -> None:
    fs = ctx.state["form"]
    if _START_OVER.search(ctx.folded) or ctx.payload == "restart":
        ctx.say(ctx.t("starting_over"))
        forms.start_form(ctx, form.name)
        return
    # in a form that cancels a booking, "yes, cancel it" confirms it
    confirms = form.name.startswith("cancel") or (fs.get("confirming") and ctx.affirmed())
    if ctx.payload == "stop" or (
        not ctx.payload
        and (
            _STOP.match(ctx.folded) or (ctx.a.intent == "cancel" and ctx.a.intent_confidence > 0.9)
        )
        and not ctx.correcting()
        and not confirms
    ):
        ctx.state.pop("form", None)
        ctx.state["misses"] = 0
        ctx.say(ctx.t("form_cancelled"), ctx.template.menu(ctx))
        return
    if fs.get("confirming"):
        if forms.confirm_reply(ctx, form):
            ctx.state["misses"] = 0
            return
        if _aside(ctx):
            ctx.say(
                form.summary(ctx, fs["values"]) if form.summary else ctx.t("confirm_reask"),
                ctx.yes_no("opt_confirm", "opt_change"),
            )
            return
        _miss(ctx, lambda: ctx.say(ctx.t("confirm_reask"), ctx.yes_no("opt_confirm", "opt_change")))
        return
    asked = fs.get("asked")
    changed = forms.fill(ctx, form, asked)
    if changed and ctx.is_question() and all(_incidental(form, n) for n in changed):
        # "my wife is coeliac. do you have gluten-free bread?": noted, and answered
        found = ctx.template.answer(ctx)
        if found:
            ctx.say(found.text)
    if changed or fs.get("rejected"):
        ctx.state["misses"] = 0
        if fs.get("rejected") and fs["rejected"] == asked:
            fs.pop("rejected", None)
            return
        fs.pop("rejected", None)
        forms.advance(ctx)
        return
    if _aside(ctx):
        ctx.state["misses"] = 0
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


def _incidental(form: forms.Form, name: str) -> bool:
    """A slot a question may fill on the way (a note, a name, a phone), not the booking's
    substance (its day, its size), which a question only asks about."""
    slot = form.slot(name)
    return slot is not None and (slot.appends or slot.kind in ("name", "contact"))


def _aside(ctx: Ctx) -> bool:
    """Something besides the form's question (a question, small talk, a compliment, thanks,
    a complaint): answer it in one message; the caller then resumes the form."""
    if ctx.is_question() and not _BOT_QUESTION.search(ctx.folded):
        found = ctx.template.answer(ctx)
        if found:
            # no offer of a person: the form's next question may be a yes/no one, and a "yes"
            # to it must not accept a person
            ctx.say(found.text)
            return True
    return _small_talk(ctx, in_form=True)


def _small_talk(ctx: Ctx, in_form: bool = False) -> bool:
    """Small talk, compliments, thanks, calm complaints: a fitting short answer."""
    intent = ctx.intent()
    folded = ctx.folded
    if _BOT_QUESTION.search(folded):
        ctx.say(ctx.t("am_i_a_bot"))
        return True
    if _SMALL_TALK.match(folded.lstrip("¿¡ ")):
        ctx.say(ctx.t("small_talk"))
        return True
    if intent == "complaint" or (
        _COMPLAINT.search(folded) and intent in ("unknown", "complaint", "question", "greeting")
    ):
        ctx.say(ctx.t("complaint_noted"))
        return True
    if intent == "compliment" or (
        _COMPLIMENT.search(folded)
        and _PRAISED.search(folded)
        and intent in ("unknown", "thanks", "greeting", "compliment", "affirm", "goodbye")
        and not ctx.is_question()
    ):
        ctx.say(ctx.t("compliment"))
        return True
    if in_form and intent == "thanks":
        ctx.say(ctx.t("you_are_welcome"))
        return True
    return False


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
    declined = NO_ANSWER
    if _plain_question(ctx):
        # the template's answer: the business's settings (fees, prices) where they are the
        # source of truth, then its documents; an honest "I don't know" is said only when
        # nothing else acts on the message ("can I book an appointment?" still books)
        found = ctx.template.answer(ctx)
        if found.kind == ANSWERED:
            ctx.state["misses"] = 0
            ctx.say(found.text)
            return
        declined = found
    asks = intent in QUESTION_INTENTS or bool(_PRICE_WORDS.search(ctx.folded))
    small_talk = intent in ("greeting", "goodbye", "thanks", "affirm", "deny")
    vague = (
        ctx.a.intent_confidence < CLEAR_INTENT
        or intent in QUESTION_INTENTS
        or (small_talk and len(ctx.text.split()) >= 4)
    )
    if vague and not ctx.payload and not _small_talk_ahead(ctx):
        for pattern, route in (*_KEYWORDS, *template.keywords):
            if pattern.search(ctx.folded) and route in template.routes:
                intent = route
                break
    routed = template.routes.get(ctx.payload) or template.routes.get(intent)
    if routed is None and not ctx.payload and _small_talk(ctx):
        ctx.state["misses"] = 0
        return
    if declined and (routed is None or asks):
        # An information question neither the settings nor the documents answer: the honest
        # "I don't know" offering a person, never a form started on a keyword of the question
        # ("how much is an appointment?"). "Can I book an appointment?" still books.
        ctx.state["misses"] = 0
        say_answer(ctx, declined)
        return
    handler = routed
    if handler is not None:
        ctx.state["misses"] = 0
        handler(ctx)
        return
    if (intent in QUESTION_INTENTS or "?" in ctx.text or "¿" in ctx.text) and say_answer(
        ctx, template.answer(ctx)
    ):
        ctx.state["misses"] = 0
        return
    if intent in ("greeting",) or (_GREETING.match(ctx.text) and intent == "unknown"):
        ctx.state["misses"] = 0
        if ctx.turn.returning:
            return
        name = f", {ctx.turn.customer_name}" if ctx.turn.customer_name else ""
        ctx.say(ctx.t("welcome", name=name), template.menu(ctx))
        return
    thanked = intent == "thanks" or (intent == "unknown" and _THANKS.search(ctx.folded))
    if (thanked or intent == "affirm") and (when := _just_booked(ctx)):
        ctx.say(ctx.t("see_you", when=ctx.when(when)))  # "yes, thanks" after the booking
        return
    if thanked:
        ctx.say(ctx.t("you_are_welcome"))
        return
    if intent == "goodbye":
        ctx.say(ctx.t("goodbye"))
        return
    if ctx.state["turns"] == 1 and not ctx.turn.returning:
        name = f", {ctx.turn.customer_name}" if ctx.turn.customer_name else ""
        ctx.say(ctx.t("welcome", name=name), template.menu(ctx))
        return
    _miss(ctx, lambda: ctx.say(ctx.t("didnt_understand"), template.menu(ctx)))


def _just_booked(ctx: Ctx) -> str | None:
    """The time of a booking made in this conversation a moment ago, if it is still ahead."""
    last = ctx.scratch.get("last") or {}
    values = last.get("values") or {}
    when = values.get("when") or values.get("consult_when")
    if not when or ctx.now - datetime.fromisoformat(last["at"]) > timedelta(minutes=AMEND_MINUTES):
        return None
    return str(when) if datetime.fromisoformat(str(when)) > ctx.now else None


_PRICE_WORDS = re.compile(
    r"\b(?:how much|cost|costs|price\w*|fee|fees|charge|cuanto (?:cuesta|cuestan|vale|valen|es|"
    r"cobr\w*)|precio\w*|tarifa\w*|honorarios)\b"
)


def _small_talk_ahead(ctx: Ctx) -> bool:
    """A compliment or complaint that names a booking word ("lovely appointment") is not a
    request to book."""
    folded = ctx.folded
    if any(e.kind == "practice_area" for e in ctx.a.entities):
        return False  # "me han despedido y quiero reclamar" is a case, not a complaint to us
    return (
        ctx.intent() in ("compliment", "complaint")
        or bool(
            (_COMPLIMENT.search(folded) and _PRAISED.search(folded)) or _COMPLAINT.search(folded)
        )
        and not any(e.kind in _ACTION_ENTITIES for e in ctx.a.entities)
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

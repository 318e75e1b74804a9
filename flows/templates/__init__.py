"""The industry templates and what they share: slot checks over a calendar, answers, menus."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from flows import actions
from flows.forms import (
    ANSWERED,
    DECLINED,
    NO_ANSWER,
    Answer,
    Choice,
    Ctx,
    Form,
    Rejected,
    Slot,
    Template,
    advance,
    say_answer,
    start_form,
)
from flows.hours import describe_hours, nearest, short_when
from flows.ports import Booking
from flows.questions import question_core
from flows.types import Option

QUESTION_INTENTS = frozenset({"question", "insurance", "hours", "pricing", "menu", "fees"})
_HOURS_WORDS = re.compile(
    r"\b(?:open|opening|close|closing|hours|horario|abr\w*|cierr\w*|a que hora)\b"
)


_OPEN_ASKED = re.compile(
    r"\b(?:are you open|do you open|open on|opening (?:hours|times)|when do you (?:open|close)|"
    r"what time do you (?:open|close)|horario|abr(?:en|is|e)|cerr(?:ais|an)|cierran)\b"
)
_WHERE_ASKED = re.compile(
    r"\b(?:where (?:exactly )?(?:are|is) (?:you|the (?:clinic|restaurant|office|agency))|"
    r"where are you located|your address|the address|what'?s the address|how do i get there|"
    r"donde (?:estais|estan|esta|os encuentro|les encuentro|queda)|direccion|ubicacion|"
    r"como llego)\b"
)
# Two questions in one message ("… and how much is …?", "¿…? ¿Y …?"): each part is answered.
_TWO_PARTS = re.compile(
    r"\?.*\w.*\?|\b(?:and|also|y|ademas)\s+(?:what|when|where|how|do|does|is|are|can|"
    r"que|cuant\w*|cuando|donde|como|teneis|tienen|hay|abr\w*|cerr\w*|aceptais)\b"
)
MOVE_WORDS = re.compile(
    r"\b(?:cambi\w*|mover|muev\w*|move|reschedul\w*|change|aplaz\w*|retras\w*|adelant\w*|"
    r"postpone|another (?:day|time)|otro dia|otra hora)\b"
)


@cache
def _registry() -> dict[str, Template]:
    import importlib

    out = {}
    for name in ("dental", "legal", "restaurant", "real_estate"):
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        module = importlib.import_module(f"flows.templates.{name}")
        out[name] = module.build()
    return out


def get_template(name: str) -> Template | None:
    """The template called `name`, or None (the engine then echoes)."""
    return _registry().get(name)


# ---------------------------------------------------------------- shared pieces


def time_options(ctx: Ctx, starts: Sequence[datetime]) -> tuple[Option, ...]:
    """Buttons for a few start times."""
    tz = ctx.turn.business.timezone
    return tuple(Option(f"at:{s.isoformat()}", short_when(s, ctx.lang, tz)) for s in starts[:3])


def when_check(
    ctx: Ctx,
    minutes: int,
    is_free: Callable[[datetime], bool],
    free_after: Callable[[datetime, int], list[datetime]],
    value: str,
    extra: Sequence[Option] = (),
) -> str:
    """Accept a wished start only in the future, in opening hours and free; else explain and
    offer the nearest free starts as buttons."""
    dt = datetime.fromisoformat(value)
    if dt <= ctx.now:
        raise Rejected(ctx.t("slot_past"))
    if ctx.hours.fits(dt, minutes) and is_free(dt):
        return value
    around = max(ctx.now, dt - timedelta(hours=4))
    candidates = free_after(around, 12)
    alternatives = nearest(candidates, dt, 3) or candidates[:3]
    if not alternatives:
        ctx.hand_off("no free time found", 1)
        raise Rejected(ctx.t("nothing_free"))
    key = "slot_taken" if ctx.hours.fits(dt, minutes) else "slot_closed"
    options = (
        (*time_options(ctx, alternatives), *extra)[:3] if extra else time_options(ctx, alternatives)
    )
    raise Rejected(ctx.t(key, when=ctx.when(dt)), options)


def answer(
    ctx: Ctx, specific: Callable[[Ctx, str], str | None], settings_first: bool = False
) -> Answer:
    """Answer a question from the business's opening hours (settings), its knowledge base
    (settings and documents as cited passages: the same answer the admin API gives) and the
    template's own configured answer (`specific`); else the honest "I don't know".
    settings_first: the template's answer (prices, insurers, fees from the settings) comes
    before a document that may be out of date. Nothing unconfigured is stated."""
    intent = ctx.intent(0.5)

    def own(ctx: Ctx) -> Answer:
        text = specific(ctx, intent)
        return Answer(ANSWERED, text) if text else NO_ANSWER

    if _TWO_PARTS.search(ctx.folded):
        both = _every_part(ctx, own)
        if both:
            return both
    sources = (
        (_hours, _address, own, _knowledge)
        if settings_first
        else (_hours, _address, _knowledge, own)
    )
    for source in sources:
        found = source(ctx)
        if found:
            return found
    if (intent == "hours" or _HOURS_WORDS.search(ctx.folded)) and ctx.hours.known:
        return Answer(ANSWERED, ctx.t("hours", hours=describe_hours(ctx.hours, ctx.lang)))
    if intent in QUESTION_INTENTS or "?" in ctx.text or "¿" in ctx.text:
        return Answer(DECLINED, ctx.t("dont_know"))
    return NO_ANSWER


def _every_part(ctx: Ctx, own: Callable[[Ctx], Answer]) -> Answer:
    """A two-part message: the settings' answer (hours, address) and the documents' (else the
    template's configured) answer together; NO_ANSWER when only one part finds an answer, so
    the usual order decides."""
    said = [found for found in (_hours(ctx), _address(ctx)) if found]
    other = _knowledge(ctx)
    if other.kind != ANSWERED:
        other = own(ctx)
    if other.kind == ANSWERED and all(other.text != found.text for found in said):
        said.append(other)
    if len(said) < 2:
        return NO_ANSWER
    return Answer(ANSWERED, "\n".join(found.text for found in said))


def _hours(ctx: Ctx) -> Answer:
    """Opening hours from the settings, the truth about them ("are you open on Mondays?")."""
    if ctx.hours.known and _OPEN_ASKED.search(ctx.folded):
        return Answer(ANSWERED, ctx.t("hours", hours=describe_hours(ctx.hours, ctx.lang)))
    return NO_ANSWER


def _address(ctx: Ctx) -> Answer:
    """Where the business is, from its settings ("where exactly are you?")."""
    address = ctx.settings.get("address")
    if address and _WHERE_ASKED.search(ctx.folded):
        return Answer(ANSWERED, ctx.t("address", address=address))
    return NO_ANSWER


def _knowledge(ctx: Ctx) -> Answer:
    """The knowledge base's cited answer, or its honest decline."""
    found = actions.answer_question(ctx.ports.knowledge, ctx.text, ctx.lang)
    if found is None or not found.text:
        return NO_ANSWER
    core = question_core(ctx.text)
    if not found.grounded and core != ctx.text.strip():
        # "quick question first: I live in Valencia, can it be by video?": the question alone
        again = actions.answer_question(ctx.ports.knowledge, core, ctx.lang)
        found = again if again is not None and again.grounded else found
    return Answer(ANSWERED if found.grounded else DECLINED, found.text)


def emergency_handoff(ctx: Ctx) -> None:
    """Intent `emergency` (detained, hearing within days, allergic reaction, burst pipe...):
    a person takes over at once, at the highest priority."""
    ctx.say(ctx.t("handing_to_person"))
    ctx.hand_off("urgent: the customer describes an emergency", 3)


def amount(value: Any) -> str:
    """A price without a needless ".0"."""
    number = float(value)
    return f"{number:.0f}" if number == int(number) else f"{number:.2f}"


def booking_choices(bookings: Sequence[Booking], ctx: Ctx) -> tuple[Choice, ...]:
    """One choice per upcoming booking."""
    tz = ctx.turn.business.timezone
    return tuple(
        Choice(
            f"b{b.id}",
            f"{b.label} {short_when(b.starts_at, 'en', tz)}".strip(),
            f"{b.label} {short_when(b.starts_at, 'es', tz)}".strip(),
        )
        for b in bookings
    )


def booking_slot(upcoming: Callable[[Ctx], list[Booking]]) -> Slot:
    """A slot that picks one of the customer's upcoming bookings."""
    return Slot(
        "booking",
        "choice",
        "which_booking",
        "reask_which_booking",
        choices_fn=lambda ctx: booking_choices(upcoming(ctx), ctx),
    )


def start_with_booking(ctx: Ctx, form: str, upcoming: list[Booking], **values: Any) -> None:
    """Start a form about an existing booking; the only booking is chosen without asking."""
    if not upcoming:
        ctx.say(ctx.t("no_bookings"), ctx.template.menu(ctx))
        return
    named = upcoming[0] if len(upcoming) == 1 else on_day_named(ctx, upcoming)
    booked_at = None
    if named is not None:
        values["booking"] = f"b{named.id}"
        booked_at = named.starts_at.isoformat()
    start_form(ctx, form, values, booked_at=booked_at)


def on_day_named(ctx: Ctx, upcoming: list[Booking]) -> Booking | None:
    """The booking on a day the message names ("Saturday's table", "la visita del viernes")."""
    days = {str(e.value)[:10] for e in ctx.a.entities if e.kind in ("date", "datetime")}
    hits = [b for b in upcoming if b.starts_at.astimezone(ctx.tz).date().isoformat() in days]
    return hits[0] if len(hits) == 1 else None


def booking_by_choice(upcoming: list[Booking], choice: str) -> Booking | None:
    """The booking a choice id names."""
    return next((b for b in upcoming if f"b{b.id}" == choice), None)


def reconfirm(ctx: Ctx, form: Form, values: dict[str, Any], text: str) -> None:
    """Keep the form open, confirming changed values (e.g. the next free slot) with `text`."""
    ctx.state["form"] = {
        "name": form.name,
        "values": values,
        "asked": None,
        "confirming": True,
        "at": ctx.now.isoformat(),
    }
    ctx.say(text, ctx.yes_no("opt_confirm", "opt_change"))


def name_slot() -> Slot:
    """The customer's name (filled from the profile when known)."""
    return Slot("name", "name", "ask_name", "reask_name", fact="name")


__all__ = [
    "ANSWERED",
    "DECLINED",
    "NO_ANSWER",
    "Answer",
    "advance",
    "answer",
    "get_template",
    "say_answer",
    "start_form",
]

"""The industry templates and what they share: slot checks over a calendar, answers, menus."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from flows import actions
from flows.forms import Choice, Ctx, Form, Rejected, Slot, Template, advance, start_form
from flows.hours import describe_hours, nearest, short_when
from flows.ports import Booking
from flows.types import Option

QUESTION_INTENTS = frozenset({"question", "insurance", "hours", "pricing", "menu", "fees"})
_HOURS_WORDS = re.compile(
    r"\b(?:open|opening|close|closing|hours|horario|abr\w*|cierr\w*|a que hora)\b"
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
) -> str | None:
    """Answer a question: the business's knowledge base
    (its settings and documents as cited passages: the same answer the admin API gives), then
    the template's own configured answer, else the honest "I don't know" offering a person.
    settings_first: the template's answer (prices, insurers, fees from the settings) comes
    before a document that may be out of date. Nothing unconfigured is stated."""
    intent = ctx.intent(0.5)
    own = specific(ctx, intent) if settings_first else None
    if own:
        return own
    found = actions.answer_question(ctx.ports.knowledge, ctx.text, ctx.lang)
    if found is not None and found.grounded:
        return found.text
    if found is not None and found.text:  # the knowledge base declined: offer a person
        return offer_person(ctx, found.text)
    own = None if settings_first else specific(ctx, intent)
    if own:
        return own
    if (intent == "hours" or _HOURS_WORDS.search(ctx.folded)) and ctx.hours.known:
        return ctx.t("hours", hours=describe_hours(ctx.hours, ctx.lang))
    if intent in QUESTION_INTENTS or "?" in ctx.text or "¿" in ctx.text:
        return offer_person(ctx, ctx.t("dont_know"))
    return None


def offer_person(ctx: Ctx, text: str) -> str:
    """Say `text` (an "I don't know ... shall I pass you to a person?") and, when the customer
    accepts on the next turn, hand the conversation to a person."""
    ctx.state["offer"] = "person"
    return text
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
    if len(upcoming) == 1:
        values["booking"] = f"b{upcoming[0].id}"
    start_form(ctx, form, values)


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


__all__ = ["advance", "answer", "get_template", "start_form"]

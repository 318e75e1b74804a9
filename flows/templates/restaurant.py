"""Restaurant: reservations against covers per slot, requests remembered, menu, waitlist."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from flows import actions
from flows.forms import (
    Ctx,
    Form,
    Rejected,
    Slot,
    Stop,
    Template,
    Texts,
    note_from,
    parse_int,
    start_form,
)
from flows.hours import nearest
from flows.memory import format_value
from flows.ports import BookResult
from flows.templates import (
    DECLINED,
    MOVE_WORDS,
    Answer,
    answer,
    booking_by_choice,
    booking_slot,
    emergency_handoff,
    name_slot,
    on_day_named,
    reconfirm,
    say_answer,
    start_with_booking,
    time_options,
)
from flows.templates.bookings import Kind, move_form
from flows.types import Option

DEFAULT_MAX_PARTY = 10
_ONE_OF_US = re.compile(r"\b(?:one of us|uno de nosotros|una de nosotras|alguno de|alguien)\b")
_NO_REQUESTS = re.compile(r"^\s*(?:no|nope|none|nothing|nada|ninguna?|no thanks|no gracias)\b")
_NOTE_AFTER_NO = re.compile(r"^\s*no\b.{0,4}\b(?:but|pero|just|solo)\b")


def _seating(ctx: Ctx) -> int:
    return int(ctx.settings.get("seating_minutes", 90))


_DELTA = re.compile(
    r"\b(?:(one|two|three|\d+) (more|less|fewer)|(uno|una|dos|tres|\d+) (mas|menos)|"
    r"add (one|two|three|\d+)|(?:anade|anadid|suma|sumad|pon|poned) (uno|una|dos|tres|\d+))\b"
)
_COUNTS = {"one": 1, "two": 2, "three": 3, "uno": 1, "una": 1, "dos": 2, "tres": 3}


def _delta(ctx: Ctx) -> int | None:
    """ "add one more", "two fewer", "uno más": a change to the party size already given."""
    m = _DELTA.search(ctx.folded)
    if m is None:
        return None
    groups = [g for g in m.groups() if g]
    n = groups[0]
    count = int(n) if n.isdigit() else _COUNTS.get(n, 1)
    sign = -1 if any(g in ("less", "fewer", "menos") for g in groups) else 1
    return sign * count


def _booked(ctx: Ctx, values: dict[str, Any]) -> Any:
    """The reservation a change form is about, if any."""
    return booking_by_choice(_upcoming(ctx), str(values.get("booking", "")))


def _party(ctx: Ctx, slot: Slot, asked: bool) -> int | None:
    e = ctx.a.first("party_size")
    values = (ctx.state.get("form") or {}).get("values", {})
    booked = _booked(ctx, values) if "booking" in values else None
    current: int | None = values.get("party_size") or (booked.party_size if booked else None)
    one_of_us = _ONE_OF_US.search(ctx.folded)
    if e is not None and not (one_of_us and one_of_us.start() <= e.start < one_of_us.end()):
        d = _delta(ctx) if current else None
        if d is not None and int(e.value) == abs(d):  # "one more" read as a party of one
            return max((current or 0) + d, 1)
        return int(e.value)
    if current and (d := _delta(ctx)) is not None:
        return max(int(current) + d, 1)
    if not asked or one_of_us:
        return None
    return parse_int(ctx, slot, asked)


def _check_party(ctx: Ctx, values: dict[str, Any], value: int) -> int:
    limit = int(ctx.settings.get("max_party", DEFAULT_MAX_PARTY))
    if value < 1:
        raise Rejected(ctx.t("reask_party"))
    if value > limit:
        ctx.state.pop("form", None)
        ctx.say(ctx.t("large_group", limit=limit))
        ctx.hand_off(f"large group of {value}", 1)
        raise Stop
    return value


def _check_when(ctx: Ctx, values: dict[str, Any], value: str) -> str:
    res = ctx.ports.reservations
    assert res is not None, "the restaurant template needs a reservations port"
    dt = datetime.fromisoformat(value)
    booked = _booked(ctx, values) if "booking" in values else None
    party = int(values.get("party_size") or (booked.party_size if booked else 2))
    if dt <= ctx.now:
        raise Rejected(ctx.t("slot_past"))
    if ctx.hours.fits(dt, _seating(ctx)) and res.available(dt, party, booked and booked.id):
        return value
    ctx.state["form"]["wanted"] = value
    alternatives = nearest(res.alternatives(dt, party, 6), dt, 2)
    waitlist = Option("waitlist", ctx.t("opt_waitlist"))
    if not ctx.hours.fits(dt, _seating(ctx)):
        raise Rejected(ctx.t("closed_then", when=ctx.when(dt)), time_options(ctx, alternatives))
    raise Rejected(
        ctx.t("full_then", when=ctx.when(dt)), (*time_options(ctx, alternatives), waitlist)
    )


def _remembered(ctx: Ctx) -> str:
    """Requests the customer told us before: their last reservation's, or diet/allergy facts."""
    res = ctx.ports.reservations
    last = res.last_requests() if res is not None else ""
    if last:
        return last
    known = [ctx.fact("allergies"), ctx.fact("dietary")]
    parts = [format_value("allergies", v, ctx.lang) for v in known if v]
    return ", ".join(parts)


def _requests(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """Only what the customer asked us to note: the answer to "any requests?", or the part
    of a message that says "note that...", an allergy, a diet or an occasion."""
    remembered = ctx.state.get("form", {}).get("remembered", "")
    if asked and remembered and ctx.affirmed():
        return remembered
    if ctx.payload:
        return "-" if asked and ctx.payload == "no" else None
    if asked and _NO_REQUESTS.match(ctx.folded) and not _NOTE_AFTER_NO.search(ctx.folded):
        return "-"
    if asked and len(ctx.text.strip()) >= 2 and "?" not in ctx.text and "¿" not in ctx.text:
        return note_from(ctx.text, asked=True)
    return note_from(ctx.text)


def _requests_args(ctx: Ctx, values: dict[str, Any]) -> dict[str, Any]:
    remembered = _remembered(ctx)
    ctx.state["form"]["remembered"] = remembered
    return {
        "remembered": remembered,
        "_key": "ask_requests_again" if remembered else "ask_requests",
    }


def _requests_options(ctx: Ctx, values: dict[str, Any]) -> tuple[Option, ...]:
    if ctx.state["form"].get("remembered"):
        return ctx.yes_no()
    return (Option("no", ctx.t("opt_no_thanks")),)


def _summary(ctx: Ctx, v: dict[str, Any]) -> str:
    notes = v.get("requests", "-")
    note = "" if notes in ("-", "") else " " + ctx.t("note", requests=notes)
    return ctx.t(
        "confirm_table",
        party=v["party_size"],
        when=ctx.when(v["when"]),
        name=v.get("name", ""),
        note=note,
    )


def _reserve(ctx: Ctx, v: dict[str, Any]) -> None:
    res = ctx.ports.reservations
    assert res is not None
    dt = datetime.fromisoformat(v["when"])
    requests = "" if v.get("requests") in (None, "-") else str(v["requests"])
    if v.get("waitlist"):
        actions.join_waitlist(res, dt, int(v["party_size"]), requests)
        ctx.say(ctx.t("waitlisted", when=ctx.when(dt)))
        return
    result = actions.reserve_table(res, dt, int(v["party_size"]), requests)
    if result.booking is None:
        if result.alternatives:
            nxt = result.alternatives[0]
            reconfirm(
                ctx,
                ctx.template.forms["reserve"],
                {**v, "when": nxt.isoformat()},
                ctx.t("just_taken", when=ctx.when(dt), next=ctx.when(nxt)),
            )
        else:
            actions.join_waitlist(res, dt, int(v["party_size"]), requests)
            ctx.say(ctx.t("waitlisted", when=ctx.when(dt)))
        return
    ctx.say(ctx.t("reserved", party=v["party_size"], when=ctx.when(dt)))


def _waitlist_button(ctx: Ctx) -> bool:
    fs = ctx.state.get("form") or {}
    if ctx.payload != "waitlist" or fs.get("name") != "reserve" or not fs.get("wanted"):
        return False
    values = fs["values"]
    values["when"] = fs["wanted"]
    values["waitlist"] = True
    fs["asked"] = None
    from flows.forms import advance

    advance(ctx)
    return True


def _upcoming(ctx: Ctx) -> list[Any]:
    res = ctx.ports.reservations
    return res.upcoming() if res is not None else []


def _cancel_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    b = booking_by_choice(_upcoming(ctx), v["booking"])
    return ctx.t(
        "confirm_cancel", when=ctx.when(b.starts_at) if b else "", party=b.party_size if b else ""
    )


def _cancel(ctx: Ctx, v: dict[str, Any]) -> None:
    res = ctx.ports.reservations
    b = booking_by_choice(_upcoming(ctx), v["booking"])
    if res is None or b is None or not actions.cancel_reservation(res, b.id):
        ctx.say(ctx.t("no_bookings"))
        return
    ctx.say(ctx.t("cancelled"))


def _move(ctx: Ctx, b: Any, v: dict[str, Any]) -> BookResult:
    res = ctx.ports.reservations
    assert res is not None
    when = datetime.fromisoformat(v.get("when") or b.starts_at.isoformat())
    return res.move(b.id, when, int(v.get("party_size") or b.party_size))


def _start_change(ctx: Ctx) -> None:
    """A change to the customer's reservation ("can we move it to Friday", "we're 5 now");
    with none to change, a new one."""
    upcoming = [b for b in _upcoming(ctx) if b.status == "booked"]
    if not upcoming:
        _start(ctx)
        return
    start_with_booking(ctx, "change", upcoming)


TABLES = Kind(
    upcoming=_upcoming,
    describe=lambda ctx, b: {"party": b.party_size},
    confirm_move="confirm_change",
    moved="table_changed",
    confirm_cancel="confirm_cancel",
    cancelled="cancelled",
)


def _specific(ctx: Ctx, intent: str) -> str | None:
    """Menu questions the documents could not answer: an honest pointer to the team."""
    menu_words = ("menu", "carta", "vegan", "gluten", "dish", "plato", "comida", "food")
    if (
        ctx.a.first("dietary")
        or ctx.a.first("allergen")
        or any(w in ctx.folded for w in menu_words)
    ):
        return ctx.t("menu_unknown")
    return None


def _menu(ctx: Ctx) -> tuple[Option, ...]:
    return (
        Option("reserve", ctx.t("opt_reserve")),
        Option("menu", ctx.t("opt_menu")),
        Option("hours", ctx.t("opt_hours")),
    )


def _start(ctx: Ctx, **values: Any) -> None:
    start_form(ctx, "reserve", values)


def _start_reserve(ctx: Ctx) -> None:
    """A table; but "in the end we'll be 6 on Saturday" from someone with a table on Saturday
    changes that one."""
    upcoming = [b for b in _upcoming(ctx) if b.status == "booked"]
    named = on_day_named(ctx, upcoming) if upcoming else None
    if named is not None and (
        ctx.correcting() or _delta(ctx) is not None or MOVE_WORDS.search(ctx.folded)
    ):
        start_with_booking(ctx, "change", [named])
        return
    _start(ctx)


def _show(ctx: Ctx, what: str) -> None:
    if what == "menu" and ctx.payload == "menu":  # the button: the menu in general
        found = actions.answer_question(ctx.ports.knowledge, ctx.t("opt_menu"), ctx.lang)
        if found is not None and found.grounded:
            ctx.say(found.text)
        elif found is not None and found.text:  # the knowledge base's "I don't know"
            say_answer(ctx, Answer(DECLINED, found.text))
        else:
            ctx.say(ctx.t("menu_unknown"))
        return
    said = answer(ctx, _specific)
    say_answer(ctx, said if said else Answer(DECLINED, ctx.t("dont_know")))


def build() -> Template:
    """The restaurant template."""
    requests = Slot(
        "requests",
        "text",
        "ask_requests",
        "reask_requests",
        parse=_requests,
        options=_requests_options,
        ask_args=_requests_args,
        appends=True,
        optional=True,
        ask_if=lambda ctx, v: bool(_remembered(ctx)),  # "last time you mentioned: ..."
    )
    party = Slot(
        "party_size",
        "int",
        "ask_party",
        "reask_party",
        entity="party_size",
        parse=_party,
        check=_check_party,
    )
    form = Form(
        "reserve",
        (
            party,
            Slot("when", "datetime", "ask_when", "reask_when", check=_check_when),
            name_slot(),
            requests,
        ),
        commit=_reserve,
        summary=_summary,
        editable=("when", "party_size"),
        amend="change",
    )
    return Template(
        name="restaurant",
        texts=Texts.load("common", "restaurant"),
        forms={
            "reserve": form,
            "change": move_form(
                "change",
                TABLES,
                Slot(
                    "when",
                    "datetime",
                    "ask_new_when",
                    "reask_when",
                    check=_check_when,
                    needed=lambda ctx, v: "party_size" not in v,
                ),
                _move,
                extra=(replace(party, optional=True),),
            ),
            "cancel": Form(
                "cancel", (booking_slot(_upcoming),), commit=_cancel, summary=_cancel_summary
            ),
        },
        routes={
            "reserve_table": _start_reserve,
            "reserve": _start_reserve,
            "waitlist": lambda ctx: _start(ctx, waitlist=True),
            "cancel": lambda ctx: start_with_booking(ctx, "cancel", _upcoming(ctx)),
            "reschedule": _start_change,
            "menu": lambda ctx: _show(ctx, "menu"),
            "hours": lambda ctx: _show(ctx, "hours"),
            "emergency": emergency_handoff,
        },
        menu=_menu,
        answer=lambda ctx: answer(ctx, _specific),
        before=_waitlist_button,
        keywords=((re.compile(r"\b(?:book\w*|reserv\w*|table for|mesa para)\b"), "reserve_table"),),
    )

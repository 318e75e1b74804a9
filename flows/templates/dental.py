"""Dental clinic: book, reschedule, cancel, emergencies, insurance, prices, recall."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from flows import actions
from flows.forms import Choice, Ctx, Form, Slot, Stop, Template, Texts, earliest, start_form
from flows.templates import (
    MOVE_WORDS,
    amount,
    answer,
    booking_by_choice,
    booking_slot,
    name_slot,
    reconfirm,
    start_with_booking,
    time_options,
    when_check,
)
from flows.types import Option

# What can be booked when a clinic configured no services: never with a price, which only the
# clinic's own settings or documents may state.
DEFAULT_SERVICES = (
    {"id": "checkup", "name": {"en": "Check-up", "es": "Revisión"}, "minutes": 30},
    {"id": "cleaning", "name": {"en": "Cleaning", "es": "Limpieza"}, "minutes": 45},
)
RECALL_MONTHS = 6
_WANT_SERVICE = re.compile(
    r"\b(?:i'?d like|i want|i need|quiero|quisiera|necesito|me gustaria)\b.*"
    r"\b(?:check.?up|cleaning|limpieza|revision|empaste|filling|whitening|blanqueamiento|"
    r"extraction|extraccion|ortodoncia|orthodontics)\b"
)
URGENT_MINUTES = 30
_PRICE_WORDS = ("price", "cost", "how much", "precio", "cuanto", "cuesta", "tarifa", "fee")


def _services(ctx: Ctx) -> list[dict[str, Any]]:
    return list(ctx.settings.get("services") or DEFAULT_SERVICES)


def _service(ctx: Ctx, sid: str) -> dict[str, Any]:
    for s in _services(ctx):
        if s["id"] == sid:
            return s
    return {"id": sid, "name": {"en": sid.replace("_", " "), "es": sid}, "minutes": 30}


def _service_name(ctx: Ctx, sid: str) -> str:
    name = _service(ctx, sid).get("name") or {}
    return str(name.get(ctx.lang) or name.get("en") or sid) if isinstance(name, dict) else str(name)


def _minutes(ctx: Ctx, values: dict[str, Any]) -> int:
    return int(_service(ctx, values.get("service", "checkup")).get("minutes", 30))


def _service_choices(ctx: Ctx) -> tuple[Choice, ...]:
    out = []
    for s in _services(ctx):
        name = s.get("name") or {}
        en = name.get("en", s["id"]) if isinstance(name, dict) else str(name)
        es = name.get("es", en) if isinstance(name, dict) else str(name)
        out.append(Choice(s["id"], en, es))
    return tuple(out)


def _free(ctx: Ctx, minutes: int, urgent: bool = False) -> Any:
    cal = ctx.ports.calendar
    assert cal is not None, "the dental template needs a calendar port"
    return (
        lambda dt: cal.is_free(dt, minutes),
        lambda after, n: actions.check_availability(cal, minutes, after, n, urgent),
    )


def _check_when(ctx: Ctx, values: dict[str, Any], value: str) -> str:
    minutes = _minutes(ctx, values)
    is_free, free_after = _free(ctx, minutes)
    return when_check(ctx, minutes, is_free, free_after, value)


def _when_options(ctx: Ctx, values: dict[str, Any]) -> tuple[Option, ...]:
    cal = ctx.ports.calendar
    if cal is None:
        return ()
    after = earliest(ctx, ctx.now + timedelta(hours=2))
    return time_options(ctx, actions.check_availability(cal, _minutes(ctx, values), after))


def _when_slot(ask: str = "ask_when") -> Slot:
    return Slot(
        "when",
        "datetime",
        ask,
        "reask_when",
        check=_check_when,
        options=_when_options,
        ask_args=lambda ctx, v: {
            "service": _service_name(ctx, v.get("service", "checkup")).lower()
        },
    )


# ---------------------------------------------------------------- book


def _book_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    patient = {"new": "patient_new", "returning": "patient_returning"}.get(v.get("patient", ""))
    return ctx.t(
        "confirm_booking",
        service=_service_name(ctx, v["service"]),
        when=ctx.when(v["when"]),
        name=v.get("name", ""),
        patient=f" ({ctx.t(patient)})" if patient else "",
    )


def _book(ctx: Ctx, v: dict[str, Any], urgent: bool = False) -> None:
    cal = ctx.ports.calendar
    assert cal is not None
    form = ctx.template.forms["urgent" if urgent else "book"]
    starts = datetime.fromisoformat(v["when"])
    details = {"name": v.get("name"), "patient": v.get("patient", "returning")}
    result = actions.book_appointment(
        cal, v.get("service", "emergency"), starts, _minutes(ctx, v), urgent, details
    )
    if result.booking is None:
        if not result.alternatives:
            ctx.say(ctx.t("nothing_free"))
            ctx.hand_off("no free appointment", 2 if urgent else 1)
            return
        nxt = result.alternatives[0]
        reconfirm(
            ctx,
            form,
            {**v, "when": nxt.isoformat()},
            ctx.t("just_taken", when=ctx.when(starts), next=ctx.when(nxt)),
        )
        return
    key = "booked_urgent" if urgent else "booked"
    name = _service_name(ctx, v.get("service", "checkup")).lower()
    ctx.say(ctx.t(key, service=name, when=ctx.when(starts)))
    if v.get("service") == "cleaning" and not urgent:
        ctx.state["offer"] = "recall"
        ctx.scratch["recall_from"] = starts.isoformat()
        ctx.say(ctx.t("offer_recall"), ctx.yes_no())


def _recall(ctx: Ctx, yes: bool) -> None:
    cal = ctx.ports.calendar
    if yes and cal is not None:
        base = datetime.fromisoformat(ctx.scratch.get("recall_from") or ctx.now.isoformat())
        cal.schedule_recall(base + timedelta(days=RECALL_MONTHS * 30), "checkup")
        ctx.say(ctx.t("recall_scheduled"))
    else:
        ctx.say(ctx.t("recall_declined"))


def _known_patient(ctx: Ctx, values: dict[str, Any]) -> bool:
    cal = ctx.ports.calendar
    return not (cal is not None and cal.known_customer())


# ---------------------------------------------------------------- reschedule and cancel


def _upcoming(ctx: Ctx) -> list[Any]:
    cal = ctx.ports.calendar
    return actions.upcoming_appointments(cal) if cal is not None else []


def _label_of(ctx: Ctx, choice: str) -> tuple[str, str]:
    b = booking_by_choice(_upcoming(ctx), choice)
    if b is None:
        return "", ""
    return _service_name(ctx, b.label).lower(), ctx.when(b.starts_at)


def _move_check(ctx: Ctx, values: dict[str, Any], value: str) -> str:
    b = booking_by_choice(_upcoming(ctx), values.get("booking", ""))
    minutes = _minutes(ctx, {"service": b.label if b else "checkup"})
    is_free, free_after = _free(ctx, minutes)
    return when_check(ctx, minutes, is_free, free_after, value)


def _move_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    service, old = _label_of(ctx, v["booking"])
    return ctx.t("confirm_move", service=service, old=old, when=ctx.when(v["when"]))


def _move(ctx: Ctx, v: dict[str, Any]) -> None:
    cal = ctx.ports.calendar
    assert cal is not None
    b = booking_by_choice(_upcoming(ctx), v["booking"])
    if b is None:
        ctx.say(ctx.t("no_bookings"))
        return
    new = datetime.fromisoformat(v["when"])
    result = actions.reschedule_appointment(cal, b.id, new)
    if result.booking is None:
        if result.alternatives:
            nxt = result.alternatives[0]
            reconfirm(
                ctx,
                ctx.template.forms["reschedule"],
                {**v, "when": nxt.isoformat()},
                ctx.t("just_taken", when=ctx.when(new), next=ctx.when(nxt)),
            )
        else:
            ctx.say(ctx.t("nothing_free"))
        return
    ctx.say(ctx.t("moved", when=ctx.when(new)))


def _cancel_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    service, when = _label_of(ctx, v["booking"])
    return ctx.t("confirm_cancel", service=service, when=when)


def _cancel(ctx: Ctx, v: dict[str, Any]) -> None:
    cal = ctx.ports.calendar
    b = booking_by_choice(_upcoming(ctx), v["booking"])
    if cal is None or b is None or not actions.cancel_appointment(cal, b.id):
        ctx.say(ctx.t("no_bookings"))
        return
    ctx.say(ctx.t("cancelled"), (Option("book", ctx.t("opt_book")),))


# ---------------------------------------------------------------- emergencies


def _emergency(ctx: Ctx) -> bool:
    """Pain, swelling, bleeding, a broken tooth: the first urgent slot, else a person now."""
    cal = ctx.ports.calendar
    window = int(ctx.settings.get("emergency_window_hours", 24))
    starts = (
        actions.check_availability(cal, URGENT_MINUTES, ctx.now, 1, urgent=True)
        if cal is not None
        else []
    )
    ctx.state.pop("form", None)
    if not starts or starts[0] - ctx.now > timedelta(hours=window):
        ctx.say(ctx.t("emergency_person"))
        ctx.hand_off("dental emergency: no urgent slot soon", 3)
        return True
    ctx.say(ctx.t("emergency_sorry", when=ctx.when(starts[0])))
    start_form(ctx, "urgent", {"service": "emergency", "when": starts[0].isoformat()})
    return True


def _urgent_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    return ctx.t("confirm_urgent", when=ctx.when(v["when"]), name=v.get("name", ""))


# ---------------------------------------------------------------- answers


def _specific(ctx: Ctx, intent: str) -> str | None:
    """Insurance and prices from the clinic's settings; None leaves it to the knowledge base."""
    insurers = {str(k).lower(): str(v) for k, v in (ctx.settings.get("insurance") or {}).items()}
    mentioned = ctx.a.first("insurance")
    asks_insurance = intent == "insurance" or mentioned is not None
    if insurers and (
        asks_insurance
        or any(w in ctx.folded for w in ("seguro", "insurance", "mutua", "aseguradora"))
    ):
        if mentioned is not None:
            key = str(mentioned.value).lower()
            if key in insurers:
                return ctx.t("insurance_yes", insurer=insurers[key])
            return ctx.t("insurance_no", insurer=mentioned.text.strip().title())
        return ctx.t("insurance_list", insurers=", ".join(insurers.values()))
    services = ctx.settings.get("services") or []
    asks_price = intent == "pricing" or any(w in ctx.folded for w in _PRICE_WORDS)
    if not services or not asks_price:
        return None
    svc = ctx.a.first("service")
    if svc is not None:
        s = _service(ctx, str(svc.value))
        return (
            ctx.t("price_one", service=_service_name(ctx, s["id"]), price=amount(s["price"]))
            if "price" in s
            else None
        )
    lines = [f"- {_service_name(ctx, s['id'])}: {s['price']} €" for s in services if "price" in s]
    return ctx.t("price_list", prices="\n".join(lines))


def _menu(ctx: Ctx) -> tuple[Option, ...]:
    return (
        Option("book", ctx.t("opt_book")),
        Option("reschedule", ctx.t("opt_reschedule")),
        Option("cancel", ctx.t("opt_cancel")),
    )


def _start_book(ctx: Ctx) -> None:
    start_form(ctx, "book")


def _start_move(ctx: Ctx) -> None:
    upcoming = _upcoming(ctx)
    if not upcoming and not MOVE_WORDS.search(ctx.folded):
        start_form(ctx, "book")  # "cita para el jueves" read as a reschedule: it is a booking
        return
    start_with_booking(ctx, "reschedule", upcoming)


def _start_cancel(ctx: Ctx) -> None:
    start_with_booking(ctx, "cancel", _upcoming(ctx))


def _stop(ctx: Ctx) -> None:
    raise Stop


def build() -> Template:
    """The dental clinic template."""
    service = Slot(
        "service",
        "choice",
        "ask_service",
        "reask_service",
        entity="service",
        choices_fn=_service_choices,
    )
    patient = Slot(
        "patient",
        "choice",
        "ask_patient",
        "reask_patient",
        choices=(
            Choice(
                "new",
                "First visit",
                "Primera visita",
                ("new", "first", "nuevo", "nueva", "primera"),
            ),
            Choice(
                "returning",
                "I've been before",
                "Ya he venido",
                ("returning", "before", "already", "ya soy", "ya he", "antes", "paciente de"),
            ),
        ),
        needed=_known_patient,
        optional=True,
    )
    forms = {
        "book": Form(
            "book",
            (service, patient, _when_slot(), name_slot()),
            commit=lambda ctx, v: _book(ctx, v),
            summary=_book_summary,
            editable=("when", "service"),
            amend="reschedule",
        ),
        "urgent": Form(
            "urgent",
            (_when_slot("ask_when_urgent"), name_slot()),
            commit=lambda ctx, v: _book(ctx, v, urgent=True),
            summary=_urgent_summary,
            editable=("when",),
        ),
        "reschedule": Form(
            "reschedule",
            (
                booking_slot(_upcoming),
                Slot(
                    "when",
                    "datetime",
                    "ask_new_when",
                    "reask_when",
                    check=_move_check,
                    options=lambda ctx, v: _when_options(ctx, {}),
                ),
            ),
            commit=_move,
            summary=_move_summary,
            editable=("when",),
        ),
        "cancel": Form(
            "cancel", (booking_slot(_upcoming),), commit=_cancel, summary=_cancel_summary
        ),
    }
    return Template(
        name="dental",
        texts=Texts.load("common", "dental"),
        forms=forms,
        routes={
            "book_appointment": _start_book,
            "book": _start_book,
            "reschedule": _start_move,
            "cancel": _start_cancel,
        },
        menu=_menu,
        answer=lambda ctx: answer(ctx, _specific, settings_first=True),
        emergency=_emergency,
        offers={"recall": _recall},
        keywords=(
            (re.compile(r"\b(?:book\w*|appointment|cita|pedir hora)\b"), "book_appointment"),
            (_WANT_SERVICE, "book_appointment"),
        ),
    )

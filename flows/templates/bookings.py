"""A returning customer's own bookings: move one (a new time, and for a table a new party size)
or cancel it, with one confirmation, the record changed in place (never a second booking)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flows.forms import Ctx, Form, Slot
from flows.ports import Booking, BookResult
from flows.templates import booking_by_choice, booking_slot, reconfirm

Upcoming = Callable[[Ctx], list[Booking]]
Describe = Callable[[Ctx, Booking], Mapping[str, Any]]


@dataclass(frozen=True)
class Kind:
    """How one template speaks of its bookings and changes them."""

    upcoming: Upcoming
    describe: Describe
    """Text arguments that name a booking ("title", "party", ...), besides its time ("old")."""
    confirm_move: str
    moved: str
    confirm_cancel: str
    cancelled: str


def _args(ctx: Ctx, kind: Kind, v: Mapping[str, Any]) -> dict[str, Any]:
    b = booking_by_choice(kind.upcoming(ctx), str(v.get("booking", "")))
    if b is None:
        return {}
    return {"old": ctx.when(b.starts_at), **kind.describe(ctx, b), **_new(ctx, b, v)}


def _new(ctx: Ctx, b: Booking, v: Mapping[str, Any]) -> dict[str, Any]:
    when = v.get("when") or b.starts_at.isoformat()
    return {"when": ctx.when(when), "party": v.get("party_size") or b.party_size}


def move_form(
    name: str,
    kind: Kind,
    when: Slot,
    move: Callable[[Ctx, Booking, dict[str, Any]], BookResult],
    extra: tuple[Slot, ...] = (),
) -> Form:
    """A form that moves one of the customer's bookings: which one (the only one, or the one on
    the day they name), the new time (`when`) and `extra` slots; `move` changes the record."""

    def commit(ctx: Ctx, v: dict[str, Any]) -> None:
        b = booking_by_choice(kind.upcoming(ctx), str(v.get("booking", "")))
        if b is None:
            ctx.say(ctx.t("no_bookings"))
            return
        result = move(ctx, b, v)
        if result.booking is not None:
            ctx.say(ctx.t(kind.moved, **_args(ctx, kind, v) | _new(ctx, result.booking, {})))
            return
        if not result.alternatives:
            ctx.say(ctx.t("nothing_free"))
            ctx.hand_off(f"no free time to move {b.kind} {b.id}", 1)
            return
        nxt = result.alternatives[0]
        wanted = v.get("when") or b.starts_at.isoformat()
        reconfirm(
            ctx,
            ctx.template.forms[name],
            {**v, "when": nxt.isoformat()},
            ctx.t("just_taken", when=ctx.when(wanted), next=ctx.when(nxt)),
        )

    return Form(
        name,
        (booking_slot(kind.upcoming), *extra, when),
        commit=commit,
        summary=lambda ctx, v: ctx.t(kind.confirm_move, **_args(ctx, kind, v)),
        editable=("when",),
    )


def cancel_form(name: str, kind: Kind, cancel: Callable[[Ctx, Booking], bool]) -> Form:
    """A form that cancels one of the customer's bookings after one confirmation."""

    def commit(ctx: Ctx, v: dict[str, Any]) -> None:
        b = booking_by_choice(kind.upcoming(ctx), str(v.get("booking", "")))
        said = _args(ctx, kind, v)  # before: a cancelled booking is no longer upcoming
        if b is None or not cancel(ctx, b):
            ctx.say(ctx.t("no_bookings"))
            return
        ctx.say(ctx.t(kind.cancelled, **said))

    return Form(
        name,
        (booking_slot(kind.upcoming),),
        commit=commit,
        summary=lambda ctx, v: ctx.t(kind.confirm_cancel, **_args(ctx, kind, v)),
    )

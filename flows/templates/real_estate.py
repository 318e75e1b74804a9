"""Real estate: qualify a lead, score it, show ranked matches with photos, book viewings,
"like the one on Calle Mayor but cheaper", and hand hot leads to an agent."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from flows import actions
from flows.forms import (
    Choice,
    Ctx,
    Form,
    Slot,
    Template,
    Texts,
    parse_choice,
    parse_int,
    start_form,
)
from flows.ports import Booking, BookResult, LeadInfo, ListingCard, ListingQuery
from flows.templates import (
    answer,
    booking_by_choice,
    emergency_handoff,
    name_slot,
    reconfirm,
    start_with_booking,
    time_options,
    when_check,
)
from flows.templates.bookings import Kind, cancel_form, move_form
from flows.types import Option

VIEWING_MINUTES = 30
MATCHES = 3
_BEDROOMS = re.compile(
    r"(\d{1,2})\s*-?\s*(?:bed\w*|br\b|hab\w*|dormitorio\w*|cuartos?|rooms?)|"
    r"(?:bedrooms?|habitaciones|dormitorios)\s*:?\s*(\d{1,2})"
)
_ANY_AREA = re.compile(
    r"\b(?:anywhere|any area|don'?t mind|no preference|me da igual|cualquier\w*|donde sea)\b"
)
_LIKE = re.compile(
    r"\b(?:like|similar to|similar|parecid[oa]s?(?: a)?|como)\s+"
    r"(?:the one|that one|el|la|el de|la de|el que|la que|uno|una)?\b.*"
    r"\b(?:cheaper|less expensive|lower price|mas barat[oa]s?|"
    r"menos caro|mas economic[oa]s?)\b|\b(?:cheaper|mas barat[oa]|mas economic[oa]) (?:than|que)\b"
)
_WORDS_MONTHS = {"asap": 0, "3m": 3, "6m": 6}

OPERATIONS = (
    Choice(
        "buy", "Buy", "Comprar", ("buy", "buying", "purchase", "comprar", "compra", "comprando")
    ),
    Choice("rent", "Rent", "Alquilar", ("rent", "renting", "alquilar", "alquiler", "alquilo")),
)
TIMELINES = (
    Choice(
        "asap",
        "As soon as possible",
        "Cuanto antes",
        (
            "asap",
            "as soon as possible",
            "urgent",
            "this month",
            "cuanto antes",
            "ya",
            "urgente",
            "este mes",
            "inmediato",
        ),
    ),
    Choice("3m", "In 1-3 months", "En 1-3 meses", ("next month", "1-3 months", "el mes que viene")),
    Choice("6m", "In 3-6 months", "En 3-6 meses", ("3-6 months", "later this year", "este ano")),
    Choice(
        "browsing",
        "Just looking",
        "Solo mirando",
        ("just looking", "browsing", "no rush", "solo mirando", "sin prisa", "curiosidad"),
    ),
)
FINANCING = (
    Choice("cash", "Cash", "Al contado", ("cash", "contado", "efectivo", "sin hipoteca")),
    Choice(
        "approved",
        "Mortgage approved",
        "Hipoteca aprobada",
        ("pre-approved", "preapproved", "approved", "aprobada", "preaprobada", "concedida"),
    ),
    Choice(
        "need",
        "Need a mortgage",
        "Necesito hipoteca",
        ("need a mortgage", "necesito hipoteca", "need financing", "pedir hipoteca"),
    ),
    Choice("unsure", "Not sure yet", "Aún no lo sé", ("not sure", "no se", "no lo se", "aun no")),
)


def _operation(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    if ctx.a.intent in ("buy", "rent") and ctx.a.intent_confidence >= 0.8:
        return ctx.a.intent
    money = ctx.a.first("money")
    if money is not None and isinstance(money.value, dict) and money.value.get("period") == "month":
        return "rent"
    return parse_choice(ctx, slot, asked)


_BEDROOM_WORDS = re.compile(
    r"\b(one|two|three|four|five|una|un|dos|tres|cuatro|cinco)\s*-?\s*"
    r"(?:bed\w*|habitacion\w*|dormitorio\w*|cuartos?)"
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "una": 1, "un": 1}
_NUMBERS |= {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5}


def _bedrooms(ctx: Ctx, slot: Slot, asked: bool) -> int | None:
    e = ctx.a.first("bedrooms")
    if e is not None and str(e.value).isdigit():
        return int(e.value)
    w = _BEDROOM_WORDS.search(ctx.folded)
    if w:
        return _NUMBERS[w.group(1)]
    m = _BEDROOMS.search(ctx.folded)
    if m:
        return int(m.group(1) or m.group(2))
    if asked:
        f = ctx.folded.strip(" .!")
        if "studio" in f or "estudio" in f:
            return 0
        return parse_int(ctx, slot, asked)  # "2", "tres", "three"
    return None


def _areas(ctx: Ctx, slot: Slot, asked: bool) -> list[str] | None:
    found = list(dict.fromkeys(str(e.value) for e in ctx.a.of_kind("neighbourhood")))
    if found:
        return found
    if ctx.payload.startswith("area:"):
        return [ctx.payload[5:]]
    if asked and (ctx.payload == "any" or _ANY_AREA.search(ctx.folded)):
        return ["any"]
    return None


def _timeline(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    d = ctx.a.first("duration")
    if d is not None and isinstance(d.value, str) and d.value.endswith("M"):
        months = int(re.sub(r"\D", "", d.value) or 0)
        return "asap" if months <= 1 else "3m" if months <= 3 else "6m"
    if d is not None and isinstance(d.value, str) and re.match(r"P\d+[DW]$", d.value):
        return "asap"
    return parse_choice(ctx, slot, asked)


def _budget_args(ctx: Ctx, values: dict[str, Any]) -> dict[str, Any]:
    return {"_key": "ask_rent_budget" if values.get("operation") == "rent" else "ask_budget"}


def _area_options(ctx: Ctx, values: dict[str, Any]) -> tuple[Option, ...]:
    areas = [str(a) for a in (ctx.settings.get("areas") or ())][:2]
    return (*(Option(f"area:{a}", a) for a in areas), Option("any", ctx.t("opt_any_area")))


def _lead(ctx: Ctx, v: dict[str, Any]) -> LeadInfo:
    areas = tuple(a for a in (v.get("areas") or ()) if a != "any")
    financing = v.get("financing") if v.get("operation") == "buy" else "na"
    score = actions.score_lead(
        v.get("operation"),
        v.get("budget"),
        v.get("bedrooms"),
        areas,
        v.get("timeline"),
        financing,
        bool(v.get("name")),
    )
    hot = score >= int(ctx.settings.get("hot_lead_score", actions.HOT_LEAD))
    return LeadInfo(
        operation=v.get("operation"),
        budget=v.get("budget"),
        bedrooms=v.get("bedrooms"),
        areas=areas,
        timeline=v.get("timeline"),
        financing=financing,
        score=score,
        hot=hot,
        details={"name": v.get("name"), "language": ctx.lang},
    )


def _query(v: dict[str, Any]) -> ListingQuery:
    areas = tuple(a for a in (v.get("areas") or ()) if a != "any")
    return ListingQuery(
        operation=v.get("operation"),
        max_price=float(v["budget"]) * 1.05 if v.get("budget") else None,
        bedrooms=v.get("bedrooms") or None,
        areas=areas,
    )


def _price(ctx: Ctx, card: ListingCard) -> str:
    n = f"{card.price:,.0f}"
    if ctx.lang == "es":
        n = n.replace(",", ".")
    return (
        f"{n} €/{'mes' if ctx.lang == 'es' else 'month'}" if card.operation == "rent" else f"{n} €"
    )


def show_cards(ctx: Ctx, cards: list[ListingCard]) -> None:
    """One message per listing, with its photo and a viewing button."""
    ctx.scratch["shown"] = [c.ref for c in cards]
    for c in cards:
        text = ctx.t(
            "card",
            title=c.title,
            price=_price(ctx, c),
            bedrooms=c.bedrooms,
            area=c.area,
            address=c.address,
            ref=c.ref,
        )
        ctx.say(text, (Option(f"view:{c.ref}", ctx.t("opt_view")),), image_url=c.photo_url)


def _qualified(ctx: Ctx, v: dict[str, Any]) -> None:
    listings = ctx.ports.listings
    assert listings is not None, "the real estate template needs a listings port"
    lead = _lead(ctx, v)
    actions.save_lead(listings, lead)
    ctx.scratch["lead"] = {k: v.get(k) for k in ("operation", "budget", "bedrooms", "areas")}
    ctx.scratch["hot"] = lead.hot
    ctx.scratch["score"] = lead.score
    cards = actions.search_listings(listings, _query(v), MATCHES)
    if not cards:
        ctx.say(ctx.t("no_matches"))
        ctx.hand_off(f"lead without matches (score {lead.score})", 2 if lead.hot else 1)
        return
    ctx.say(ctx.t("matches", n=len(cards)))
    show_cards(ctx, cards)
    _want_viewing(ctx)


def _want_viewing(ctx: Ctx) -> None:
    """Ask whether they want to see one of the listings shown; a "yes" asks which."""
    ctx.state["offer"] = "viewing"
    ctx.say(ctx.t("want_viewing"))


def _viewing_offer(ctx: Ctx, yes: bool) -> None:
    if yes:
        start_form(ctx, "viewing")
    else:
        _no_viewing(ctx)


def _like_but_cheaper(ctx: Ctx) -> bool:
    listings = ctx.ports.listings
    if listings is None or not _LIKE.search(ctx.folded):
        return False
    lead = ctx.scratch.get("lead") or {}
    base = _query(lead)
    ref, cards = actions.similar_cheaper(listings, ctx.text, base, MATCHES)
    ctx.state.pop("form", None)
    if ref is None:
        ctx.say(ctx.t("which_one"))
        return True
    if not cards:
        ctx.say(ctx.t("no_cheaper", title=ref.title))
        return True
    ctx.say(ctx.t("cheaper_than", title=ref.title, price=_price(ctx, ref)))
    show_cards(ctx, cards)
    _want_viewing(ctx)
    return True


def _listing(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    if ctx.payload.startswith("view:"):
        return ctx.payload[5:]
    listings = ctx.ports.listings
    if listings is not None and (found := listings.find(ctx.text)) is not None:
        return found.ref
    shown = ctx.scratch.get("shown") or []
    if asked and ctx.folded.strip().isdigit() and 0 < int(ctx.folded.strip()) <= len(shown):
        return str(shown[int(ctx.folded.strip()) - 1])
    m = _ORDINAL.search(ctx.folded)
    if shown and m is not None:  # "the first one", "el segundo", "the last one"
        word = next(w for w in m.groups() if w)
        i = -1 if word in ("last", "ultimo", "ultima") else _ORDINALS[word]
        return str(shown[i]) if i < len(shown) else None
    return None


_ORDINALS = {"first": 0, "second": 1, "third": 2, "primero": 0, "primer": 0, "primera": 0}
_ORDINALS |= {"segundo": 1, "segunda": 1, "tercero": 2, "tercer": 2, "tercera": 2}
_ORDINAL = re.compile(
    r"\b(?:the (first|second|third|last)(?: one| flat| apartment| place| property)?|"
    r"(?:el|la) (primero|primer|primera|segundo|segunda|tercero|tercer|tercera|ultimo|ultima)\b)"
)


def _listing_options(ctx: Ctx, values: dict[str, Any]) -> tuple[Option, ...]:
    listings = ctx.ports.listings
    out = []
    for ref in (ctx.scratch.get("shown") or [])[:3]:
        card = listings.get(ref) if listings is not None else None
        out.append(Option(f"view:{ref}", (card.title if card else ref)[:20]))
    return tuple(out)


def _viewing_check(ctx: Ctx, values: dict[str, Any], value: str) -> str:
    listings = ctx.ports.listings
    assert listings is not None
    ref = values.get("listing", "")
    free = listings.free_viewing_starts(
        ref, datetime.fromisoformat(value) - timedelta(minutes=1), 1
    )
    return when_check(
        ctx,
        VIEWING_MINUTES,
        lambda dt: bool(free) and free[0] == dt,
        lambda after, n: listings.free_viewing_starts(ref, after, n),
        value,
    )


def _viewing_options(ctx: Ctx, values: dict[str, Any]) -> tuple[Option, ...]:
    listings = ctx.ports.listings
    if listings is None or not values.get("listing"):
        return ()
    return time_options(
        ctx, listings.free_viewing_starts(values["listing"], ctx.now + timedelta(hours=2), 3)
    )


def _viewing_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    listings = ctx.ports.listings
    card = listings.get(v["listing"]) if listings is not None else None
    return ctx.t(
        "confirm_viewing",
        title=card.title if card else v["listing"],
        when=ctx.when(v["when"]),
        name=v.get("name", ""),
    )


def _book_viewing(ctx: Ctx, v: dict[str, Any]) -> None:
    listings = ctx.ports.listings
    assert listings is not None
    dt = datetime.fromisoformat(v["when"])
    result = actions.book_viewing(listings, v["listing"], dt, VIEWING_MINUTES)
    if result.booking is None:
        if result.alternatives:
            nxt = result.alternatives[0]
            reconfirm(
                ctx,
                ctx.template.forms["viewing"],
                {**v, "when": nxt.isoformat()},
                ctx.t("just_taken", when=ctx.when(dt), next=ctx.when(nxt)),
            )
        else:
            ctx.say(ctx.t("nothing_free"))
            ctx.hand_off("no viewing time free", 1)
        return
    ctx.say(ctx.t("viewing_booked", when=ctx.when(dt)))
    if ctx.scratch.get("hot"):
        ctx.say(ctx.t("agent_will_call"))
        ctx.hand_off(f"hot lead (score {ctx.scratch.get('score')}): viewing booked", 2)


def _viewings(ctx: Ctx) -> list[Booking]:
    listings = ctx.ports.listings
    return listings.upcoming_viewings() if listings is not None else []


def _describe(ctx: Ctx, b: Booking) -> dict[str, Any]:
    listings = ctx.ports.listings
    card = listings.get(b.label) if listings is not None else None
    return {"title": card.title if card else b.label}


VIEWINGS = Kind(
    upcoming=_viewings,
    describe=_describe,
    confirm_move="confirm_move_viewing",
    moved="viewing_moved",
    confirm_cancel="confirm_cancel_viewing",
    cancelled="viewing_cancelled",
)


def _move_check(ctx: Ctx, values: dict[str, Any], value: str) -> str:
    b = booking_by_choice(_viewings(ctx), str(values.get("booking", "")))
    return _viewing_check(ctx, {"listing": b.label if b else ""}, value)


def _move_viewing(ctx: Ctx, b: Booking, v: dict[str, Any]) -> BookResult:
    listings = ctx.ports.listings
    assert listings is not None
    return listings.move_viewing(b.id, datetime.fromisoformat(v["when"]))


def _cancel_viewing(ctx: Ctx, b: Booking) -> bool:
    listings = ctx.ports.listings
    return listings is not None and listings.cancel_viewing(b.id)


def _start_move(ctx: Ctx) -> None:
    """Move a viewing they have; with none, book one."""
    upcoming = _viewings(ctx)
    if not upcoming:
        _start_viewing(ctx)
        return
    start_with_booking(ctx, "move_viewing", upcoming)


def _start_qualify(ctx: Ctx) -> None:
    if ctx.scratch.get("lead") and ctx.a.intent == "search_listings":
        lead = dict(ctx.scratch["lead"])
        for kind in ("neighbourhood",):
            found = [str(e.value) for e in ctx.a.of_kind(kind)]
            if found:
                lead["areas"] = found
        listings = ctx.ports.listings
        cards = actions.search_listings(listings, _query(lead), MATCHES) if listings else []
        if cards:
            show_cards(ctx, cards)
            _want_viewing(ctx)
            return
    start_form(ctx, "qualify")


def _start_viewing(ctx: Ctx) -> None:
    if not ctx.scratch.get("shown") and not ctx.payload.startswith("view:"):
        listings = ctx.ports.listings
        if listings is None or listings.find(ctx.text) is None:
            ctx.say(ctx.t("viewing_first"))
            start_form(ctx, "qualify")
            return
    start_form(ctx, "viewing")


def _sell(ctx: Ctx) -> None:
    """An owner who wants to sell: where, how big, who and how to call them, then an agent."""
    start_form(ctx, "sell")


def _sold(ctx: Ctx, v: dict[str, Any]) -> None:
    listings = ctx.ports.listings
    assert listings is not None
    areas = tuple(a for a in (v.get("areas") or ()) if a != "any")
    lead = LeadInfo(
        operation="sell",
        budget=None,
        bedrooms=v.get("bedrooms"),
        areas=areas,
        timeline=None,
        financing="na",
        score=actions.score_lead("sell", None, v.get("bedrooms"), areas, None, "na", True),
        hot=False,
        details={"name": v.get("name"), "contact": v.get("contact"), "language": ctx.lang},
    )
    actions.save_lead(listings, lead)
    ctx.say(ctx.t("sell"))
    ctx.hand_off("owner wants to sell: valuation", 1)


def _menu(ctx: Ctx) -> tuple[Option, ...]:
    return (
        Option("buy", ctx.t("opt_buy")),
        Option("rent", ctx.t("opt_rent")),
        Option("sell", ctx.t("opt_sell")),
    )


def _before(ctx: Ctx) -> bool:
    if ctx.payload.startswith("view:") and (ctx.state.get("form") or {}).get("name") != "viewing":
        ctx.state.pop("form", None)
        start_form(ctx, "viewing")
        return True
    return _like_but_cheaper(ctx)


def _no_viewing(ctx: Ctx) -> None:
    if ctx.scratch.get("hot"):
        ctx.say(ctx.t("agent_will_call"))
        ctx.hand_off(f"hot lead (score {ctx.scratch.get('score')})", 2)
    else:
        ctx.say(ctx.t("keep_you_posted"))


def build() -> Template:
    """The real estate template."""
    qualify = Form(
        "qualify",
        (
            Slot(
                "operation",
                "choice",
                "ask_operation",
                "reask_operation",
                choices=OPERATIONS,
                parse=_operation,
            ),
            Slot(
                "budget",
                "money",
                "ask_budget",
                "reask_budget",
                fact="budget",
                ask_args=_budget_args,
            ),
            Slot(
                "bedrooms",
                "int",
                "ask_bedrooms",
                "reask_bedrooms",
                parse=_bedrooms,
                options=lambda ctx, v: (Option("1", "1"), Option("2", "2"), Option("3", "3+")),
            ),
            Slot(
                "areas",
                "text",
                "ask_areas",
                "reask_areas",
                fact="areas_of_interest",
                parse=_areas,
                options=_area_options,
            ),
            Slot(
                "timeline",
                "choice",
                "ask_timeline",
                "reask_timeline",
                choices=TIMELINES,
                parse=_timeline,
                optional=True,
            ),
            Slot(
                "financing",
                "choice",
                "ask_financing",
                "reask_financing",
                choices=FINANCING,
                needed=lambda ctx, v: v.get("operation") != "rent",
                optional=True,
            ),
            name_slot(),
        ),
        commit=_qualified,
        amend="qualify",
    )
    viewing = Form(
        "viewing",
        (
            Slot(
                "listing",
                "text",
                "ask_listing",
                "reask_listing",
                parse=_listing,
                options=_listing_options,
            ),
            Slot(
                "when",
                "datetime",
                "ask_viewing_when",
                "reask_viewing_when",
                check=_viewing_check,
                options=_viewing_options,
            ),
            name_slot(),
        ),
        commit=_book_viewing,
        summary=_viewing_summary,
        editable=("when", "listing"),
        amend="move_viewing",
    )
    return Template(
        name="real_estate",
        texts=Texts.load("common", "real_estate"),
        forms={
            "qualify": qualify,
            "sell": Form(
                "sell",
                (
                    Slot("areas", "text", "ask_sell_area", "reask_areas", parse=_areas),
                    Slot(
                        "bedrooms",
                        "int",
                        "ask_sell_bedrooms",
                        "reask_bedrooms",
                        parse=_bedrooms,
                    ),
                    name_slot(),
                    Slot(
                        "contact",
                        "contact",
                        "ask_sell_contact",
                        "reask_sell_contact",
                        fact="phone|email",
                    ),
                ),
                commit=_sold,
            ),
            "viewing": viewing,
            "move_viewing": move_form(
                "move_viewing",
                VIEWINGS,
                Slot(
                    "when",
                    "datetime",
                    "ask_new_when",
                    "reask_viewing_when",
                    check=_move_check,
                ),
                _move_viewing,
            ),
            "cancel_viewing": cancel_form("cancel_viewing", VIEWINGS, _cancel_viewing),
        },
        routes={
            "buy": _start_qualify,
            "rent": _start_qualify,
            "search_listings": _start_qualify,
            "book_viewing": _start_viewing,
            "reschedule": _start_move,
            "cancel": lambda ctx: start_with_booking(ctx, "cancel_viewing", _viewings(ctx)),
            "sell": _sell,
            "no_viewing": _no_viewing,
            "emergency": emergency_handoff,
        },
        menu=_menu,
        answer=lambda ctx: answer(ctx, lambda c, i: None),
        before=_before,
        offers={"viewing": _viewing_offer},
        keywords=(
            (
                re.compile(
                    r"\b(?:viewing|visit\w*|visita\w*|ver (?:el|la|este|esta)|verlo|verla|"
                    r"ir a ver|echar un vistazo|(?:see|view) (?:it|the (?:flat|apartment|place|"
                    r"property|one|house))|have a look|take a look|sh-?\d{3})\b"
                ),
                "book_viewing",
            ),
            (re.compile(r"\b(?:buy\w*|compr\w*)\b"), "buy"),
            (re.compile(r"\b(?:rent\w*|alquil\w*)\b"), "rent"),
        ),
    )

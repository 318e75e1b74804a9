"""Legal intake: practice area, jurisdiction, conflict check, urgency, checklist, consultation."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from flows import actions
from flows.forms import (
    Choice,
    Ctx,
    Form,
    Slot,
    Stop,
    Template,
    Texts,
    parse_choice,
    parse_datetime,
    start_form,
)
from flows.hours import fmt_day
from flows.ports import Booking, BookResult, IntakeInfo
from flows.templates import (
    DECLINED,
    Answer,
    amount,
    answer,
    booking_by_choice,
    booking_slot,
    name_slot,
    say_answer,
    start_with_booking,
    time_options,
    when_check,
)
from flows.templates.bookings import Kind, move_form
from flows.types import Option

AREAS = (
    Choice("family", "Family", "Familia", ("divorce", "custody", "divorcio", "custodia")),
    Choice(
        "immigration",
        "Immigration",
        "Extranjería",
        (
            "visa",
            "residency",
            "residencia",
            "nie",
            "arraigo",
            "extranjeria",
            "nacionalidad",
            "asilo",
            "asylum",
            "citizenship",
            "residence permit",
            "work permit",
            "permiso de residencia",
            "permiso de trabajo",
        ),
    ),
    Choice("employment", "Employment", "Laboral", ("fired", "despido", "work", "trabajo")),
    Choice("personal_injury", "Personal injury", "Accidentes", ("accident", "accidente", "injury")),
    Choice("criminal", "Criminal", "Penal", ("arrested", "detenido", "denuncia")),
    Choice("other", "Other", "Otro", ("something else", "otra cosa")),
)
_AREA_IDS = {c.id for c in AREAS}
PRIORITY_DAYS = 14
_CASE_WORDS = re.compile(
    r"\b(?:court|juicio|juzgado|hearing|demanda\w*|lawyer|abogad\w*|despid\w*|fired|divorc\w*|"
    r"desped\w*|reclam\w*|visa|residen\w*|permit|immigration|extranjeria|accident\w*|detenid\w*|arrest\w*|"
    r"custod\w*|herencia|inheritance|desahucio|evict\w*|dismiss\w*|injur\w*|deport\w*)\b"
)
# "any chance of a consultation today?": a request to see a lawyer, when nothing clearer is said
_CONSULT_ASKED = re.compile(r"\b(?:consultation|consult|appointment|consulta|cita)\b")
CONSULT_MINUTES = 45
_NONE = re.compile(r"^\s*(?:no|none|nobody|no one|nadie|ninguna?|ninguno|n/a|no hay)\b")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\by\b|&)\s*")
_LEAD_IN = re.compile(
    r"^(?:[\w']+\s+){0,4}?(?:is|are|was|were|es|son|era|eran)\s+|"
    r"^(?:mi|my)\s+(?:ex\w*|empresa|jefe|employer|boss|landlord|casero)\s*,?\s*",
    re.IGNORECASE,
)


def _area(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    e = ctx.a.first("practice_area")
    if e is not None:
        return str(e.value) if str(e.value) in _AREA_IDS else "other"
    return parse_choice(ctx, slot, asked)


_PLACES = re.compile(
    r"\b(Madrid|Barcelona|Valencia|Sevilla|Seville|Zaragoza|M[aá]laga|Murcia|Palma|Bilbao|"
    r"Alicante|C[oó]rdoba|Valladolid|Vigo|Gij[oó]n|Granada|Toledo|Salamanca|Santander|"
    r"Pamplona|San Sebasti[aá]n|Las Palmas|Tenerife|A Coruña|Oviedo|Getafe|Alcal[aá] de Henares|"
    r"M[oó]stoles|Legan[eé]s|Fuenlabrada|Alcobendas)\b"
)


def _jurisdiction(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    if ctx.payload.startswith("j:"):
        return ctx.payload[2:]
    if not asked:  # a city said anywhere ("it's in Madrid"), not a name
        place = _PLACES.search(ctx.text)
        return place.group(1) if place else None
    if asked and len(ctx.text.strip()) >= 2 and "?" not in ctx.text:
        return ctx.text.strip().strip(".")
    return None


_COMPANY = re.compile(
    r"\b((?:[A-ZÁÉÍÓÚÑ][\w&'-]*\s+){1,4}(?:S\.?L\.?U?|S\.?A\.?U?|Ltd|Inc|LLC|GmbH)\b\.?)"
)


_PARTY_SAID = re.compile(
    r"(?i:\b(?:the other (?:driver|side|party|parties)|the company|my (?:former )?(?:employer|"
    r"boss|manager|landlord|ex\w*|husband|wife)|la otra parte|el otro conductor|la empresa|"
    r"mi (?:ex\w*|empresa|jefe|jefa|casero|casera|marido|mujer|esposo|esposa)|against|contra))"
    r"(?i:\s+(?:is|are|was|es|son|era|se llama|called|named))?\s*[,:]?\s*"
    r"((?:[A-ZÁÉÍÓÚÑ][\w.'&-]*\s*){1,5}(?:(?i:\s*(?:and|y|&)\s+)(?:[A-ZÁÉÍÓÚÑ][\w.'&-]*\s*){1,5})*)"
)


def _parties(ctx: Ctx, slot: Slot, asked: bool) -> list[str] | None:
    if not asked:  # names that read as a company ("Almacenes Delta S.L.") or said as a party
        said = [m.strip() for m in _COMPANY.findall(ctx.text)]
        for m in _PARTY_SAID.finditer(ctx.text):
            for n in _SPLIT.split(m.group(1).strip().strip(".")):
                if len(n.strip()) >= 2 and not any(n.strip() in c for c in said):
                    said.append(n.strip())
        return said or None
    if ctx.payload == "none" or _NONE.match(ctx.folded):
        return []
    text = _LEAD_IN.sub("", ctx.text.strip().strip("."))
    names = [n.strip() for n in _SPLIT.split(text) if len(n.strip()) >= 2]
    return names or None


def _check_parties(ctx: Ctx, values: dict[str, Any], names: list[str]) -> list[str]:
    intake = ctx.ports.intake
    hits = actions.check_conflicts(intake, names) if intake is not None and names else []
    if hits:
        ctx.state.pop("form", None)
        ctx.say(ctx.t("conflict"))
        ctx.hand_off(f"possible conflict of interest: {', '.join(hits)}", 2)
        raise Stop
    return names


_COURT_WORDS = re.compile(
    r"\b(?:court|hearing|trial|judge|deadline|summons|tribunal|juzgado|juicio|vista|"
    r"citacion|citado|citada|plazo|audiencia|comparecencia|lanzamiento|desahucio)\b"
)


def _court(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    if ctx.payload == "no_court":
        return "none"
    if not asked and not _COURT_WORDS.search(ctx.folded):
        return None  # "they gave me the letter on the 6th" is not a court date
    e = ctx.a.first("date") or ctx.a.first("datetime")
    if e is not None:
        return str(e.value)[:10]
    if asked and ctx.denied():
        return "none"
    return None


def _court_date(values: dict[str, Any]) -> date | None:
    value = values.get("court_date")
    return date.fromisoformat(value) if value and value != "none" else None


def _urgent(ctx: Ctx, values: dict[str, Any]) -> bool:
    court = _court_date(values)
    today = ctx.now.astimezone(ctx.tz).date()
    return court is not None and today <= court <= today + timedelta(days=PRIORITY_DAYS)


def _contact(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    for kind in ("phone", "email"):
        if (e := ctx.a.first(kind)) is not None:
            return str(e.value)
    return None


def _extra_question(i: int) -> Slot:
    """One of the business's own intake questions (settings.intake_questions)."""

    def question(ctx: Ctx) -> str | None:
        items = list(ctx.settings.get("intake_questions") or ())
        if i >= len(items):
            return None
        item = items[i]
        return str(item.get(ctx.lang) or item.get("en") or item.get("es") or "") or None

    return Slot(
        f"q{i}",
        "text",
        "ask_summary",
        "reask_extra",
        needed=lambda ctx, v: question(ctx) is not None,
        ask_args=lambda ctx, v: {"_text": question(ctx)},
    )


def _area_name(ctx: Ctx, area: str) -> str:
    choice = next((c for c in AREAS if c.id == area), AREAS[-1])
    return choice.title(ctx.lang)


def _written_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    """The summary an attorney reads (in the customer's language)."""
    court = _court_date(v)
    none = "ninguna" if ctx.lang == "es" else "none"
    return ctx.t(
        "summary_text",
        area=_area_name(ctx, v["practice_area"]),
        jurisdiction=v.get("jurisdiction", "-"),
        parties=", ".join(v.get("parties") or []) or none,
        court=fmt_day(court, ctx.lang) if court else none,
        facts=" ".join([v.get("summary", ""), *(v[f"q{i}"] for i in range(3) if v.get(f"q{i}"))]),
        name=v.get("name", ""),
        contact=v.get("contact", "-"),
    )


def _intake_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    summary = _written_summary(ctx, v)
    if v.get("consult_when"):
        summary += "\n" + ctx.t("summary_consult", when=ctx.when(v["consult_when"]))
    return ctx.t("confirm_intake", summary=summary)


def _consult_wish(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """A day and time the customer would like the consultation ("a consultation on Thursday
    19th at 10:00"), said anywhere in the intake; never a court date or a past time."""
    if _COURT_WORDS.search(ctx.folded) or (
        ctx.a.first("datetime") is None and not ctx.payload.startswith("at:")
    ):
        return None
    value = parse_datetime(ctx, slot, asked)
    if value is None or datetime.fromisoformat(value) <= ctx.now:
        return None
    return value


def _commit_intake(ctx: Ctx, v: dict[str, Any]) -> None:
    intake = ctx.ports.intake
    assert intake is not None, "the legal template needs an intake port"
    urgent = _urgent(ctx, v)
    court = _court_date(v)
    info = IntakeInfo(
        practice_area=v["practice_area"],
        jurisdiction=v.get("jurisdiction"),
        parties=tuple(v.get("parties") or ()),
        court_date=court,
        priority="urgent" if urgent else "normal",
        summary=_written_summary(ctx, v),
        details={"name": v.get("name"), "contact": v.get("contact"), "language": ctx.lang},
    )
    case_id = actions.open_intake(intake, info)
    ctx.scratch["intake_id"] = case_id
    ctx.scratch["area"] = v["practice_area"]
    checklist = ctx.t(f"docs_{v['practice_area']}")
    if urgent:
        assert court is not None
        ctx.say(ctx.t("urgent_handoff", court=fmt_day(court, ctx.lang)))
        ctx.say(checklist)
        ctx.hand_off(f"court date within {PRIORITY_DAYS} days: intake #{case_id}", 3)
        return
    ctx.say(ctx.t("intake_saved"))
    ctx.say(checklist)
    if v.get("consult_when"):  # the time they asked for during the intake
        _book_consult(ctx, {"when": v["consult_when"]})
        return
    ctx.state["offer"] = "consult"
    fee = ctx.settings.get("consultation_fee")
    offer = (
        ctx.t("offer_consult", fee=amount(fee)) if fee is not None else ctx.t("offer_consult_plain")
    )
    ctx.say(offer, ctx.yes_no())


def _consult_offer(ctx: Ctx, yes: bool) -> None:
    if yes:
        start_form(ctx, "consult")
        return
    ctx.say(ctx.t("attorney_will_call"))
    ctx.hand_off(f"legal intake #{ctx.scratch.get('intake_id')} ready for an attorney", 1)


def _consult_check(ctx: Ctx, values: dict[str, Any], value: str) -> str:
    cal = ctx.ports.calendar
    assert cal is not None
    return when_check(
        ctx,
        CONSULT_MINUTES,
        lambda dt: cal.is_free(dt, CONSULT_MINUTES),
        lambda after, n: cal.free_starts(CONSULT_MINUTES, after, n),
        value,
    )


def _consult_options(ctx: Ctx, values: dict[str, Any]) -> tuple[Option, ...]:
    cal = ctx.ports.calendar
    if cal is None:
        return ()
    return time_options(ctx, cal.free_starts(CONSULT_MINUTES, ctx.now + timedelta(hours=2), 3))


def _consult_summary(ctx: Ctx, v: dict[str, Any]) -> str:
    return ctx.t("confirm_consult", when=ctx.when(v["when"]))


def _book_consult(ctx: Ctx, v: dict[str, Any]) -> None:
    cal = ctx.ports.calendar
    assert cal is not None
    dt = datetime.fromisoformat(v["when"])
    result = actions.book_appointment(
        cal,
        "consultation",
        dt,
        CONSULT_MINUTES,
        details={"intake_id": ctx.scratch.get("intake_id"), "area": ctx.scratch.get("area")},
    )
    if result.booking is None:
        nxt = result.alternatives[0] if result.alternatives else None
        if nxt is None:
            ctx.say(ctx.t("nothing_free"))
            ctx.hand_off("no consultation time free", 1)
            return
        from flows.templates import reconfirm

        reconfirm(
            ctx,
            ctx.template.forms["consult"],
            {**v, "when": nxt.isoformat()},
            ctx.t("just_taken", when=ctx.when(dt), next=ctx.when(nxt)),
        )
        return
    # no handoff: the case and the consultation are on the attorney's list, and the
    # customer may still write to the bot ("thanks, see you on Thursday")
    ctx.say(ctx.t("consult_booked", when=ctx.when(dt)))


def _notice_then(ctx: Ctx) -> None:
    if not ctx.state.get("notice"):
        ctx.state["notice"] = True
        ctx.say(ctx.t("notice"))


# A greeting is not part of what happened ("hola de nuevo, quiero contaros mi caso").
_GREETING = re.compile(
    r"^\W*(?:(?:hola|hi|hello|hey|buenos dias|buenas tardes|buenas noches|buenas|good morning|"
    r"good afternoon|good evening)\b\W*)+(?:(?:de nuevo|otra vez|again)\b\W*)?"
)


def _start_intake(ctx: Ctx) -> None:
    _notice_then(ctx)
    told = ctx.text.strip()
    content = _GREETING.sub("", ctx.folded).split()
    values = {"summary": told} if len(content) >= 8 else {}
    start_form(ctx, "intake", values)


def _consultation(ctx: Ctx) -> None:
    if ctx.scratch.get("intake_id"):
        start_form(ctx, "consult")
        return
    ctx.say(ctx.t("intake_first"))
    _start_intake(ctx)


def _upcoming(ctx: Ctx) -> list[Any]:
    cal = ctx.ports.calendar
    return cal.upcoming() if cal is not None else []


CONSULTATIONS = Kind(
    upcoming=_upcoming,
    describe=lambda ctx, b: {},
    confirm_move="confirm_move_consult",
    moved="consult_moved",
    confirm_cancel="confirm_cancel",
    cancelled="consult_cancelled",
)


def _move_consult(ctx: Ctx, b: Booking, v: dict[str, Any]) -> BookResult:
    cal = ctx.ports.calendar
    assert cal is not None
    return actions.reschedule_appointment(cal, b.id, datetime.fromisoformat(v["when"]))


def _start_move(ctx: Ctx) -> None:
    """Move the customer's consultation; with none, a consultation (after an intake)."""
    upcoming = _upcoming(ctx)
    if not upcoming:
        _consultation(ctx)
        return
    start_with_booking(ctx, "move_consult", upcoming)


def _cancel(ctx: Ctx, v: dict[str, Any]) -> None:
    cal = ctx.ports.calendar
    b = booking_by_choice(_upcoming(ctx), v["booking"])
    if cal is None or b is None or not actions.cancel_appointment(cal, b.id):
        ctx.say(ctx.t("no_bookings"))
        return
    ctx.say(ctx.t("consult_cancelled"))


_DOCS_ASKED = re.compile(
    r"\b(?:documents?|paperwork|papers|what (?:should|do) i (?:bring|get ready|prepare)|"
    r"documentos?|documentacion|papeles|que (?:tengo que|debo|hay que) (?:traer|llevar|preparar))\b"
)


def _checklist(ctx: Ctx) -> str | None:
    """The documents to bring for the customer's kind of case (said in this message, kept
    from their intake, or remembered)."""
    if not _DOCS_ASKED.search(ctx.folded):
        return None
    said = ctx.a.first("practice_area")
    area = (
        str(said.value)
        if said is not None
        else ctx.scratch.get("area") or ctx.fact("practice_area")
    )
    if area not in _AREA_IDS or area == "other":
        return None
    return ctx.t(f"docs_{area}")


def _specific(ctx: Ctx, intent: str) -> str | None:
    """The documents checklist of the customer's kind of case; the configured consultation
    fee (no knowledge base yet), never a default fee."""
    if checklist := _checklist(ctx):
        return checklist
    fee = ctx.settings.get("consultation_fee")
    about_consultation = any(w in ctx.folded for w in ("consult", "first", "primera", "cita"))
    if (
        fee is not None
        and about_consultation
        and (
            intent in ("fees", "pricing")
            or any(
                w in ctx.folded
                for w in (
                    "fee",
                    "cost",
                    "charge",
                    "how much",
                    "cuanto",
                    "precio",
                    "honorarios",
                    "cobr",
                )
            )
        )
    ):
        return ctx.t("fees", fee=amount(fee))
    return None


_AREA_HINTS = (
    (
        re.compile(r"\b(?:arrest\w*|detain\w*|detenid\w*|police|policia|comisaria|jail|carcel)\b"),
        "criminal",
    ),
    (re.compile(r"\b(?:evict\w*|desahuci\w*|landlord|casero|lanzamiento)\b"), "housing"),
    (re.compile(r"\b(?:deport\w*|expuls\w*|cie\b|visa|residencia)\b"), "immigration"),
    (re.compile(r"\b(?:custod\w*|divorc\w*|hijos?|children|kids)\b"), "family"),
)


_DANGER = re.compile(
    r"\b(?:urgent\w*|emergenc\w*|asap|right now|ahora mismo|today|tonight|tomorrow|hoy|"
    r"esta noche|manana|police|policia|comisaria|jail|carcel|detain\w*|detenid\w*|arrest\w*|"
    r"custody|calabozo|deport\w*|expuls\w*|evict\w*|desahuci\w*|lanzamiento|danger|peligro|"
    r"threat\w*|amenaz\w*|violen\w*|bleed\w*|sangr\w*|ambulan\w*|hospital|112|911)\b"
)


def _is_urgent(ctx: Ctx) -> bool:
    """Urgent for a law firm: someone detained, a danger, an eviction or a hearing within
    days; a past accident with pain since is a case to take, not an emergency."""
    if _DANGER.search(ctx.folded):
        return True
    day = ctx.a.first("date") or ctx.a.first("datetime")
    if day is None or not _COURT_WORDS.search(ctx.folded):
        return False
    today = ctx.now.astimezone(ctx.tz).date()
    return today <= date.fromisoformat(str(day.value)[:10]) <= today + timedelta(PRIORITY_DAYS)


def _emergency(ctx: Ctx) -> bool | None:
    """Someone detained, a hearing or an eviction within days: an urgent intake an attorney
    sees first, and a person now. None: not urgent for the firm (the intake goes on)."""
    if not _is_urgent(ctx):
        return None
    intake = ctx.ports.intake
    values = dict((ctx.state.get("form") or {}).get("values") or {})
    area = ctx.a.first("practice_area")
    practice = str(area.value) if area is not None else values.get("practice_area")
    if not practice:
        practice = next((a for p, a in _AREA_HINTS if p.search(ctx.folded)), "other")
    ctx.state.pop("form", None)
    day = ctx.a.first("date") or ctx.a.first("datetime")
    court = date.fromisoformat(str(day.value)[:10]) if day is not None else None
    today = ctx.now.astimezone(ctx.tz).date()
    case_id = None
    if intake is not None:
        info = IntakeInfo(
            practice_area=practice,
            jurisdiction=values.get("jurisdiction"),
            parties=tuple(values.get("parties") or ()),
            court_date=court if court is not None and court >= today else None,
            priority="urgent",
            summary=ctx.text.strip(),
            details={"name": values.get("name") or ctx.fact("name"), "language": ctx.lang},
        )
        case_id = actions.open_intake(intake, info)
        ctx.scratch["intake_id"] = case_id
    ctx.say(ctx.t("emergency"))
    ctx.hand_off(f"urgent legal matter ({practice}): intake #{case_id}", 3)
    return True


def _urgent_intake(ctx: Ctx) -> None:
    """Intent `emergency` that the engine did not already take as one (a weak guess without
    urgent words): an urgent intake and a person when urgent for the firm, else the intake."""
    if _emergency(ctx) is None:
        _start_intake(ctx)


def _fees(ctx: Ctx) -> None:
    said = answer(ctx, _specific, settings_first=True)
    say_answer(ctx, said if said else Answer(DECLINED, ctx.t("dont_know")))


def _case_status(ctx: Ctx) -> None:
    ctx.say(ctx.t("case_status"))
    ctx.hand_off("case status question", 1)


def _menu(ctx: Ctx) -> tuple[Option, ...]:
    return (
        Option("intake", ctx.t("opt_intake")),
        Option("consultation", ctx.t("opt_consult")),
        Option("fees", ctx.t("opt_fees")),
    )


def build() -> Template:
    """The legal intake template."""
    intake = Form(
        "intake",
        (
            Slot(
                "practice_area",
                "choice",
                "ask_area",
                "reask_area",
                fact="practice_area",
                choices=AREAS,
                parse=_area,
            ),
            Slot(
                "jurisdiction",
                "text",
                "ask_jurisdiction",
                "reask_jurisdiction",
                parse=_jurisdiction,
                optional=True,
                options=lambda ctx, v: (
                    Option("j:Madrid", "Madrid"),
                    Option("j:" + ctx.t("elsewhere_spain"), ctx.t("elsewhere_spain")),
                    Option("j:" + ctx.t("outside_spain"), ctx.t("outside_spain")),
                ),
            ),
            Slot(
                "parties",
                "text",
                "ask_parties",
                "reask_parties",
                parse=_parties,
                check=_check_parties,
                optional=True,
                options=lambda ctx, v: (Option("none", ctx.t("opt_nobody")),),
            ),
            Slot(
                "court_date",
                "text",
                "ask_court",
                "reask_court",
                parse=_court,
                optional=True,
                options=lambda ctx, v: (Option("no_court", ctx.t("opt_no_court")),),
            ),
            Slot("summary", "text", "ask_summary", "reask_summary"),
            *(_extra_question(i) for i in range(3)),
            name_slot(),
            Slot(
                "contact",
                "contact",
                "ask_contact",
                "reask_contact",
                parse=_contact,
                fact="email|phone",
            ),
            Slot(
                "consult_when",
                "datetime",
                "ask_consult_when",
                "reask_when",
                parse=_consult_wish,
                check=_consult_check,
                options=_consult_options,
                optional=True,
            ),
        ),
        commit=_commit_intake,
        summary=_intake_summary,
        editable=("summary", "parties"),
    )
    consult = Form(
        "consult",
        (
            Slot(
                "when",
                "datetime",
                "ask_consult_when",
                "reask_when",
                check=_consult_check,
                options=_consult_options,
            ),
        ),
        commit=_book_consult,
        summary=_consult_summary,
        editable=("when",),
        amend="move_consult",
    )
    return Template(
        name="legal",
        texts=Texts.load("common", "legal"),
        forms={
            "intake": intake,
            "consult": consult,
            "move_consult": move_form(
                "move_consult",
                CONSULTATIONS,
                Slot(
                    "when",
                    "datetime",
                    "ask_new_when",
                    "reask_when",
                    check=_consult_check,
                    options=_consult_options,
                ),
                _move_consult,
            ),
            "cancel": Form(
                "cancel",
                (booking_slot(_upcoming),),
                commit=_cancel,
                summary=lambda ctx, v: ctx.t("confirm_cancel"),
            ),
        },
        routes={
            "legal_intake": _start_intake,
            "intake": _start_intake,
            "consultation": _consultation,
            "cancel": lambda ctx: start_with_booking(ctx, "cancel", _upcoming(ctx)),
            "reschedule": _start_move,
            "case_status": _case_status,
            "emergency": _urgent_intake,
            "fees": _fees,
            "pricing": _fees,
        },
        menu=_menu,
        answer=lambda ctx: answer(ctx, _specific, settings_first=True),
        offers={"consult": _consult_offer},
        emergency=_emergency,
        keywords=((_CASE_WORDS, "legal_intake"), (_CONSULT_ASKED, "consultation")),
    )

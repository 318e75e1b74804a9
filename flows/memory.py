"""Profile memory: facts a customer told us, how they merge, and how we show or forget them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flows.understanding.rules import forget_target
from flows.understanding.text import fold
from flows.understanding.types import Annotations

CORRECTION_CONFIDENCE = 1.0
"""Explicit corrections ("actually...", "en realidad...") carry full confidence and always win."""

MIN_FILL_CONFIDENCE = 0.5
LIST_KEYS = frozenset({"allergies", "dietary", "areas_of_interest"})

_CORRECTION = re.compile(
    r"\b(?:actually|correction|i meant|sorry i meant|i mean|scratch that|en realidad|mejor dicho|"
    r"quise decir|quiero decir|me equivoque|perdon era|rectifico|no perdon)\b"
)
_BUDGET_WORDS = re.compile(r"\b(?:budget|presupuesto|up to|hasta|max|maximo|afford|gastar|spend)\b")
_BOOKING_INTENTS = frozenset(
    {"book_appointment", "reserve_table", "reschedule", "book_viewing", "consultation"}
)


@dataclass(frozen=True)
class Fact:
    """One thing we know about a contact, where it came from, how sure we are, and when."""

    key: str
    value: Any
    confidence: float
    source_message_id: str | None
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serializable dict."""
        return {
            "key": self.key,
            "value": self.value,
            "confidence": self.confidence,
            "source_message_id": self.source_message_id,
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fact:
        """Build from `to_dict()` output."""
        return cls(
            key=str(data["key"]),
            value=data.get("value"),
            confidence=float(data.get("confidence", 0.5)),
            source_message_id=data.get("source_message_id"),
            at=datetime.fromisoformat(str(data["at"])),
        )


# ---------------------------------------------------------------- names

_NOT_NAMES = frozenset(
    """
    hi hello hey hiya yo hola buenas buenos dias tardes noches ola saludos adios bye goodbye
    thanks thank gracias cheers yes yeah yep yup no nope nah si vale ok okay okey sure claro
    perfecto perfect great genial fine good bien mal bad well sorry perdon perdona lo siento
    please porfa favor i me my you your we us they he she it this that the a an and or but
    yo mi tu usted nosotros ellos el ella la los las un una uno y o pero de del al con sin para
    por que quien what who here aqui there alli now ahora today hoy tomorrow manana
    furious angry mad upset annoyed irritated frustrated fed fedup disappointed sad happy glad
    tired exhausted worried scared afraid nervous anxious confused lost sick ill hungry busy
    ready done interested looking calling writing wondering trying waiting asking back late
    early new old returning allergic pregnant married single serious fine alone available
    free sure certain not very really so just also still only
    enfadado enfadada enfadadisimo cabreado cabreada harto harta molesto molesta furioso furiosa
    triste contento contenta feliz cansado cansada preocupado preocupada nervioso nerviosa
    asustado asustada confundido confundida perdido perdida enfermo enferma ocupado ocupada
    listo lista nuevo nueva nuevos alergico alergica embarazada casado casada soltero soltera
    interesado interesada esperando buscando llamando escribiendo paciente cliente clienta
    idiot idiots stupid dumb moron useless incompetent pathetic ridiculous terrible awful
    horrible rubbish crap joke clown liar scam fraud bot robot machine human person people
    tonto tonta tontos idiota imbecil estupido estupida inutil inutiles gilipollas pesado pesada
    subnormal payaso mentiroso mentirosa estafa estafadores ridiculo vergonzoso vergonzosa
    maquina persona humano humana gente basura fatal horrible pesimo pesima
    monday tuesday wednesday thursday friday saturday sunday lunes martes miercoles jueves
    viernes sabado domingo january february march april may june july august september
    october november december enero febrero marzo abril mayo junio julio agosto septiembre
    octubre noviembre diciembre morning afternoon evening night tarde noche
    table mesa cita appointment booking reserva reservation cleaning limpieza checkup revision
    lawyer abogado abogada owner dueno manager encargado staff team equipo agent agente
    emergency urgente urgencia urgent help ayuda pain dolor
    vegan vegano vegana vegetarian vegetariano vegetariana celiac celiaco celiaca
    one two three four five six seven eight nine ten dos tres cuatro cinco seis siete ocho
    nueve diez
    """.split()
)
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’.-]*$")


def looks_like_name(value: str, raw: str | None = None) -> bool:
    """Whether a phrase reads as a person's name ("Ana López"), not an adjective, an insult,
    a greeting or a common word ("furious", "tonto", "hola"). `raw` is the text as written:
    an all-lowercase word written without an explicit "my name is" is taken only when it is
    not a known common word (the same list)."""
    tokens = str(value).strip().split()
    if not 1 <= len(tokens) <= 4:
        return False
    particles = {"de", "del", "la", "las", "los", "y", "van", "von", "da", "di", "le"}
    core = [t for t in tokens if fold(t) not in particles or t is tokens[0]]
    if not core:
        return False
    for t in core:
        if not _NAME_TOKEN.match(t) or fold(t).strip(".'’") in _NOT_NAMES:
            return False
    return len(fold(core[0])) >= 2


def clean_name(value: str) -> str:
    """A name with each word capitalized the way names are written ("ana lópez" -> "Ana López")."""
    small = {"de", "del", "la", "las", "los", "y", "van", "von", "da", "di"}
    words_ = str(value).strip().split()
    return " ".join(
        w if (w[:1].isupper() or (i and w in small)) else w[:1].upper() + w[1:]
        for i, w in enumerate(words_)
    )


# ---------------------------------------------------------------- deriving facts


def facts_from(
    annotations: Annotations,
    text: str,
    message_id: str | None,
    at: datetime,
    profile_name: str | None = None,
) -> tuple[Fact, ...]:
    """Derive profile facts from one annotated message (and the provider's profile name)."""
    folded = fold(text)
    correction = bool(_CORRECTION.search(folded))

    def fact(key: str, value: Any, confidence: float) -> Fact:
        return Fact(key, value, CORRECTION_CONFIDENCE if correction else confidence, message_id, at)

    out: list[Fact] = []
    a = annotations
    if (name := a.first("name")) is not None and looks_like_name(str(name.value), name.text):
        out.append(fact("name", clean_name(str(name.value)), 0.9))
    elif profile_name and profile_name.strip() and looks_like_name(profile_name.strip()):
        out.append(Fact("name", profile_name.strip(), 0.4, message_id, at))
    if len(text.split()) >= 3:
        out.append(Fact("language", a.language, 0.6, message_id, at))
    for kind, key, conf in (
        ("phone", "phone", 0.95),
        ("email", "email", 0.95),
        ("party_size", "party_size", 0.8),
        ("insurance", "insurance", 0.85),
        ("property_type", "property_type", 0.7),
        ("practice_area", "practice_area", 0.7),
        ("seating", "seating", 0.6),
    ):
        if (e := a.first(kind)) is not None:
            out.append(fact(key, e.value, conf))
    if (money := a.first("money")) is not None:
        out.append(fact("budget", money.value, 0.9 if _BUDGET_WORDS.search(folded) else 0.7))
    for kind, key in (
        ("allergen", "allergies"),
        ("dietary", "dietary"),
        ("neighbourhood", "areas_of_interest"),
    ):
        values = list(dict.fromkeys(e.value for e in a.of_kind(kind)))
        if values:
            out.append(fact(key, values, 0.8))
    if a.intent in _BOOKING_INTENTS:
        if (service := a.first("service")) is not None:
            out.append(fact("last_service", service.value, 0.6))
        when = a.first("datetime")
        if when is not None:
            dt = datetime.fromisoformat(str(when.value))
            out.append(
                fact("preferred_time", {"weekday": dt.weekday(), "time": dt.strftime("%H:%M")}, 0.5)
            )
    return tuple(out)


# ---------------------------------------------------------------- merging


def _wins(new: Fact, old: Fact) -> bool:
    if new.at < old.at:
        return new.confidence >= CORRECTION_CONFIDENCE and old.confidence < CORRECTION_CONFIDENCE
    return new.confidence >= CORRECTION_CONFIDENCE or new.confidence >= old.confidence - 0.3


def merge(existing: Iterable[Fact], incoming: Iterable[Fact]) -> tuple[Fact, ...]:
    """One fact per key: newer statements win unless much less sure; corrections always win."""
    by_key: dict[str, Fact] = {f.key: f for f in sorted(existing, key=lambda f: f.at)}
    for new in sorted(incoming, key=lambda f: f.at):
        old = by_key.get(new.key)
        if old is None:
            by_key[new.key] = new
        elif new.key in LIST_KEYS and new.confidence < CORRECTION_CONFIDENCE:
            union = list(dict.fromkeys([*_as_list(old.value), *_as_list(new.value)]))
            by_key[new.key] = replace(
                new, value=union, confidence=max(old.confidence, new.confidence)
            )
        elif _wins(new, old):
            by_key[new.key] = new
    return tuple(sorted(by_key.values(), key=lambda f: f.key))


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


# ---------------------------------------------------------------- forgetting


@dataclass(frozen=True)
class ForgetRequest:
    """What the customer asked us to forget: everything, or one fact key."""

    everything: bool
    key: str | None = None


def parse_forget(text: str) -> ForgetRequest | None:
    """Read "forget me" / "olvídame" (everything) or "forget my budget" (one key)."""
    target = forget_target(text)
    if target is None:
        return None
    return ForgetRequest(everything=True) if target == "*" else ForgetRequest(False, target)


def apply_forget(
    facts: Iterable[Fact], request: ForgetRequest
) -> tuple[tuple[Fact, ...], tuple[Fact, ...]]:
    """Split facts into (kept, removed) for a forget request."""
    kept: list[Fact] = []
    removed: list[Fact] = []
    for f in facts:
        (removed if request.everything or f.key == request.key else kept).append(f)
    return tuple(kept), tuple(removed)


def forget_confirmation(
    request: ForgetRequest, removed: Sequence[Fact], language: str, formal: bool = False
) -> str:
    """Plain confirmation of what was deleted (usted when `formal`)."""
    es = language == "es"
    you, your = ("usted", "su") if formal else ("ti", "tu")
    if request.everything:
        return (
            f"Hecho: he borrado todo lo que sabía de {you}."
            if es
            else "Done: I have deleted everything I knew about you."
        )
    label = _label(request.key or "", language)
    if not removed:
        return f"No tenía guardado {your} {label}." if es else f"I didn't have your {label} stored."
    return f"Hecho: he olvidado {your} {label}." if es else f"Done: I have forgotten your {label}."


# ---------------------------------------------------------------- rendering

_LABELS = {
    "name": ("name", "nombre"),
    "language": ("language", "idioma"),
    "phone": ("phone", "teléfono"),
    "email": ("email", "email"),
    "budget": ("budget", "presupuesto"),
    "party_size": ("usual party size", "número de personas habitual"),
    "allergies": ("allergies", "alergias"),
    "dietary": ("diet", "dieta"),
    "insurance": ("insurance", "seguro"),
    "last_service": ("last service", "último servicio"),
    "preferred_time": ("preferred time", "hora preferida"),
    "areas_of_interest": ("areas of interest", "zonas de interés"),
    "property_type": ("property type", "tipo de inmueble"),
    "practice_area": ("legal matter", "asunto legal"),
    "seating": ("seating", "zona preferida"),
    "address": ("address", "dirección"),
}
_WEEKDAYS = (
    ("Monday", "lunes"),
    ("Tuesday", "martes"),
    ("Wednesday", "miércoles"),
    ("Thursday", "jueves"),
    ("Friday", "viernes"),
    ("Saturday", "sábado"),
    ("Sunday", "domingo"),
)
_VALUES_ES = {
    "cleaning": "limpieza",
    "checkup": "revisión",
    "whitening": "blanqueamiento",
    "filling": "empaste",
    "root_canal": "endodoncia",
    "extraction": "extracción",
    "implant": "implante",
    "orthodontics": "ortodoncia",
    "gluten": "gluten",
    "nuts": "frutos secos",
    "shellfish": "marisco",
    "lactose": "lactosa",
    "eggs": "huevo",
    "penicillin": "penicilina",
    "vegan": "vegana",
    "vegetarian": "vegetariana",
    "apartment": "piso",
    "house": "casa",
    "studio": "estudio",
    "employment": "laboral",
    "family": "familia",
    "housing": "vivienda",
    "terrace": "terraza",
    "en": "inglés",
    "es": "español",
    "personal_injury": "accidentes y lesiones",
    "centro": "centro",
}
_VALUES_EN = {"en": "English", "es": "Spanish", "personal_injury": "personal injury"}


def _label(key: str, language: str) -> str:
    en, es = _LABELS.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return es if language == "es" else en


def _word(value: Any, language: str) -> str:
    text = str(value)
    table = _VALUES_ES if language == "es" else _VALUES_EN
    return table.get(text, text.replace("_", " "))


def format_value(key: str, value: Any, language: str) -> str:
    """Show a fact's value the way a person would say it."""
    es = language == "es"
    if isinstance(value, dict) and "amount" in value:
        amount = value.get("amount") or 0
        n = f"{amount:,.0f}" if float(amount) == int(amount) else f"{amount:,.2f}"
        if es:
            n = n.replace(",", "X").replace(".", ",").replace("X", ".")
        symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(str(value.get("currency")), "")
        shown = (f"{n} {symbol}".strip() if es else f"{symbol}{n}") if symbol else n
        if value.get("period") == "month":
            shown += " al mes" if es else "/month"
        return shown
    if key == "preferred_time" and isinstance(value, dict):
        day = _WEEKDAYS[int(value.get("weekday", 0)) % 7][1 if es else 0]
        return f"{day} a las {value.get('time')}" if es else f"{day} at {value.get('time')}"
    if key == "party_size":
        return f"{value} personas" if es else f"{value} people"
    if isinstance(value, list | tuple):
        items = [_word(v, language) for v in value]
        return (
            (" y " if es else " and ").join([", ".join(items[:-1]), items[-1]])
            if len(items) > 1
            else (items[0] if items else "")
        )
    return _word(value, language)


def render_known(facts: Sequence[Fact], language: str, formal: bool = False) -> str:
    """Answer "what do you know about me?" plainly, one fact per line (usted when `formal`)."""
    es = language == "es"
    you = "usted" if formal else "ti"
    facts = [f for f in facts if f.key != "language"]  # how we reply, not something about them
    if not facts:
        return (
            f"No tengo nada guardado sobre {you}."
            if es
            else "I don't have anything stored about you."
        )
    order = list(_LABELS)
    lines = [
        f"- {_label(f.key, language).capitalize()}: {format_value(f.key, f.value, language)}"
        for f in sorted(facts, key=lambda f: (order.index(f.key) if f.key in order else 99, f.key))
    ]
    head = f"Esto es lo que sé de {you}:" if es else "This is what I know about you:"
    say = "Diga" if formal else "Di"
    foot = (
        f'{say} "olvida mi presupuesto" para borrar un dato, u "olvídame" para borrarlo todo.'
        if es
        else 'Say "forget my budget" to delete one item, or "forget me" to delete everything.'
    )
    return "\n".join([head, *lines, foot])


# ---------------------------------------------------------------- using facts in flows

SLOT_ALIASES: dict[str, str] = {
    "name": "name",
    "customer_name": "name",
    "full_name": "name",
    "phone": "phone",
    "phone_number": "phone",
    "email": "email",
    "budget": "budget",
    "max_budget": "budget",
    "party_size": "party_size",
    "guests": "party_size",
    "people": "party_size",
    "allergies": "allergies",
    "dietary": "dietary",
    "insurance": "insurance",
    "area": "areas_of_interest",
    "areas": "areas_of_interest",
    "neighbourhood": "areas_of_interest",
    "areas_of_interest": "areas_of_interest",
    "property_type": "property_type",
    "practice_area": "practice_area",
    "language": "language",
    "seating": "seating",
}


def filled_slots(
    slot_names: Sequence[str], facts: Sequence[Fact], min_confidence: float = MIN_FILL_CONFIDENCE
) -> dict[str, Any]:
    """Which of a form's slots the stored facts already answer, with the values to use."""
    by_key = {f.key: f for f in facts}
    out: dict[str, Any] = {}
    for slot in slot_names:
        fact = by_key.get(SLOT_ALIASES.get(slot, slot))
        if fact is not None and fact.confidence >= min_confidence:
            out[slot] = fact.value
    return out


def welcome_back(facts: Sequence[Fact], language: str, ask: bool = True) -> str | None:
    """Greet a returning customer with what matters; None when we know nothing useful.
    ask=False: the greeting alone (they already said what they want, and the flow asks)."""
    by_key = {f.key: f for f in facts}
    if not by_key:
        return None
    es = language == "es"
    name_fact = by_key.get("name")
    name = (
        f", {name_fact.value}" if name_fact and name_fact.confidence >= MIN_FILL_CONFIDENCE else ""
    )
    head = f"¡Hola de nuevo{name}!" if es else f"Welcome back{name}!"
    if not ask:
        return head

    def show(key: str) -> str:
        return format_value(key, by_key[key].value, language)

    if "preferred_time" in by_key and "last_service" in by_key:
        tail = (
            f"¿Otra {show('last_service')}, el {show('preferred_time')} como la última vez?"
            if es
            else f"Another {show('last_service')}, {show('preferred_time')} like last time?"
        )
    elif "preferred_time" in by_key:
        tail = (
            f"¿A la misma hora que la última vez ({show('preferred_time')})?"
            if es
            else f"Same time as last time ({show('preferred_time')})?"
        )
    elif "party_size" in by_key:
        tail = (
            f"¿Mesa para {by_key['party_size'].value} otra vez?"
            if es
            else f"A table for {by_key['party_size'].value} again?"
        )
    elif "areas_of_interest" in by_key or "budget" in by_key:
        parts = []
        if "areas_of_interest" in by_key:
            parts.append(("en " if es else "in ") + show("areas_of_interest"))
        if "budget" in by_key:
            parts.append(("hasta " if es else "up to ") + show("budget"))
        tail = f"¿Sigues buscando {' '.join(parts)}?" if es else f"Still looking {' '.join(parts)}?"
    elif "practice_area" in by_key:
        tail = "¿Seguimos con tu asunto?" if es else "Shall we pick up your case where we left it?"
    else:
        tail = "¿En qué puedo ayudarte hoy?" if es else "How can I help today?"
    return f"{head} {tail}"

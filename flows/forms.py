"""Declarative forms: slots with a question, a parser, a check and a re-ask; the mechanics
that fill them from a message or from profile facts, ask the next one and confirm.

A template is data plus small hooks: `Template` (intents routed to handlers or forms),
`Form` (slots, a confirmation summary, a commit hook) and `Slot` (how to ask, parse, check).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from flows.hours import Hours, fmt_day, fmt_when
from flows.memory import clean_name, format_value, looks_like_name
from flows.ports import Ports
from flows.types import Option, Reply, Turn
from flows.understanding.text import fold
from flows.understanding.types import Annotations, Entity

TEXTS_DIR = Path(__file__).resolve().parent / "templates" / "texts"
DEFAULT_EXPIRY_MINUTES = 30
MAX_QUICK = 3
MAX_LIST = 10

Handler = Callable[["Ctx"], None]

QUESTION_INTENTS = frozenset(
    {"question", "insurance", "hours", "pricing", "menu", "fees", "case_status"}
)
"""Intents that ask for information (answered, never stored in a slot)."""
CLEAR_INTENT = 0.8


class Rejected(Exception):
    """A slot value was understood but cannot be used; `text` says why and what instead."""

    def __init__(self, text: str, options: Sequence[Option] = ()) -> None:
        super().__init__(text)
        self.text = text
        self.options = tuple(options)


class Stop(Exception):
    """A hook ended the form (it already said what to say)."""


# ---------------------------------------------------------------- texts


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Texts:
    """Reply texts by key, in English and Spanish, with optional formal variants (`es_formal`)."""

    data: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls, *names: str) -> Texts:
        """Merge texts files (later ones win), e.g. Texts.load("common", "dental")."""
        merged: dict[str, dict[str, str]] = {}
        for name in names:
            with (TEXTS_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
                for key, variants in (yaml.safe_load(fh) or {}).items():
                    merged[str(key)] = {str(k): str(v) for k, v in variants.items()}
        return cls(merged)

    def get(self, key: str, language: str, tone: str = "casual", **kw: Any) -> str:
        """The text for a key in a language and tone, formatted with `kw`."""
        entry = self.data.get(key)
        if entry is None:
            raise KeyError(f"no text {key!r}")
        for variant in (f"{language}_{tone}", language, "en"):
            if variant in entry:
                return entry[variant].format_map(_Blank(kw)).strip()
        raise KeyError(f"no text {key!r} in {language}")


# ---------------------------------------------------------------- slots and forms


@dataclass(frozen=True)
class Choice:
    """One allowed answer of a choice slot: its id, its button titles and words that mean it."""

    id: str
    en: str
    es: str
    words: tuple[str, ...] = ()

    def title(self, language: str) -> str:
        """The button title in a language."""
        return self.es if language == "es" else self.en


@dataclass(frozen=True)
class Slot:
    """One thing a form needs to know.

    kind: choice | datetime | date | int | money | yesno | name | text | contact | list
    `entity` names the understanding entity that fills it; `fact` the profile fact that fills it
    before it is asked; `parse` overrides the parser; `check` validates and may normalize (raise
    Rejected to explain); `needed` skips the slot when it returns False; `options` gives the
    buttons shown with the question.
    """

    name: str
    kind: str
    ask: str
    reask: str
    entity: str | None = None
    fact: str | None = None
    choices: tuple[Choice, ...] = ()
    choices_fn: Callable[[Ctx], tuple[Choice, ...]] | None = None
    parse: Callable[[Ctx, Slot, bool], Any] | None = None
    check: Callable[[Ctx, dict[str, Any], Any], Any] | None = None
    needed: Callable[[Ctx, dict[str, Any]], bool] | None = None
    options: Callable[[Ctx, dict[str, Any]], tuple[Option, ...]] | None = None
    ask_args: Callable[[Ctx, dict[str, Any]], dict[str, Any]] | None = None
    appends: bool = False
    """Notes: a new value is added to the old one (and said back as noted), not a correction."""
    optional: bool = False
    """Kept when the customer says it, never asked: a question nobody expects ("first visit?",
    "any allergies?") is a turn the customer did not plan for and answers with something else."""
    ask_if: Callable[[Ctx, dict[str, Any]], bool] | None = None
    """An optional slot still asked when this holds (what they told us last time, offered back)."""

    def all_choices(self, ctx: Ctx) -> tuple[Choice, ...]:
        """Static plus dynamic choices."""
        return self.choices + (self.choices_fn(ctx) if self.choices_fn else ())


@dataclass(frozen=True)
class Form:
    """Slots to fill, a summary to confirm, and the hook that commits."""

    name: str
    slots: tuple[Slot, ...]
    commit: Callable[[Ctx, dict[str, Any]], None]
    summary: Callable[[Ctx, dict[str, Any]], str] | None = None
    intro: str | None = None
    editable: tuple[str, ...] = ()
    amend: str | None = None
    """The form that changes what this one committed, when the customer corrects it just after
    ("actually make it 5", "we can go up to 1,700"): itself when committing again is
    idempotent (a lead), else a move form (the booking changed in place, never a second one)."""

    def slot(self, name: str) -> Slot | None:
        """A slot by name."""
        return next((s for s in self.slots if s.name == name), None)


ANSWERED = "answered"
DECLINED = "declined"
"""An honest "I don't know" that offers a person (accepted on the next turn)."""
NOTHING = "nothing"


@dataclass(frozen=True)
class Answer:
    """What the business can say to a question: an answer, an honest decline offering a
    person, or nothing (the message was not a question anyone can answer)."""

    kind: str
    text: str = ""

    def __bool__(self) -> bool:
        return self.kind != NOTHING


NO_ANSWER = Answer(NOTHING)


@dataclass(frozen=True)
class Template:
    """An industry template: its texts, forms, intent routes and small hooks."""

    name: str
    texts: Texts
    forms: Mapping[str, Form]
    routes: Mapping[str, Handler]
    menu: Callable[[Ctx], tuple[Option, ...]]
    answer: Callable[[Ctx], Answer]
    before: Callable[[Ctx], bool] | None = None
    offers: Mapping[str, Callable[[Ctx, bool], None]] = field(default_factory=dict)
    keywords: tuple[tuple[re.Pattern[str], str], ...] = ()
    emergency: Callable[[Ctx], bool | None] | None = None
    """Handles an emergency its own way (e.g. the first urgent slot); False: the generic
    apology and an urgent handoff; None: not an emergency for this business."""


# ---------------------------------------------------------------- the turn's context


_EMPTY = Annotations(language="en", intent="unknown", intent_confidence=0.0)


@dataclass
class Ctx:
    """One turn being worked on: the input, the ports, the mutable state and the replies."""

    turn: Turn
    ports: Ports
    template: Template
    state: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    handoff: tuple[str, int] | None = None

    @property
    def lang(self) -> str:
        """The reply language."""
        return self.turn.language if self.turn.language in ("en", "es") else "en"

    @property
    def tone(self) -> str:
        """formal or casual, as the customer writes."""
        return str(self.state.get("tone", "casual"))

    @property
    def a(self) -> Annotations:
        """The message's annotations (empty when none)."""
        return self.turn.annotations or _EMPTY

    @property
    def text(self) -> str:
        """The message text."""
        return self.turn.text or ""

    @property
    def folded(self) -> str:
        """The text lowercased without accents."""
        return fold(self.text)

    @property
    def payload(self) -> str:
        """The button id the customer pressed, or ''."""
        return self.turn.payload or ""

    @property
    def settings(self) -> Mapping[str, Any]:
        """The business's settings."""
        return self.turn.business.settings

    @property
    def tz(self) -> ZoneInfo:
        """The business's timezone."""
        return ZoneInfo(self.turn.business.timezone)

    @property
    def now(self) -> datetime:
        """The current time (aware)."""
        return self.turn.now or datetime.now(UTC)

    @property
    def hours(self) -> Hours:
        """The business's opening hours."""
        return Hours.from_settings(self.settings, self.turn.business.timezone)

    @property
    def scratch(self) -> dict[str, Any]:
        """Template data kept for the whole conversation."""
        return self.state.setdefault("data", {})  # type: ignore[no-any-return]

    def intent(self, threshold: float = 0.55) -> str:
        """The intent when confident enough, else 'unknown'."""
        a = self.a
        return a.intent if a.intent_confidence >= threshold else "unknown"

    def t(self, key: str, **kw: Any) -> str:
        """A text of this template in the customer's language and tone."""
        kw.setdefault("business", self.turn.business.name)
        return self.template.texts.get(key, self.lang, self.tone, **kw)

    def say(self, text: str, options: Sequence[Option] = (), image_url: str | None = None) -> None:
        """Queue a reply."""
        self.replies.append(Reply(text=text, options=tuple(options), image_url=image_url))

    def when(self, dt: datetime | str) -> str:
        """A date and time as the customer reads it."""
        value = datetime.fromisoformat(dt) if isinstance(dt, str) else dt
        return fmt_when(value, self.lang, self.turn.business.timezone)

    def yes_no(self, yes: str = "opt_yes", no: str = "opt_no") -> tuple[Option, ...]:
        """Yes/no buttons."""
        return (Option("yes", self.t(yes)), Option("no", self.t(no)))

    def hand_off(self, reason: str, priority: int = 1) -> None:
        """Ask the gateway to pass the conversation to a person."""
        if self.handoff is None or priority > self.handoff[1]:
            self.handoff = (reason, priority)

    def fact(self, key: str) -> Any:
        """A profile fact's value, or None."""
        return self.turn.facts.get(key)

    def is_question(self) -> bool:
        """The message asks for information ("do you have parking?", "what time do you open")."""
        if self.payload:
            return False
        a = self.a
        return (
            "?" in self.text
            or "¿" in self.text
            or (a.intent in QUESTION_INTENTS and a.intent_confidence >= CLEAR_INTENT)
            or bool(_QUESTION_START.match(self.folded))
        )

    def correcting(self) -> bool:
        """The message changes something already said ("actually", "make it", "mejor")."""
        return bool(_CORRECTION.search(self.folded))

    def affirmed(self) -> bool:
        """The customer said yes (button or words)."""
        return (
            self.payload == "yes"
            or (not self.payload and self.a.intent == "affirm" and self.a.intent_confidence >= 0.6)
            or bool(_YES.match(self.folded))
        )

    def denied(self) -> bool:
        """The customer said no (button or words)."""
        return (
            self.payload == "no"
            or (not self.payload and self.a.intent == "deny" and self.a.intent_confidence >= 0.6)
            or bool(_NO.match(self.folded))
        )


def say_answer(ctx: Ctx, found: Answer) -> bool:
    """Say an answer; a decline also offers a person (a "yes" next turn hands over)."""
    if not found:
        return False
    if found.kind == DECLINED:
        ctx.state["offer"] = "person"
    ctx.say(found.text)
    return True


_QUESTION_START = re.compile(
    r"^(?:how|what|when|where|which|who|why|do|does|is|are|can|could|will|would|should|"
    r"cuanto\w*|cual\w*|que|donde|cuando|como|quien\w*|hay|haceis|teneis|tienen|aceptais|"
    r"aceptan|podeis|pueden|puedo|se puede|abris|abren)\b(?!.*\b(?:book|reserve|reserv\w*))"
)
_CORRECTION = re.compile(
    r"\b(?:actually|instead|make it|make that|change (?:it|that|the \w+|to)|change it to|"
    r"rather|i meant|i mean|no wait|correction|scratch that|now we'?re|we'?re now|"
    r"(?:one|two|\d+) (?:more|less|fewer)|en realidad|mejor|cambia\w*|en vez de|en lugar de|"
    r"quise decir|al final|ahora somos|somos ya|(?:uno|una|dos|\d+) (?:mas|menos))\b"
)
_YES = re.compile(r"^\s*(?:yes|yeah|yep|sure|ok|okay|si|vale|claro|perfecto|correcto|de acuerdo)\b")
_NO = re.compile(
    r"^\s*(?:no|nope|nah|ninguna?|nada|not now|not yet|maybe later|later|ahora no|"
    r"de momento no|mas tarde|luego)\b"
)


# ---------------------------------------------------------------- parsing values


_HOUR_WORDS = (
    r"una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
)
_TIME_ONLY = re.compile(
    r"^(?:at|a las|a la|sobre las|around|about|make it|mejor|mejor a las|hacia las)?\s*"
    rf"(?:\d{{1,2}}(?:[:.h]\d{{2}})?|(?:{_HOUR_WORDS})(?: y media| y cuarto| menos cuarto)?)"
    r"\s*(?:am|pm|h|hrs|o'?clock|de la (?:manana|tarde|noche)|"
    r"in the (?:morning|afternoon|evening))?$"
)
_INT = re.compile(r"^\D{0,12}?(\d{1,3})\D{0,20}$")
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
}
_NAME = re.compile(r"^[^\W\d_][^\W\d_'.-]*(?:[ '.-][^\W\d_][^\W\d_'.-]*){0,3}$")
_UNDER_NAME = re.compile(
    r"\b(?:[Nn]ame(?: is)?|[Uu]nder(?: the name)?|a nombre de|[Nn]ombre)\s*:?\s+"
    r"([A-ZÁÉÍÓÚÑ][\w'-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'-]+)?)"
)
_NAME_INTRO = re.compile(
    r"^(?:i'?m|i am|my name is|name'?s|it'?s|this is|soy|me llamo|mi nombre es)\s+", re.IGNORECASE
)


def time_only(entity_text: str) -> bool:
    """Whether a datetime entity said only a time ("5pm", "a las 17:00")."""
    return bool(_TIME_ONLY.match(fold(entity_text).strip(" .,!?")))


def parse_datetime(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """An ISO datetime from a button, a full date-time, or a time joined to a known date."""
    if ctx.payload.startswith("at:"):
        return ctx.payload[3:]
    values = ctx.state.get("form", {}).get("values", {})
    current = values.get(slot.name) or ctx.state.get("form", {}).get("booked_at")
    hint = ctx.state.get("form", {}).get("date_hint")
    entity = _new_datetime(ctx, current)
    if entity is not None:
        dt = datetime.fromisoformat(str(entity.value))
        base = current or hint
        said_day = ctx.a.first("date")
        if said_day is not None and time_only(entity.text):
            base = str(said_day.value)  # "Friday (the 20th) ... at 9pm": that day at 9pm
        if base and time_only(entity.text):
            day = (
                datetime.fromisoformat(base).astimezone(ctx.tz).date()
                if "T" in base
                else (date.fromisoformat(base))
            )
            local = dt.astimezone(ctx.tz)
            dt = datetime.combine(day, local.timetz())
        return dt.isoformat()
    day_entity = ctx.a.first("date")
    if day_entity is not None:
        if current:
            # "actually Friday": keep the time, move the day
            local = datetime.fromisoformat(current).astimezone(ctx.tz)
            day = date.fromisoformat(str(day_entity.value))
            return datetime.combine(day, local.timetz()).isoformat()
        ctx.state.setdefault("form", {})["date_hint"] = str(day_entity.value)
    return None


_INSTEAD_OF = re.compile(r"\b(?:instead of|rather than|en vez de|en lugar de)\b")


def _new_datetime(ctx: Ctx, current: str | None) -> Entity | None:
    """The time the customer wants when they say two ("I have it today at five, could we move
    it to Thursday the 4th at 12?"): not the one the booking has, not a past one; the last said,
    unless the later one is what it replaces ("Friday at 10 instead of Thursday at 11")."""
    said = [e for e in ctx.a.entities if e.kind == "datetime"]
    if len(said) < 2:
        return said[0] if said else None
    booked = (
        datetime.fromisoformat(current).astimezone(ctx.tz) if current and "T" in current else None
    )

    def held(e: Entity) -> bool:
        when = datetime.fromisoformat(str(e.value)).astimezone(ctx.tz)
        if booked is not None and time_only(e.text):
            return when.time() == booked.time()  # "at 12, at 10 I work": 10 is what it has
        return when == booked or when < ctx.now

    keep = [e for e in said if not held(e)] or said
    return keep[0] if _INSTEAD_OF.search(ctx.folded) else keep[-1]


def parse_choice(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """A choice id from its button, its entity, or words that mean it."""
    choices = slot.all_choices(ctx)
    ids = {c.id for c in choices}
    if ctx.payload in ids:
        return ctx.payload
    if slot.entity and (e := ctx.a.first(slot.entity)) is not None and str(e.value) in ids:
        return str(e.value)
    folded = ctx.folded
    for c in choices:
        # titles ("Other", "No") only count as the answer to this question; synonyms anywhere
        for word in (*c.words, c.en, c.es) if asked else c.words:
            w = fold(word)
            if w and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded):
                return c.id
    if asked and folded.strip().isdigit():
        i = int(folded.strip()) - 1
        if 0 <= i < len(choices):
            return choices[i].id
    return None


def parse_int(ctx: Ctx, slot: Slot, asked: bool) -> int | None:
    """A number from its entity or, when asked, a bare number ("6", "seis", "we are 6")."""
    if slot.entity and (e := ctx.a.first(slot.entity)) is not None:
        return int(e.value)
    if not asked:
        return None
    f = ctx.folded.strip(" .!?")
    for word, n in _WORD_NUMBERS.items():
        if re.search(rf"\b{word}\b", f) and not re.search(r"\d", f):
            return n
    m = _INT.match(f)
    return int(m.group(1)) if m else None


def parse_money(ctx: Ctx, slot: Slot, asked: bool) -> float | None:
    """An amount from a money entity or, when asked, a bare number."""
    e = ctx.a.first("money")
    if e is not None and isinstance(e.value, dict) and e.value.get("amount"):
        return float(e.value["amount"])
    if asked:
        m = re.search(r"\d[\d.,]*", ctx.folded)
        if m:
            digits = re.sub(r"[.,](?=\d{3}\b)", "", m.group(0)).replace(",", ".")
            try:
                return float(digits)
            except ValueError:
                return None
    return None


def parse_yesno(ctx: Ctx, slot: Slot, asked: bool) -> bool | None:
    """True/False from buttons or words, only when this slot was asked."""
    if not asked:
        return None
    if ctx.affirmed():
        return True
    if ctx.denied():
        return False
    return None


_STRONG_INTRO = re.compile(
    r"\b(?:my name is|my name'?s|name is|me llamo|mi nombre es|nombre es|"
    r"under the name(?: of)?|a nombre de)\s*:?\s+(.+)",
    re.IGNORECASE,
)
_WEAK_INTRO = re.compile(
    r"(?:(?:^|[.!,;]\s*|\b(?:and|y|[Hh]i|[Hh]ello|[Hh]ey|[Hh]ola|[Bb]uenas)[,!]?\s+)"
    r"(?:i'?m|i am|this is|it'?s|soy|aqui)|\b(?:[Nn]ame|[Nn]ombre|[Uu]nder))\s*:?\s+(.+)",
)
_STOP_AT = frozenset({"and", "y", "from", "with", "con", "here", "aqui", "please", "por", "for"})


def _lower_intro(text: str) -> str:
    """ "I'm", "Soy", "This is" in any case, the name after them as written."""
    return re.sub(r"(?i)\b(i'?m|i am|this is|it'?s|soy|aqui)\b", lambda m: m.group(1).lower(), text)


def _name_after(text: str, strong: bool) -> str | None:
    """The name words at the start of `text` (after "my name is" / "soy"), or None."""
    first = re.split(r"[,.;:!?()\n]", text, maxsplit=1)[0]
    taken: list[str] = []
    for word in first.split():
        if fold(word) in _STOP_AT or len(taken) >= 3:
            break
        if not strong and not word[:1].isupper():
            break
        taken.append(word)
    candidate = " ".join(taken)
    return clean_name(candidate) if taken and looks_like_name(candidate) else None


def parse_name(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """A person's name: the name entity or an introduction ("my name is", "a nombre de",
    "I'm Ana") or, when asked, a short name-like answer; never a word that is not a name
    ("I'm furious", "eres tonto", "hola")."""
    e = ctx.a.first("name")
    if e is not None and looks_like_name(str(e.value)):
        return clean_name(str(e.value))
    text = ctx.text.strip()
    for pattern, strong in ((_STRONG_INTRO, True), (_WEAK_INTRO, False)):
        m = pattern.search(text if strong else _lower_intro(text))
        if m and (found := _name_after(m.group(1), strong)):
            return found
    if not asked or ctx.payload:
        return None
    for e in ctx.a.entities:  # "Irene Sanz, 611 222 333": the name beside a phone
        if e.kind in ("phone", "email") and e.text:
            text = text.replace(e.text, " ")
    # the first clause: "Carmen Villalba. Mi teléfono es..." ends at the full stop (after a word,
    # not an initial: "J. Smith")
    text = re.split(r"[,;\n]|(?<=\w\w)\.\s|\s+(?:and|y)\s+(?:my|mi)\b", text)[0]
    bare = _NAME_INTRO.sub("", text.strip(" .!")).strip()
    if _NAME.match(bare) and looks_like_name(bare):
        return clean_name(bare)
    return None


def bare_name(ctx: Ctx) -> str | None:
    """A message that is only a name written as one ("Marta", "Ana López")."""
    text = ctx.text.strip(" .!")
    words_ = text.split()
    if ctx.payload or not 1 <= len(words_) <= 3 or not all(w[:1].isupper() for w in words_):
        return None
    return clean_name(text) if _NAME.match(text) and looks_like_name(text) else None


def parse_text(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """Free text, only as the answer to this slot's question."""
    text = ctx.text.strip()
    if not asked or len(text) < 2 or ctx.payload or "?" in text or "¿" in text:
        return None  # a question in the middle of a form is answered, not stored
    return text


def parse_contact(ctx: Ctx, slot: Slot, asked: bool) -> str | None:
    """A phone number or email address."""
    for kind in ("phone", "email"):
        if (e := ctx.a.first(kind)) is not None:
            return str(e.value)
    return None


PARSERS: dict[str, Callable[[Ctx, Slot, bool], Any]] = {
    "datetime": parse_datetime,
    "choice": parse_choice,
    "int": parse_int,
    "money": parse_money,
    "yesno": parse_yesno,
    "name": parse_name,
    "text": parse_text,
    "contact": parse_contact,
}


# ---------------------------------------------------------------- the mechanics


def form_of(ctx: Ctx) -> Form | None:
    """The form in progress, if any."""
    name = ctx.state.get("form", {}).get("name")
    return ctx.template.forms.get(name) if name else None


def start_form(
    ctx: Ctx, name: str, values: Mapping[str, Any] | None = None, booked_at: str | None = None
) -> None:
    """Begin a form: fill what this message and known facts already say, then ask the rest.
    `booked_at`: the time of the booking the form changes; a bare time is on its day ("make
    it 9:30"), a bare day at its time ("move it to Friday")."""
    form = ctx.template.forms[name]
    ctx.state["form"] = {
        "name": name,
        "values": dict(values or {}),
        "asked": None,
        "confirming": False,
        "at": ctx.now.isoformat(),
    }
    if booked_at:
        ctx.state["form"]["booked_at"] = booked_at
    if form.intro:
        ctx.say(ctx.t(form.intro))
    fill(ctx, form, asked=None, starting=True)
    advance(ctx)


_INCIDENTAL_KINDS = ("name", "contact")


def form_kind(form: Form, name: str) -> str:
    """The kind of a slot of the form ("" for none)."""
    slot = form.slot(name)
    return slot.kind if slot is not None else ""


def fill(ctx: Ctx, form: Form, asked: str | None, starting: bool = False) -> list[str]:
    """Put every slot value this message gives into the form, in any order; returns the
    slots changed.

    Any slot is filled from what the message says (entities, words that mean a choice); the
    asked slot may also take a bare answer ("6", "Marta", free text), unless the message was
    about other slots ("add one more, we're 5 now" is not a booking note) or is a question.
    A changed value that had been given before is a correction, said back in one line. A value
    that fails its check is not stored: the check's explanation is said instead.
    """
    fs = ctx.state["form"]
    values: dict[str, Any] = fs["values"]
    # "One of us is vegetarian, and it's our anniversary" reads as a menu question to the
    # classifier, but says something to note: no question mark, no question word.
    stating = (
        "?" not in ctx.text
        and "¿" not in ctx.text
        and not _QUESTION_START.match(ctx.folded)
        and note_from(ctx.text) is not None
    )
    question = (
        not starting
        and not stating
        and ctx.is_question()
        and not ctx.correcting()
        and ctx.intent() in (*QUESTION_INTENTS, "unknown", "greeting", "thanks", "complaint")
    )
    found: dict[str, Any] = {}
    loose: dict[str, Any] = {}  # values only a bare answer to the asked slot gave
    for slot in form.slots:
        if slot.needed and not slot.needed(ctx, values):
            continue
        if starting and slot.name in values:
            continue  # what the template started the form with (the first urgent slot) stays
        parser = slot.parse or PARSERS[slot.kind]
        value = parser(ctx, slot, False)
        if value is None and slot.name == asked and not question:
            value = parser(ctx, slot, True)
            if value is not None:
                loose[slot.name] = value
                continue
        if value is not None and question and slot.name != asked and not _keeps(slot):
            continue  # "are you open on Saturday?" does not move the booking
        if value is not None:
            found[slot.name] = value
    # A message that changes other slots is about them, so its bare answer is not taken; one
    # that only repeats what the form holds ("my father died": inheritance, known) still answers.
    # A name given with a phone or email ("Sergio Llorente, 645 002 913, the company is X") is
    # still the answer, whatever else it adds; a change of the booking's substance (a day, a
    # size) or a message without a contact ("it's in Madrid, the company is X") is not.
    kinds = [form_kind(form, n) for n in found]
    beside = (
        "contact" in kinds
        and all(form_kind(form, n) in _INCIDENTAL_KINDS for n in loose)
        and all(k in (*_INCIDENTAL_KINDS, "text") for k in kinds)
    )
    if beside or all(values.get(name) == value for name, value in found.items()):
        found.update(loose)
    if (
        not found
        and not question
        and asked != "name"
        and form.slot("name") is not None
        and (asked is not None or "name" in values)
        and (name := bare_name(ctx)) is not None
    ):
        found["name"] = name
    changed: list[str] = []
    corrected: list[tuple[Slot, Any]] = []
    noted: list[str] = []
    for slot in form.slots:
        if slot.name not in found:
            continue
        value = found[slot.name]
        if values.get(slot.name) == value:
            continue
        try:
            value = slot.check(ctx, values, value) if slot.check else value
        except Rejected as why:
            ctx.say(why.text, why.options)
            fs["rejected"] = slot.name
            if slot.kind == "datetime" and isinstance(value, str) and "T" in value:
                # the day stays known: "make it 8pm" then means that day
                day = datetime.fromisoformat(value).astimezone(ctx.tz).date()
                fs["date_hint"] = day.isoformat()
            continue
        old = values.get(slot.name)
        if slot.appends and value not in (None, "", "-"):
            if old not in (None, "", "-") and str(value).lower() not in str(old).lower():
                value = f"{old}; {value}"
            elif old not in (None, "", "-"):
                continue
            if slot.name != asked:
                noted.append(str(found[slot.name]))
        elif old not in (None, "", "-") and old != value:
            if slot.name in fs.get("from_facts", ()):
                fs["from_facts"].remove(slot.name)  # what the profile said, not the customer
            else:
                corrected.append((slot, value))
        values[slot.name] = value
        changed.append(slot.name)
        remember(ctx, slot, value)
    if corrected:
        ctx.say(ctx.t("changed", changes=_and(ctx, [_change(ctx, s, v) for s, v in corrected])))
    if noted and not starting:
        ctx.say(ctx.t("noted", note="; ".join(noted)))
    return changed


_NOTE_ASKED = re.compile(
    r"^(?:please )?(?:note(?: down)?|make a note|keep in mind|for the record|just so you know|"
    r"fyi|(?:por favor )?(?:anota|apunta|apuntad|anotad|ten en cuenta|tened en cuenta|"
    r"tenga en cuenta|toma nota|tome nota))\b(?: that| que|:)?\s*",
    re.IGNORECASE,
)
_NOTE_WORDS = re.compile(
    r"\b(?:allerg\w*|alergi\w*|alergic\w*|intoleran\w*|celiac\w*|coeliac\w*|vegan\w*|"
    r"vegetarian\w*|gluten|lactos\w*|lactose|nuts?|peanuts?|frutos secos|cacahuetes?|"
    r"marisco|shellfish|halal|kosher|birthday|cumpleanos|anniversary|aniversario|"
    r"wheelchair|silla de ruedas|high ?chair|trona|pram|stroller|carrito|terrace|terraza|"
    r"window|ventana|baby|bebe|celebrat\w*|celebra\w*|surprise|sorpresa|dog|perro|"
    r"pregnant|embarazada|diabet\w*)\b"
)


def note_from(text: str, asked: bool = False) -> str | None:
    """What the customer asked us to note: the part after "note that" / "ten en cuenta que",
    or the sentence that mentions an allergy, a diet or an occasion; never the whole message
    just because it was the first one. When the note was `asked` for, the whole answer."""
    # a sentence that asks ("do you have gluten-free bread?") notes nothing
    said = [q for q in re.findall(r"[^.;!?\n]+[.;!?\n]*", text) if "?" not in q and "¿" not in q]
    clauses = [
        c.strip() for q in said for c in re.split(r",\s*|\s+(?:but|pero)\s+", q) if c.strip()
    ]
    clauses = [_FILLER.sub("", c).strip(" .;!\n") for c in clauses]
    clauses = [c for c in clauses if c]
    clauses = [re.sub(r"^(?:and|also|y|e|tambien|también)\s+", "", c, flags=re.I) for c in clauses]
    picked: list[str] = []
    for clause in clauses:
        m = _NOTE_ASKED.match(clause)
        if m:
            picked.append(clause[m.end() :].strip())
        elif _NOTE_WORDS.search(fold(clause)) and not _ASKING.search(fold(clause)):
            picked.append(clause)
    if not picked and asked:
        stripped = _NOTE_ASKED.sub("", text.strip())
        return stripped.strip(" .") or None
    note = "; ".join(p.strip(" .") for p in picked if p.strip(" ."))
    return note or None


_FILLER = re.compile(
    r"^(?:(?:oh|ah|btw|by the way|before i forget|also|and|one more thing|por cierto|"
    r"antes de que se me olvide|otra cosa|y|tambien|también)\b[\s,:;–—-]*)+",
    re.IGNORECASE,
)
_ASKING = re.compile(r"\b(?:do you|have you|is there|are there|teneis|tienen|hay|haceis)\b")


def _keeps(slot: Slot) -> bool:
    """Slots a question may still fill (who it is for, how to reach them, what to note:
    "my wife is coeliac. do you have gluten-free bread?")."""
    return slot.kind in ("name", "contact") or slot.appends


def _and(ctx: Ctx, items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    word = " y " if ctx.lang == "es" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def slot_label(ctx: Ctx, slot: Slot) -> str:
    """What a slot is called in a sentence ("the time", "el número de personas")."""
    try:
        return ctx.t(f"label_{slot.name}")
    except KeyError:
        return slot.name.replace("_", " ")


def show(ctx: Ctx, slot: Slot, value: Any) -> str:
    """A slot value as the customer reads it."""
    if slot.kind == "datetime" and isinstance(value, str) and "T" in value:
        return ctx.when(value)
    if slot.kind == "choice":
        choice = next((c for c in slot.all_choices(ctx) if c.id == value), None)
        return choice.title(ctx.lang) if choice else str(value)
    if slot.kind == "money" and isinstance(value, int | float):
        return format_value("budget", {"amount": value, "currency": "EUR"}, ctx.lang)
    if isinstance(value, list | tuple):
        return _and(ctx, [str(v) for v in value])
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _change(ctx: Ctx, slot: Slot, value: Any) -> str:
    return ctx.t("change_item", what=slot_label(ctx, slot), value=show(ctx, slot, value))


def remember(ctx: Ctx, slot: Slot, value: Any) -> None:
    """Note a slot answer as a profile fact (state["remember"]; the gateway stores it), so the
    customer is not asked again in any conversation or channel."""
    if not slot.fact or value in (None, "", [], ["any"]):
        return
    if slot.kind == "money":
        value = {"amount": value, "currency": None, "period": None}
    key = slot.fact
    if "|" in key:  # e.g. "email|phone": store under the one the value is
        key = "email" if "@" in str(value) else key.split("|")[-1]
    ctx.state.setdefault("remember", {})[key] = value


def _fact_for(ctx: Ctx, slot: Slot) -> Any:
    if not slot.fact:
        return None
    value = next((v for k in slot.fact.split("|") if (v := ctx.fact(k)) is not None), None)
    if value is None:
        return None
    if slot.kind == "money" and isinstance(value, dict):
        return float(value.get("amount") or 0) or None
    if slot.kind == "choice":
        ids = {c.id for c in slot.all_choices(ctx)}
        return value if value in ids else None
    return value


def advance(ctx: Ctx) -> None:
    """Ask the next missing slot (facts fill slots first), or confirm, or commit."""
    form = form_of(ctx)
    if form is None:
        return
    fs = ctx.state["form"]
    values: dict[str, Any] = fs["values"]
    for slot in form.slots:
        if slot.name in values or (slot.needed and not slot.needed(ctx, values)):
            continue
        known = _fact_for(ctx, slot)
        if slot.optional and known is None and not (slot.ask_if and slot.ask_if(ctx, values)):
            continue
        if known is not None:
            try:
                values[slot.name] = slot.check(ctx, values, known) if slot.check else known
                fs.setdefault("from_facts", []).append(slot.name)
                continue
            except Rejected:
                pass
        if fs.pop("rejected", None) == slot.name:
            fs["asked"] = slot.name  # the check already explained and offered choices
            return
        ask(ctx, slot, values)
        return
    fs["asked"] = None
    if form.summary is None:
        _commit(ctx, form, values)
        return
    fs["confirming"] = True
    ctx.say(form.summary(ctx, values), ctx.yes_no("opt_confirm", "opt_change"))


def ask(ctx: Ctx, slot: Slot, values: Mapping[str, Any], reask: bool = False) -> None:
    """Ask one slot's question (or its re-ask, which explains what is wanted)."""
    ctx.state["form"]["asked"] = slot.name
    kw = dict(slot.ask_args(ctx, dict(values))) if slot.ask_args else {}
    key = str(kw.pop("_key", slot.ask))
    options: tuple[Option, ...] = ()
    if slot.options:
        options = slot.options(ctx, dict(values))
    elif slot.kind == "choice":
        options = tuple(Option(c.id, c.title(ctx.lang)) for c in slot.all_choices(ctx))[:MAX_LIST]
    elif slot.kind == "yesno":
        options = ctx.yes_no()
    literal = kw.pop("_text", None)
    hint = ctx.state["form"].get("date_hint")
    if slot.kind == "datetime" and hint and not reask and key.startswith("ask_"):
        key, kw = "ask_time_on", {"day": fmt_day(date.fromisoformat(hint), ctx.lang)}
    text = str(literal) if literal and not reask else ctx.t(slot.reask if reask else key, **kw)
    ctx.say(text, options)


def earliest(ctx: Ctx, default: datetime) -> datetime:
    """Where to look for free times: the day the customer named (when it is ahead), else
    `default`."""
    hint = ctx.state.get("form", {}).get("date_hint")
    if not hint:
        return default
    day = datetime.combine(date.fromisoformat(hint), datetime.min.time(), tzinfo=ctx.tz)
    return max(day, default)


def _commit(ctx: Ctx, form: Form, values: dict[str, Any]) -> None:
    ctx.scratch["last"] = {"form": form.name, "values": dict(values), "at": ctx.now.isoformat()}
    before = ctx.state.get("form")
    with contextlib.suppress(Stop):
        form.commit(ctx, values)
    if ctx.state.get("form") is before:
        ctx.state.pop("form", None)


def changes(ctx: Ctx, form: Form, values: Mapping[str, Any]) -> dict[str, Any]:
    """The slots of `form` this message gives a new value for (no check run, nothing said):
    what a correction after the commit would change. Names, contacts and notes are facts and
    notes, not the record's substance."""
    saved = ctx.state.pop("form", None)
    ctx.state["form"] = {"name": form.name, "values": dict(values)}
    out: dict[str, Any] = {}
    try:
        for slot in form.slots:
            if slot.kind in ("name", "contact") or slot.appends or slot.name not in values:
                continue
            value = (slot.parse or PARSERS[slot.kind])(ctx, slot, False)
            if value is not None and value != values.get(slot.name):
                out[slot.name] = value
    finally:
        ctx.state.pop("form", None)
        if saved is not None:
            ctx.state["form"] = saved
    return out


def say_changes(ctx: Ctx, form: Form, changed: Mapping[str, Any]) -> None:
    """Say back the corrected values in one line."""
    items = [_change(ctx, s, changed[s.name]) for s in form.slots if s.name in changed]
    if items:
        ctx.say(ctx.t("changed", changes=_and(ctx, items)))


def confirm_reply(ctx: Ctx, form: Form) -> bool:
    """Handle yes / no / a change while confirming; False when the message was none of them."""
    fs = ctx.state["form"]
    values = fs["values"]
    if ctx.payload.startswith("edit:"):
        name = ctx.payload[5:]
        slot = form.slot(name)
        if slot is not None:
            values.pop(name, None)
            fs["confirming"] = False
            ask(ctx, slot, values)
            return True
    changed = fill(ctx, form, asked=None)
    if changed or fs.get("rejected"):
        fs["confirming"] = False
        advance(ctx)
        return True
    if ctx.affirmed():
        _commit(ctx, form, values)
        return True
    if ctx.denied():
        editable = [form.slot(n) for n in form.editable]
        options = [Option(f"edit:{s.name}", ctx.t(f"edit_{s.name}")) for s in editable if s]
        options = options[: MAX_QUICK - 1] + [Option("stop", ctx.t("opt_stop"))]
        ctx.say(ctx.t("what_to_change"), options)
        return True
    return False


def expired(ctx: Ctx) -> bool:
    """Whether the form in progress has been silent longer than the business allows."""
    fs = ctx.state.get("form")
    if not fs or "at" not in fs:
        return False
    minutes = int(ctx.settings.get("form_expiry_minutes", DEFAULT_EXPIRY_MINUTES))
    return ctx.now - datetime.fromisoformat(fs["at"]) > timedelta(minutes=minutes)

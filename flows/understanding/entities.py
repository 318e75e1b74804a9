"""Entities other than dates: money, party size, phones, emails, a person's name, gazetteers."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from flows.understanding.dates import DateSettings, extract_dates, extract_durations
from flows.understanding.text import NUMBER_WORD_RE, fold, to_number
from flows.understanding.types import Entity

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- money

_CUR = {
    "$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "dolares": "USD",
    "bucks": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds": "GBP",
    "libras": "GBP",
}
_CUR_WORD = r"(?:€|\$|£|usd|eur|euros?|dollars?|dolares|bucks|gbp|pounds|libras)"
_MULT = r"(?:k|m|mil|million|millions|millones|millon|mill|mn|grand)"
_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_PERIOD = (
    r"(?P<per>\s*(?:/|per|a|al|por|each|cada)\s*(?:month|mo|mes|mensual)\b|\s*monthly\b"
    r"|\s*mensuales?\b|\s*al\s+mes\b|\s*/\s*m\b|\s*pcm\b)?"
)
_MONEY_PATTERNS = [
    re.compile(
        rf"(?P<c1>[$€£])\s?(?P<n>{_NUM})\s*(?P<mult>{_MULT})?(?![a-z0-9²])\s*(?P<c2>{_CUR_WORD})?"
        + _PERIOD
    ),
    re.compile(
        rf"(?<![\w.,])(?P<n>{_NUM})\s*(?P<mult>{_MULT})?(?![a-z0-9²])\s*(?P<c2>{_CUR_WORD})(?![a-z])"
        + _PERIOD
    ),
    re.compile(rf"(?<![\w.,])(?P<n>{_NUM})\s*(?P<mult>{_MULT})(?![a-z0-9²])" + _PERIOD),
    re.compile(
        r"\b(?:budget|presupuesto|up\s+to|hasta|max|maximo|max\.|around|unos|about|under|"
        r"below|menos\s+de|less\s+than|pagar|pay|spend|gastar)\b(?:\s+(?:is|es|of|de|was|would\s+be|"
        r"seria|sera|around|about|unos|like))*\s+"
        rf"(?P<n>{_NUM})(?![\w.,:/])" + _PERIOD
    ),
]


def parse_amount(raw: str) -> float | None:
    """Read "2,400", "1.5", "300.000", "1,5" as a number (a 3-digit group means thousands)."""
    raw = raw.strip()
    if re.fullmatch(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*", raw):
        return float(re.sub(r"[.,]", "", raw))
    m = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})+)([.,])(\d{1,2})", raw)
    if m and m.group(2) != m.group(3):
        return float(re.sub(r"[.,]", "", m.group(1)) + "." + m.group(4))
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def _money(text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
    out: list[Entity] = []
    for i, pattern in enumerate(_MONEY_PATTERNS):
        for m in pattern.finditer(f):
            start, end = m.start("n") if i == 3 else m.start(), m.end()
            if _clash(start, end, taken):
                continue
            amount = parse_amount(m.group("n"))
            if amount is None:
                continue
            mult = (m.groupdict().get("mult") or "").strip()
            if mult in ("k", "mil", "grand"):
                amount *= 1_000
            elif mult:
                if mult == "m" and text[m.start("mult")] == "m" and amount >= 10:
                    continue  # "80m" is more likely square metres than 80 million
                amount *= 1_000_000
            if i == 3 and amount < 100:
                continue
            cur = m.groupdict().get("c1") or m.groupdict().get("c2")
            value = {
                "amount": int(amount) if amount == int(amount) else round(amount, 2),
                "currency": _CUR.get(cur.strip()) if cur else None,
                "period": "month" if (m.groupdict().get("per") or "").strip() else None,
            }
            taken.append((start, end))
            out.append(Entity("money", value, text[start:end], start, end))
    return out


# ---------------------------------------------------------------- party size

_PEOPLE = (
    r"(?:people|persons|person|guests|ppl|pax|adults|of\s+us|"
    r"personas|persona|comensales|adultos|pers)"
)
_N = rf"(?P<n>\d{{1,2}}|{NUMBER_WORD_RE})"
_COUPLES = {"a couple": 2, "una pareja": 2, "two couples": 4, "dos parejas": 4, "three couples": 6}
_PARTY_PATTERNS = [
    re.compile(
        r"\b(?:table|mesa|reservation|reserva|booking|for|para)\s+(?:for\s+|para\s+)?"
        r"(?P<n>a\s+couple|una\s+pareja|two\s+couples|dos\s+parejas|three\s+couples)\b"
        r"(?!\s+(?:of\s+)?(?:days?|weeks?|hours?|minutes?|mins?|months?|dias|semanas|horas|things|questions))"
    ),
    re.compile(
        rf"\b(?:the|los|las|nosotros|nosotras)\s+{_N}\s+(?:solos|solas|of\s+us|de\s+nosotros)\b"
    ),
    re.compile(rf"\b(?:table|mesa|reservation|reserva|booking|res)\s+(?:for|para|pa|de)\s+{_N}\b"),
    re.compile(rf"\b(?:party|group|grupo|family|familia)\s+(?:of|de)\s+{_N}\b"),
    # "me and 3 friends", "me + 2", "yo y 3 amigos", "3 amigos y yo": the others plus me.
    re.compile(
        rf"\b(?:me|myself|yo)\s*(?:and|plus|\+|&|y|mas|con)\s+(?:my\s+|mis\s+)?"
        rf"(?P<o>\d{{1,2}}|{NUMBER_WORD_RE})\b(?!\s*(?:pm\b|am\b|h\b|:|years?|anos|dias|days))"
    ),
    # "me, my wife and our 2 kids": the couple plus the children.
    re.compile(
        rf"\b(?:me|yo),?\s+(?:and\s+|y\s+)?(?:my|mi)\s+(?:wife|husband|partner|mujer|marido|pareja)"
        rf"\s+(?:and|y)\s+(?:our|nuestros|los)?\s*(?P<c>\d{{1,2}}|{NUMBER_WORD_RE})\s+"
        r"(?:kids|children|hij[oa]s|ninos|ninas|crios|peques)\b"
    ),
    re.compile(
        rf"\b(?P<o>\d{{1,2}}|{NUMBER_WORD_RE})\s+(?:friends|amig[oa]s|colleagues|companeros|"
        r"others)\s+(?:and|y)\s+(?:me|i|yo)\b"
    ),
    re.compile(
        r"\b(?P<n>me\s+and\s+the\s+(?:wife|husband|missus|hubby|mrs|other\s+half)|"
        r"(?:me\s+and\s+)?(?:the\s+)?(?:wife|husband|missus|hubby)\s+and\s+me)\b"
    ),
    re.compile(
        rf"\b(?:we\s+are|we're|were|we'll\s+be|we\s+will\s+be|there\s+are|there\s+will\s+be|"
        rf"there'll\s+be|somos|seremos|vamos|vendremos|iremos|estaremos)\s+{_N}\b"
    ),
    re.compile(rf"\b(?:for|para)\s+{_N}\s+{_PEOPLE}\b"),
    re.compile(rf"(?<![\d:.,/])\b{_N}\s+{_PEOPLE}\b"),
    re.compile(
        rf"\b(?:room|space|sitio|hueco|sitios|table|tables|mesa|mesas|reservar|reserve|book|wait|"
        rf"esperar|reservation|reserva)\b[^.?!,]{{0,30}}?\b(?:for|para)\s+{_N}\b"
        r"(?!\s*(?:pm|am|h\b|:|\.\d|de\s+la|o'?clock|personas?\b|people))"
    ),
    re.compile(
        r"\b(?:for|para)\s+(?P<n>two|dos|four|cuatro|six|seis|\d{1,2})\s*[?!.]*"
        r"(?:\s*(?:pls|plz|please|porfa|por\s+favor)\b)?[^\w]*$"
    ),
    re.compile(
        r"\b(?P<n>me\s+and\s+my\s+(?:wife|husband|partner|girlfriend|boyfriend|mum|mom|dad|son|"
        r"daughter|friend)|my\s+(?:wife|husband|partner)\s+and\s+i|mi\s+(?:mujer|marido|pareja|"
        r"novi[oa]|madre|padre|hij[oa]|amig[oa])\s+y\s+yo|yo\s+y\s+mi\s+(?:mujer|marido|pareja))\b"
    ),
]


# Children or a baby added to the adults: "4 adultos y dos niños", "we're 3 plus a baby".
_PARTY_EXTRA = re.compile(
    rf"^\s*(?:adults?|adultos|mayores|people|personas)?\s*(?:and|y|plus|mas|\+|,|with|con)\s*"
    rf"(?P<m>\d{{1,2}}|{NUMBER_WORD_RE}|an?|una?)\s+(?:kids?|children|child|little\s+ones|"
    r"ninos?|ninas?|bebes?|babies|baby|crios?|peques?|menores|toddlers?)\b"
)


def _party_count(m: re.Match[str]) -> int | None:
    """The number of people a matched phrase means ("me and my wife" and "a couple" are 2,
    "me and 3 friends" is 4)."""
    for group, plus in (("o", 1), ("c", 2)):
        counted = m.groupdict().get(group)
        if counted is not None:
            n = to_number(counted)
            return None if n is None else n + plus
    raw = m.group("n")
    key = " ".join(raw.split())
    if key in _COUPLES:
        return _COUPLES[key]
    if " " in key:
        return 2
    return None if key in ("a", "an") else to_number(key)


def _party(text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
    for pattern in _PARTY_PATTERNS:
        for m in pattern.finditer(f):
            n = _party_count(m)
            key = next((k for k in ("o", "c") if m.groupdict().get(k) is not None), "n")
            if n is None or not 1 <= n <= 60:
                continue
            if _clash(m.start(key), m.end(key), taken):
                continue
            end = m.end()
            extra = _PARTY_EXTRA.match(f[m.end(key) :])
            more = to_number(extra.group("m")) if extra else None
            if extra and more is not None:
                n += 1 if extra.group("m") in ("a", "an", "un", "una") else more
                end = max(end, m.end(key) + extra.end())
            # Claim only the number, so "book the terrace for 5" still yields the terrace.
            taken.append((m.start(key), m.end(key)))
            return [Entity("party_size", n, text[m.start() : end], m.start(), end)]
    return []


# ---------------------------------------------------------------- contact details

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _emails(text: str, taken: list[tuple[int, int]]) -> list[Entity]:
    out = []
    for m in _EMAIL.finditer(text):
        taken.append((m.start(), m.end()))
        out.append(Entity("email", m.group(0).lower(), m.group(0), m.start(), m.end()))
    return out


def _phones(text: str, country: str, taken: list[tuple[int, int]]) -> list[Entity]:
    out = []
    try:
        matcher = phonenumbers.PhoneNumberMatcher(text, country.upper() or None)
        for match in matcher:
            if _clash(match.start, match.end, taken):
                continue
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            taken.append((match.start, match.end))
            out.append(Entity("phone", e164, match.raw_string, match.start, match.end))
    except phonenumbers.NumberParseException as exc:  # pragma: no cover - defensive
        log.debug("phone matcher failed: %s", exc)
    return out


# ---------------------------------------------------------------- bedrooms

_BEDROOMS = [
    re.compile(
        rf"\b(?P<n>\d{{1,2}}|{NUMBER_WORD_RE})\s*-?\s*(?:bed(?:room)?s?|bdr?m?s?|br|"
        r"habitacion(?:es)?|habs?|dormitorios?|cuartos?|recamaras?|ambientes)\b"
    ),
    re.compile(r"\b(?:bedrooms?|habitaciones|dormitorios)\s*:?\s*(?P<n>\d{1,2})\b"),
]


def _bedrooms(text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
    """ "2-bed", "tres habitaciones", "3 dormitorios"; "una habitación" alone is a room to rent,
    not a count, unless it says "de una habitación"."""
    out: list[Entity] = []
    for pattern in _BEDROOMS:
        for m in pattern.finditer(f):
            token = m.group("n")
            if token in ("a", "an", "un", "una") and not f[: m.start()].endswith("de "):
                continue
            n = to_number(token)
            if n is None or not 0 < n < 20 or _clash(m.start(), m.end(), taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(Entity("bedrooms", n, text[m.start() : m.end()], m.start(), m.end()))
    return out


# ---------------------------------------------------------------- a person's own name

_NAME_STRONG = re.compile(
    r"\b(?:my\s+name\s+is|name\s+is|my\s+name's|name's|me\s+llamo|mi\s+nombre\s+es|my\s+names|"
    r"under\s+the\s+name(?:\s+of)?|a\s+nombre\s+de)\s+"
    r"(?P<n>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
)
_NAME_WEAK = re.compile(
    r"\b(?:i'?m|i\s+am|im|this\s+is|soy|habla|te\s+escribe|le\s+escribe|aqui|under)\s+"
    r"(?P<n>[^\W\d_]+(?:\s+[^\W\d_]+)?)"
)
_NOT_NAMES = set(
    [
        "a",
        "an",
        "the",
        "so",
        "not",
        "just",
        "very",
        "really",
        "still",
        "also",
        "here",
        "there",
        "looking",
        "interested",
        "sure",
        "sorry",
        "new",
        "going",
        "trying",
        "writing",
        "calling",
        "having",
        "getting",
        "on",
        "in",
        "at",
        "from",
        "with",
        "about",
        "afraid",
        "allergic",
        "glad",
        "happy",
        "ok",
        "okay",
        "fine",
        "good",
        "great",
        "tired",
        "sick",
        "fed",
        "done",
        "back",
        "late",
        "ready",
        "available",
        "free",
        "busy",
        "asking",
        "wondering",
        "wanting",
        "hoping",
        "thinking",
        "confused",
        "frustrated",
        "angry",
        "upset",
        "unhappy",
        "disappointed",
        "interesting",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "de",
        "del",
        "nuevo",
        "nueva",
        "cliente",
        "paciente",
        "alergico",
        "alergica",
        "celiaco",
        "celiaca",
        "vegano",
        "vegana",
        "vegetariano",
        "vegetariana",
        "muy",
        "tan",
        "yo",
        "el",
        "ella",
        "de",
        "desde",
        "muy",
        "bastante",
        "alguien",
        "que",
        "interesado",
        "interesada",
        "buscando",
        "llamando",
        "escribiendo",
        "bien",
        "mal",
        "feliz",
        "otra",
        "otro",
        "su",
        "tu",
        "mi",
        "embarazada",
        "diabetico",
        "diabetica",
        "hipertenso",
        "socio",
        "socia",
        "abogado",
        "abogada",
        "your",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "me",
        "le",
        "lo",
        "se",
        "si",
        "no",
        "y",
        "and",
        "or",
        "but",
        "for",
        "para",
        "por",
        "con",
        "sin",
        "of",
        "to",
        "be",
        "is",
        "are",
        "was",
        "were",
        "have",
        "has",
        "married",
        "divorced",
        "single",
        "casado",
        "casada",
        "divorciado",
        "divorciada",
        "soltero",
        "soltera",
        "jubilado",
        "jubilada",
        "estudiante",
        "student",
        "retired",
        "pregnant",
        "vegan",
        "vegetarian",
        "celiac",
        "coeliac",
        "diabetic",
        "calling",
        "texting",
        "messaging",
        "hungry",
        "starving",
        "excited",
        "curious",
        "worried",
        "scared",
        "nervous",
        "in",
    ]
)


# After "I'm"/"soy" a word is a state more often than a name ("I'm furious", "soy alérgica"):
# a lowercase word with an adjective or participle ending is never read as a name.
_STATE_ENDING = re.compile(
    r"(?:ous|ful|ed|ing|able|ible|ive|less|ish|ry|ado|ada|ados|adas|ido|ida|idos|idas|oso|osa|"
    r"osos|osas|ante|ente|ico|ica|ble|ista|al|il|ar)$"
)
_STATES = frozenset(
    "sorry fine good ok okay late ready done back home here busy new sick tired angry mad upset "
    "pregnant allergic calling writing hungry happy sad free available alone furious "
    "harto harta mal bien nuevo nueva cliente paciente alergico alergica vegano vegana".split()
)


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The folded first names of `flows/data/lexicons/first_names.txt`."""
    path = Path(__file__).resolve().parent.parent / "data" / "lexicons" / "first_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in line.split())


def _reads_as_state(word: str, original: str) -> bool:
    lower = original[:1].islower() or (original.isupper() and len(word) > 2)  # shouting
    return word in _STATES or (lower and bool(_STATE_ENDING.search(word)))


def _name_from(raw: str, original: str, strong: bool, weak_pattern: bool = False) -> str | None:
    parts = raw.split()
    if not parts or parts[0] in _NOT_NAMES or len(parts[0]) < 2:
        return None
    if weak_pattern and _reads_as_state(parts[0], original):
        return None
    if weak_pattern and not original[:1].isupper() and parts[0] not in first_names():
        # lowercase after "soy"/"i'm" is a state ("i'm stupid", "soy idiota"), not a name,
        # unless it is a known first name ("soy ana")
        return None
    if not strong and not original[:1].isupper() and parts[0] not in first_names():
        return None
    keep = [parts[0]]
    orig_parts = original.split()
    if (
        len(parts) > 1
        and parts[1] not in _NOT_NAMES
        and (strong or (len(orig_parts) > 1 and orig_parts[1][:1].isupper()))
    ):
        keep.append(parts[1])
    return " ".join(o[:1].upper() + o[1:] for o in orig_parts[: len(keep)])


def _names(text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
    for pattern, strong in ((_NAME_STRONG, True), (_NAME_WEAK, False)):
        for m in pattern.finditer(f):
            start, end = m.start("n"), m.end("n")
            original = text[start:end]
            rest = f[end:].lstrip()
            lower_ok = (
                not rest or rest[0] in ",.!;:)" or rest.startswith(("y ", "and ", "de ", "from "))
            )
            name = _name_from(m.group("n"), original, strong or lower_ok, not strong)
            if not name or _clash(start, end, taken):
                continue
            end = start + len(name)
            return [Entity("name", name, text[start:end], start, end)]
    return []


# ---------------------------------------------------------------- gazetteers


@dataclass(frozen=True)
class Gazetteer:
    """One kind of item (service, neighbourhood...) with canonical names and their synonyms."""

    kind: str
    pattern: re.Pattern[str]
    canonical: Mapping[str, str]

    @classmethod
    def build(cls, kind: str, items: Mapping[str, Sequence[str]]) -> Gazetteer | None:
        """Compile a gazetteer from {canonical: [synonyms]}; None when it is empty."""
        canonical: dict[str, str] = {}
        for name, synonyms in items.items():
            for s in (name, *synonyms):
                key = re.sub(r"\s+", " ", fold(str(s)).strip())
                if key:
                    canonical.setdefault(key, str(name))
        if not canonical:
            return None
        alternation = "|".join(
            re.escape(k).replace(r"\ ", r"\s+") for k in sorted(canonical, key=len, reverse=True)
        )
        return cls(kind, re.compile(rf"(?<![\w])(?:{alternation})(?![\w])"), canonical)

    def find(self, text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
        """Every non-overlapping item of this kind; a misspelt long word ("divorsiar") when no
        item is spelt right."""
        out = self._exact(text, f, taken)
        return out or (self._misspelt(text, f, taken) if self.kind in TYPO_KINDS else [])

    def _misspelt(self, text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
        for m in _LONG_WORD.finditer(f):
            word = m.group(0)
            key = next((k for k in self.single_words() if _one_edit(word, k)), None)
            if key is None or _clash(m.start(), m.end(), taken):
                continue
            taken.append((m.start(), m.end()))
            return [Entity(self.kind, self.canonical[key], text[m.start() : m.end()], *m.span())]
        return []

    def single_words(self) -> tuple[str, ...]:
        """The one-word synonyms long enough to be matched despite a typo."""
        return tuple(k for k in self.canonical if " " not in k and len(k) >= TYPO_MIN_LEN)

    def _exact(self, text: str, f: str, taken: list[tuple[int, int]]) -> list[Entity]:
        out = []
        seen: set[str] = set()
        for m in self.pattern.finditer(f):
            if _clash(m.start(), m.end(), taken):
                continue
            key = re.sub(r"\s+", " ", m.group(0))
            taken.append((m.start(), m.end()))
            if self.canonical[key] in seen:
                continue
            seen.add(self.canonical[key])
            out.append(
                Entity(
                    self.kind, self.canonical[key], text[m.start() : m.end()], m.start(), m.end()
                )
            )
        return out


TYPO_KINDS = frozenset({"practice_area"})
"""Kinds read despite a typo: a legal matter is described in long words; a dietary or service
word one letter off is often another form that means something else ("veganas" asks, "vegana"
states)."""
TYPO_MIN_LEN = 7
"""Words this long are matched to a gazetteer item one typo away; shorter ones are too easily
another word."""


_LONG_WORD = re.compile(rf"[a-z]{{{TYPO_MIN_LEN},}}")


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by exactly one substitution, insertion, deletion or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = a[i + 1 : i + 2] + a[i : i + 1] + a[i + 2 :] == b[i:]
        return a[i + 1 :] == b[i + 1 :] or swapped
    return a[i + 1 :] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1 :]


def _clash(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in taken)


@dataclass(frozen=True)
class EntityExtractor:
    """Runs every extractor over a message, each claiming its span so they do not overlap."""

    gazetteers: tuple[Gazetteer, ...] = ()
    party_size: bool = True
    """Party sizes are read only where a template books tables: in a clinic or a law firm,
    "my wife and i" are people in the story, not a booking."""

    def extract(
        self, text: str, settings: DateSettings, country: str, profile_name: str | None = None
    ) -> tuple[Entity, ...]:
        """Return the entities of one message in text order."""
        f = fold(text)
        if len(f) != len(text):  # pragma: no cover - fold keeps length by construction
            f = f[: len(text)].ljust(len(text))
        taken: list[tuple[int, int]] = []
        found: list[Entity] = []
        found += _emails(text, taken)
        found += _money(text, f, taken)
        dates = [e for e in extract_dates(text, settings) if not _clash(e.start, e.end, taken)]
        taken += [(e.start, e.end) for e in dates]
        found += dates
        found += _phones(text, country, taken)
        if self.party_size:
            found += _party(text, f, taken)
        found += _bedrooms(text, f, taken)
        durations = extract_durations(text, taken)
        taken += [(e.start, e.end) for e in durations]
        found += durations
        found += _names(text, f, taken)
        for g in self.gazetteers:
            found += g.find(text, f, taken)
        return tuple(sorted(found, key=lambda e: (e.start, e.kind)))

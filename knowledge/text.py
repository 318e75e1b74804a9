"""Small text helpers: accent folding, tokens, exact terms, sentences, question types."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[\w€$£%]+(?:[.,:'/-][\w]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'¿¡(A-ZÁÉÍÓÚÑ0-9])")
_MONEY = re.compile(
    r"(€|\$|£|%|\beur(os?)?\b|\busd\b|\bgratis\b|\bgratuit[oa]s?\b|\bfree\b|\bsin coste\b|"
    r"\bno charge\b|\bmonths? of rent\b|\bmes(es)? de (renta|alquiler)\b)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s?(am|pm|h)\b|\bmidnight\b|\bmedianoche\b|\bnoon\b|"
    r"\bmediod[ií]a\b|\bclosed\b|\bcerrado\b)",
    re.IGNORECASE,
)
_PRICE_Q = re.compile(
    r"\b(how much|price|prices|cost|costs|fee|fees|charge|rate|pricing|precio|precios|cuesta|"
    r"cuestan|cuánto|cuanto|cuánta|tarifa|tarifas|coste|costo|honorarios|vale|valen)\b",
    re.IGNORECASE,
)
_HOURS_Q = re.compile(
    r"\b(what time|hours|opening|open|close|closing|horario|horarios|abr\w*|cierr\w*|hora|horas)\b",
    re.IGNORECASE,
)

_STOPWORDS_TEXT = """
a an the and or of to in on at for with by from is are was were be been do does did doing
have has had i you we they he she it my your our their me us them this that these those what
which who whom whose when where why how can could would should will shall may might must
there here any some about as if not no yes please hi hello thanks thank tell know need want
get got much many also just so than then too very
el la los las un una unos unas y o u de del al a en con por para sin sobre es son era fue ser
estar esta estan este estos estas ese esa eso que quien cual cuando donde como porque se le les
lo me te nos os mi mis tu tus su sus nuestro nuestra vuestro hay tiene tienen teneis tienes tengo
puedo puede pueden podeis hola gracias favor si mas muy tambien ya hacer hacen haceis
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


# Combining marks of Latin, Greek and general use (what accented Latin text decomposes into);
# a text with characters from other mark-bearing scripts takes the exact per-character path.
_COMMON_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_OTHER_RANGES = "\u0483-\u1aaf\u1b00-\u1dbf\u2cef-\u2dff\u302a-\u309a\ua66f-\uabed\ufb1e"
_OTHER_MARKS = re.compile(f"[{_OTHER_RANGES}\U00010000-\U000e01ef]")


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Cuánto' -> 'cuanto'.

    ASCII and Latin text take fast paths (per-character folding dominated the BM25 rebuild).
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = _COMMON_MARKS.sub("", unicodedata.normalize("NFKD", lowered))
    if not _OTHER_MARKS.search(decomposed):
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Folded word tokens (numbers and codes kept whole)."""
    return [m.group(0) for m in _WORD.finditer(fold(text))]


def stem(token: str) -> str:
    """A crude stem for overlap: a 5-letter prefix, a plural s dropped (dogs ~ dog)."""
    if not token.isalpha():
        return token
    if len(token) > 5:
        return token[:5]
    return token[:-1] if len(token) > 3 and token.endswith("s") else token


def content_terms(text: str) -> set[str]:
    """Stemmed folded tokens of a question, minus stop words."""
    return {stem(t) for t in tokens(text) if t not in STOPWORDS and len(t) > 1}


def exact_terms(question: str, limit: int = 3) -> list[str]:
    """Strings worth an exact-match search: codes and numbers, names, quoted text."""
    found: list[str] = []
    for quoted in re.findall(r"[\"“«']([^\"”»']{3,40})[\"”»']", question):
        found.append(quoted.strip())
    words = re.findall(r"[\w€/-]+", question, re.UNICODE)
    for index, word in enumerate(words):
        has_digit = any(ch.isdigit() for ch in word) and len(word) >= 2
        folded = fold(word)
        name_like = word[:1].isupper() and (index > 0 or word.isupper())
        if has_digit or (name_like and len(word) > 2 and folded not in STOPWORDS):
            found.append(word)
    unique: list[str] = []
    for term in found:
        if term not in unique:
            unique.append(term)
    return unique[:limit]


def _joined_lines(text: str) -> list[str]:
    """Lines with soft-wrapped ones joined back (list items and table rows stay apart)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        starts_item = line.startswith(("-", "*", "•", "|", "#")) or bool(
            re.match(r"\d+[.)]\s", line)
        )
        if (
            out
            and out[-1]
            and not starts_item
            and not out[-1].endswith((".", "!", "?", ":", ";", "|"))
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return [line for line in out if line]


def sentences(text: str, long_line: int = 200) -> list[str]:
    """Lines of a passage (list items, table rows); only long paragraphs split into sentences."""
    out: list[str] = []
    for line in _joined_lines(text):
        line = line.strip("|").strip()
        if not line or set(line) <= set("-|: "):
            continue
        line = re.sub(r"\s*\|\s*", " | ", line)
        if len(line) <= long_line:
            out.append(line)
        else:
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


_LIST_Q = re.compile(
    r"\b(what documents|which documents|what do i need|what should i bring|requirements|"
    r"qu[eé] documentos|qu[eé] necesito|qu[eé] tengo que (llevar|traer)|requisitos|"
    r"what allergens|qu[eé] al[eé]rgenos|which dishes|qu[eé] platos)\b",
    re.IGNORECASE,
)


def asks_list(question: str) -> bool:
    """True when the question asks for a list (documents to bring, requirements, allergens)."""
    return bool(_LIST_Q.search(question))


_YES_NO = re.compile(r"^\W*(do|does|did|is|are|can|could|will|would|should|have|has)\b", re.I)


def asks_price(question: str) -> bool:
    """True when the question asks for an amount (not a yes/no question about a fee)."""
    return bool(_PRICE_Q.search(question)) and not _YES_NO.search(question)


def asks_hours(question: str) -> bool:
    """True when the question asks for opening hours or a time."""
    return bool(_HOURS_Q.search(question)) and not asks_price(question)


def has_money(text: str) -> bool:
    """True when text states an amount of money (or says it is free)."""
    return bool(_MONEY.search(text)) or bool(re.search(r"\d+\s?(€|eur)", text, re.IGNORECASE))


def has_time(text: str) -> bool:
    """True when text states a clock time or a closed day."""
    return bool(_TIME.search(text))


def numbers(text: str) -> set[str]:
    """Numbers in a text, normalized ('1.200' and '1,200' -> '1200')."""
    return {re.sub(r"[.,]", "", n) for n in re.findall(r"\d[\d.,]*\d|\d", text)}


_AMOUNT = re.compile(r"(\d[\d.,]*)\s?(€|eur\b|euros?\b|%)|[€$£]\s?(\d[\d.,]*)", re.IGNORECASE)


def amounts(text: str) -> set[str]:
    """Money amounts and percentages in a text, normalized ('1.250 €' -> '1250')."""
    found = set()
    for match in _AMOUNT.finditer(text):
        number = match.group(1) or match.group(3)
        found.add(re.sub(r"[.,]", "", number.rstrip(".,")))
    return found


def is_spanish(language: str) -> bool:
    """True for 'es', 'es-ES', 'spanish'..."""
    return language.lower().startswith(("es", "spa"))

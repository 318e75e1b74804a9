"""The question inside a chat message, for retrieval: the greeting, the "quick question first:",
the "and" and the statement before it taken off ("hi, do you speak English?" -> "do you speak
English?"). Pure text; the engine asks the documents with it only when the whole message found
nothing, so a question whose context matters is first asked as written."""

from __future__ import annotations

import re

_QUESTION_WORD = (
    r"(?:how|what|when|where|which|who|why|do|does|did|is|are|can|could|will|would|should|"
    r"may|have|has|cu[aá]nt[oa]s?|cu[aá]l(?:es)?|qu[eé]|d[oó]nde|cu[aá]ndo|c[oó]mo|qui[eé]n|"
    r"hay|hac[eé]is|ten[eé]is|tienen|acept[aá]is|aceptan|pod[eé]is|pueden|puedo|se puede)"
)
_FILLER = re.compile(
    r"^\s*(?:oh|ah|hi|hello|hey|hiya|hola|buenas(?: tardes| noches)?|buenos d[ií]as|ok(?:ay)?|vale|"
    r"genial|great|cool|perfect[oa]?|thanks|gracias|cheers|and|also|plus|y|tambi[eé]n|adem[aá]s|"
    r"(?:a |one )?quick (?:question|q)(?: first)?|one more (?:thing|question)|another (?:thing|"
    r"question)|una duda|una pregunta|otra (?:cosa|duda|pregunta)|by the way|btw|por cierto|oye|"
    r"mira|actually|en realidad|sorry|perdona|perdone|disculpa|disculpe|pls|please|"
    r"es verdad (?:que|q)|is it true(?: that)?)\b\s*[,:;.!\-–—]*\s*",
    re.IGNORECASE,
)
# a statement about the customer before the question ("I live in Valencia, can ..."), not a
# condition of it ("for a family of 4, how much ...")
_STATEMENT_BEFORE = re.compile(
    rf"^(?:i|i'?m|we|we'?re|my|our|vivo|soy|somos|tengo|mi|nuestr[oa])\b[^,?¿]{{2,80}},\s*"
    rf"(?=¿?{_QUESTION_WORD}\b)",
    re.IGNORECASE,
)
_HEDGE = re.compile(r"\b(?:you guys|y'?all)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?:])\s+")


def question_core(text: str) -> str:
    """The question of a message without what only surrounds it; the text itself when none."""
    sentences = [s for s in _SENTENCE.split(text.strip()) if s.strip()]
    asked = [s for s in sentences if "?" in s or "¿" in s] or sentences[-1:]
    core = " ".join(asked).lstrip("¿ ")
    while (stripped := _FILLER.sub("", core, count=1)) != core and stripped:
        core = stripped
    core = _STATEMENT_BEFORE.sub("", core)
    core = _HEDGE.sub("you", core)
    return core.strip() or text.strip()

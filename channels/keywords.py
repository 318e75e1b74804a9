"""SMS-style consent keywords (STOP / START / HELP and their variants), English and Spanish.

Only a message that is a single keyword counts: "stop", "STOP!", "¡Baja!" do; "please stop
calling" does not (the flow engine handles that as free text).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Keyword = Literal["opt_out", "opt_in", "help"]

OPT_OUT_WORDS = frozenset(
    {
        # English (the carriers' and Twilio's standard set)
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
        # Spanish
        "baja", "alto", "parar", "detener", "cancelar", "desuscribir", "desuscribirme",
    }
)  # fmt: skip
OPT_IN_WORDS = frozenset(
    {"start", "yes", "unstop", "optin", "alta", "comenzar", "reanudar", "suscribir"}
)
HELP_WORDS = frozenset({"help", "info", "ayuda"})

# Hyphens and spaces inside a single keyword ("opt-out", "OPT OUT") are dropped before matching.
_JOINERS = str.maketrans("", "", "-_ ")
_INVISIBLE = {"Cf", "Cc"}  # zero-width joiners, BOM, direction marks, control characters


def normalize_word(text: str) -> str:
    """Fold a message to the bare word: no accents, no punctuation or invisible marks, lowercase."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        c
        for c in decomposed
        if not unicodedata.combining(c) and unicodedata.category(c) not in _INVISIBLE
    )
    word = kept.strip().strip("!¡?¿.,;:'\"()[]*~").strip().casefold()
    return word.translate(_JOINERS) if len(word.split()) <= 2 else word


def classify_keyword(text: str | None) -> Keyword | None:
    """Classify a one-word message as an opt-out, an opt-in or a help request, else None."""
    if not text or len(text) > 40:
        return None
    word = normalize_word(text)
    if not word or any(c.isspace() for c in word):
        return None
    if word in OPT_OUT_WORDS:
        return "opt_out"
    if word in OPT_IN_WORDS:
        return "opt_in"
    if word in HELP_WORDS:
        return "help"
    return None


# A sentence that asks for no more messages, or ends with the keyword shouted ("... BAJA."):
# the customer means the keyword, said politely.
_SHOUTED = re.compile(r"(?:^|[\s.,;:!¡])(STOP|BAJA|UNSUBSCRIBE)[\s.!]*$")
_ASKS_EN = re.compile(
    r"\b(?:(?:do not|don'?t|stop|no more)\s+(?:send(?:ing)?\s+)?(?:me\s+)?(?:any\s+)?(?:more\s+)?"
    r"(?:newsletters?|promos?|promotions?|promotional \w+|marketing|offers|messages)|"
    r"unsubscribe me|take me off (?:your|the) (?:list|mailing))\b"
)
_ASKS_ES = re.compile(
    r"\b(?:no (?:me )?(?:envi\w*|mand\w*|escrib\w*) (?:mas|ningun\w*)|"
    r"no quiero recibir (?:mas|ningun\w*)|(?:darme|dadme|denme|deme) de baja|"
    r"borr\w* de la lista|basta de (?:promociones|mensajes))\b"
)
_SPANISH = re.compile(
    r"\b(?:quiero|mensajes|envi\w*|mand\w*|ustedes|porfa|gracias|baja|mas|recibir)\b"
)


def opt_out_request(text: str | None) -> str | None:
    """The keyword a longer message means ("please don't send me promos. STOP"): "stop" or
    "baja" by the message's language, else None."""
    if not text or len(text) > 400:
        return None
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()
    if not (_SHOUTED.search(text.strip()) or _ASKS_EN.search(folded) or _ASKS_ES.search(folded)):
        return None
    return "baja" if _SPANISH.search(folded) else "stop"

"""The flow engine: decides the bot's replies for one turn. For now a greeting/echo flow."""

from __future__ import annotations

import re

from flows.types import Outcome, Reply, Turn

_GREETING = re.compile(r"^\s*(hi|hello|hey|hola|buenas|buenos d[ií]as)\b", re.IGNORECASE)

_TEXTS = {
    "en": {
        "welcome": "Hello{name}! Welcome to {business}. How can I help you today?",
        "echo": "You said: {text}",
        "help": "How can I help you today?",
    },
    "es": {
        "welcome": "¡Hola{name}! Bienvenido a {business}. ¿En qué puedo ayudarte?",
        "echo": "Has dicho: {text}",
        "help": "¿En qué puedo ayudarte hoy?",
    },
}


def respond(turn: Turn) -> Outcome:
    """Greet a new or greeting customer, otherwise echo what they said."""
    texts = _TEXTS.get(turn.language, _TEXTS["en"])
    turns_seen = int(turn.state.get("turns", 0))
    name = f", {turn.customer_name}" if turn.customer_name else ""
    if turn.returning and turns_seen == 0:
        reply = texts["help"]
    elif turns_seen == 0 or _GREETING.match(turn.text):
        reply = texts["welcome"].format(name=name, business=turn.business.name)
    else:
        reply = texts["echo"].format(text=turn.text)
    return Outcome(replies=(Reply(text=reply),), state={**turn.state, "turns": turns_seen + 1})

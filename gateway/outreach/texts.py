"""What proactive messages say, in English and Spanish, and the reminder buttons."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from channels.base import Button

LANGUAGES = ("en", "es")

_DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "es": ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}
_THING = {
    "en": {"appointment": "appointment", "reservation": "table", "viewing": "viewing"},
    "es": {"appointment": "cita", "reservation": "mesa", "viewing": "visita"},
}

TEXTS: dict[str, dict[str, str]] = {
    "reminder": {
        "en": "Hi{name}! A reminder of your {thing} at {business} on {when}. See you then?",
        "es": "¡Hola{name}! Te recordamos tu {thing} en {business} el {when}. ¿Nos vemos?",
        "es_formal": "Hola{name}. Le recordamos su {thing} en {business} el {when}. ¿Nos vemos?",
    },
    "confirmed": {
        "en": "Thank you{name}, your {thing} on {when} is confirmed.",
        "es": "Gracias{name}, tu {thing} del {when} queda confirmada.",
        "es_formal": "Gracias{name}, su {thing} del {when} queda confirmada.",
    },
    "cancelled": {
        "en": "Done: your {thing} on {when} is cancelled. Write to us whenever you want another.",
        "es": "Hecho: tu {thing} del {when} queda cancelada. Escríbenos cuando quieras otra.",
        "es_formal": "Hecho: su {thing} del {when} queda cancelada. Escríbanos cuando desee otra.",
    },
    "already_cancelled": {
        "en": "That {thing} was already cancelled. Write to us if you want to book again.",
        "es": "Esa {thing} ya estaba cancelada. Escríbenos si quieres reservar de nuevo.",
        "es_formal": "Esa {thing} ya estaba cancelada. Escríbanos si desea reservar de nuevo.",
    },
    "follow_up": {
        "en": "Hi{name}, this is {business}. Did you find what you were looking for? "
        "We are happy to help.",
        "es": "Hola{name}, te escribimos de {business}. ¿Encontraste lo que buscabas? "
        "Estaremos encantados de ayudarte.",
        "es_formal": "Hola{name}, le escribimos de {business}. ¿Encontró lo que buscaba? "
        "Estaremos encantados de ayudarle.",
    },
    "unfinished_booking": {
        "en": "Hi{name}, you were booking with {business} and we did not finish. "
        "Shall we pick a time?",
        "es": "Hola{name}, estabas reservando con {business} y no terminamos. ¿Buscamos una hora?",
        "es_formal": "Hola{name}, estaba reservando con {business} y no terminamos. "
        "¿Buscamos una hora?",
    },
    "recall": {
        "en": "Hi{name}, it has been six months since your last cleaning at {business}. "
        "Shall we book your check-up?",
        "es": "Hola{name}, han pasado seis meses desde tu última limpieza en {business}. "
        "¿Te reservamos la revisión?",
        "es_formal": "Hola{name}, han pasado seis meses desde su última limpieza en {business}. "
        "¿Le reservamos la revisión?",
    },
    "usual_table": {
        "en": "Hi{name}! We miss you at {business}. Shall we have the usual table ready?",
        "es": "¡Hola{name}! Te echamos de menos en {business}. ¿Te preparamos la mesa de siempre?",
        "es_formal": "Hola{name}. Le echamos de menos en {business}. "
        "¿Le preparamos la mesa de siempre?",
    },
    "re_engagement": {
        "en": "Hi{name}, it has been a while! {business} is here whenever you need us.",
        "es": "Hola{name}, ¡cuánto tiempo! En {business} estamos aquí para lo que necesites.",
        "es_formal": "Hola{name}, ¡cuánto tiempo! En {business} estamos a su disposición.",
    },
    "feedback": {
        "en": "Thank you for visiting {business}{name}. How was it? A word from you helps us.",
        "es": "Gracias por visitar {business}{name}. ¿Qué tal fue? Tu opinión nos ayuda.",
        "es_formal": "Gracias por visitar {business}{name}. ¿Qué tal fue? Su opinión nos ayuda.",
    },
}

_BUTTONS = {
    "en": (("confirm", "Confirm"), ("reschedule", "Reschedule"), ("cancel", "Cancel")),
    "es": (("confirm", "Confirmar"), ("reschedule", "Cambiar hora"), ("cancel", "Cancelar")),
}


def pick_language(*candidates: str | None) -> str:
    """The first supported language among the candidates (contact, conversation, business)."""
    for candidate in candidates:
        if candidate and candidate[:2].lower() in LANGUAGES:
            return candidate[:2].lower()
    return "en"


def format_when(at: datetime, tz: ZoneInfo, language: str) -> str:
    """A date and time the customer reads naturally, in their timezone."""
    local = at.astimezone(tz)
    day = _DAYS[language][local.weekday()]
    month = _MONTHS[language][local.month - 1]
    if language == "es":
        return f"{day} {local.day} de {month} a las {local:%H:%M}"
    return f"{day} {local.day} {month} at {local:%H:%M}"


def render(
    key: str,
    language: str,
    *,
    business: str,
    name: str | None = None,
    when: str = "",
    record_kind: str = "appointment",
    custom: Mapping[str, Any] | None = None,
    tone: str = "casual",
) -> str:
    """Fill a text; `custom` (a business's own {"en": ..., "es": ...}) wins over ours; a formal
    customer gets the "es_formal" variant (usted) when there is one."""
    texts: Mapping[str, Any] = custom or TEXTS.get(key) or TEXTS["re_engagement"]
    template = str(
        texts.get(f"{language}_{tone}")
        or texts.get(language)
        or texts.get("en")
        or next(iter(texts.values()), "")
    )
    values = {
        "name": f" {name}" if name else "",
        "business": business,
        "when": when,
        "thing": _THING[language].get(record_kind, _THING[language]["appointment"]),
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def reminder_buttons(scheduled_id: int, language: str) -> tuple[Button, ...]:
    """Confirm / reschedule / cancel, carrying the reminder's id in the payload."""
    return tuple(
        Button(id=f"rem:{action}:{scheduled_id}", title=title)
        for action, title in _BUTTONS[language]
    )

"""Rules for the unambiguous intents: opt-out words, bare yes/no, privacy requests."""

from __future__ import annotations

import re

from flows.understanding.text import fold

RULE_CONFIDENCE = 0.98

# Carrier opt-out keywords (single word, any case) plus the Spanish ones; see PROTOCOLS.md.
OPT_OUT_WORDS = frozenset(
    [
        "stop",
        "stopall",
        "unsubscribe",
        "cancel",
        "end",
        "quit",
        "revoke",
        "optout",
        "baja",
        "alto",
        "parar",
    ]
)
_AFFIRM = frozenset(
    [
        "yes",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "sure",
        "ok",
        "okay",
        "okey",
        "oki",
        "k",
        "kk",
        "si",
        "sip",
        "claro",
        "vale",
        "dale",
        "correct",
        "correcto",
        "exacto",
        "exactly",
        "perfect",
        "perfecto",
        "confirmed",
        "confirmado",
        "absolutely",
        "definitely",
        "affirmative",
        "👍",
        "👌",
        "✅",
    ]
)
_AFFIRM_PHRASES = frozenset(
    [
        "yes please",
        "si por favor",
        "si porfa",
        "sounds good",
        "that works",
        "of course",
        "por supuesto",
        "de acuerdo",
        "me vale",
        "me va bien",
        "eso es",
        "yes that's right",
        "si claro",
        "claro que si",
        "ok perfect",
        "vale perfecto",
        "yes thanks",
        "si gracias",
        "ok thanks",
        "ok gracias",
        "vale gracias",
        "yes sure",
        "yeah sure",
        "ok sure",
        "perfect thanks",
        "perfecto gracias",
        "that's right",
        "thats right",
        "all good",
        "yes it is",
        "si es",
        "si lo es",
        "sure thing",
        "si si",
        "yes yes",
    ]
)
_DENY = frozenset(["no", "nope", "nah", "nop", "nay", "negative", "tampoco"])
_DENY_PHRASES = frozenset(
    [
        "no thanks",
        "no thank you",
        "no gracias",
        "not really",
        "para nada",
        "no no",
        "no way",
        "que va",
        "nope thanks",
        "no es correcto",
        "eso no",
        "not now",
        "ahora no",
        "not at all",
        "no mejor no",
        "no, gracias",
        "we're good",
        "were good",
        "no we're good",
        "nah we're good",
        "no hace falta",
        "no hace falta gracias",
        "no es necesario",
        "no need",
        "no need thanks",
        "estamos bien",
        "no estamos bien asi",
    ]
)
_GREET = re.compile(
    r"^(?:hi+|hello+|hey+|hiya|howdy|yo|hola+|holi|buenas|ola|ey|"
    r"good\s+(?:morning|afternoon|evening)|morning|evening|"
    r"buen(?:os|as)?\s+(?:dias|tardes|noches)|muy\s+buenas)"
    r"(?:\s+(?:there|all|everyone|team|guys|a\s+todos|que\s+tal|how\s+are\s+you|"
    r"como\s+estas|como\s+estais))?$"
)
_THANKS = re.compile(
    r"^(?:(?:ok|okay|vale|great|genial|perfect|perfecto|super)\s+)?"
    r"(?:thanks+|thank\s+you|thanks\s+a\s+lot|thank\s+you\s+so\s+much|thx|ty|cheers|many\s+thanks|"
    r"gracias|muchas\s+gracias|mil\s+gracias|muchisimas\s+gracias|grax|grasias)"
    r"(?:\s+(?:so\s+much|a\s+lot|for\s+everything|for\s+your\s+help|por\s+todo|"
    r"por\s+la\s+ayuda|de\s+verdad))?$"
)
_BYE = re.compile(
    r"^(?:bye+|goodbye|bye\s+bye|see\s+you|see\s+ya|cya|adios|chao|chau|hasta\s+luego|"
    r"hasta\s+pronto|hasta\s+manana|nos\s+vemos|good\s+night)(?:\s+\w+)?$"
)
_WHAT_KNOW = re.compile(
    r"\bwhat\s+(?:do|did)\s+(?:you|u)\s+(?:know|remember|have)\s+(?:about|on)\s+me\b"
    r"|\bwhat\s+(?:info|information|data|details)\s+(?:do|did)\s+(?:you|u)\s+(?:have|store|keep|hold)"
    r"|\bwhat\s+(?:have\s+i|did\s+i)\s+told\s+you"
    r"|\bque\s+(?:sabes|sabeis|sabe|recuerdas|recordais)\s+(?:de|sobre)\s+mi\b"
    r"|\bque\s+(?:datos|informacion|info)\s+(?:tienes|teneis|tiene|guardas|guardais)"
    r"|\bque\s+te\s+he\s+contado"
)
_FORGET_ALL = re.compile(
    r"\b(?:forget\s+(?:about\s+)?me|forget\s+everything(?:\s+about\s+me)?|"
    r"(?:delete|erase|remove|wipe)\s+(?:all\s+)?(?:of\s+)?my\s+(?:data|info|information|details|profile)|"
    r"(?:delete|erase|wipe)\s+everything(?:\s+(?:about|on)\s+me)?|"
    r"olvidame|olvidadme|olvideme|olvida\s+todo|"
    r"(?:borra|borrad|borre|elimina|eliminad|elimine)\s+(?:todos\s+)?(?:mis\s+datos|mi\s+perfil|"
    r"toda\s+mi\s+informacion|todo\s+lo\s+que\s+sab))"
)
_FORGET_ONE = re.compile(
    r"\b(?:forget|delete|erase|remove|don'?t\s+(?:remember|keep|store))\s+(?:about\s+)?my\s+"
    r"(?P<en>[a-z' ]+?)\s*(?:please|pls|plz)?[.!]*$"
    r"|\b(?:olvida|olvidad|olvide|borra|borrad|borre|elimina|eliminad|elimine|no\s+guardes)\s+"
    r"(?:mi|mis|el|la|los|las)\s+(?P<es>[a-z ]+?)\s*(?:por\s+favor|porfa)?[.!]*$"
)
_OPT_OUT_PHRASE = re.compile(
    r"^(?:please\s+)?(?:stop\s+(?:texting|messaging|sending|writing|contacting)|"
    r"unsubscribe(?:\s+me)?|opt\s+out|remove\s+me\s+from|no\s+more\s+messages|"
    r"don'?t\s+(?:text|message|contact)\s+me|dame\s+de\s+baja|darme\s+de\s+baja|"
    r"quiero\s+darme\s+de\s+baja|no\s+me\s+(?:escribais|escribas|escriban|mandeis|mandes|envieis)\s+mas|"
    r"dejad\s+de\s+(?:escribirme|mandarme|enviarme)|deja\s+de\s+(?:escribirme|mandarme|enviarme))"
)
_LEADING_YES = re.compile(
    r"^(?:yes|yeah|yep|sure|ok|okay|si|vale|claro|perfect|perfecto|great|genial|dale)\s*[,.!]\s*(?P<rest>.*)$"
)
_LEADING_NO = re.compile(r"^(?:no|nope|nah|nop)\s*[,.!]\s*(?P<rest>.*)$")
_ACTION_WORDS = re.compile(
    r"\b(?:cancel|cancelar|cancela|anular|anula|change|cambiar|cambia|move|mover|reschedule|"
    r"but|pero|instead|en\s+vez|stop|baja|book|reservar)\b"
)
_HUMAN_BARE = frozenset(
    [
        "human",
        "agent",
        "operator",
        "person",
        "persona",
        "humano",
        "agente",
        "operador",
        "representative",
        "staff",
    ]
)

# What a customer calls a stored fact -> the fact key (EN and ES, folded).
FACT_ALIASES: dict[str, str] = {
    "name": "name",
    "nombre": "name",
    "budget": "budget",
    "presupuesto": "budget",
    "phone": "phone",
    "phone number": "phone",
    "number": "phone",
    "telefono": "phone",
    "numero": "phone",
    "movil": "phone",
    "numero de telefono": "phone",
    "mobile": "phone",
    "email": "email",
    "e-mail": "email",
    "email address": "email",
    "correo": "email",
    "mail": "email",
    "address": "address",
    "direccion": "address",
    "allergy": "allergies",
    "allergies": "allergies",
    "alergia": "allergies",
    "alergias": "allergies",
    "diet": "dietary",
    "dietary": "dietary",
    "dieta": "dietary",
    "insurance": "insurance",
    "seguro": "insurance",
    "mutua": "insurance",
    "preferred time": "preferred_time",
    "time": "preferred_time",
    "horario": "preferred_time",
    "hora": "preferred_time",
    "horario preferido": "preferred_time",
    "hora preferida": "preferred_time",
    "party size": "party_size",
    "group size": "party_size",
    "language": "language",
    "idioma": "language",
    "areas": "areas_of_interest",
    "area": "areas_of_interest",
    "zona": "areas_of_interest",
    "zonas": "areas_of_interest",
    "neighbourhood": "areas_of_interest",
    "neighborhood": "areas_of_interest",
    "barrio": "areas_of_interest",
    "service": "last_service",
    "last service": "last_service",
    "servicio": "last_service",
    "tratamiento": "last_service",
    "treatment": "last_service",
    "property type": "property_type",
    "tipo de vivienda": "property_type",
    "case": "practice_area",
    "caso": "practice_area",
}


def _clean(text: str) -> str:
    f = fold(text).strip()
    f = re.sub(r"[¡¿!?.,;:()\"]+", " ", f)
    return re.sub(r"\s+", " ", f).strip()


def fact_key_for(phrase: str) -> str | None:
    """Map what a customer calls a fact ("mi presupuesto", "phone number") to its key."""
    p = _clean(phrase)
    p = re.sub(r"^(?:my|mi|mis|el|la|los|las)\s+", "", p)
    if p in FACT_ALIASES:
        return FACT_ALIASES[p]
    singular = p[:-1] if p.endswith("s") else p
    return FACT_ALIASES.get(singular)


def forget_target(text: str) -> str | None:
    """Return "*" for "forget me", a fact key for "forget my budget", else None."""
    c = _clean(text)
    m = _FORGET_ONE.search(c)
    if m:
        key = fact_key_for(m.group("en") or m.group("es") or "")
        if key:
            return key
    if _FORGET_ALL.search(c):
        return "*"
    return None


def rule_intent(text: str) -> str | None:
    """Return the intent for messages no model should second-guess, or None."""
    c = _clean(text)
    if not c:
        return None
    raw = text.strip()
    if c in OPT_OUT_WORDS or _OPT_OUT_PHRASE.match(c):
        return "opt_out"
    target = forget_target(text)
    if target == "*":
        return "forget_me"
    if target is not None:
        return "forget_fact"
    if _WHAT_KNOW.search(c):
        return "what_do_you_know"
    if c in _AFFIRM or raw in _AFFIRM or c in _AFFIRM_PHRASES:
        return "affirm"
    if c in _DENY or c in _DENY_PHRASES:
        return "deny"
    lead = fold(raw)
    for pattern, intent in ((_LEADING_YES, "affirm"), (_LEADING_NO, "deny")):
        m = pattern.match(lead)
        rest = m.group("rest") if m else ""
        if m and "?" not in lead and len(rest.split()) <= 6 and not _ACTION_WORDS.search(rest):
            return intent
    if _GREET.match(c):
        return "greeting"
    if _THANKS.match(c):
        return "thanks"
    if _BYE.match(c):
        return "goodbye"
    if c in _HUMAN_BARE:
        return "human"
    return None

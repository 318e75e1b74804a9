"""Carrier opt-out keywords, and which stored fact a "forget my ..." request names."""

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
    """The carrier opt-out keywords, sent alone (STOP, BAJA...): the one thing no model decides.

    Everything else, paraphrased opt-outs and privacy requests included, is the classifier's.
    """
    c = _clean(text)
    return "opt_out" if c in OPT_OUT_WORDS else None

"""What a question asks: its parts, the kind of fact each part wants, and whether a unit has it."""

from __future__ import annotations

import re

from knowledge.text import fold

_WH = (
    r"do|does|did|is|are|was|can|could|will|would|should|may|what|whats|what's|when|where|"
    r"which|who|how|any|cuanto|cuanta|cuantos|cuantas|que|donde|cuando|como|cual|cuales|quien|"
    r"hay|teneis|tienen|tienes|abris|abren|cerrais|cierran|puedo|podeis|se puede|aceptais|"
    r"admitis|haceis|cobrais|es|son|esta|estan|incluye|lleva|llevan"
)
_SPLIT_AND = re.compile(
    rf"\s*(?:,\s*)?\b(?:and|also|plus|y|e|ademas)\s+(?=(?:(?:a|en|de|desde|hasta|para|por)\s+)?"
    rf"(?:{_WH})\b)",
    re.IGNORECASE,
)
_PRICE = re.compile(
    r"\b(how much|price|prices|priced|cost|costs|charge|charges|fee|fees|rate|rates|pay|rent|"
    r"cuanto (?:cuesta|cuestan|vale|valen|es|cobrais|cobran|sale|hay que pagar)|precio|precios|"
    r"cuesta|cuestan|coste|costo|tarifa|tarifas|honorarios|vale|valen|cobrais|cobran|alquiler)\b"
)
_TIME = re.compile(
    r"\b(what time|when do you (?:open|close)|hours|opening|open|opens|close|closes|closing|shut|"
    r"horario|horarios|a que hora|abris|abren|abre|abierto|cerrais|cierran|cierra|hora)\b"
)
_WHERE = re.compile(
    r"\b(where|address|located|location|find you|donde|direccion|ubicacion|ubicados|situados)\b"
)
_PHONE = re.compile(r"\b(phone|telephone|call you|number|telefono|llamar|whatsapp)\b")
_EMAIL = re.compile(r"\b(e-?mail|mail|correo)\b")
_DURATION = re.compile(
    r"\b(how long|how many (?:days|weeks|months|sessions)|how quickly|how fast|how soon|"
    r"cuanto (?:tiempo|tarda|tardan|dura|duran)|cuantos (?:dias|meses|semanas)|tarda|tardan|"
    r"dura|duran|plazo)\b"
)
_MONEY = re.compile(
    r"(\d[\d.,]*\s?(€|eur\b|euros?\b|%)|[€$£]\s?\d|\bfree\b|\bgratis\b|\bgratuit[oa]s?\b|"
    r"\bfree of charge\b|\bno cost\b|\bsin coste\b|\bmonths? of rent\b|\bmes(es)? de (renta|"
    r"alquiler)\b)",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"(\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s?(am|pm)\b|\bmidnight\b|\bmedianoche\b|\bnoon\b|"
    r"\bmediod[ií]a\b|\bclosed\b|\bcerrad[oa]s?\b|\b24 hours\b|\b24 horas\b)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"(\b(calle|c/|carrer|avenida|avda|av\.|plaza|paseo|passeig|street|st\.|road|avenue|"
    r"square)\b.{0,40}\d|\b\d{5}\b)",
    re.IGNORECASE,
)
_PHONE_NUMBER = re.compile(r"(\+\d[\d\s]{7,}\d|\b\d{3}\s?\d{2,3}\s?\d{2,3}\s?\d{2,3}\b)")
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_SPAN = re.compile(
    r"\b\d+\s?(to|a|-|–)?\s?\d*\s?(minutes?|min|hours?|horas?|days?|d[ií]as?|weeks?|semanas?|"
    r"months?|mes(es)?|years?|a[ñn]os?|sessions?|sesiones)\b|\b(one|two|three|un|una|dos|tres)\s"
    r"(week|month|year|semana|mes|a[ñn]o)s?\b",
    re.IGNORECASE,
)

_DAY = re.compile(
    r"\b(which days?|what days?|que dias?|weekends?|weekdays?|fin(?:es)? de semana|entre semana|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?|lunes|martes|miercoles|jueves|viernes|"
    r"sabados?|domingos?|holidays?|festivos?|christmas|navidad|easter|semana santa)\b"
)
_QUANTITY = re.compile(
    r"\b(how many|cuant[oa]s|maximum|max|minimum|capacity|aforo|maximo|minimo|up to|hasta "
    r"cuant[oa]s)\b"
)
_NAME = re.compile(
    r"\b(who|whose|name|names|called|quien|quienes|nombre|nombres|como se llama|se llaman)\b"
)
_WEEKDAY = re.compile(
    r"\b((?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?|weekdays?|lunes|martes|"
    r"miercoles|jueves|viernes|sabados?|domingos?|fin(?:es)? de semana|festivos?|holidays?|"
    r"daily|every day|todos los dias|a diario|\d{1,2} (?:de )?(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*)\b"
)
_COUNT = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|uno|una|dos|tres|"
    r"cuatro|cinco|seis|siete|ocho|nueve|diez|doce|veinte)\b"
)
_TITLE = re.compile(r"\b(?:Dr|Dra|Sr|Sra|Mr|Mrs|Ms|Dña|Don|Doña)\.?\s+[A-ZÁÉÍÓÚÑ]")
_CAPITALISED_PAIR = re.compile(r"\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b")
# Capitalised words that are not people's names (a "Monday Friday" pair names nobody).
_NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday lunes martes miercoles jueves
    viernes sabado domingo january february march april may june july august september october
    november december enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre calle avenida plaza paseo street road avenue square open closed price
    prices opening hours horario precio precios the our el la los las
    """.split()
)

FACT_TYPES = (
    "price", "time", "where", "phone", "email", "duration", "day", "quantity", "name",
)  # fmt: skip


def split_question(question: str) -> list[str]:
    """The parts of a multi-part question ('... and what time ...?', '¿...? ¿Y ...?')."""
    pieces = [p.strip(" ¿?¡!.,;") for p in re.split(r"[?？]+|¿", question)]
    parts: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        folded = fold(piece)
        cuts = [m.span() for m in _SPLIT_AND.finditer(folded)]
        start = 0
        for begin, end in cuts:
            left = piece[start:begin].strip(" ,")
            if len(left.split()) >= 2:
                parts.append(left)
                start = end
        rest = piece[start:].strip(" ,")
        if rest:
            if parts and len(rest.split()) < 2 and start == 0:
                parts[-1] = f"{parts[-1]} {rest}"
            else:
                parts.append(rest)
    merged: list[str] = []
    for part in parts:  # a bare greeting or "and" left over joins its neighbour
        if merged and len(part.split()) == 1 and not re.search(r"\d", part):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged or [question.strip()]


def fact_types(question: str) -> set[str]:
    """The kinds of fact a question part asks for (may be empty)."""
    q = fold(question)
    kinds = set()
    if _DURATION.search(q):
        kinds.add("duration")
    elif _PRICE.search(q):
        kinds.add("price")
    if _TIME.search(q) and "price" not in kinds:
        kinds.add("time")
    if _WHERE.search(q):
        kinds.add("where")
    if _PHONE.search(q):
        kinds.add("phone")
    if _EMAIL.search(q):
        kinds.add("email")
    if _DAY.search(q):
        kinds.add("day")
    if _QUANTITY.search(q) and not kinds & {"duration", "price"}:
        kinds.add("quantity")
    if _NAME.search(q) and not kinds:
        kinds.add("name")
    return kinds


def _names_someone(text: str) -> bool:
    """A title and a name ('Dr. Ruiz') or two capitalised words that are not days or streets."""
    if _TITLE.search(text):
        return True
    return any(not {fold(a), fold(b)} & _NOT_NAMES for a, b in _CAPITALISED_PAIR.findall(text))


def unit_types(text: str) -> set[str]:
    """The kinds of fact a unit of text states."""
    kinds = set()
    if _MONEY.search(text):
        kinds.add("price")
    if _CLOCK.search(text):
        kinds.add("time")
    if _ADDRESS.search(text):
        kinds.add("where")
    if _PHONE_NUMBER.search(text):
        kinds.add("phone")
    if _EMAIL_ADDRESS.search(text):
        kinds.add("email")
    if _SPAN.search(text):
        kinds.add("duration")
    if _WEEKDAY.search(fold(text)):
        kinds.add("day")
    if _COUNT.search(fold(text)):
        kinds.add("quantity")
    if _names_someone(text):
        kinds.add("name")
    return kinds

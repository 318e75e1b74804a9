"""A business's structured settings as passages the retriever indexes beside its documents.

`settings_sections` is pure: it turns the settings a business configured (address, phone,
hours by weekday with holidays, services and prices, fees, insurers, areas, FAQ entries) into
Markdown sections, one per language, cited as "Business settings". Only what is configured is
written: no hours configured means no hours passage, so nothing can state default hours.
Private or operational keys (matters, resources, thresholds, file paths) are never included.

The gateway calls ``KnowledgeBase.ingest_settings(key, business.settings, business.languages,
business.name)`` when a business is created or its settings change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from knowledge.types import Section

SETTINGS_LOCATION = "settings:"
SETTINGS_TITLE = "Business settings"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Business settings",
        "contact": "Address and contact",
        "address": "Address",
        "phone": "Phone",
        "email": "Email",
        "website": "Website",
        "hours": "Opening hours",
        "closed": "Closed",
        "holidays": "Closed on these holidays",
        "services": "Services and prices",
        "service": "Service",
        "price": "Price",
        "length": "Length",
        "free": "free of charge",
        "fees": "Fees",
        "insurance": "Insurance",
        "insurers": "Insurers we work with",
        "areas": "Areas we cover",
        "faq": "Frequently asked questions",
        "and": "and",
        "minutes": "min",
        "monday": "Monday",
        "tuesday": "Tuesday",
        "wednesday": "Wednesday",
        "thursday": "Thursday",
        "friday": "Friday",
        "saturday": "Saturday",
        "sunday": "Sunday",
    },
    "es": {
        "title": "Datos del negocio",
        "contact": "Dirección y contacto",
        "address": "Dirección",
        "phone": "Teléfono",
        "email": "Correo electrónico",
        "website": "Web",
        "hours": "Horario de apertura",
        "closed": "Cerrado",
        "holidays": "Cerrado en estos festivos",
        "services": "Servicios y precios",
        "service": "Servicio",
        "price": "Precio",
        "length": "Duración",
        "free": "gratis",
        "fees": "Tarifas",
        "insurance": "Seguros",
        "insurers": "Aseguradoras con las que trabajamos",
        "areas": "Zonas en las que trabajamos",
        "faq": "Preguntas frecuentes",
        "and": "y",
        "minutes": "min",
        "monday": "Lunes",
        "tuesday": "Martes",
        "wednesday": "Miércoles",
        "thursday": "Jueves",
        "friday": "Viernes",
        "saturday": "Sábado",
        "sunday": "Domingo",
    },
}
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}
_FEE_NAMES = {
    "consultation_fee": {"en": "First consultation", "es": "Primera consulta"},
    "booking_fee": {"en": "Booking fee", "es": "Tarifa de reserva"},
    "deposit": {"en": "Deposit", "es": "Señal"},
}


def _lang(language: str) -> str:
    return "es" if language.lower().startswith(("es", "spa")) else "en"


def _money(value: Any, currency: str, labels: Mapping[str, str]) -> str | None:
    """'60 €', 'free of charge' for 0, None for a value that is not an amount."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value).strip() if value is not None else ""
        return text or None
    if value == 0:
        return labels["free"]
    amount = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    return f"{amount} {currency}" if currency in ("€", "EUR") else f"{currency}{amount}"


def _text(value: Any, language: str) -> str:
    """A plain or per-language value ({en: ..., es: ...}) in a language (or any)."""
    if isinstance(value, Mapping):
        chosen = value.get(language) or next((v for v in value.values() if v), "")
        return str(chosen).strip()
    return str(value).strip() if value is not None else ""


def _ranges(value: Any) -> list[str]:
    """'09:00-14:00' strings of a weekday as '09:00–14:00'."""
    items = value if isinstance(value, list | tuple) else [value] if value else []
    out = []
    for item in items:
        text = str(item).strip()
        if text:
            start, sep, end = text.partition("-")
            out.append(f"{start.strip()}–{end.strip()}" if sep else text)
    return out


def _holiday(value: Any, language: str) -> str:
    """A holiday date in words ('25 December 2025' / '25 de diciembre de 2025')."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    month = _MONTHS[language].split()[day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{day.day} {month} {day.year}"


def _join(items: list[str], labels: Mapping[str, str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {labels['and']} {items[-1]}"


def _week(hours: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """The whole week in one sentence, consecutive equal days grouped and every day named
    ("Monday, Tuesday and Wednesday: 09:00–14:00, 16:00–20:00; Friday: 09:00–15:00; Saturday and
    Sunday: closed."), so a question about the hours gets all of them, never one closed day."""
    shown = []
    for day in WEEKDAYS:
        ranges = _ranges(hours.get(day))
        shown.append(", ".join(ranges) if ranges else labels["closed"].lower())
    groups: list[str] = []
    start = 0
    while start < 7:
        end = start
        while end + 1 < 7 and shown[end + 1] == shown[start]:
            end += 1
        days = _join([labels[d] for d in WEEKDAYS[start : end + 1]], labels)
        groups.append(f"{days}: {shown[start]}")
        start = end + 1
    return f"{labels['hours']}: {'; '.join(groups)}."


def settings_markdown(settings: Mapping[str, Any], language: str, name: str | None = None) -> str:
    """The configured settings as Markdown in one language ('' when nothing is configured)."""
    lang = _lang(language)
    labels = _LABELS[lang]
    currency = str(settings.get("currency") or "€")
    parts: list[str] = []

    contact = []
    for key in ("address", "phone", "email", "website"):
        value = _text(settings.get(key), lang)
        if value:
            contact.append(f"{labels[key]}: {value}.")
    if contact:
        parts.append(f"## {labels['contact']}\n\n" + "\n".join(f"- {c}" for c in contact))

    hours = settings.get("hours")
    if isinstance(hours, Mapping) and any(_ranges(v) for v in hours.values()):
        block = f"## {labels['hours']}\n\n{_week(hours, labels)}"
        holidays = [_holiday(h, lang) for h in settings.get("holidays") or []]
        if holidays:
            block += f"\n\n{labels['holidays']}: {', '.join(holidays)}."
        parts.append(block)

    services = [s for s in settings.get("services") or [] if isinstance(s, Mapping)]
    rows = []
    for service in services:
        title = _text(service.get("name") or service.get("id"), lang)
        price = _money(service.get("price"), currency, labels)
        if not title or price is None:
            continue
        minutes = service.get("minutes")
        length = f"{minutes} {labels['minutes']}" if isinstance(minutes, int) and minutes else ""
        rows.append(f"| {title} | {price} | {length} |")
    if rows:
        head = f"| {labels['service']} | {labels['price']} | {labels['length']} |\n|---|---|---|"
        parts.append(f"## {labels['services']}\n\n{head}\n" + "\n".join(rows))

    fees = []
    for key, value in settings.items():
        if key in _FEE_NAMES or key.endswith("_fee"):
            label = _FEE_NAMES.get(key, {}).get(lang) or key.replace("_", " ").capitalize()
            amount = _money(value, currency, labels)
            if amount:
                fees.append(f"{label}: {amount}.")
    for key, value in (settings.get("fees") or {}).items():
        amount = _money(value, currency, labels)
        if amount:
            fees.append(f"{_text(key, lang).replace('_', ' ').capitalize()}: {amount}.")
    if fees:
        parts.append(f"## {labels['fees']}\n\n" + "\n".join(f"- {f}" for f in fees))

    insurance = settings.get("insurance")
    insurers = (
        [str(v) for v in insurance.values()]
        if isinstance(insurance, Mapping)
        else [str(v) for v in insurance or []]
    )
    if insurers:
        parts.append(
            f"## {labels['insurance']}\n\n{labels['insurers']}: {_join(insurers, labels)}."
        )

    areas = [str(a) for a in settings.get("areas") or []]
    if areas:
        parts.append(f"## {labels['areas']}\n\n{labels['areas']}: {_join(areas, labels)}.")

    faq = []
    for entry in settings.get("faq") or []:
        if not isinstance(entry, Mapping):
            continue
        answer = _text({k: v for k, v in entry.items() if k in ("en", "es")}, lang)
        question = _text(entry.get("question"), lang) or ", ".join(
            str(k) for k in entry.get("keywords") or []
        )
        if answer and question:
            faq.append(f"**{question.rstrip('?')}?**\n{answer}")
    if faq:
        parts.append(f"## {labels['faq']}\n\n" + "\n\n".join(faq))

    if not parts:
        return ""
    title = f"{name} — {labels['title']}" if name else labels["title"]
    return f"# {title}\n\n" + "\n\n".join(parts) + "\n"


def settings_sections(
    settings: Mapping[str, Any],
    languages: Sequence[str] = ("en", "es"),
    name: str | None = None,
    title: str = SETTINGS_TITLE,
) -> tuple[Section, ...]:
    """One Markdown section per served language (en/es), empty when nothing is configured."""
    out = []
    for language in dict.fromkeys(_lang(lang) for lang in languages or ("en",)):
        text = settings_markdown(settings, language, name)
        if text:
            out.append(Section(text, title, markdown=True, language=language))
    return tuple(out)

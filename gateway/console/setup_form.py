"""The onboarding forms as configuration entries: what the owner typed becomes the same dict a
YAML file holds, and is validated by the same schema (`gateway.cli.config_schema`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from werkzeug.datastructures import MultiDict

from flows.hours import WEEKDAYS
from gateway.cli.config_file import ConfigFile, parse_config
from gateway.cli.config_schema import LANGUAGES, TEMPLATES


@dataclass(frozen=True)
class Field:
    """One template setting on the form: its key, label, kind (int, float, text, list)."""

    key: str
    label: str
    kind: str = "int"


@dataclass(frozen=True)
class Template:
    """A template as the owner chooses it: a name, what it does, a sample exchange."""

    id: str
    title: str
    blurb: str
    sample: tuple[tuple[str, str], ...]
    fields: tuple[Field, ...]


CHOICES = (
    Template(
        "dental",
        "Dental clinic",
        "Books, moves and cancels appointments, answers prices and insurance, triages emergencies.",
        (("customer", "Can I book a cleaning on Tuesday?"), ("bot", "Tuesday at 10:00 or 11:30?")),
        (
            Field("slot_minutes", "Appointment length (minutes)"),
            Field("emergency_window_hours", "Emergency window (hours)"),
        ),
    ),
    Template(
        "legal",
        "Legal intake",
        "Qualifies new cases, checks conflicts of interest and books consultations.",
        (("customer", "I was fired last week"), ("bot", "I'm sorry. When did it happen?")),
        (
            Field("consultation_fee", "Consultation fee", "float"),
            Field("slot_minutes", "Consultation length (minutes)"),
        ),
    ),
    Template(
        "restaurant",
        "Restaurant",
        "Takes reservations for the party size and time, within capacity and opening hours.",
        (("customer", "Table for 4 tonight at 9?"), ("bot", "Booked: 4 people, today 21:00.")),
        (
            Field("capacity", "Seats"),
            Field("max_party", "Largest party"),
            Field("seating_minutes", "Minutes per seating"),
        ),
    ),
    Template(
        "real_estate",
        "Real estate",
        "Matches buyers and renters to listings, scores leads and books viewings.",
        (("customer", "2 bedrooms to rent near the centre?"), ("bot", "I have 3; budget?")),
        (
            Field("areas", "Areas you cover (comma separated)", "list"),
            Field("hot_lead_score", "Hot lead score (0-100)"),
        ),
    ),
)
assert tuple(t.id for t in CHOICES) == TEMPLATES
COMMON = (Field("address", "Address", "text"), Field("phone", "Phone", "text"))


def template(template_id: str) -> Template:
    """The template of that id (the first one for an unknown id)."""
    return next((t for t in CHOICES if t.id == template_id), CHOICES[0])


def slug_from(name: str) -> str:
    """A web address from a business name: "Sunrise Dental" -> "sunrise-dental"."""
    folded = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return folded[:62].strip("-")


def snippet(origin: str, slug: str) -> str:
    """The HTML an owner pastes into their site to show the chat widget."""
    return f'<script src="{origin}/widget.js" data-business="{slug}" async></script>'


def _items(raw: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", raw) if part.strip()]


def settings_from_form(
    form: MultiDict[str, str], current: dict[str, Any], fields: tuple[Field, ...]
) -> dict[str, Any]:
    """The business's settings with the form's hours, holidays and fields put in (unparsed: the
    schema checks them and names the field)."""
    out = dict(current)
    hours = {day: _items(form.get(f"hours_{day}", "")) for day in WEEKDAYS}
    out["hours"] = {day: ranges for day, ranges in hours.items() if ranges}
    if not out["hours"]:
        del out["hours"]
    out["holidays"] = [d for d in re.split(r"[\s,]+", form.get("holidays", "")) if d]
    for field in (*COMMON, *fields):
        raw = (form.get(field.key) or "").strip()
        out.pop(field.key, None)
        if raw:
            out[field.key] = _items(raw) if field.kind == "list" else raw
    return out


def validate(entry: dict[str, Any]) -> ConfigFile:
    """The entry checked exactly as `switchboard load` checks a file (ConfigError otherwise)."""
    return parse_config(yaml.safe_dump({"businesses": [entry]}, allow_unicode=True), env={})


def form_values(settings: dict[str, Any], fields: tuple[Field, ...]) -> dict[str, str]:
    """What the settings form shows for the stored settings."""
    hours = settings.get("hours") or {}
    values = {f"hours_{day}": ", ".join(hours.get(day, [])) for day in WEEKDAYS}
    values["holidays"] = "\n".join(str(d) for d in settings.get("holidays", []))
    for field in (*COMMON, *fields):
        value = settings.get(field.key)
        values[field.key] = ", ".join(value) if isinstance(value, list) else str(value or "")
    return values


LANGUAGE_NAMES = {"en": "English", "es": "Español"}
assert set(LANGUAGE_NAMES) == set(LANGUAGES)

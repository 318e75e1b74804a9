"""The schema of a configuration file: businesses, their settings and channels.

Unknown keys are mistakes (a typo would silently lose a setting), except a channel's extra keys,
which are its credentials: `check_channels` holds them to what the provider declares.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
)

from channels import PROVIDERS
from channels.keywords import classify_keyword, normalize_word
from flows.hours import WEEKDAYS, parse_range
from gateway.core.chat_model import validated
from gateway.core.errors import ConfigError

TEMPLATES = ("dental", "legal", "restaurant", "real_estate")
"""What a business may run. The engine's `echo` skeleton is for tests: they pass it explicitly."""
LANGUAGES = ("en", "es")


class ChannelEntry(BaseModel):
    """One channel of a business; every other key is a credential (stored encrypted)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")
    provider: str
    api_base: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("provider")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in PROVIDERS:
            raise ValueError(f"unknown provider {value!r} (known: {', '.join(sorted(PROVIDERS))})")
        return value

    def credentials(self) -> dict[str, str]:
        """The secret keys of this entry."""
        extra = self.model_extra or {}
        return {k: str(v) for k, v in extra.items() if v is not None}


class WeekHours(BaseModel):
    """Opening ranges per weekday ("09:00-14:00"); a missing or empty day is closed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    monday: list[str] = Field(default_factory=list)
    tuesday: list[str] = Field(default_factory=list)
    wednesday: list[str] = Field(default_factory=list)
    thursday: list[str] = Field(default_factory=list)
    friday: list[str] = Field(default_factory=list)
    saturday: list[str] = Field(default_factory=list)
    sunday: list[str] = Field(default_factory=list)

    @field_validator(*WEEKDAYS)
    @classmethod
    def _ranges(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_range(text)
        return value


class Localized(BaseModel):
    """A text in English and/or Spanish."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str | None = None
    es: str | None = None


class ServiceEntry(BaseModel):
    """A service the business books, with its duration and price."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    name: Localized
    minutes: int = Field(default=30, ge=5, le=480)
    price: float | None = Field(default=None, ge=0)


class FaqEntry(BaseModel):
    """A question the bot answers when any keyword appears (until a knowledge base exists)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keywords: list[str] = Field(min_length=1)
    en: str | None = None
    es: str | None = None


class JoinKeyword(BaseModel):
    """A word a campaign asks customers to send ("Send OFERTAS to get our offers"): sending it
    grants marketing consent, recorded with `wording`, the campaign's exact words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keyword: str = Field(min_length=2, max_length=30)
    wording: str = Field(min_length=10, max_length=500)
    language: str = "en"

    @field_validator("keyword")
    @classmethod
    def _one_free_word(cls, value: str) -> str:
        word = normalize_word(value)
        if not word or len(value.split()) != 1:
            raise ValueError("a join keyword is one word")
        if classify_keyword(word) is not None:
            raise ValueError(f"{value!r} is already STOP/START/HELP (or a variant)")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        return value


class MatterEntry(BaseModel):
    """An existing legal matter, for the conflict-of-interest check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_name: str = Field(min_length=2)
    parties: list[str] = Field(default_factory=list)
    practice_area: str = ""


class BusinessSettings(BaseModel):
    """The template settings of a business; an unknown key is reported, not kept."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hours: WeekHours | None = None
    holidays: list[date] = Field(default_factory=list)
    slot_minutes: int = Field(default=30, ge=5, le=240)
    form_expiry_minutes: int = Field(default=30, ge=1, le=1440)
    services: list[ServiceEntry] = Field(default_factory=list)
    resources: list[str] = Field(default_factory=list)
    capacity: int | None = Field(default=None, ge=1)
    seating_minutes: int = Field(default=90, ge=15, le=480)
    max_party: int = Field(default=10, ge=1)
    insurance: dict[str, str] = Field(default_factory=dict)
    consultation_fee: float | None = Field(default=None, ge=0)
    intake_questions: list[Localized] = Field(default_factory=list, max_length=3)
    areas: list[str] = Field(default_factory=list)
    hot_lead_score: int = Field(default=70, ge=0, le=100)
    listings_csv: str | None = None
    matters: list[MatterEntry] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    emergency_window_hours: int = Field(default=24, ge=1, le=168)
    address: str | None = None
    phone: str | None = None
    retention_days: int | None = Field(default=None, ge=1, le=36500)  # gateway.rights.retention
    help_contact: str | None = None
    join_keywords: list[JoinKeyword] = Field(default_factory=list)  # gateway.messaging.keywords
    frustration_threshold: float | None = Field(default=None, ge=0, le=1)
    # checked where they are used (gateway.bot.escalation, gateway.handoff.notify, outreach)
    handoff: dict[str, Any] | None = None
    staff_notify: dict[str, Any] | list[dict[str, Any]] | None = None
    reminders: dict[str, Any] | None = None
    outreach: dict[str, Any] | None = None
    chat_model: str | None = None  # gateway.bot.llm: provider:model, model@URL, or off

    @field_validator("chat_model")
    @classmethod
    def _chat_model(cls, value: str | None) -> str | None:
        return validated(value)


class BusinessEntry(BaseModel):
    """One business: who it is, its template, where it is, how it talks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    name: str = Field(min_length=1, max_length=200)
    template: str
    timezone: str = "UTC"
    country: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)
    api_token: str | None = Field(default=None, min_length=16)
    settings: BusinessSettings = Field(default_factory=BusinessSettings)
    channels: list[ChannelEntry] = Field(default_factory=list)

    @field_validator("template")
    @classmethod
    def _template(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("templates", TEMPLATES)
        if value not in known:
            raise ValueError(f"unknown template {value!r} (known: {', '.join(known)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}") from None
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for lang in value:
            if lang not in LANGUAGES:
                raise ValueError(
                    f"unsupported language {lang!r} (supported: {', '.join(LANGUAGES)})"
                )
        return value


class ConfigFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    businesses: list[BusinessEntry]
    _source_dir: Path | None = PrivateAttr(default=None)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if found := _model_of(arg):
            return found
    return None


def suggest(loc: tuple[int | str, ...]) -> str:
    """`(did you mean 'holidays'?)` for an unknown key at `loc`, from the keys allowed there."""
    model: type[BaseModel] | None = ConfigFile
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        model = _model_of(field.annotation) if field else None
    known = list(model.model_fields) if model else []
    if model is ChannelEntry:
        known += [k for p in PROVIDERS.values() for k in (*p.credentials, *p.optional_credentials)]
    return did_you_mean(str(loc[-1]), known)


def did_you_mean(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_channels(config: ConfigFile) -> None:
    """Each channel has the credentials its provider needs and no key the provider does not know."""
    for b, business in enumerate(config.businesses):
        for c, channel in enumerate(business.channels):
            where = f"businesses[{b}].channels[{c}]"
            provider = PROVIDERS[channel.provider]
            allowed = [*provider.credentials, *provider.optional_credentials]
            for key in channel.model_extra or {}:
                if key not in allowed:
                    hint = did_you_mean(key, allowed + list(ChannelEntry.model_fields))
                    raise ConfigError(f"{where}.{key}: unknown key{hint}")
            given = channel.credentials()
            for key in provider.credentials:
                if not given.get(key):
                    raise ConfigError(
                        f"{where}.{key}: missing ({channel.provider} needs "
                        f"{', '.join(provider.credentials)})"
                    )

"""The conversation file format: reading and validating one file (the README, "Conversation
tests", documents it), and the chains that `follows` makes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from channels.base import Network

CHANNELS = tuple(network.value for network in Network)
TURN_KEYS = frozenset({"say", "press", "at", "expect"})
EXPECT_KEYS = frozenset(
    {"contains", "contains_any", "not_contains", "language", "register", "handoff", "no_reply"}
)
RECORD_KINDS = ("appointments", "reservations", "viewings", "leads", "intake_cases")
OUTCOME_KEYS = frozenset(
    {*RECORD_KINDS, "count", "handoff", "facts", "no_facts", "consent", "scheduled"}
)
TOP_KEYS = frozenset(
    {"name", "business", "channel", "start", "customer", "follows", "required", "turns", "outcome"}
)


class FormatError(ValueError):
    """A conversation file that does not follow the format."""


@dataclass(frozen=True)
class Turn:
    """One customer message (or button press) and what must hold after it."""

    say: str | None
    press: str | None
    at: datetime | None
    expect: Mapping[str, Any]


@dataclass(frozen=True)
class Spec:
    """One conversation file."""

    name: str
    business: str
    channel: str
    start: datetime
    customer: Mapping[str, Any]
    follows: str | None
    required: bool
    turns: tuple[Turn, ...]
    outcome: Mapping[str, Any]
    path: Path


def _instant(value: Any, where: str) -> datetime:
    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise FormatError(f"{where}: not an ISO date-time: {value!r}") from exc
    if dt.tzinfo is None:
        raise FormatError(f"{where}: needs a UTC offset, e.g. 2026-03-10T10:00:00+01:00")
    return dt


def _unknown(keys: Iterable[str], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise FormatError(f"{where}: unknown key(s) {', '.join(extra)}")


def load_spec(path: Path) -> Spec:
    """Read and validate one conversation file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FormatError(f"{path}: not YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise FormatError(f"{path}: a conversation is a mapping")
    _unknown(data, TOP_KEYS, str(path))
    for key in ("name", "business", "start", "turns"):
        if key not in data:
            raise FormatError(f"{path}: missing {key!r}")
    channel = str(data.get("channel") or "webchat")
    if channel not in CHANNELS:
        raise FormatError(f"{path}: channel must be one of {', '.join(CHANNELS)}")
    turns = []
    for i, raw in enumerate(data["turns"] or ()):
        where = f"{path}: turns[{i}]"
        if not isinstance(raw, dict):
            raise FormatError(f"{where}: a turn is a mapping")
        _unknown(raw, TURN_KEYS, where)
        if ("say" in raw) == ("press" in raw):
            raise FormatError(f"{where}: needs exactly one of say / press")
        expect = raw.get("expect") or {}
        _unknown(expect, EXPECT_KEYS, f"{where}.expect")
        turns.append(
            Turn(
                say=None if raw.get("say") is None else str(raw["say"]),
                press=None if raw.get("press") is None else str(raw["press"]),
                at=_instant(raw["at"], f"{where}.at") if raw.get("at") else None,
                expect=expect,
            )
        )
    outcome = data.get("outcome") or {}
    _unknown(outcome, OUTCOME_KEYS, f"{path}: outcome")
    return Spec(
        name=str(data["name"]),
        business=str(data["business"]),
        channel=channel,
        start=_instant(data["start"], f"{path}: start"),
        customer=dict(data.get("customer") or {}),
        follows=str(data["follows"]) if data.get("follows") else None,
        required=bool(data.get("required", True)),
        turns=tuple(turns),
        outcome=outcome,
        path=path,
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def chain(spec: Spec, by_name: Mapping[str, Spec]) -> list[Spec]:
    """The conversations `spec` follows, oldest first, then `spec`."""
    out = [spec]
    seen = {spec.name}
    while out[0].follows:
        earlier = by_name.get(out[0].follows)
        if earlier is None:
            raise FormatError(f"{out[0].path}: follows {out[0].follows!r}, which is not loaded")
        if earlier.name in seen:
            raise FormatError(f"{spec.path}: a loop of follows")
        seen.add(earlier.name)
        out.insert(0, earlier)
    return out


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files and folders (every *.yaml under a folder), sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.y*ml") if p.is_file()))
        else:
            out.append(path)
    return out

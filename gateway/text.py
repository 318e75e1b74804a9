"""Splitting long replies at word boundaries to a channel's limit."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Split `text` into parts of at most `limit` characters, breaking at lines or words."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit + 1), text.rfind(" ", 0, limit + 1))
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts

"""Text helpers every provider shares: grapheme-safe splitting, SMS segments, numbered options.

Splitting never cuts inside a word when a break exists, and never inside a grapheme cluster
(an emoji with its modifiers, a letter with its combining accents): `regex`'s `\\X` finds them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from channels.base import Button

_GRAPHEME = regex.compile(r"\X")
_NUMBERED_REPLY = regex.compile(r"^\s*#?\s*(\d{1,3})\s*[.)]?\s*$")

# GSM 03.38: the basic table (one septet each) and the extension table (escape + septet).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

Cost = Callable[[str], int]


def graphemes(text: str) -> list[str]:
    """Return the user-perceived characters of `text`."""
    return _GRAPHEME.findall(text)


def utf16_units(text: str) -> int:
    """Count UTF-16 code units, the unit Telegram and most APIs measure lengths in."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, cost: Cost = utf16_units) -> list[str]:
    """Split `text` into chunks of at most `limit` (by `cost`), at paragraph, line or word breaks.

    A single word longer than the limit is cut between graphemes, never inside one.
    Whitespace at a break is dropped; an empty or blank text gives no chunks.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if not text:
        return []
    if cost(text) <= limit:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for g in graphemes(text):
        g_cost = cost(g)
        if used + g_cost > limit and current:
            if g.isspace():
                _emit(chunks, current)
                current, used = [], 0
                continue
            keep, carry = _break_point(current, limit)
            _emit(chunks, keep)
            current = _lstrip(carry)
            used = sum(cost(c) for c in current)
        if not current and g.isspace():
            continue
        current.append(g)
        used += g_cost
    _emit(chunks, current)
    return chunks


def _break_point(current: list[str], limit: int) -> tuple[list[str], list[str]]:
    """Choose where to cut: the last paragraph/line break in the second half, else a space."""
    newline = _last_index(current, lambda g: "\n" in g)
    if newline is not None and newline >= len(current) // 2:
        return current[:newline], current[newline + 1 :]
    space = _last_index(current, str.isspace)
    if space is not None and space > 0:
        return current[:space], current[space + 1 :]
    return current, []


def _last_index(items: list[str], pred: Callable[[str], bool]) -> int | None:
    for i in range(len(items) - 1, -1, -1):
        if pred(items[i]):
            return i
    return None


def _lstrip(items: list[str]) -> list[str]:
    i = 0
    while i < len(items) and items[i].isspace():
        i += 1
    return items[i:]


def _emit(chunks: list[str], items: list[str]) -> None:
    chunk = "".join(items).strip()
    if chunk:
        chunks.append(chunk)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Shorten `text` to at most `limit` characters (code points) without breaking a grapheme."""
    if len(text) <= limit:
        return text
    out = ""
    for g in graphemes(text):
        if len(out) + len(g) + len(ellipsis) > limit:
            break
        out += g
    return out.rstrip() + ellipsis


# --- SMS -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsInfo:
    """How an SMS body travels: its encoding, its size in that encoding's units, its segments."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character of `text` exists in the GSM-7 alphabet (with extensions)."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def gsm7_units(text: str) -> int:
    """Septets `text` takes in GSM-7: extension characters take two."""
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def sms_info(text: str) -> SmsInfo:
    """Count the segments an SMS body is billed as (0 for an empty body)."""
    if not text:
        return SmsInfo("GSM-7", 0, 0)
    if is_gsm7(text):
        sizes = [2 if c in GSM7_EXTENDED else 1 for c in text]
        return SmsInfo("GSM-7", sum(sizes), _pack(sizes, GSM7_SINGLE, GSM7_PART))
    sizes = [utf16_units(c) for c in text]
    return SmsInfo("UCS-2", sum(sizes), _pack(sizes, UCS2_SINGLE, UCS2_PART))


def sms_segments(text: str) -> int:
    """Return how many SMS segments `text` needs."""
    return sms_info(text).segments


def _pack(sizes: list[int], single: int, part: int) -> int:
    """Greedy segment packing; an escape pair or surrogate pair never straddles two parts."""
    if sum(sizes) <= single:
        return 1
    segments, used = 1, 0
    for size in sizes:
        if used + size > part:
            segments, used = segments + 1, 0
        used += size
    return segments


def split_sms(text: str, max_segments: int = 10) -> list[str]:
    """Split `text` into SMS bodies of at most `max_segments` segments each, at word breaks."""
    if max_segments < 1:
        raise ValueError("max_segments must be positive")
    if is_gsm7(text):
        cost: Cost = gsm7_units
        limit = GSM7_SINGLE if max_segments == 1 else GSM7_PART * max_segments
    else:
        cost = utf16_units
        limit = UCS2_SINGLE if max_segments == 1 else UCS2_PART * max_segments
    while True:
        chunks = split_text(text, limit, cost)
        if all(sms_segments(c) <= max_segments for c in chunks) or limit <= 8:
            return chunks
        limit -= max(1, limit // 50)  # an escape pair at a part boundary cost a septet


# --- Buttons as numbered options -------------------------------------------------------------


def numbered_options(buttons: Sequence[Button]) -> str:
    """Render buttons as "1. Yes\\n2. No" for channels without native buttons."""
    return "\n".join(f"{i}. {b.title}" for i, b in enumerate(buttons, start=1))


def with_numbered_options(text: str, buttons: Sequence[Button]) -> str:
    """Append the numbered options to `text` (separated by a blank line)."""
    if not buttons:
        return text
    options = numbered_options(buttons)
    return f"{text.rstrip()}\n\n{options}" if text.strip() else options


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def pick_numbered_option(reply: str, buttons: Sequence[Button]) -> Button | None:
    """Map a reply like "2", "2.", "#2" or an option's exact title back to the option it chose."""
    match = _NUMBERED_REPLY.match(reply or "")
    if match:
        index = int(match.group(1))
        return buttons[index - 1] if 1 <= index <= len(buttons) else None
    folded = _fold(reply or "")
    if not folded:
        return None
    for button in buttons:
        if _fold(button.title) == folded:
            return button
    return None

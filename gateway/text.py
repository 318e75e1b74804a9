"""Text splitting for the gateway: the grapheme-safe splitter the channels use.

Kept as a module so older imports still work; `channels.text` is the one implementation.
"""

from __future__ import annotations

from channels.text import split_sms, split_text, truncate

__all__ = ["split_sms", "split_text", "truncate"]

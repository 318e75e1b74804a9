"""Per-business API tokens for the admin API."""

from __future__ import annotations

import hashlib
import hmac


def hash_token(token: str) -> str:
    """Store only a digest of an API token (tokens are long random strings, so SHA-256 fits)."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str | None) -> bool:
    """Constant-time check of a presented token against the stored digest."""
    return bool(stored_hash) and hmac.compare_digest(hash_token(token), stored_hash or "")

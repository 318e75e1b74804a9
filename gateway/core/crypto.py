"""Channel credentials are stored encrypted with a key derived from SWITCHBOARD_SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken

from gateway.core.errors import ConfigError


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"switchboard-credentials:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_credentials(secret_key: str, credentials: dict[str, str]) -> str:
    """Encrypt a channel's credentials for storage."""
    return _fernet(secret_key).encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()


def decrypt_credentials(secret_key: str, token: str) -> dict[str, str]:
    """Decrypt stored credentials; a wrong key is a configuration error, never a crash."""
    if not token:
        return {}
    try:
        data = json.loads(_fernet(secret_key).decrypt(token.encode()))
    except InvalidToken:
        raise ConfigError(
            "SWITCHBOARD_SECRET_KEY: cannot decrypt stored channel credentials "
            "(was the key changed?)"
        ) from None
    return {str(k): str(v) for k, v in data.items()}

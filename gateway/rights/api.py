"""Export and erasure through the admin API, with the business's own bearer token.

- `GET /api/v1/contacts/<ref>/export`: the export document (`gateway.rights.export`).
- `POST /api/v1/contacts/<ref>/erase` with `{"confirm": "<ref>"}` (the same reference again,
  so a stray call cannot erase anyone): what was removed, by kind.

`<ref>` is a contact id, a phone number or an identity address. Another business's contact is
a 404, like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from sqlmodel import select

from gateway.core.auth import hash_token, token_matches
from gateway.core.db import session_scope
from gateway.core.errors import NotFound
from gateway.core.runtime import Runtime, runtime_of
from gateway.rights import service
from gateway.store.models import Business

bp = Blueprint("rights_api", __name__, url_prefix="/api/v1/contacts")
MAX_REF = 128


def _rt() -> Runtime:
    return runtime_of(current_app)


def _business_slug() -> str:
    """The slug of the business whose token authorizes this request (401 otherwise)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    business = None
    if token:
        with session_scope(_rt().engine) as session:
            business = session.exec(
                select(Business).where(Business.api_token_hash == hash_token(token))
            ).first()
    if business is None or not token_matches(token, business.api_token_hash):
        abort(401, "a valid API token is required")
    return business.slug


def _ref(ref: str) -> str:
    if not ref.strip() or len(ref) > MAX_REF:
        abort(404, "no such contact")
    return ref


@bp.get("/<path:ref>/export")
def export(ref: str) -> Any:
    """The contact's export document."""
    slug = _business_slug()
    try:
        return jsonify(service.export(_rt(), slug, _ref(ref), via="api"))
    except NotFound:
        abort(404, "no such contact")


@bp.post("/<path:ref>/erase")
def erase(ref: str) -> Any:
    """Erase the contact, when the body confirms the same reference."""
    slug = _business_slug()
    body = request.get_json(silent=True)
    confirm = body.get("confirm") if isinstance(body, dict) else None
    if confirm != ref:
        abort(400, 'confirm the erasure with {"confirm": "<the same contact reference>"}')
    try:
        counts = service.erase(_rt(), slug, _ref(ref), via="api")
    except NotFound:
        abort(404, "no such contact")
    return jsonify(erased=True, counts=counts)

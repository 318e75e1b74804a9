"""Connecting channels in the console (owners only): one form per provider that can be connected
by hand, built from its `Setup` (the same checks and wiring as `switchboard channel add`); the
result says what to paste where. Secrets are never shown back."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request
from sqlmodel import col, select

from channels.base import SetupError
from gateway.console import security
from gateway.core.db import session_scope
from gateway.messaging.channel_setup import Connected, connect_channel, setups
from gateway.messaging.providers import webhook_url
from gateway.store.models import Business, Channel

bp = Blueprint("channels", __name__, url_prefix="/console/setup/channels")


@bp.before_request
def _owner_only() -> Any:
    """CSRF on every POST; a signed-in owner on every page (an agent gets 403)."""
    return security.require_owner()


def _page(
    done: Connected | None = None, error: str | None = None, failed: str | None = None
) -> Any:
    with session_scope(g.rt.engine) as db:
        rows = db.exec(
            select(Channel).where(Channel.business_id == g.business.id).order_by(col(Channel.id))
        ).all()
        existing = [(row.id, row.provider, webhook_url(g.rt.settings, row)) for row in rows]
    page = render_template(
        "console/setup_channels.html",
        setups=setups(),
        existing=existing,
        done=done,
        error=error,
        failed=failed,
        business=g.business,
        staff=g.staff,
    )
    return page, 400 if error else 200


@bp.get("/")
def index() -> Any:
    """The business's channels and a form for each provider that can be connected."""
    return _page()


@bp.post("/<provider>")
def connect(provider: str) -> Any:
    """Connect (or update) one channel; on a refusal nothing is stored and the form says why."""
    if provider not in setups():
        abort(404)
    fields = setups()[provider].fields
    values = {f.key: (request.form.get(f.key) or "").strip() for f in fields}
    api_base = (request.form.get("api_base") or "").strip() or None
    try:
        with session_scope(g.rt.engine) as db:
            business = db.get(Business, g.business.id)
            assert business is not None
            done = connect_channel(db, g.rt.settings, business, provider, values, api_base=api_base)
    except SetupError as exc:
        return _page(error=str(exc), failed=provider)
    return _page(done=done)

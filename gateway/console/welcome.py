"""The first-run page: whoever runs the server creates their own business and owner account in
the browser, without YAML or the command line. `switchboard run` prints its address, which
carries a key derived from the secret key (`security.welcome_key`); without it the page is 404."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from gateway.console import security
from gateway.console import setup_form as forms
from gateway.console.onboarding import Refused, create_business, new_entry
from gateway.console.staff import hash_password, normalize_email
from gateway.core.runtime import runtime_of

bp = Blueprint("welcome", __name__, url_prefix="/console/welcome")

MIN_PASSWORD = 10


def _check_key() -> str:
    """The page's key from the address, or 404 (the page does not exist for anyone else)."""
    key = request.args.get("key") or ""
    expected = security.welcome_key(runtime_of(current_app).settings.secret_key)
    if not hmac.compare_digest(key.encode(), expected.encode()):
        abort(404)
    return key


def _page(key: str, values: dict[str, Any], error: str | None = None, status: int = 200) -> Any:
    page = render_template(
        "console/welcome.html",
        key=key,
        templates=forms.CHOICES,
        languages=forms.LANGUAGE_NAMES,
        values=values,
        error=error,
        min_password=MIN_PASSWORD,
    )
    return page, status


@bp.get("/")
def form() -> Any:
    """Your business (a template, a name, languages, a time zone) and your owner account."""
    return _page(_check_key(), {"timezone": "UTC", "languages": ["en"]})


@bp.post("/")
def create() -> Any:
    """Create the business with a web chat and its owner, sign the owner in, go to settings."""
    key = _check_key()
    security.check_csrf()
    entry = new_entry(request.form)
    values = {**entry, "email": request.form.get("email", "")}
    email = normalize_email(request.form.get("email") or "")
    password = request.form.get("password") or ""
    if "@" not in email or len(email) > 255:
        return _page(key, values, "email: give the address you will sign in with", 400)
    if len(password) < MIN_PASSWORD:
        return _page(key, values, f"password: at least {MIN_PASSWORD} characters", 400)
    rt = runtime_of(current_app)
    created = create_business(rt, entry, email, hash_password(password))
    if isinstance(created, Refused):
        return _page(key, values, created.error, created.status)
    security.sign_in(created.owner_id, created.business_id, 0)
    return redirect(url_for("onboarding.settings", created=1))

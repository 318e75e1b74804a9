"""Onboarding in the console (owners only): create a business from a template, then its settings
in forms checked by the configuration file's own schema, a test chat, and the YAML export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import select

from gateway.cli.config_export import business_entry, export_yaml
from gateway.cli.config_file import apply_config
from gateway.console import security
from gateway.console import setup_form as forms
from gateway.core.db import session_scope
from gateway.core.errors import ConfigError
from gateway.core.runtime import Runtime
from gateway.messaging.providers import hosted_providers
from gateway.store.models import Business, StaffUser

bp = Blueprint("onboarding", __name__, url_prefix="/console/setup")


@bp.before_request
def _owner_only() -> Any:
    """CSRF on every POST; a signed-in owner on every page (an agent gets 403)."""
    return security.require_owner()


def new_entry(form: Any) -> dict[str, Any]:
    """The configuration entry of a new business from the template form."""
    name = (form.get("name") or "").strip()
    slug = (form.get("slug") or "").strip().lower() or forms.slug_from(name)
    return {
        "slug": slug,
        "name": name,
        "template": form.get("template") or "",
        "timezone": (form.get("timezone") or "UTC").strip(),
        "country": (form.get("country") or "US").strip().upper(),
        "languages": form.getlist("languages") or ["en"],
        "channels": [{"id": f"{slug}-web"[:64], "provider": hosted_providers()[0]}],
    }


def _choose(
    error: str | None = None, values: dict[str, Any] | None = None, status: int = 200
) -> Any:
    page = render_template(
        "console/setup_new.html",
        templates=forms.CHOICES,
        languages=forms.LANGUAGE_NAMES,
        error=error,
        values=values or {"timezone": g.business.timezone, "languages": ["en"]},
        business=g.business,
        staff=g.staff,
    )
    return page, status


@bp.get("/")
def choose() -> Any:
    """Step 1: a template (with a sample exchange), a name, languages and a time zone."""
    return _choose()


@bp.post("/")
def create() -> Any:
    """Create the business, make the owner its owner too, and continue in it."""
    entry = new_entry(request.form)
    created = create_business(g.rt, entry, g.staff.email, g.staff.password_hash)
    if isinstance(created, Refused):
        return _choose(created.error, entry, created.status)
    security.sign_in(created.owner_id, created.business_id, 0)
    return redirect(url_for("onboarding.settings", created=1))


@dataclass(frozen=True)
class Created:
    """A new business and its owner's account."""

    owner_id: int
    business_id: int


@dataclass(frozen=True)
class Refused:
    """Why a new business was not created, and the HTTP status to answer with."""

    error: str
    status: int


def create_business(
    rt: Runtime, entry: dict[str, Any], email: str, password_hash: str
) -> Created | Refused:
    """Create a business from a form entry (checked by the config schema) with its owner."""
    try:
        config = forms.validate(entry)
    except ConfigError as exc:
        return Refused(str(exc).removeprefix("businesses[0]."), 400)
    with session_scope(rt.engine) as db:
        if db.exec(select(Business).where(Business.slug == entry["slug"])).first():
            return Refused(f"slug: {entry['slug']!r} is taken; choose another", 409)
        apply_config(db, config, rt.settings.secret_key)
        business = db.exec(select(Business).where(Business.slug == entry["slug"])).one()
        assert business.id is not None
        owner = StaffUser(
            business_id=business.id, email=email, password_hash=password_hash, role="owner"
        )
        db.add(owner)
        db.flush()
        assert owner.id is not None
        return Created(owner.id, business.id)


def _settings_page(values: dict[str, str], error: str | None, status: int = 200) -> Any:
    choice = forms.template(g.business.template)
    origin = g.rt.settings.public_url.rstrip("/")
    page = render_template(
        "console/setup_settings.html",
        choice=choice,
        fields=(*forms.COMMON, *choice.fields),
        values=values,
        error=error,
        saved=request.method == "POST" and error is None,
        created=request.args.get("created") == "1",
        snippet=forms.snippet(origin, g.business.slug),
        business=g.business,
        staff=g.staff,
    )
    return page, status


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> Any:
    """Step 2: hours with holidays and the template's key settings; a test chat beside them."""
    choice = forms.template(g.business.template)
    if request.method == "GET":
        return _settings_page(forms.form_values(g.business.settings, choice.fields), None)
    with session_scope(g.rt.engine) as db:
        business = db.get(Business, g.business.id)
        assert business is not None
        entry = business_entry(db, business, g.rt.settings.secret_key)
        entry.pop("channels", None)  # channels are left as they are
        entry["settings"] = forms.settings_from_form(request.form, business.settings, choice.fields)
        try:
            config = forms.validate(entry)
        except ConfigError as exc:
            values = {k: str(v) for k, v in request.form.items()}
            return _settings_page(values, str(exc).removeprefix("businesses[0]."), 400)
        apply_config(db, config, g.rt.settings.secret_key)
        g.business = business
        values = forms.form_values(business.settings, choice.fields)
    return _settings_page(values, None)


@bp.get("/export.yaml")
def export() -> Response:
    """The business as a configuration file (`switchboard load` reads it back unchanged)."""
    with session_scope(g.rt.engine) as db:
        business = db.get(Business, g.business.id)
        assert business is not None
        text = export_yaml(db, business, g.rt.settings.secret_key)
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{g.business.slug}.yaml"'},
    )

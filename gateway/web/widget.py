"""The chat's pages: the hosted page `/chat/<slug>`, the panel the widget frames, `widget.js`.

`widget.js` (on the business's site) draws a launcher bubble in a shadow root and opens the
panel in an iframe served from the gateway: the site's styles cannot reach it, and its requests
are same-origin. The visitor is a signed token kept in the panel's localStorage
(`web.visitors`), because the site is another origin where the gateway's cookie is not sent.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, current_app, render_template, request, send_from_directory

from gateway.core.runtime import runtime_of
from gateway.rights.ask import YES, offer_label
from gateway.store.models import Business, Channel
from gateway.web import cors, visitors
from gateway.web.chat import webchat

HERE = Path(__file__).parent
bp = Blueprint("widget", __name__, static_folder="static", static_url_path="/chat-static")


@cache
def _texts() -> dict[str, dict[str, str]]:
    with (HERE / "texts.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {str(k): {str(lang): str(t) for lang, t in v.items()} for k, v in data.items()}


def language(business: Business) -> str:
    """The interface language: `?lang=`, else the browser's best among the business's own."""
    spoken = [lang for lang in business.languages if lang in ("en", "es")] or ["en"]
    asked = request.args.get("lang")
    if asked in spoken:
        return str(asked)
    return str(request.accept_languages.best_match(spoken, default=spoken[0]))


def strings(business: Business, channel: Channel, lang: str) -> dict[str, str]:
    """Every interface string in `lang`, with the business's own greeting when it has one."""
    out = {key: v.get(lang, v["en"]).format(business=business.name) for key, v in _texts().items()}
    greeting = channel.settings.get("greeting")
    if isinstance(greeting, dict) and isinstance(greeting.get(lang), str):
        out["greeting"] = greeting[lang]
    elif isinstance(greeting, str):
        out["greeting"] = greeting
    out["consent_offer"] = offer_label(business, lang)
    return out


def _render(slug: str, embedded: bool) -> Response:
    business, channel = webchat(runtime_of(current_app), slug)
    lang = language(business)
    config = {
        "slug": business.slug,
        "base": f"/chat/{business.slug}",
        "embedded": embedded,
        "lang": lang,
        "business": business.name,
        "strings": strings(business, channel, lang),
        "consent_payload": YES,
    }
    html = render_template("chat.html", business=business, config=config, lang=lang)
    response = Response(html, mimetype="text/html")
    ancestors = cors.frame_ancestors(cors.allowed_origins(channel.settings))
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        f"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors {ancestors}"
    )
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.get("/chat/<slug>")
def page(slug: str) -> Response:
    """The chat page a customer opens (the visitor also gets the page's cookie)."""
    visitors.cookie_visitor(create=True)
    return _render(slug, embedded=False)


@bp.get("/chat/<slug>/widget")
def panel(slug: str) -> Response:
    """The chat panel `widget.js` shows in an iframe on the business's own site."""
    return _render(slug, embedded=True)


@bp.get("/widget.js")
def widget_js() -> Any:
    """The embeddable script: `<script src=".../widget.js" data-business="slug" async>`."""
    response = send_from_directory(HERE / "static", "widget.js", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response

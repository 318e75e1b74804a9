"""The Flask application factory: webhooks, web chat, health; no module-level app."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from gateway.analytics import console as analytics_console
from gateway.analytics import web as metrics_web
from gateway.console.channels import bp as channels_bp
from gateway.console.documents import bp as documents_bp
from gateway.console.onboarding import bp as onboarding_bp
from gateway.console.team import bp as team_bp
from gateway.console.team import join_bp
from gateway.console.teamwork import bp as teamwork_bp
from gateway.console.views import bp as console_bp
from gateway.console.welcome import bp as welcome_bp
from gateway.core.logs import setup_logging
from gateway.core.runtime import EXTENSION, Runtime
from gateway.core.settings import Settings, load_settings
from gateway.kb import admin
from gateway.rights import api as rights_api
from gateway.rights import console as rights_console
from gateway.web import chat, hardening, health, streams, webhooks, widget

MAX_BODY = 1024 * 1024


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    """Build the web application around one runtime (database, Redis, queues)."""
    settings = settings or (runtime.settings if runtime else load_settings())
    setup_logging(settings.log_level)
    rt = runtime or Runtime.build(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_BODY,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 30,
    )
    app.extensions[EXTENSION] = rt

    hardening.install(app)
    metrics_web.install(app)
    streams.install(
        app,
        settings.max_streams,
        settings.max_streams_per_address,
        settings.max_streams_per_visitor,
    )
    app.register_blueprint(health.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(chat.bp)
    app.register_blueprint(widget.bp)
    app.register_blueprint(console_bp)
    app.register_blueprint(analytics_console.bp)
    app.register_blueprint(onboarding_bp)
    app.register_blueprint(welcome_bp)
    app.register_blueprint(channels_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(teamwork_bp)
    app.register_blueprint(join_bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(rights_api.bp)
    app.register_blueprint(rights_console.bp)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _http_error(exc: HTTPException) -> Any:
    """Every HTTP error as a short JSON body with the right status."""
    return jsonify(error=exc.name, detail=exc.description), exc.code or 500

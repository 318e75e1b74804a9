"""Console pages: sign in, the live inbox, a conversation with reply, take, resolve, return.

Every query filters on the signed-in staff member's business: another business's conversation
is a 404, never a 403 (its existence is not revealed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from sqlmodel import Session, col, select

from gateway.analytics import csat
from gateway.console import security, wording
from gateway.console.filters import InboxFilter, channels, parse_filter
from gateway.console.queries import (
    conversation_events,
    fact_text,
    inbox_items,
    recent_conversations,
    state_json,
    transcript,
)
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime, runtime_of
from gateway.handoff import lifecycle as handoffs
from gateway.handoff.requests import open_handoff
from gateway.handoff.summary import priority_label
from gateway.messaging.live import business_topic, conversation_topic, event_stream, publish
from gateway.messaging.outbound import enqueue_send
from gateway.store.models import (
    Contact,
    Conversation,
    ConversationState,
    Handoff,
    ProfileFact,
)
from gateway.web import streams
from gateway.web.hardening import arg_id

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

STREAM_SECONDS = 55
MAX_REPLY = 4096
_PUBLIC = {"console.login", "console.static"}


@bp.before_request
def _guard() -> Any:
    """CSRF on every POST; a staff session on every page but sign-in."""
    if request.endpoint in _PUBLIC:
        if request.method == "POST":
            security.check_csrf()
        return None
    if request.endpoint == "console.events" and security.signed_in() is None:
        abort(401)
    return security.require_staff()


@bp.app_context_processor
def _template_globals() -> dict[str, Any]:
    return {"csrf_token": security.csrf_token}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The sign-in form; failed attempts per e-mail and address are limited."""
    if request.method == "GET":
        if security.signed_in() is not None:
            return redirect(url_for("console.inbox"))
        return render_template("console/login.html", error=None, email="")
    rt = runtime_of(current_app)
    email = (request.form.get("email") or "").strip()[:255]
    password = request.form.get("password") or ""
    if security.login_blocked(rt.redis, email):
        error = "Too many attempts. Wait a few minutes and try again."
        return render_template("console/login.html", error=error, email=email), 429
    from gateway.console.staff import authenticate

    with session_scope(rt.engine) as db:
        user = authenticate(db, email, password) if email and password else None
    if user is None or user.id is None:
        security.login_failed(rt.redis, email)
        error = "Wrong e-mail or password."
        return render_template("console/login.html", error=error, email=email), 401
    security.login_succeeded(rt.redis, email)
    security.sign_in(user.id, user.business_id, user.session_epoch)
    return redirect(security.safe_next(request.args.get("next")) or url_for("console.inbox"))


@bp.post("/logout")
def logout() -> Any:
    """Sign out, here and on every other device (the session epoch moves on)."""
    security.revoke_sessions(g.rt.engine, g.staff.id)
    security.sign_out()
    return redirect(url_for("console.login"))


@bp.get("/")
def inbox() -> Any:
    """Conversations waiting for or with a person, most urgent and longest waiting first."""
    f = parse_filter(request.args)
    with session_scope(g.rt.engine) as db:
        items = inbox_items(db, g.business.id, f, g.staff.id)
        recent = recent_conversations(db, g.business.id, f)
        networks = channels(db, g.business.id)
    return render_template(
        "console/inbox.html",
        items=items,
        recent=recent,
        f=f,
        networks=networks,
        business=g.business,
        staff=g.staff,
    )


def business_conversation(db: Session, conv_id: int) -> Conversation:
    """The staff member's business's conversation, or 404."""
    conv = db.exec(
        select(Conversation).where(
            Conversation.id == conv_id, Conversation.business_id == g.business.id
        )
    ).first()
    if conv is None:
        abort(404, "no such conversation")
    return conv


@bp.get("/c/<int:conv_id>")
def conversation(conv_id: int) -> Any:
    """The transcript, who the customer is, the handoff summary, and the actions."""
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        contact = db.get(Contact, conv.contact_id)
        assert contact is not None and contact.business_id == g.business.id
        messages = transcript(db, conv, 0)
        facts = db.exec(
            select(ProfileFact)
            .where(ProfileFact.business_id == g.business.id, ProfileFact.contact_id == contact.id)
            .order_by(col(ProfileFact.key))
        ).all()
        handoff = (
            open_handoff(db, conv)
            or db.exec(
                select(Handoff)
                .where(Handoff.business_id == g.business.id, Handoff.conversation_id == conv.id)
                .order_by(col(Handoff.id).desc())
            ).first()
        )
        facts_view = [(f.key.replace("_", " "), fact_text(f.value)) for f in facts]
        who = wording.display_name(db, contact)
    return render_template(
        "console/conversation.html",
        conv=conv,
        contact=contact,
        messages=messages,
        facts=facts_view,
        handoff=handoff,
        who=who,
        summary=wording.summary_sentences(handoff.summary) if handoff else ([], []),
        words=wording,
        priority_label=priority_label,
        business=g.business,
        staff=g.staff,
        last_id=max((m["id"] for m in messages), default=0),
    )


@bp.post("/c/<int:conv_id>/reply")
def reply(conv_id: int) -> Any:
    """Send what the staff member wrote on the customer's own channel (and take the chat)."""
    text = (request.form.get("text") or "").strip()
    if not text:
        abort(400, "write something to send")
    if len(text) > MAX_REPLY:
        abort(400, f"a reply is at most {MAX_REPLY} characters")
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        if conv.state == ConversationState.CLOSED:
            abort(409, "this conversation is closed; the customer's next message opens a new one")
        reply_ids = handoffs.staff_reply(db, conv, g.staff, text)
    for reply_id in reply_ids:
        enqueue_send(g.rt, reply_id)
    wake(g.rt, conv_id)
    return _back(conv_id)


@bp.post("/c/<int:conv_id>/take")
def take(conv_id: int) -> Any:
    """Take the conversation: the bot stays quiet, the inbox shows who has it."""
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        if conv.state == ConversationState.CLOSED:
            abort(409, "this conversation is closed")
        handoffs.take(db, conv, g.staff)
    wake(g.rt, conv_id)
    return _back(conv_id)


@bp.post("/c/<int:conv_id>/resolve")
def resolve(conv_id: int) -> Any:
    """Done: close the conversation (the next customer message starts with the bot)."""
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        handoffs.resolve(db, conv, g.staff)
        asked = csat.ask(db, g.business, conv, g.staff)  # "how did we do?", when allowed
    for message_id in asked:
        enqueue_send(g.rt, message_id)
    wake(g.rt, conv_id)
    return redirect(url_for("console.inbox"))


@bp.post("/c/<int:conv_id>/return")
def return_to_bot(conv_id: int) -> Any:
    """Hand back to the bot, which resumes its flow with the next customer message."""
    with session_scope(g.rt.engine) as db:
        conv = business_conversation(db, conv_id)
        if conv.state == ConversationState.CLOSED:
            abort(409, "this conversation is closed")
        handoffs.return_to_bot(db, conv, g.staff)
    wake(g.rt, conv_id)
    return redirect(url_for("console.inbox"))


def _back(conv_id: int) -> Any:
    return redirect(url_for("console.conversation", conv_id=conv_id))


def wake(rt: Runtime, conv_id: int) -> None:
    """Tell the live inbox and the conversation page that this conversation changed."""
    publish(rt.redis, business_topic(g.business.id), conversation_topic(conv_id))


@bp.get("/events")
def events() -> Any:
    """Server-sent events: `inbox` (the whole list when it changes) and, for a conversation
    page (`?conversation=ID&after=MSG`), `message` (new or changed) and `state` events."""
    conv_id = arg_id(request.args.get("conversation"))
    after = arg_id(request.args.get("after")) or 0
    f = parse_filter(request.args)
    if conv_id is not None:
        with session_scope(g.rt.engine) as db:
            business_conversation(db, conv_id)  # 404 for another business's conversation
    source = _stream(g.rt, g.business.id, conv_id, after, (f, g.staff.id))
    stream = streams.limited(source, f"staff:{g.staff.id}")
    return Response(
        stream_with_context(stream),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _stream(
    rt: Runtime,
    business_id: int,
    conv_id: int | None,
    after: int,
    narrowed: tuple[InboxFilter, int | None],
) -> Iterator[str]:
    topics = [business_topic(business_id)]
    if conv_id is not None:
        topics.append(conversation_topic(conv_id))
    last_inbox: str | None = None
    last_state: str | None = None
    seen: dict[int, str] = {}

    def poll() -> str:
        nonlocal last_inbox, last_state
        out: list[str] = []
        with session_scope(rt.engine) as db:
            inbox = json.dumps(inbox_items(db, business_id, *narrowed))
            if inbox != last_inbox:
                last_inbox = inbox
                out.append(f"event: inbox\ndata: {inbox}\n\n")
            if conv_id is not None:
                out.extend(conversation_events(db, business_id, conv_id, after, seen))
                state = state_json(db, business_id, conv_id)
                if state != last_state:
                    last_state = state
                    out.append(f"event: state\ndata: {state}\n\n")
        return "".join(out)

    return event_stream(rt.redis, lambda: topics, poll, STREAM_SECONDS)

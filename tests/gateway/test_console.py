"""The staff console over the Flask test client: sign-in, CSRF, isolation, escaping, actions."""

from __future__ import annotations

import re
import time

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.console.staff import add_staff, business_by_slug, verify_password
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import Business, Conversation, Handoff, Message, StaffUser
from tests.gateway.chat_helpers import open_chat, say

pytestmark = pytest.mark.db

ACME = ("owner@acme.example", "acme-password-123")
OTHER = ("agent@other.example", "other-password-123")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def staff(demo: Runtime) -> dict[str, int]:
    """One owner of acme-dental and one agent of other-biz."""
    with session_scope(demo.engine) as db:
        acme = add_staff(db, business_by_slug(db, "acme-dental"), *ACME, role="owner")
        other = add_staff(db, business_by_slug(db, "other-biz"), *OTHER, role="agent")
        return {"acme": acme.id or 0, "other": other.id or 0}


def csrf(client: FlaskClient, path: str = "/console/login") -> str:
    """The CSRF token a console page carries."""
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str) -> object:
    """Sign in through the form, as a browser would."""
    token = csrf(client)
    return client.post(
        "/console/login", data={"email": email, "password": password, "csrf_token": token}
    )


def customer_conversation(client: FlaskClient, rt: Runtime, text: str, slug: str) -> int:
    """A web chat customer writes once; returns the conversation id."""
    open_chat(client, slug)
    assert say(client, text, slug=slug).status_code == 202
    with session_scope(rt.engine) as db:
        return db.exec(select(Message.conversation_id)).all()[-1]


def test_pages_without_a_session_redirect_to_sign_in(client: FlaskClient) -> None:
    for path in ("/console/", "/console/c/1"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/console/login")
    assert client.get("/console/events").status_code == 401


def test_sign_in_with_the_right_password_opens_the_inbox(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    response = sign_in(client, *ACME)
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/"
    page = client.get("/console/").get_data(as_text=True)
    assert "Acme Dental" in page and ACME[0] in page
    assert client.get("/console/login").status_code == 302  # already signed in


def test_session_cookie_is_httponly_and_samesite(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    token = csrf(client)
    response = client.post(
        "/console/login", data={"email": ACME[0], "password": ACME[1], "csrf_token": token}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_fails_and_attempts_are_rate_limited(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    for _ in range(5):
        assert sign_in(client, ACME[0], "wrong-password-x").status_code == 401  # type: ignore[attr-defined]
    # Even the right password is refused while the address is blocked.
    blocked = sign_in(client, *ACME)
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert client.get("/console/").status_code == 302


def test_a_form_without_the_csrf_token_is_rejected(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    bare = client.post("/console/login", data={"email": ACME[0], "password": ACME[1]})
    assert bare.status_code == 400
    sign_in(client, *ACME)
    conv_id = customer_conversation(client, demo, "hello", "acme-dental")
    assert client.post(f"/console/c/{conv_id}/reply", data={"text": "hi"}).status_code == 400
    wrong = client.post(f"/console/c/{conv_id}/reply", data={"text": "hi", "csrf_token": "x"})
    assert wrong.status_code == 400
    assert client.post(f"/console/c/{conv_id}/take").status_code == 400
    with session_scope(demo.engine) as db:
        assert db.exec(select(Handoff)).all() == []


def test_another_business_conversation_answers_404(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    other_conv = customer_conversation(client, demo, "hola", "other-biz")
    sign_in(client, *ACME)
    token = csrf(client, "/console/")
    assert client.get(f"/console/c/{other_conv}").status_code == 404
    assert client.get(f"/console/events?conversation={other_conv}").status_code == 404
    for action in ("reply", "take", "resolve", "return"):
        response = client.post(
            f"/console/c/{other_conv}/{action}", data={"text": "x", "csrf_token": token}
        )
        assert response.status_code == 404, action
    inbox = client.get("/console/").get_data(as_text=True)
    assert "hola" not in inbox
    with session_scope(demo.engine) as db:
        assert db.exec(select(Handoff)).all() == []
        assert db.get(Conversation, other_conv).state == "bot"  # type: ignore[union-attr]


def test_customer_text_is_escaped_in_the_conversation_view(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    conv_id = customer_conversation(client, demo, "<script>alert(1)</script>", "acme-dental")
    sign_in(client, *ACME)
    page = client.get(f"/console/c/{conv_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_take_reply_and_return_to_bot_change_state_and_store_a_staff_reply(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    conv_id = customer_conversation(client, demo, "hello", "acme-dental")
    sign_in(client, *ACME)
    token = csrf(client, f"/console/c/{conv_id}")
    taken = client.post(f"/console/c/{conv_id}/take", data={"csrf_token": token})
    assert taken.status_code == 302
    with session_scope(demo.engine) as db:
        conv = db.get(Conversation, conv_id)
        assert conv is not None and conv.state == "with_staff"
        handoff = db.exec(select(Handoff)).one()
        assert (handoff.status, handoff.assigned_to) == ("taken", staff["acme"])
    sent = client.post(
        f"/console/c/{conv_id}/reply", data={"text": "Hi, Ana here", "csrf_token": token}
    )
    assert sent.status_code == 302
    with session_scope(demo.engine) as db:
        out = db.exec(select(Message).where(Message.direction == "out")).all()
        assert [(m.text, m.author) for m in out] == [("Hi, Ana here", f"staff:{staff['acme']}")]
    back = client.post(f"/console/c/{conv_id}/return", data={"csrf_token": token})
    assert back.status_code == 302
    with session_scope(demo.engine) as db:
        assert db.get(Conversation, conv_id).state == "bot"  # type: ignore[union-attr]
        assert db.exec(select(Handoff)).one().status == "returned"


def test_resolve_closes_and_the_next_message_opens_a_new_conversation(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    conv_id = customer_conversation(client, demo, "hello", "acme-dental")
    sign_in(client, *ACME)
    token = csrf(client, f"/console/c/{conv_id}")
    client.post(f"/console/c/{conv_id}/take", data={"csrf_token": token})
    resolved = client.post(f"/console/c/{conv_id}/resolve", data={"csrf_token": token})
    assert resolved.status_code == 302
    reply = client.post(f"/console/c/{conv_id}/reply", data={"text": "x", "csrf_token": token})
    assert reply.status_code == 409
    assert say(client, "again").status_code == 202
    with session_scope(demo.engine) as db:
        convs = db.exec(select(Conversation).order_by(Conversation.id)).all()  # type: ignore[arg-type]
        assert [c.state for c in convs] == ["closed", "bot"]


def test_an_expired_session_signs_out(client: FlaskClient, staff: dict[str, int]) -> None:
    sign_in(client, *ACME)
    assert client.get("/console/").status_code == 200
    with client.session_transaction() as sess:
        sess["staff_expires"] = int(time.time()) - 1
    assert client.get("/console/").status_code == 302


def test_a_deleted_account_loses_its_session(
    client: FlaskClient, demo: Runtime, staff: dict[str, int]
) -> None:
    sign_in(client, *ACME)
    with session_scope(demo.engine) as db:
        db.delete(db.get(StaffUser, staff["acme"]))
    assert client.get("/console/").status_code == 302


def test_staff_add_command_hashes_with_argon2(
    demo: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from gateway.cli.main import cli

    s = demo.settings
    monkeypatch.setenv("DATABASE_URL", s.database_url)
    monkeypatch.setenv("SWITCHBOARD_SECRET_KEY", s.secret_key)
    monkeypatch.setenv("SWITCHBOARD_VAR_DIR", str(s.var_dir))
    result = CliRunner().invoke(
        cli,
        [
            "staff",
            "add",
            "--business",
            "acme-dental",
            "--email",
            "New@Acme.example",
            "--role",
            "agent",
            "--password-stdin",
        ],
        input="a-long-password-1\n",
    )
    assert result.exit_code == 0, result.output
    with session_scope(demo.engine) as db:
        user = db.exec(select(StaffUser).where(StaffUser.email == "new@acme.example")).one()
        business = db.get(Business, user.business_id)
        assert business is not None and business.slug == "acme-dental"
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a-long-password-1")
    bad = CliRunner().invoke(
        cli,
        ["staff", "add", "--business", "nope", "--email", "x@y.z", "--password-stdin"],
        input="a-long-password-1\n",
    )
    assert bad.exit_code != 0 and "no business" in bad.output


def test_demo_accounts_are_created_once_and_print_a_working_password(demo: Runtime) -> None:
    from gateway.console.staff import authenticate, demo_accounts

    var, slugs = demo.settings.var_dir, ["acme-dental", "other-biz"]
    with session_scope(demo.engine) as db:
        first = demo_accounts(db, var, slugs)
    assert [email for _, email, _ in first] == [
        "owner@acme-dental.example",
        "owner@other-biz.example",
    ]
    with session_scope(demo.engine) as db:
        assert demo_accounts(db, var, slugs) == first
        user = authenticate(db, "owner@acme-dental.example", first[0][2])
        assert user is not None and user.role == "owner"
        add_staff(db, business_by_slug(db, "other-biz"), "owner@other-biz.example", "changed-it-1")
    with session_scope(demo.engine) as db:
        again = demo_accounts(db, var, slugs)
        assert [email for _, email, _ in again] == ["owner@acme-dental.example"]

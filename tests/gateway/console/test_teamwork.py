"""Working together in the console: private notes that never reach the customer, assigning a
conversation to a colleague of the same business only, and saved replies (issue 18)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from gateway.console.staff import add_staff, business_by_slug
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.store.models import CannedReply, Direction, Handoff, Message, StaffNote
from tests.gateway.console.inbox_helpers import seed_handoff
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in, staff  # noqa: F401 (fixture)

pytestmark = pytest.mark.db


def _post(client: FlaskClient, path: str, back: str, **form: object) -> object:
    return client.post(path, data={**form, "csrf_token": csrf(client, back)})


def test_a_note_is_seen_by_colleagues_and_never_sent(
    client: FlaskClient,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    conv_id = seed_handoff(demo, "acme-dental", name="Rosa")
    sign_in(client, *ACME)
    page = f"/console/c/{conv_id}"
    answer = _post(client, f"{page}/notes", page, note="Called her back, prefers mornings")
    assert answer.status_code == 302  # type: ignore[attr-defined]
    assert "prefers mornings" in client.get(page).get_data(as_text=True)
    with session_scope(demo.engine) as db:
        (note,) = db.exec(select(StaffNote)).all()
        assert (note.author, note.conversation_id) == (ACME[0], conv_id)
        sent = db.exec(select(Message).where(Message.direction == Direction.OUT)).all()
        assert not any("mornings" in m.text for m in sent)
    assert _post(client, f"{page}/notes", page, note="  ").status_code == 400  # type: ignore[attr-defined]
    other = seed_handoff(demo, "other-biz", name="Tom")
    assert _post(client, f"/console/c/{other}/notes", page, note="x").status_code == 404  # type: ignore[attr-defined]


def test_a_conversation_is_assigned_to_a_colleague_of_the_same_business_only(
    client: FlaskClient,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    with session_scope(demo.engine) as db:
        colleague = add_staff(db, business_by_slug(db, "acme-dental"), "eva@acme.example",
                              "eva-password-123")  # fmt: skip
        colleague_id = colleague.id
    conv_id = seed_handoff(demo, "acme-dental", name="Rosa")
    sign_in(client, *ACME)
    page = f"/console/c/{conv_id}"
    assert "eva@acme.example" in client.get(page).get_data(as_text=True)
    assert _post(client, f"{page}/assign", page, staff_id=colleague_id).status_code == 302  # type: ignore[attr-defined]
    with session_scope(demo.engine) as db:
        (handoff,) = db.exec(select(Handoff).where(Handoff.conversation_id == conv_id)).all()
        assert (handoff.assigned_to, handoff.status) == (colleague_id, "taken")
    stranger = _post(client, f"{page}/assign", page, staff_id=staff["other"])
    assert stranger.status_code == 400  # type: ignore[attr-defined]


def test_saved_replies_fill_the_reply_box_and_are_the_business_s_own(
    client: FlaskClient,
    demo: Runtime,
    staff: dict[str, int],  # noqa: F811
) -> None:
    sign_in(client, *ACME)
    text = "Parking is free behind the clinic."
    assert (
        _post(
            client, "/console/replies", "/console/replies", title="Parking", text=text
        ).status_code
        == 302
    )  # type: ignore[attr-defined]
    again = _post(client, "/console/replies", "/console/replies", title="Parking", text="x")
    assert again.status_code == 409  # type: ignore[attr-defined]
    conv_id = seed_handoff(demo, "acme-dental", name="Rosa")
    page = client.get(f"/console/c/{conv_id}").get_data(as_text=True)
    assert 'id="canned"' in page and f'value="{text}"' in page
    with session_scope(demo.engine) as db:
        (row,) = db.exec(select(CannedReply)).all()
        saved_id = row.id
    client.post("/console/logout", data={"csrf_token": csrf(client, "/console/")})
    sign_in(client, *OTHER)
    assert text not in client.get("/console/replies").get_data(as_text=True)
    gone = _post(client, f"/console/replies/{saved_id}/delete", "/console/replies")
    assert gone.status_code == 404  # type: ignore[attr-defined]

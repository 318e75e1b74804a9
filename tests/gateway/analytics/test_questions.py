"""Unanswered questions: noted when the decline was said, grouped by meaning, answered into the
FAQ (re-ingested), per business."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlmodel import select

from flows.ports import KnowledgeAnswer
from gateway.analytics import jobs, questions
from gateway.analytics.unanswered import RecordingKnowledge, note_declined
from gateway.core.db import session_scope
from gateway.core.runtime import Runtime
from gateway.kb.jobs import INGEST_QUEUE
from gateway.store.models import (
    Contact,
    Conversation,
    DeclinedQuestion,
    KnowledgeSource,
    Message,
)
from gateway.worker import tasks
from tests.gateway.analytics.seed import business
from tests.gateway.test_console import ACME, OTHER, csrf, sign_in

pytestmark = pytest.mark.db

ASKED = {
    "cards": ["do you accept credit cards?", "can I pay by card?", "¿aceptan tarjeta de crédito?"],
    "parking": ["is there parking?", "where can I park my car?"],
    "whitening": ["do you do teeth whitening?"],
}
NOT_SURE = "I'm not sure about that. Shall I ask a person?"


@dataclass
class Declining:
    """A knowledge port that knows nothing."""

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        return KnowledgeAnswer(text=NOT_SURE, grounded=False)


def _conversation(rt: Runtime, slug: str) -> tuple[Conversation, Message]:
    with session_scope(rt.engine) as s:
        b = business(s, slug)
        contact = Contact(business_id=b.id)
        s.add(contact)
        s.flush()
        channel = "acme-web" if slug == "acme-dental" else "other-web"
        conv = Conversation(business_id=b.id, contact_id=contact.id, channel_id=channel,
                            network="webchat", address="v1")  # fmt: skip
        s.add(conv)
        s.flush()
        msg = Message(business_id=b.id, conversation_id=conv.id, channel_id=channel,
                      direction="in", status="received", text="?")  # fmt: skip
        s.add(msg)
        s.flush()
        return conv, msg


def _ask_all(rt: Runtime, slug: str, texts: list[str]) -> None:
    conv, msg = _conversation(rt, slug)
    recorder = RecordingKnowledge(Declining())
    with session_scope(rt.engine) as s:
        for text in texts:
            said = recorder.answer(text, "en", 500).text
            assert note_declined(s, recorder, conv, msg, [said]) == 1


def test_a_decline_is_noted_only_when_the_customer_was_told(demo: Runtime) -> None:
    conv, msg = _conversation(demo, "acme-dental")
    recorder = RecordingKnowledge(Declining())
    recorder.answer("can I book for tuesday?", "en", 500)
    with session_scope(demo.engine) as s:
        # the engine booked instead of saying "not sure": nothing unanswered
        assert note_declined(s, recorder, conv, msg, ["Which time on Tuesday?"]) == 0
        recorder.answer("do you take insurance?", "en", 500)
        assert note_declined(s, recorder, conv, msg, [f"Hello. {NOT_SURE}"]) == 1
    with session_scope(demo.engine) as s:
        (row,) = s.exec(select(DeclinedQuestion)).all()
        assert (row.text, row.contact_id, row.message_id) == (
            "do you take insurance?", conv.contact_id, msg.id,
        )  # fmt: skip


def test_questions_are_grouped_by_meaning(demo: Runtime) -> None:
    _ask_all(demo, "acme-dental", [t for texts in ASKED.values() for t in texts])
    _ask_all(demo, "other-biz", ["do you accept credit cards?"])
    with session_scope(demo.engine) as s:
        acme, other = business(s, "acme-dental"), business(s, "other-biz")
        assert questions.group_new(s, acme.id or 0) == 6
        assert questions.group_new(s, acme.id or 0) == 0  # once
        found = questions.groups(s, acme.id or 0)
        assert [(g.question, g.count) for g in found] == [
            ("do you accept credit cards?", 3),
            ("is there parking?", 2),
            ("do you do teeth whitening?", 1),
        ]
        assert set(found[0].examples) == set(ASKED["cards"])
        assert questions.groups(s, other.id or 0) == []  # not grouped yet, and never with acme's
        questions.group_new(s, other.id or 0)
        (theirs,) = questions.groups(s, other.id or 0)
        assert theirs.count == 1


def test_rollup_job_groups_new_questions(demo: Runtime) -> None:
    _ask_all(demo, "acme-dental", ASKED["parking"])
    with session_scope(demo.engine) as s:
        bid = business(s, "acme-dental").id or 0
    jobs.rollup_business(bid)
    with session_scope(demo.engine) as s:
        assert [g.count for g in questions.groups(s, bid)] == [2]


def test_write_the_answer_adds_it_to_the_faq_and_reingests(
    demo: Runtime, client: FlaskClient, staff: dict[str, int]
) -> None:
    _ask_all(demo, "acme-dental", ASKED["parking"] + ASKED["whitening"])
    _ask_all(demo, "other-biz", ["is there parking?"])
    with session_scope(demo.engine) as s:
        acme, other = business(s, "acme-dental"), business(s, "other-biz")
        questions.group_new(s, acme.id or 0)
        questions.group_new(s, other.id or 0)
        (group,) = [g for g in questions.groups(s, acme.id or 0) if g.count == 2]
        (their_group,) = questions.groups(s, other.id or 0)
    sign_in(client, *ACME)
    page = client.get("/console/analytics/questions").get_data(as_text=True)
    assert "is there parking?" in page and "2 asked" in page and "teeth whitening" in page
    token = csrf(client, "/console/analytics/questions")
    form = {"csrf_token": token, "question": "Is there parking", "answer": "Yes, free, behind."}
    url = f"/console/analytics/questions/{their_group.group_id}/answer"
    assert client.post(url, data=form).status_code == 404  # another business's group
    response = client.post(f"/console/analytics/questions/{group.group_id}/answer", data=form)
    assert response.status_code == 302
    faq = questions.faq_path(demo.settings.var_dir, acme).read_text()
    assert "## Is there parking?\n\nYes, free, behind.\n" in faq
    with session_scope(demo.engine) as s:
        (source,) = s.exec(select(KnowledgeSource)).all()
        assert source.business_id == acme.id and source.uri.endswith(questions.FAQ_FILE)
        assert [g.question for g in questions.groups(s, acme.id or 0)] == [
            "do you do teeth whitening?"
        ]
        assert len(questions.groups(s, other.id or 0)) == 1  # theirs untouched
    job = demo.queue(INGEST_QUEUE).fetch_job(f"kb-ingest-{source.id}")
    assert job is not None and job.func_name == tasks.INGEST_SOURCE

    agent = client.application.test_client()
    sign_in(agent, *OTHER)
    token = csrf(agent, "/console/analytics/questions")
    page = agent.get("/console/analytics/questions").get_data(as_text=True)
    assert "Write the answer" not in page  # agents see the questions, owners answer them
    assert not re.search("teeth whitening", page)
    denied = agent.post(
        f"/console/analytics/questions/{their_group.group_id}/answer",
        data={**form, "csrf_token": token},
    )
    assert denied.status_code == 403

"""Questions the knowledge base declined, noted for the owner ("what could the bot not answer").

The flow engine asks the `Knowledge` port and may still act on the message another way (a
booking question books), so a decline is noted only when the engine's reply said it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from flows.ports import Knowledge, KnowledgeAnswer
from gateway.store.models import Conversation, DeclinedQuestion, Message

MAX_TEXT = 1000


@dataclass
class RecordingKnowledge:
    """A `Knowledge` port that remembers the questions it declined during one turn."""

    inner: Knowledge
    declined: list[tuple[str, str, str]] = field(default_factory=list)

    def answer(self, question: str, language: str, max_chars: int) -> KnowledgeAnswer:
        """The inner port's answer; a decline is remembered with the question."""
        found = self.inner.answer(question, language, max_chars)
        if not found.grounded:
            self.declined.append((question, language, found.text))
        return found


def note_declined(
    session: Session,
    recorder: RecordingKnowledge,
    conv: Conversation,
    message: Message,
    replies: Sequence[str],
) -> int:
    """Store the declined questions whose decline the customer was told; how many."""
    said = [q for q in recorder.declined if any(q[2] and q[2] in r for r in replies)]
    for question, language, _ in said:
        session.add(
            DeclinedQuestion(
                business_id=conv.business_id,
                contact_id=conv.contact_id,
                conversation_id=conv.id,
                message_id=message.id,
                text=question[:MAX_TEXT],
                language=(language or "")[:8],
            )
        )
    recorder.declined.clear()
    return len(said)

"""Unanswered questions grouped by meaning, and "write the answer" into the business's FAQ.

Grouping runs in the worker (the roll-up job), where the sentence encoder is loaded once and
shared (`gateway.bot.understanding.share_encoder`): each new question joins the group whose
representative is closest in meaning, or starts its own. The console only reads the groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from gateway.kb.jobs import register_source
from gateway.store.models import Business, DeclinedQuestion
from knowledge import embedding

SAME_MEANING = 0.55
"""Cosine similarity of two wordings of one question (paraphrases score about 0.6, unrelated
questions of one business below 0.4 with the shared encoder)."""
MAX_GROUPS = 500
OPEN = "open"
ANSWERED = "answered"
FAQ_FILE = "unanswered-questions.md"


@dataclass(frozen=True)
class Group:
    """Questions that mean the same: how many, the standing question and a few examples."""

    group_id: int
    question: str
    count: int
    examples: tuple[str, ...]


def group_new(session: Session, business_id: int) -> int:
    """Put every ungrouped open question of the business in a group; how many were grouped."""
    fresh = list(
        session.exec(
            select(DeclinedQuestion)
            .where(DeclinedQuestion.business_id == business_id, DeclinedQuestion.status == OPEN)
            .where(col(DeclinedQuestion.group_id).is_(None))
            .order_by(col(DeclinedQuestion.id))
        ).all()
    )
    if not fresh:
        return 0
    heads = list(
        session.exec(
            select(DeclinedQuestion)
            .where(DeclinedQuestion.business_id == business_id, DeclinedQuestion.status == OPEN)
            .where(col(DeclinedQuestion.group_id) == col(DeclinedQuestion.id))
            .order_by(col(DeclinedQuestion.id).desc())
            .limit(MAX_GROUPS)
        ).all()
    )
    head_vecs = embedding.encode([h.text for h in heads])
    for row, vec in zip(fresh, embedding.encode([q.text for q in fresh]), strict=True):
        scores = head_vecs @ vec if len(heads) else np.zeros(0)
        best = int(np.argmax(scores)) if len(heads) else -1
        if best >= 0 and float(scores[best]) >= SAME_MEANING:
            row.group_id = heads[best].id
        else:
            row.group_id = row.id
            heads.append(row)
            head_vecs = np.vstack([head_vecs, vec[None, :]])
        session.add(row)
    session.flush()
    return len(fresh)


def groups(session: Session, business_id: int, limit: int = 50, examples: int = 3) -> list[Group]:
    """The business's open groups, largest first, with a few example wordings."""
    counts = session.exec(
        select(DeclinedQuestion.group_id, func.count())
        .where(DeclinedQuestion.business_id == business_id, DeclinedQuestion.status == OPEN)
        .where(col(DeclinedQuestion.group_id).is_not(None))
        .group_by(col(DeclinedQuestion.group_id))
        .order_by(func.count().desc(), col(DeclinedQuestion.group_id))
        .limit(limit)
    ).all()
    out = []
    for group_id, n in counts:
        texts = session.exec(
            select(DeclinedQuestion.text)
            .where(
                DeclinedQuestion.business_id == business_id,
                DeclinedQuestion.group_id == group_id,
                DeclinedQuestion.status == OPEN,
            )
            .order_by(col(DeclinedQuestion.id).desc())
            .limit(examples + 1)
        ).all()
        head = session.get(DeclinedQuestion, group_id)
        standing = head.text if head is not None else texts[0]
        out.append(Group(int(group_id or 0), standing, int(n), tuple(texts[:examples])))
    return out


def faq_path(var_dir: Path, business: Business) -> Path:
    """The business's FAQ file of answers written from the unanswered questions."""
    return Path(var_dir).resolve() / "knowledge" / business.slug / FAQ_FILE


def _heading(question: str) -> str:
    line = " ".join(question.split()).lstrip("#").strip()
    return line if line.endswith(("?", "？")) else f"{line}?"


def write_answer(
    session: Session,
    var_dir: Path,
    business: Business,
    group_id: int,
    question: str,
    answer: str,
) -> int:
    """Add the Q/A to the business's FAQ file, register it as a source (to re-ingest after the
    commit) and close the group's questions; the source id."""
    path = faq_path(var_dir, business)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = " ".join(answer.split())
    with path.open("a", encoding="utf-8") as fh:
        if fh.tell() == 0:
            fh.write(f"# {business.name}: questions customers asked\n")
        fh.write(f"\n## {_heading(question)}\n\n{body}\n")
    session.execute(
        update(DeclinedQuestion)
        .where(
            col(DeclinedQuestion.business_id) == business.id,
            col(DeclinedQuestion.group_id) == group_id,
        )
        .values(status=ANSWERED)
    )
    source = register_source(session, business, str(path))
    return int(source.id or 0)

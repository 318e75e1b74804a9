"""Grounded answers: extractive by default, a LangChain chat model when given; honest declines."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.embedding import encode, word_vectors
from knowledge.text import (
    STOPWORDS,
    amounts,
    asks_hours,
    asks_list,
    asks_price,
    content_terms,
    has_money,
    has_time,
    is_spanish,
    numbers,
    sentences,
    stem,
    tokens,
)
from knowledge.types import Answer, Passage, Reference

log = logging.getLogger(__name__)

_GENERIC_TEXT = (
    "price prices cost costs fee fees much precio precios cuesta cuestan cuanto tarifa coste "
    "hours open opening close closing horario abren abris cierran hora horas time "
    "offer offers ofrecen ofreceis service services servicio servicios do you have tienen"
)
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
_GENERIC = {stem(w) for w in _GENERIC_WORDS}


@dataclass(frozen=True)
class AnswerConfig:
    """Thresholds of the extractive answer."""

    threshold: float = 0.30
    focus_similarity: float = 0.5  # a sentence this close needs no shared word
    no_focus_similarity: float = 0.3  # question without specific words: similarity alone
    min_focus_overlap: float = 0.6  # share of the question's specific words near the answer
    passages_used: int = 3


DECLINE = {
    "en": "I'm not sure about that, and I'd rather not guess. "
    "Would you like me to pass your question to someone on our team?",
    "es": "No estoy seguro de eso y prefiero no inventar. "
    "¿Quieres que pase tu pregunta a una persona del equipo?",
}


def _lang(language: str) -> str:
    """'es' or 'en' for the fixed texts."""
    return "es" if is_spanish(language) else "en"


def reference_label(ref: Reference, language: str) -> str:
    """A short citation in the question's language."""
    page = (" pág. " if _lang(language) == "es" else " p. ") + str(ref.page) if ref.page else ""
    where = f"{ref.title},{page}" if page else ref.title
    if ref.url and not ref.page:
        where = f"{ref.title} ({ref.url})"
    return ("Fuente: " if _lang(language) == "es" else "Source: ") + where


def decline(language: str, score: float, passages: tuple[Passage, ...] = ()) -> Answer:
    """The honest 'not sure' with the offer of a person."""
    lang = _lang(language)
    return Answer(DECLINE[lang], (), False, round(score, 4), lang, passages)


def trim(text: str, limit: int) -> str:
    """Cut text to ``limit`` characters at a sentence or word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    for mark in (". ", "; ", ", ", " "):
        pos = cut.rfind(mark)
        if pos > limit // 2:
            cut = cut[: pos + (1 if mark != " " else 0)]
            break
    return cut.rstrip(" ,;") + "…"


def _tidy(sentence: str) -> str:
    """A table row 'Cleaning | 60 €' reads 'Cleaning: 60 €'; list bullets dropped."""
    sentence = re.sub(r"^[-*•]\s+", "", sentence)
    if " | " in sentence:
        head, *rest = [p.strip() for p in sentence.split(" | ") if p.strip()]
        sentence = f"{head}: {', '.join(rest)}" if rest else head
    return sentence


def _with_reference(body: str, refs: tuple[Reference, ...], language: str, max_chars: int) -> str:
    """Body plus a short reference, the whole within max_chars (the reference is kept)."""
    if not refs:
        return trim(body, max_chars)
    ref = f"({reference_label(refs[0], language)})"
    room = max_chars - len(ref) - 1
    if room < 20:
        return trim(body, max_chars)
    return f"{trim(body, room)} {ref}"


@dataclass(frozen=True)
class _Candidate:
    text: str
    passage: Passage
    order: int
    score: float
    similarity: float


def _candidates(
    question_vec: np.ndarray, question: str, passages: list[Passage]
) -> list[_Candidate]:
    """Sentences of the passages, scored against the question."""
    raw: list[tuple[str, str, Passage, int]] = []
    for passage in passages:
        body = passage.text
        if passage.heading and body.startswith(passage.heading):
            body = body[len(passage.heading) :]
        lines = sentences(body)
        if passage.kind == "faq" and len(lines) > 1:
            # An FAQ row: the answer is everything after the question, kept together.
            answer = " ".join(lines[1:])
            raw.append((answer, f"{lines[0]} {answer}", passage, 0))
            continue
        for order, line in enumerate(lines):
            context = f"{passage.heading}: {line}" if passage.heading else line
            raw.append((_tidy(line), context, passage, order))
    if not raw:
        return []
    vectors = encode([context for _, context, _, _ in raw])
    sims = vectors @ question_vec
    terms = content_terms(question)
    out = []
    for (text, context, passage, order), sim in zip(raw, sims, strict=True):
        overlap = len(terms & {stem(t) for t in tokens(context)}) / max(len(terms), 1)
        score = 0.5 * float(sim) + 0.35 * passage.score + 0.15 * overlap
        out.append(_Candidate(text, passage, order, score, float(sim)))
    out.sort(key=lambda c: c.score, reverse=True)
    return out


def focus_overlap(question: str, best: _Candidate, word_match: float = 0.62) -> float | None:
    """Share of the question's specific words found near the answer, in either language.

    A word counts when its stem appears, or when the multilingual encoder puts it close to a
    word of the passage ('cenar' ~ 'dinner'); None when the question has no specific words.
    """
    focus = sorted(
        {t for t in tokens(question) if len(t) > 2 and t not in STOPWORDS} - _GENERIC_WORDS
    )
    focus = [t for t in focus if stem(t) not in _GENERIC]
    if not focus:
        return None
    context = (
        best.passage.text
        if best.passage.kind == "faq"
        else f"{best.passage.heading or ''} {best.text}"
    )
    words = sorted({t for t in tokens(context) if len(t) > 2 and t not in STOPWORDS})
    stems = {stem(w) for w in words}
    missing = [t for t in focus if stem(t) not in stems]
    found = len(focus) - len(missing)
    if missing and words:
        sims = word_vectors(missing) @ word_vectors(words).T
        found += int((sims.max(axis=1) >= word_match).sum())
    return found / len(focus)


def _grounded_enough(question: str, best: _Candidate, cfg: AnswerConfig) -> bool:
    """The best sentence must be close in meaning or share the question's specific words."""
    if best.similarity >= cfg.focus_similarity:
        return True
    overlap = focus_overlap(question, best)
    if overlap is None:
        return best.similarity >= cfg.no_focus_similarity
    return overlap >= cfg.min_focus_overlap


def _select(cands: list[_Candidate], question: str, max_chars: int) -> list[_Candidate]:
    """The best sentence plus close neighbours from its passage (a whole list when asked)."""
    best = cands[0]
    same = [c for c in cands[1:] if c.passage is best.passage]
    margin = 1.0 if asks_list(question) else 0.06
    chosen, used = [best], len(best.text)
    for cand in sorted(same, key=lambda c: c.score, reverse=True):
        if cand.score >= best.score - margin and used + len(cand.text) + 1 <= max_chars * 0.8:
            chosen.append(cand)
            used += len(cand.text) + 1
    return sorted(chosen, key=lambda c: c.order)


def extractive_answer(
    question: str,
    passages: list[Passage],
    language: str = "en",
    max_chars: int = 600,
    config: AnswerConfig | None = None,
    question_vec: np.ndarray | None = None,
) -> Answer:
    """Best sentences from the best passages with a reference, or a decline."""
    cfg = config or AnswerConfig()
    best_score = passages[0].score if passages else 0.0
    relevant = [p for p in passages if p.score >= cfg.threshold][: cfg.passages_used]
    if not relevant:
        return decline(language, best_score, tuple(passages))
    qvec = question_vec if question_vec is not None else encode([question])[0]
    cands = _candidates(qvec, question, relevant)
    if asks_price(question):
        cands = [c for c in cands if has_money(c.text)]
    elif asks_hours(question):
        cands = [c for c in cands if has_time(c.text)]
    if not cands or not _grounded_enough(question, cands[0], cfg):
        return decline(language, best_score, tuple(passages))
    chosen = _select(cands, question, max_chars)
    body = " ".join(
        c.text if c.text.endswith((".", "!", "?", "…")) else c.text + "." for c in chosen
    )
    refs = (cands[0].passage.reference,)
    text = _with_reference(body, refs, language, max_chars)
    return Answer(
        text, refs, True, round(cands[0].passage.score, 4), _lang(language), tuple(passages)
    )


_SYSTEM = (
    "You answer customers' questions for a small business using ONLY the numbered passages "
    "below. Never state a price, time, date, policy or fact that the passages do not state. "
    "If the passages do not answer the question, reply with exactly NOT_FOUND. "
    "Cite the passages you used as [1], [2]. Answer in {language}, in at most {limit} "
    "characters, plainly and politely."
)


def _supported(text: str, passages: list[Passage], question: str) -> bool:
    """Every number, and every amount with its unit, of the text appears in the passages."""
    source = " ".join(p.text for p in passages)
    return numbers(text) <= numbers(f"{source} {question}") and amounts(text) <= amounts(source)


def chat_answer(
    question: str,
    passages: list[Passage],
    chat_model: Any,
    language: str = "en",
    max_chars: int = 600,
    config: AnswerConfig | None = None,
) -> Answer:
    """An answer written by a chat model from the passages only, checked, or a fallback."""
    from langchain_core.messages import HumanMessage, SystemMessage

    cfg = config or AnswerConfig()
    relevant = [p for p in passages if p.score >= cfg.threshold][: cfg.passages_used]
    best_score = passages[0].score if passages else 0.0
    if not relevant:
        return decline(language, best_score, tuple(passages))
    numbered = "\n\n".join(
        f"[{i}] ({reference_label(p.reference, language)})\n{p.text}"
        for i, p in enumerate(relevant, 1)
    )
    lang_name = "Spanish" if _lang(language) == "es" else "English"
    messages = [
        SystemMessage(_SYSTEM.format(language=lang_name, limit=max_chars)),
        HumanMessage(f"Passages:\n\n{numbered}\n\nQuestion: {question}"),
    ]
    try:
        reply = chat_model.invoke(messages)
    except Exception as exc:  # any provider's failure: fall back to the extractive answer
        log.warning("chat model failed, answering extractively: %s", exc)
        return extractive_answer(question, passages, language, max_chars, cfg)
    content = reply.content if isinstance(reply.content, str) else str(reply.content)
    content = content.strip()
    if not content or "NOT_FOUND" in content:
        return decline(language, best_score, tuple(passages))
    if not _supported(re.sub(r"\[\d+\]", "", content), relevant, question):
        log.warning("chat model stated figures not in the passages; answering extractively")
        return extractive_answer(question, passages, language, max_chars, cfg)
    cited = sorted(
        {int(n) for n in re.findall(r"\[(\d+)\]", content) if 0 < int(n) <= len(relevant)}
    )
    refs = tuple(dict.fromkeys(relevant[i - 1].reference for i in cited)) or (
        relevant[0].reference,
    )
    body = re.sub(r"\s*\[\d+\]", "", content).strip()
    text = _with_reference(body, refs, language, max_chars)
    return Answer(text, refs, True, round(relevant[0].score, 4), _lang(language), tuple(passages))

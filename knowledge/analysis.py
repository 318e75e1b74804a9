"""Text analysis for lexical retrieval: Snowball stems (en/es), a bilingual lexicon, typos.

Documents are stemmed with the stemmer of their own language; a question's words are stemmed
with both (the question's language may be mislabelled, and a Spanish word asked of an English
document must still meet its translation). Each question word becomes a *group* of weighted
terms (its stems, its lexicon translations and synonyms, close spellings from the business's
vocabulary), and a group counts once per passage: translations add reach, not double score.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import Stemmer

from knowledge.text import STOPWORDS, fold

_TOKEN = re.compile(r"[\w€$£%@]+(?:[.,:'/@-][\w]+)*", re.UNICODE)
TRANSLATION_WEIGHT = 0.8
TYPO_WEIGHT = 0.8

_EN_STOP = frozenset(
    "the and of to in on at for with is are you your we our do does can what how when where "
    "which it this that be have has will from by an or as if not".split()
)
_ES_STOP = frozenset(
    "el la los las de del y en con por para es son que un una se lo al su sus como esta "
    "estan hay tiene pero mas muy o".split()
)


@functools.cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    """A cached Snowball stemmer ('english' or 'spanish')."""
    return Stemmer.Stemmer(language)


def words(text: str) -> list[str]:
    """Folded word tokens (numbers, codes, e-mail addresses kept whole)."""
    return [m.group(0).strip(".,:'/-") for m in _TOKEN.finditer(fold(text))]


def guess_language(text: str) -> str:
    """'es' or 'en' by counting common function words (enough for a whole document)."""
    tokens = words(text)
    en = sum(t in _EN_STOP for t in tokens)
    es = sum(t in _ES_STOP for t in tokens)
    return "es" if es > en else "en"


def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded word in 'en' or 'es'; numbers and codes kept whole."""
    if not word.isalpha():
        return word
    return str(_stemmer("spanish" if language == "es" else "english").stemWord(word))


def is_indexed(word: str) -> bool:
    """Words worth indexing: not a stop word, two characters or a number."""
    return word not in STOPWORDS and (len(word) > 1 or word.isdigit())


def index_terms(text: str, language: str) -> list[str]:
    """The terms a passage is indexed under (its language's stems)."""
    return [stem(w, language) for w in words(text) if is_indexed(w)]


@dataclass(frozen=True)
class Lexicon:
    """Bilingual synonym rows: every word maps to the other words of its rows."""

    related: dict[str, frozenset[str]]

    def expand(self, word: str) -> frozenset[str]:
        """The words related to a folded word (empty when unknown)."""
        return self.related.get(word, frozenset())

    @property
    def words(self) -> frozenset[str]:
        """Every single word of the lexicon (for typo correction)."""
        return frozenset(w for w in self.related if " " not in w)


def parse_lexicon(text: str) -> Lexicon:
    """Read 'english words<TAB>spanish words' rows (comma-separated synonyms, # comments)."""
    related: dict[str, set[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        row = {fold(w).strip() for side in line.split("\t") for w in side.split(",")}
        row.discard("")
        for word in row:
            related.setdefault(word, set()).update(row - {word})
    return Lexicon({w: frozenset(r) for w, r in related.items()})


@functools.cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped as knowledge/data/lexicon.tsv."""
    text = resources.files("knowledge").joinpath("data/lexicon.tsv").read_text("utf-8")
    return parse_lexicon(text)


@dataclass(frozen=True)
class QueryGroup:
    """One question word: its weighted index terms (the best matching one counts)."""

    word: str
    terms: dict[str, float]


def _terms_of(phrase: str, weight: float) -> dict[str, float]:
    """Both languages' stems of every indexable word of a phrase, at a weight."""
    out: dict[str, float] = {}
    for w in words(phrase):
        if is_indexed(w):
            for language in ("en", "es"):
                term = stem(w, language)
                out[term] = max(out.get(term, 0.0), weight)
    return out


def query_groups(
    question: str,
    lexicon: Lexicon | None = None,
    correct: TypoCorrector | None = None,
) -> list[QueryGroup]:
    """The weighted term groups of a question: stems, translations, corrected spellings."""
    lex = lexicon or default_lexicon()
    groups: list[QueryGroup] = []
    seen: set[str] = set()
    for word in words(question):
        if word in seen:
            continue
        seen.add(word)
        if not is_indexed(word):
            # "where", "dónde", "when": no terms of their own, but their lexicon row
            # ("address", "dirección", "hours"...) is what the passage will say.
            expanded: dict[str, float] = {}
            for related in lex.expand(word):
                for term, weight in _terms_of(related, TRANSLATION_WEIGHT).items():
                    expanded[term] = max(expanded.get(term, 0.0), weight)
            if expanded:
                groups.append(QueryGroup(word, expanded))
            continue
        terms = _terms_of(word, 1.0)
        known = correct is None or correct.known(word) or bool(lex.expand(word))
        spellings = [word] if known else [word, *correct.suggest(word)]  # type: ignore[union-attr]
        for index, spelling in enumerate(spellings):
            base = 1.0 if index == 0 else TYPO_WEIGHT
            if index:
                for term, weight in _terms_of(spelling, base).items():
                    terms[term] = max(terms.get(term, 0.0), weight)
            for related in lex.expand(spelling):
                for term, weight in _terms_of(related, base * TRANSLATION_WEIGHT).items():
                    terms[term] = max(terms.get(term, 0.0), weight)
        groups.append(QueryGroup(word, terms))
    return groups


class TypoCorrector:
    """Close spellings of an unknown word among a vocabulary (edit distance 1, or 2 if long)."""

    def __init__(self, vocabulary: set[str] | frozenset[str]) -> None:
        """Index the vocabulary (folded words)."""
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha() and len(w) > 3)
        self._choices = sorted(self.vocabulary)

    def known(self, word: str) -> bool:
        """True when the word is in the vocabulary (or too short or not a word to correct)."""
        return word in self.vocabulary or len(word) < 4 or not word.isalpha()

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Vocabulary words within the allowed edit distance, closest first."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        cutoff = 1 if len(word) < 8 else 2
        found = process.extract(
            word, self._choices, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=limit
        )
        return [choice for choice, _, _ in sorted(found, key=lambda f: f[1])]

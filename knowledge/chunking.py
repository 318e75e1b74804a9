"""Structure-aware chunks: headings carried into each chunk, a table row with its header, an FAQ
question with its answer, clean text (no Markdown marks, no table pipes).

A chunk's text is its heading trail on the first line, then one *unit* per line: a sentence or
list item, a table row as "Header: value; Header: value", an FAQ answer. The answer step quotes
units, so what a customer reads is always a clean line of the document in its own wording.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from knowledge.types import Section

CHUNK_SIZE = 600
LONG_LINE = 150
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'¿¡(A-ZÁÉÍÓÚÑ0-9])")
_BOLD_QUESTION = re.compile(r"^\s*(\*\*|__)(.+?[?？])\s*(\*\*|__)\s*(.*)$")


@dataclass(frozen=True)
class Block:
    """Units that belong together under one heading trail."""

    heading: str | None
    units: tuple[str, ...]
    kind: str  # "text", "row" (one table row) or "faq" (units answer the last heading)


@dataclass(frozen=True)
class Piece:
    """A chunk of text before it gets ids: its section, heading trail, kind and units."""

    text: str
    section: Section
    heading: str | None
    digest: str
    block: str = "text"


def normalize(text: str) -> str:
    """Whitespace collapsed and lower-cased, for duplicate detection."""
    return re.sub(r"\s+", " ", text).strip().lower()


def digest(text: str) -> str:
    """A stable hash of a chunk's normalized text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def clean(text: str) -> str:
    """Inline Markdown and HTML entities removed: bold, italics, code, links, images."""
    text = html.unescape(text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    text = text.replace("`", "").replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


def split_long(line: str, limit: int = LONG_LINE) -> list[str]:
    """A long line as sentences (short lines kept whole)."""
    if len(line) <= limit:
        return [line]
    return [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [clean(c) for c in body.split("|")]


def table_rows(lines: list[str]) -> list[str]:
    """Table lines as 'Header: value; Header: value' units, one per data row."""
    rows = [line for line in lines if not _TABLE_SEP.match(line)]
    if not rows:
        return []
    header = _cells(rows[0])
    has_header = len(lines) > 1 and bool(_TABLE_SEP.match(lines[1]))
    body = rows[1:] if has_header or len(rows) > 1 else rows
    out = []
    for row in body:
        cells = _cells(row)
        pairs = []
        for index, cell in enumerate(cells):
            if not cell:
                continue
            name = header[index] if has_header and index < len(header) else ""
            pairs.append(f"{name}: {cell}" if name and name != cell else cell)
        if pairs:
            out.append("; ".join(pairs))
    return out


def _is_table_line(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") or (stripped.count("|") >= 2 and not _ITEM.match(line))


def parse_markdown(text: str, title: str | None = None) -> list[Block]:
    """Markdown (or trafilatura's Markdown of a page) as blocks of clean units."""
    blocks: list[Block] = []
    trail: list[tuple[int, str]] = []
    paragraph: list[str] = []
    units: list[str] = []
    faq = False

    def heading() -> str | None:
        return " > ".join(h for _, h in trail) or None

    def flush_paragraph() -> None:
        if paragraph:
            joined = clean(" ".join(p.strip() for p in paragraph))
            if joined:
                units.extend(split_long(joined))
            paragraph.clear()

    def flush_units() -> None:
        flush_paragraph()
        if units:
            blocks.append(Block(heading(), tuple(units), "faq" if faq else "text"))
            units.clear()

    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _HEADING.match(line)
        if match:
            flush_units()
            level, name = len(match.group(1)), clean(match.group(2))
            trail = [(lv, h) for lv, h in trail if lv < level]
            if name:
                trail.append((level, name))
            faq = name.endswith(("?", "？"))
            index += 1
            continue
        if _is_table_line(line):
            flush_units()
            table = []
            while index < len(lines) and _is_table_line(lines[index]):
                table.append(lines[index])
                index += 1
            for row in table_rows(table):
                blocks.append(Block(heading(), (row,), "row"))
            continue
        bold = _BOLD_QUESTION.match(line)
        if bold and not paragraph:
            flush_units()
            question = clean(bold.group(2))
            answer = [bold.group(4)] if bold.group(4).strip() else []
            index += 1
            while index < len(lines) and lines[index].strip():
                nxt = lines[index]
                if _HEADING.match(nxt) or _BOLD_QUESTION.match(nxt) or _is_table_line(nxt):
                    break
                answer.append(nxt)
                index += 1
            body = clean(" ".join(a.strip() for a in answer))
            base = heading()
            trail_q = f"{base} > {question}" if base else question
            blocks.append(Block(trail_q, tuple(split_long(body)) if body else (), "faq"))
            continue
        if not line.strip():
            flush_paragraph()
        elif _ITEM.match(line):
            flush_paragraph()
            paragraph.append(_ITEM.sub("", line, count=1))
        elif paragraph and paragraph[-1].rstrip().endswith(":") and len(paragraph) == 1:
            flush_paragraph()  # "Address: ..." label lines stay units of their own
            paragraph.append(line)
        else:
            paragraph.append(line)
        index += 1
    flush_units()
    return [b for b in blocks if b.units]


_RULE = re.compile(r"^\s*([-=_*~#])\1{2,}\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_LEADER = re.compile(r"\s*(?:\.\s?){3,}\s*")
_LABELLED = re.compile(r"^[^\s:][^:]{0,40}:\s")


def _plain_line(line: str) -> str:
    """A plain-text line as a unit: bullet mark dropped, dot leaders ('Hake ..... 22 €') as ': '."""
    return clean(_LEADER.sub(": ", _BULLET.sub("", line)))


def _is_item(line: str) -> bool:
    """A list item, a 'Label: value' line or a line with dot leaders."""
    return bool(_BULLET.match(line) or _LABELLED.match(line) or _LEADER.search(line))


def _is_heading(lines: list[str], ruled: bool) -> bool:
    """A lone short line in capitals, or one set between rules ('-----')."""
    return len(lines) == 1 and len(lines[0]) <= 60 and (ruled or lines[0].isupper())


def _plain_blocks(text: str) -> list[Block]:
    """Plain text: a heading (a lone line in capitals, or ruled) over the blocks after it; a
    paragraph of list items or 'Label: value' lines as one unit a line, else soft-wrapped
    lines joined into sentences."""
    blocks: list[Block] = []
    heading: str | None = None
    units: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        raw = [ln.strip() for ln in para.splitlines() if ln.strip()]
        lines = [ln for ln in raw if not _RULE.match(ln)]
        if not lines:
            continue
        if _is_heading(lines, len(lines) < len(raw)):
            if units:
                blocks.append(Block(heading, tuple(units), "text"))
            heading, units = clean(lines[0]).capitalize(), []
            continue
        items = lines[1:]  # the first line may name the list ("Mains")
        listed = bool(items) and all(_is_item(ln) for ln in items)
        for piece in lines if listed else [" ".join(" ".join(lines).split())]:
            joined = _plain_line(piece) if listed else clean(piece)
            if joined:
                units.extend(split_long(joined))
    if units:
        blocks.append(Block(heading, tuple(units), "text"))
    return blocks


def _group(block: Block, size: int) -> list[tuple[str, ...]]:
    """A block's units grouped into chunks of about ``size`` characters (rows and FAQs whole)."""
    if block.kind in ("row", "faq"):
        return [block.units]
    groups: list[list[str]] = [[]]
    used = 0
    for unit in block.units:
        if groups[-1] and used + len(unit) > size:
            groups.append([])
            used = 0
        groups[-1].append(unit)
        used += len(unit) + 1
    return [tuple(g) for g in groups if g]


def section_blocks(section: Section) -> list[Block]:
    """The blocks of one loaded section."""
    if section.atomic:  # an FAQ sheet row: the question, then its answer
        question, _, answer = section.text.strip().partition("\n")
        body = clean(answer)
        return [Block(clean(question), tuple(split_long(body)) if body else (), "faq")]
    if section.markdown:
        return parse_markdown(section.text)
    return _plain_blocks(section.text)


def split_section(section: Section, size: int = CHUNK_SIZE) -> list[Piece]:
    """Split one section; every piece starts with its heading trail, then one unit a line."""
    pieces: list[Piece] = []
    for block in section_blocks(section):
        for units in _group(block, size):
            body = "\n".join(units)
            text = f"{block.heading}\n{body}" if block.heading else body
            pieces.append(Piece(text, section, block.heading, digest(text), block.kind))
    return pieces


def split_sections(sections: tuple[Section, ...] | list[Section]) -> tuple[list[Piece], int]:
    """Split every section and drop duplicate pieces; returns the pieces and how many dropped."""
    seen: set[str] = set()
    kept: list[Piece] = []
    dropped = 0
    for section in sections:
        for piece in split_section(section):
            if piece.digest in seen:
                dropped += 1
                continue
            seen.add(piece.digest)
            kept.append(piece)
    return kept, dropped


def units_of(text: str, heading: str | None) -> list[str]:
    """The units of a stored chunk: its lines after the heading trail."""
    body = text
    if heading and body.startswith(heading):
        body = body[len(heading) :]
    out: list[str] = []
    for line in body.splitlines():
        line = line.strip()
        if line:
            out.extend(split_long(line))
    return out

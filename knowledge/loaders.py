"""Reading sources into sections: PDF pages, Markdown/text, HTML, FAQ rows, web pages."""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.errors import IngestError, UnsupportedSourceError
from knowledge.types import Progress, Section, SourceKind, SourceSpec
from knowledge.web import FetchedPage, Fetcher, crawl

log = logging.getLogger(__name__)

_EXTENSIONS = {
    ".pdf": SourceKind.PDF,
    ".md": SourceKind.MARKDOWN,
    ".markdown": SourceKind.MARKDOWN,
    ".txt": SourceKind.TEXT,
    ".html": SourceKind.HTML,
    ".htm": SourceKind.HTML,
    ".csv": SourceKind.FAQ,
}
_QUESTION_COLUMNS = ("question", "pregunta", "q")
_ANSWER_COLUMNS = ("answer", "respuesta", "a")


@dataclass(frozen=True)
class Loaded:
    """A source read into sections, with its title and how many pages it had."""

    title: str
    kind: SourceKind
    sections: tuple[Section, ...]
    pages: int
    skipped_urls: tuple[str, ...] = ()


def is_url(location: str) -> bool:
    """True for http(s) URLs."""
    return location.lower().startswith(("http://", "https://"))


def detect_kind(spec: SourceSpec) -> SourceKind:
    """The spec's kind, or one inferred from the URL scheme or file extension."""
    if spec.kind is not None:
        return spec.kind
    if is_url(spec.location):
        return SourceKind.WEB
    kind = _EXTENSIONS.get(Path(spec.location).suffix.lower())
    if kind is None:
        raise UnsupportedSourceError(f"cannot tell what kind of source {spec.location!r} is")
    return kind


def title_from_name(location: str) -> str:
    """A readable title from a file name: 'price-list_2024.pdf' -> 'Price list 2024'."""
    stem = Path(location).stem if not is_url(location) else location.rstrip("/").rsplit("/", 1)[-1]
    words = re.sub(r"[-_]+", " ", stem).strip()
    if words.lower() in ("faq", "faqs"):
        return "FAQ"
    return words[:1].upper() + words[1:] if words else location


def load(
    spec: SourceSpec, fetcher: Fetcher | None = None, progress: Progress | None = None
) -> Loaded:
    """Read a source into sections (raises IngestError when it cannot be read)."""
    kind = detect_kind(spec)
    if kind in (SourceKind.WEB, SourceKind.CRAWL):
        return _load_web(spec, kind, fetcher or Fetcher(allow_private=spec.allow_private), progress)
    path = Path(spec.location)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {spec.location}: {exc}") from exc
    loaded = load_bytes(data, kind, spec.title or "", name=spec.location)
    if progress:
        progress(loaded.pages, loaded.pages)
    return loaded


def load_bytes(
    data: bytes, kind: SourceKind, title: str = "", name: str = "", url: str | None = None
) -> Loaded:
    """Read an in-memory document of a known kind."""
    if kind is SourceKind.PDF:
        return _load_pdf(data, title, name, url)
    text = data.decode("utf-8-sig", errors="replace")
    if kind is SourceKind.FAQ:
        return _load_faq(text, title or title_from_name(name))
    if kind is SourceKind.HTML:
        section = html_section(text, title, url)
        if section is None:
            raise IngestError(f"no readable text in {name or url}")
        return Loaded(section.title, kind, (section,), 1)
    if kind in (SourceKind.MARKDOWN, SourceKind.TEXT):
        markdown = kind is SourceKind.MARKDOWN
        heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE) if markdown else None
        doc_title = title or (heading.group(1).strip() if heading else title_from_name(name))
        return Loaded(doc_title, kind, (Section(text, doc_title, url=url, markdown=markdown),), 1)
    raise UnsupportedSourceError(f"unsupported kind {kind}")


def _load_pdf(data: bytes, title: str, name: str, url: str | None) -> Loaded:
    """One section per PDF page, numbered from 1."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
        texts = [(page.extract_text() or "") for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(f"cannot parse PDF {name or url}: {exc}") from exc
    doc_title = title or meta_title.strip() or title_from_name(name or url or "document.pdf")
    sections = tuple(
        Section(pdf_markdown(text), doc_title, page=number, url=url, markdown=True)
        for number, text in enumerate(texts, start=1)
        if text.strip()
    )
    if not sections:
        raise IngestError(f"no extractable text in PDF {name or url} (scanned?)")
    return Loaded(doc_title, SourceKind.PDF, sections, len(texts))


def _looks_like_heading(line: str, next_line: str) -> bool:
    """A short line without final punctuation or figures, followed by more text."""
    return (
        0 < len(line) <= 60
        and len(line.split()) <= 8
        and not line.endswith((".", ",", ";", ":"))
        and not any(ch.isdigit() for ch in line)
        and bool(next_line)
    )


def pdf_markdown(text: str) -> str:
    """PDF page text with heading-like lines marked as Markdown headings (kept with their text)."""
    lines = [line.strip() for line in text.splitlines()]
    out = []
    for index, line in enumerate(lines):
        following = next((n for n in lines[index + 1 :] if n), "")
        out.append(f"## {line}" if _looks_like_heading(line, following) else line)
    return "\n".join(out)


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The first column whose normalized name is one of ``names``."""
    for column in columns:
        if column.strip().lower() in names:
            return column
    return None


def _load_faq(text: str, title: str) -> Loaded:
    """One atomic section per question/answer row (comma or semicolon separated)."""
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)  # the header row tells: Excel in Spain uses ';'
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = list(reader.fieldnames or [])
    q_col, a_col = _pick(columns, _QUESTION_COLUMNS), _pick(columns, _ANSWER_COLUMNS)
    if q_col is None or a_col is None:
        raise IngestError(f"FAQ needs question and answer columns, found {columns}")
    sections = []
    for row in reader:
        question = (row.get(q_col) or "").strip()
        answer = (row.get(a_col) or "").strip()
        if question and answer:
            sections.append(Section(f"{question}\n{answer}", title, atomic=True))
    if not sections:
        raise IngestError("FAQ has no complete question/answer rows")
    return Loaded(title, SourceKind.FAQ, tuple(sections), len(sections))


def html_section(html: str, title: str = "", url: str | None = None) -> Section | None:
    """The main text of an HTML page as Markdown (headings kept), or None when empty."""
    import trafilatura

    text = trafilatura.extract(
        html,
        url=url,
        output_format="markdown",
        include_tables=True,
        include_formatting=True,
        include_comments=False,
        include_links=False,
    )
    if not text or not text.strip():
        return None
    if not title:
        meta = trafilatura.extract_metadata(html)
        title = (meta.title if meta and meta.title else "") or title_from_name(url or "page")
    return Section(text, title, url=url, markdown=True)


def _page_sections(page: FetchedPage, title: str) -> tuple[list[Section], int]:
    """Sections of one fetched page (HTML, PDF or plain text)."""
    ctype = page.content_type.lower()
    if "pdf" in ctype or page.url.lower().endswith(".pdf"):
        loaded = _load_pdf(page.body, title, "", page.url)
        return list(loaded.sections), loaded.pages
    if "html" in ctype or not ctype:
        section = html_section(page.text, title, page.url)
        return ([section] if section else []), 1
    if ctype.startswith("text/"):
        return [Section(page.text, title or title_from_name(page.url), url=page.url)], 1
    log.info("skipping %s: content type %s", page.url, ctype)
    return [], 0


def _load_web(
    spec: SourceSpec, kind: SourceKind, fetcher: Fetcher, progress: Progress | None
) -> Loaded:
    """Fetch one page, or crawl the site from it, within the spec's limits."""
    depth = spec.max_depth if kind is SourceKind.CRAWL else 0
    limit = spec.max_pages if kind is SourceKind.CRAWL else 1
    pages, skipped = crawl(
        spec.location, fetcher, max_depth=depth, max_pages=limit, on_page=progress
    )
    if not pages:
        raise IngestError(f"nothing fetched from {spec.location} (robots.txt or errors)")
    sections: list[Section] = []
    count = 0
    for page in pages:
        # One title per crawl: the first page's unless given; every section keeps its URL.
        page_sections, n = _page_sections(page, spec.title or "")
        sections.extend(page_sections)
        count += n
    if not sections:
        raise IngestError(f"no readable text at {spec.location}")
    title = spec.title or sections[0].title
    return Loaded(title, kind, tuple(sections), count, tuple(skipped))

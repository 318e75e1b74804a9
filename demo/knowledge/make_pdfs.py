"""Build the demo PDFs from their text sources with a tiny pure-Python PDF writer.

Each ``<slug>/*.pdf.txt`` becomes ``<slug>/*.pdf``: the first line is the document title, pages
are separated by a line holding only ``\\f``, lines starting with ``# `` are set in bold.
Standard Helvetica with WinAnsiEncoding, so accents and the euro sign survive text extraction.
Run: ``python demo/knowledge/make_pdfs.py`` (no dependencies).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

PAGE_W, PAGE_H, MARGIN, LEADING = 595, 842, 56, 15


def _escape(text: str) -> bytes:
    """A PDF literal string body in cp1252."""
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _page_stream(lines: list[str]) -> bytes:
    """Content stream drawing the lines top-down, wrapping long ones."""
    out = [b"BT", f"{MARGIN} {PAGE_H - MARGIN} Td".encode(), f"{LEADING} TL".encode()]
    for line in lines:
        bold = line.startswith("# ")
        text = line[2:] if bold else line
        font = b"/F2 13 Tf" if bold else b"/F1 10.5 Tf"
        for part in textwrap.wrap(text, 92) or [""]:
            out += [font, b"(" + _escape(part) + b") Tj", b"T*"]
    out.append(b"ET")
    return b"\n".join(out)


def write_pdf(title: str, pages: list[list[str]], path: Path) -> None:
    """Write a minimal valid PDF with one text page per entry of ``pages``."""
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects.append(font.format("Helvetica").encode())
    objects.append(font.format("Helvetica-Bold").encode())
    for i, lines in enumerate(pages):
        stream = _page_stream(lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            f"/Contents {6 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(b"<< /Title (" + _escape(title) + b") /Producer (Switchboard demo) >>")
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        body += f"{offset:010d} 00000 n \n".encode()
    body += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    path.write_bytes(bytes(body))


def build(root: Path) -> list[Path]:
    """Build every ``*.pdf.txt`` under root; returns the PDFs written."""
    written = []
    for source in sorted(root.glob("*/*.pdf.txt")):
        text = source.read_text(encoding="utf-8")
        title, _, rest = text.partition("\n")
        pages = [page.strip("\n").splitlines() for page in rest.split("\n\\f\n")]
        target = source.with_suffix("")  # name.pdf.txt -> name.pdf
        write_pdf(title.strip(), pages, target)
        written.append(target)
    return written


if __name__ == "__main__":
    for pdf in build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent):
        print(pdf)

"""Server-rendered SVG charts: no front-end build, a title and description for screen readers.

Each chart sits next to its table (the text alternative), so the numbers are never only in
the picture.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 720, 220, 28
BAR = "#2563eb"


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" id="{chart_id}"'
        f' viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    return Markup(head + body + "</svg>")


def column_chart(
    chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float]
) -> Markup:
    """Vertical bars, one per label (e.g. per day), with a label under every few bars."""
    top = max(values, default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(values), 1)
    every = max(1, len(labels) // 8)
    parts = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"'
        ' stroke="#9ca3af"/>',
        f'<text x="{PAD - 4}" y="{PAD}" text-anchor="end" font-size="11">{top:g}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (HEIGHT - 2 * PAD) * value / top
        x = PAD + i * step
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{step * 0.8:.1f}"'
            f' height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: {value:g}</title></rect>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle"'
                f' font-size="10">{escape(label[-5:])}</text>'
            )
    return _frame(chart_id, title, desc, WIDTH, HEIGHT, "".join(parts))


def bar_list(chart_id: str, title: str, desc: str, items: Sequence[tuple[str, float]]) -> Markup:
    """Horizontal bars, one per category, longest first as given."""
    row, label_w, width = 22, 150, 480
    height = max(len(items), 1) * row + 8
    top = max((v for _, v in items), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = (width - label_w - 50) * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label[:22])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{BAR}">'
            f"<title>{escape(label)}: {value:g}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" font-size="12">{value:g}</text>'
        )
    return _frame(chart_id, title, desc, width, height, "".join(parts))

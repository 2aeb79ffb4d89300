"""Charts drawn on the server as SVG (no script, no style attribute: the CSP stays strict):
a stacked coverage bar and horizontal bar charts for the statistics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

COLOURS = {
    "missing": "#b3261e",
    "fuzzy": "#c77700",
    "draft": "#9aa5b1",
    "reviewed": "#2e7d32",
    "survivor-reviewed": "#0b5cad",
}
WIDTH = 320


def coverage_bar(counts: Mapping[str, int], width: int = WIDTH) -> Markup:
    """One bar split by status, each part's width its share; a title per part for hover."""
    total = sum(counts.values()) or 1
    parts, x = [], 0.0
    for state, count in counts.items():
        w = width * count / total
        if count:
            parts.append(
                f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="14" '
                f'fill="{COLOURS.get(state, "#666")}" data-state="{escape(state)}" '
                f'data-count="{count}"><title>{escape(state)}: {count}</title></rect>'
            )
        x += w
    summary = ", ".join(f"{state} {count}" for state, count in counts.items())
    return Markup(  # noqa: S704 — every text in it went through escape()
        f'<svg class="bar" role="img" width="{width}" height="14" viewBox="0 0 {width} 14" '
        f'aria-label="{escape(summary)}">{"".join(parts)}</svg>'
    )


def bar_chart(rows: Sequence[tuple[str, int, str]], width: int = 520) -> Markup:
    """Horizontal bars, one per (label, value, shown value); the shown value is what the
    page may say (e.g. "<5"), the bar is drawn from it too (a small cell draws no bar)."""
    label_w, bar_w, row_h = 170, width - 170 - 50, 20
    top = max([v for _, v, shown in rows if not shown.startswith("<")] or [1])
    out = []
    for i, (label, value, shown) in enumerate(rows):
        y = i * row_h
        w = 0.0 if shown.startswith("<") else bar_w * value / top
        out.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="14" fill="#0b5cad"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="12">{escape(shown)}</text>'
        )
    height = max(len(rows), 1) * row_h
    return Markup(  # noqa: S704 — every text in it went through escape()
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(out)}</svg>'
    )

"""One flow drawn as an SVG graph, server-side: screens as boxes (each a link to its edit
form) in rows by distance from the flow's start, buttons as arrows.

Boxes are marked with their lint problems and translation gaps; a button that goes to a
node that does not exist is a red dashed arrow to a box saying so.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from bot.engine.model import Node, NodeId

BOX_W = 210
BOX_H = 70
GAP_X = 30
GAP_Y = 64
MARGIN = 20
SAY_CHARS = 30


@dataclass(frozen=True)
class Marks:
    """What the box of a node shows besides its id and first words."""

    errors: int = 0
    warnings: int = 0
    gaps: tuple[str, ...] = ()
    """Languages in which some of the node's text falls back to English."""


@dataclass(frozen=True)
class Edge:
    source: NodeId
    target: str
    """A node id, or `!missing:<id>` / `@action` for the boxes outside the flow."""
    label: str
    broken: bool = False


@dataclass
class Layout:
    rows: list[list[str]] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    width: int = 0
    height: int = 0


def edges_of(nodes: Sequence[Node], known: frozenset[str] | None) -> list[Edge]:
    """The arrows of the flow's buttons; `known` is every node id of every flow (None when
    the other flows are unknown, then only this flow's ids count)."""
    ids = {n.id for n in nodes}
    edges = []
    for node in nodes:
        if node.languages:
            edges.append(Edge(node.id, node.languages, "languages"))
        for option in node.options:
            if option.goto is not None:
                elsewhere = option.goto.split(".", 1)[0] != node.flow
                exists = option.goto in ids or (
                    (known is None and elsewhere) or (known is not None and option.goto in known)
                )
                target = option.goto if exists else f"!missing:{option.goto}"
                edges.append(Edge(node.id, target, option.label, broken=not exists))
            elif option.action is not None:
                edges.append(Edge(node.id, f"@{option.action.value}", option.label))
    return edges


def layout(nodes: Sequence[Node], edges: Sequence[Edge]) -> Layout:
    """Rows by fewest taps from the flow's first node (its `start`); boxes outside the
    flow in the last row."""
    ids: list[str] = [n.id for n in nodes]
    start = next((i for i in ids if i.endswith(".start")), ids[0] if ids else None)
    inside = set(ids)
    depth: dict[str, int] = {}
    if start is not None:
        depth[start] = 0
        queue: deque[str] = deque([start])
        while queue:
            here = queue.popleft()
            for edge in edges:
                if edge.source == here and edge.target in inside and edge.target not in depth:
                    depth[edge.target] = depth[here] + 1
                    queue.append(edge.target)
    unreached = max(depth.values(), default=-1) + 1
    for node_id in ids:
        depth.setdefault(node_id, unreached)  # not reachable inside the flow: one last row
    result = Layout()
    for level in sorted(set(depth.values())):
        result.rows.append([i for i in ids if depth[i] == level])
    outside = list(dict.fromkeys(e.target for e in edges if e.target not in inside))
    if outside:
        result.rows.append(outside)
    widest = max((len(r) for r in result.rows), default=1)
    result.width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    for r, row in enumerate(result.rows):
        row_width = len(row) * BOX_W + (len(row) - 1) * GAP_X
        x0 = (result.width - row_width) // 2
        for c, box in enumerate(row):
            result.positions[box] = (x0 + c * (BOX_W + GAP_X), MARGIN + r * (BOX_H + GAP_Y))
    result.height = MARGIN * 2 + len(result.rows) * BOX_H + (len(result.rows) - 1) * GAP_Y
    return result


def _short(text: str, limit: int = SAY_CHARS) -> str:
    first = " ".join(text.split())
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _path(layout_: Layout, edge: Edge) -> str:
    x1, y1 = layout_.positions[edge.source]
    x2, y2 = layout_.positions[edge.target]
    if y2 > y1:  # down a row or more: bottom centre to top centre
        sx, sy, tx, ty = x1 + BOX_W // 2, y1 + BOX_H, x2 + BOX_W // 2, y2
        bend = (ty - sy) // 2
        return f"M{sx},{sy} C{sx},{sy + bend} {tx},{ty - bend} {tx},{ty}"
    if y2 == y1:  # the same row: side to side, arching above the boxes in between
        right = x2 > x1
        sx, tx = (x1 + BOX_W, x2) if right else (x1, x2 + BOX_W)
        sy = ty = y1 + BOX_H // 2
        if abs(x2 - x1) <= BOX_W + GAP_X:
            return f"M{sx},{sy} L{tx},{ty}"
        lift = BOX_H // 2 + GAP_Y // 3
        return f"M{sx},{sy} C{sx},{sy - lift} {tx},{ty - lift} {tx},{ty}"
    # back up: top of the source to the bottom of the target, a little off centre
    sx, sy, tx, ty = x1 + BOX_W // 2 + 24, y1, x2 + BOX_W // 2 + 24, y2 + BOX_H
    bend = (sy - ty) // 2
    return f"M{sx},{sy} C{sx},{sy - bend} {tx},{ty + bend} {tx},{ty}"


def render_svg(
    flow: str,
    nodes: Sequence[Node],
    marks: Mapping[str, Marks],
    known: frozenset[str] | None = None,
    link: str = "/admin/flows/{flow}/nodes/{node}",
) -> str:
    """The flow as an inline `<svg>` element (no script, no inline style)."""
    edges = edges_of(nodes, known)
    placed = layout(nodes, edges)
    by_id = {n.id: n for n in nodes}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {placed.width} {placed.height}" '
        f'width="{placed.width}" height="{placed.height}" role="group" '
        f'aria-label="Flow {escape(flow)}: {len(nodes)} screens">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>",
        '<g class="edges">',
    ]
    for edge in edges:
        if edge.source == edge.target:
            continue
        kind = "edge broken" if edge.broken else "edge"
        out.append(
            f'<path class="{kind}" d="{_path(placed, edge)}" marker-end="url(#arrow)">'
            f"<title>{escape(edge.label)}</title></path>"
        )
    out.append("</g>")
    for box, (x, y) in placed.positions.items():
        node = by_id.get(NodeId(box))
        if node is None:
            out.append(_away(box, x, y))
            continue
        mark = marks.get(box, Marks())
        classes = ["node"]
        if box.endswith(".start"):
            classes.append("start")
        if mark.errors:
            classes.append("error")
        elif mark.warnings:
            classes.append("warning")
        short_id = box.split(".", 1)[1]
        href = link.format(flow=flow, node=short_id)
        notes = []
        if mark.errors or mark.warnings:
            notes.append(f"{mark.errors} error(s), {mark.warnings} warning(s)")
        if mark.gaps:
            notes.append(f"not translated in {', '.join(mark.gaps)}")
        label = f"{short_id}: {_short(node.say[0] if node.say else '', 80)}"
        if notes:
            label += " — " + "; ".join(notes)
        out.append(
            f'<a class="{" ".join(classes)}" href="{escape(href)}" aria-label="{escape(label)}" '
            f'data-node="{escape(short_id)}">'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>'
            f'<text class="id" x="{x + 10}" y="{y + 20}">{escape(short_id)}</text>'
            f'<text x="{x + 10}" y="{y + 40}">{escape(_short(node.say[0] if node.say else ""))}'
            "</text>"
        )
        if mark.errors or mark.warnings:
            problems = mark.errors + mark.warnings
            out.append(
                f'<text class="mark" x="{x + 10}" y="{y + 60}">⚠ {problems} problem(s)</text>'
            )
        if mark.gaps:
            out.append(
                f'<text class="gaps" x="{x + BOX_W - 10}" y="{y + 60}" text-anchor="end">'
                f"{len(mark.gaps)} lang. missing</text>"
            )
        out.append("</a>")
    out.append("</svg>")
    return "".join(out)


def _away(box: str, x: int, y: int) -> str:
    if box.startswith("!missing:"):
        text = f"missing: {box.removeprefix('!missing:')}"
        classes = "away node error"
    elif box.startswith("@"):
        text = f"action: {box[1:]}"
        classes = "away"
    else:
        text = f"→ {box}"
        classes = "away"
    return (
        f'<g class="{classes}"><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>'
        f'<text x="{x + 10}" y="{y + 40}">{escape(_short(text, 32))}</text></g>'
    )

"""A flow file seen node by node: its nodes as the loader parses the file on its own, and
each located problem assigned to the node whose lines hold it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.admin.graph import Marks
from bot.admin.workspace import Workspace, translation_gaps
from bot.engine.load.loader import parse_file_text
from bot.engine.model import Node
from bot.engine.problems import FlowError, Problem, Severity


@dataclass(frozen=True)
class FlowView:
    name: str
    file_name: str
    nodes: tuple[Node, ...]
    problems: tuple[Problem, ...]
    marks: dict[str, Marks]
    node_problems: dict[str, tuple[Problem, ...]]
    known: frozenset[str]


def parse_nodes(text: str, file_name: str) -> tuple[Node, ...] | None:
    try:
        parsed = parse_file_text(text, f"flows/{file_name}")
    except FlowError:
        return None
    return tuple(parsed.nodes.values())


def known_nodes(space: Workspace) -> frozenset[str]:
    """Every node id of every file that parses on its own (even if the set does not load)."""
    if space.checked.flows is not None:
        return frozenset(space.checked.flows.nodes)
    ids: set[str] = set()
    for name, text in space.files.items():
        ids.update(n.id for n in parse_nodes(text, name) or ())
    return frozenset(ids)


def flow_view(space: Workspace, flow: str) -> FlowView | None:
    """None when the workspace has no such flow file."""
    file_name = f"{flow}.yaml"
    text = space.files.get(file_name)
    if text is None:
        return None
    nodes = parse_nodes(text, file_name) or ()
    problems = tuple(space.problems_of(file_name))
    ordered = sorted(nodes, key=lambda n: n.location.line if n.location else 0)
    by_node: dict[str, list[Problem]] = {n.id: [] for n in nodes}
    for problem in problems:
        line = problem.location.line if problem.location else 0
        owner = next((n for n in reversed(ordered) if n.location and n.location.line <= line), None)
        if owner is not None:
            by_node[owner.id].append(problem)
    flows = space.checked.flows
    marks: dict[str, Marks] = {}
    for node in nodes:
        found = by_node[node.id]
        gaps = (
            tuple(translation_gaps(flows, flows.node(node.id)))
            if flows and node.id in flows.nodes
            else ()
        )
        marks[node.id] = Marks(
            errors=sum(1 for p in found if p.severity is Severity.ERROR),
            warnings=sum(1 for p in found if p.severity is Severity.WARNING),
            gaps=gaps,
        )
    return FlowView(
        flow,
        file_name,
        tuple(nodes),
        problems,
        marks,
        {k: tuple(v) for k, v in by_node.items()},
        known_nodes(space),
    )
